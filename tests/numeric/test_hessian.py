"""Dense batched Hessians, HVPs, Lanczos and the power-iteration baseline; numeric classification bands."""

from fractions import Fraction as F

import pytest
import torch

from numeric.classify import Bands, classify_point, classify_points, global_value
from numeric.hessian import gradients, hessians, hvp, lanczos, power_extremes
from numeric.losses import make_loss
from verify.problems import DeepLinear, ReluTeacher, TwoLayer, default_teacher
from verify.verdict import PointClass, Status

D = torch.float64


def scalar(depth, reg=0):
    return DeepLinear(widths=(1,) * (depth + 1), X=((F(1),),), Y=((F(1),),), reg=F(reg))


def test_reference_hessians_kawaguchi():
    # REFERENCE.md: depth 2 at 0: H = [[0, −xy], [−xy, 0]]; depth 3 at 0: H = 0
    H2 = hessians(make_loss(scalar(2)), torch.zeros(1, 2, dtype=D))[0]
    assert H2.tolist() == [[0.0, -1.0], [-1.0, 0.0]]
    H3 = hessians(make_loss(scalar(3)), torch.zeros(1, 3, dtype=D))[0]
    assert H3.abs().max().item() == 0.0


def test_hvp_matches_dense():
    p = TwoLayer(n=2, width=3, activation=(F(0), F(1), F(1)), X=((F(1), F(2)), (F(0), F(-1))), Y=((F(1), F(0)),))
    L = make_loss(p)
    th = torch.randn(p.n_params, dtype=D, generator=torch.Generator().manual_seed(3))
    H = hessians(L, th[None])[0]
    v = torch.randn(p.n_params, dtype=D, generator=torch.Generator().manual_seed(4))
    assert torch.allclose(hvp(L.single, th)(v), H @ v, rtol=1e-12, atol=1e-12)
    assert torch.allclose(gradients(L, th[None])[0], torch.func.grad(L.single)(th))


def test_lanczos_and_power_agree_with_eigh():
    g = torch.Generator().manual_seed(0)
    A = torch.randn(300, 300, dtype=D, generator=g)
    A = (A + A.T) / 2
    e = torch.linalg.eigvalsh(A)
    r = lanczos(lambda v: A @ v, 300, steps=120, tol=1e-10)
    assert r.lam_min == pytest.approx(float(e[0]), abs=1e-8) and r.lam_max == pytest.approx(float(e[-1]), abs=1e-8)
    # the stated residual bounds the distance to an eigenvalue (Parlett Thm 4.5.1)
    assert min(abs(float(x) - r.lam_min) for x in e) <= r.res_min + 1e-12
    p = power_extremes(lambda v: A @ v, 300, tol=1e-9, max_iter=20000)
    assert p.lam_min == pytest.approx(float(e[0]), abs=1e-5) and p.lam_max == pytest.approx(float(e[-1]), abs=1e-5)
    assert p.matvecs > r.matvecs


def test_lanczos_on_problem_hessian():
    p = ReluTeacher(k=5, n=6, teacher=default_teacher(5, 6))
    L = make_loss(p)
    th = torch.randn(30, dtype=D, generator=torch.Generator().manual_seed(5))
    e = torch.linalg.eigvalsh(hessians(L, th[None])[0])
    r = lanczos(hvp(L.single, th), 30, steps=30)
    assert r.lam_min == pytest.approx(float(e[0]), abs=1e-9) and r.lam_max == pytest.approx(float(e[-1]), abs=1e-9)


def test_classification_kawaguchi_contrast():
    out = classify_points(make_loss(scalar(2)), torch.tensor([[0.0, 0.0], [1.0, 1.0], [0.5, 0.5]], dtype=D))
    assert [o.cls for o in out] == [PointClass.STRICT_SADDLE, PointClass.GLOBAL_MIN, PointClass.NOT_CRITICAL]
    o = classify_point(scalar(3), [0, 0, 0])
    assert o.cls is PointClass.NON_STRICT_SADDLE and o.inertia == (0, 3, 0)
    assert all(x.status is Status.EVIDENCE for x in out + [o])


def test_bands_make_unknown():
    # a gradient inside the band, and an eigenvalue inside the band, are unknown — not a class
    L = make_loss(scalar(2))
    o = classify_points(L, torch.tensor([[1e-7, 0.0]], dtype=D))[0]   # ‖∇L‖ = 1e-7 ∈ (1e-8, 1e-5)
    assert o.cls is PointClass.UNKNOWN and "band" in o.reason
    # regularised scalar net: the origin has H = diag(λ) − [[0,1],[1,0]] … pick λ in the eigenvalue band
    o = classify_point(scalar(2, reg=F(1) + F(1, 10 ** 6)), [0, 0], bands=Bands())
    assert o.cls is PointClass.UNKNOWN and "band" in o.reason
    o = classify_point(scalar(2, reg=F(2)), [0, 0])
    assert o.cls is PointClass.LOCAL_MIN


def test_global_value_reduced_rank_regression():
    p = DeepLinear(widths=(2, 1, 2), X=((F(1), F(0)), (F(0), F(1))), Y=((F(3, 2), F(0)), (F(0), F(1))))
    assert global_value(p) == pytest.approx(0.5, abs=1e-14)   # ½(9/4 + 1 − 9/4)
    assert global_value(ReluTeacher(k=2, n=2, teacher=default_teacher(2, 2))) == 0.0


def test_relu_teacher_parallel_point_is_not_classified_by_hessian():
    p = ReluTeacher(k=2, n=2, teacher=default_teacher(2, 2))
    assert classify_point(p, [1, 0, 0, 1]).cls is PointClass.GLOBAL_MIN
    # both students on the first teacher: critical? not necessarily; its Hessian is undefined
    o = classify_point(p, [1, 0, 1, 0])
    assert o.cls in (PointClass.NOT_CRITICAL, PointClass.UNKNOWN)


def test_lanczos_classification_path(monkeypatch):
    # force the large-N path (Lanczos on HVPs, extreme eigenvalues with residuals) on small problems
    import numeric.classify as nc

    monkeypatch.setattr(nc, "DENSE_MAX_PARAMS", 1)
    o = classify_point(scalar(2), [0, 0])
    assert o.cls is PointClass.STRICT_SADDLE and o.spectrum["residual_min"] < 1e-12
    assert o.lam_min == pytest.approx(-1.0) and o.lam_max == pytest.approx(1.0)
    assert classify_point(scalar(3), [0, 0, 0]).cls is PointClass.NON_STRICT_SADDLE
    assert classify_point(scalar(2, reg=2), [0, 0]).cls is PointClass.LOCAL_MIN
