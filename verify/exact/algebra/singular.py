"""Singular (Decker, Greuel, Pfister & Schönemann) for cofactor certificates: a standard basis G of an ideal
⟨f_1, …, f_m⟩ and the cofactors T with g_j = Σ_k T_kj·f_k (``std`` then ``lift``).

The binary ships in the ``passagemath-singular`` wheel (``sage_wheels/bin/Singular`` in site-packages; install it
with ``pip install --no-deps passagemath-singular==10.8.13``). :func:`std_lift` writes a Singular script (ring
``0,(v0,…,v_{n−1}),dp``: degrevlex with v0 > v1 > …, the reduced basis via ``option(redSB); option(redTail)``), runs
``Singular -q`` on it in a child process under a hard wall-clock limit (:func:`~verify.exact.algebra.binaries.
run_binary`) and reads the polynomials back with msolve's tokenizer/parser — never with ``eval`` or ``sympify``.
Output that does not have the expected shape raises :class:`InternalError`.

``lift`` is what limits this route (REFERENCE.md: instant for 33 critical points, not done in 500 s for 245).

>>> basis, T = std_lift(2, [{(1, 0): 1, (0, 1): -1}, {(0, 2): 1, (0, 0): -1}]) if available() else ([], [])
>>> len(basis) == len(T)
True
"""

from __future__ import annotations

from fractions import Fraction

from verify.errors import InternalError
from verify.exact.algebra.binaries import run_binary, wheel_binary
from verify.exact.algebra.msolve import _Parser, format_poly, tokenize

PIP_REQUIREMENT = "passagemath-singular==10.8.13"
INSTALL_HINT = f"pip install --no-deps {PIP_REQUIREMENT}"
DEFAULT_TIMEOUT = 600.0


class SingularMissing(RuntimeError):
    """The Singular binary is not installed (callers use another route)."""


def binary() -> str:
    path = wheel_binary("Singular")
    if path is None:
        raise SingularMissing(f"the Singular binary was not found; install it with `{INSTALL_HINT}` (make test does)")
    return path


def available() -> bool:
    return wheel_binary("Singular") is not None


def names(n: int) -> list[str]:
    return [f"v{k}" for k in range(n)]


def script(n: int, polys) -> str:
    """The Singular input: the ring, f_1..f_m, G = std, T = lift, every polynomial printed on its own line."""
    vs = names(n)
    gens = ",\n".join(format_poly(sorted(p.items()), vs) for p in polys) or "0"
    return (f"ring r = 0, ({', '.join(vs)}), dp;\nshort = 0;\noption(redSB); option(redTail);\n"
            f"ideal i = {gens};\nideal g = std(i);\nmatrix T = lift(i, g);\nint a; int b;\n"
            'print("@basis " + string(ncols(g)));\n'
            "for (a = 1; a <= ncols(g); a++) { print(string(g[a])); }\n"
            'print("@lift " + string(nrows(T)) + " " + string(ncols(T)));\n'
            "for (a = 1; a <= ncols(T); a++) { for (b = 1; b <= nrows(T); b++) { print(string(T[b, a])); } }\n"
            'print("@end");\nquit;\n')


def _poly(line: str, vs) -> dict:
    p = _Parser(tokenize(line), vs)
    if line.strip() == "0":
        return {}
    poly = p.polynomial()
    if p.peek()[0] != "end":
        raise InternalError(f"Singular output: trailing tokens in {line[:60]!r}")
    return poly


def parse_output(text: str, n: int, m: int):
    """(G as exponent dicts, T with T[j][k] the cofactor of f_k in g_j) from the script's output."""
    vs = names(n)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("//")]
    try:
        start = lines.index(next(ln for ln in lines if ln.startswith("@basis ")))
    except StopIteration:
        raise InternalError(f"Singular output: no basis ({' '.join(lines)[:300]})") from None
    head = lines[start].split()
    if len(head) != 2 or not head[1].isdigit():
        raise InternalError("Singular output: malformed basis header")
    size = int(head[1])
    basis = [_poly(ln, vs) for ln in lines[start + 1:start + 1 + size]]
    at = start + 1 + size
    lift = lines[at].split() if at < len(lines) else []
    if lift != ["@lift", str(m), str(size)]:
        raise InternalError(f"Singular output: expected a {m} × {size} lift matrix, got {' '.join(lift)[:80]!r}")
    body = lines[at + 1:at + 1 + m * size]
    if len(body) != m * size or lines[at + 1 + m * size:] != ["@end"]:
        raise InternalError("Singular output: the lift matrix is incomplete or followed by other output")
    T = [[_poly(body[j * m + k], vs) for k in range(m)] for j in range(size)]
    return basis, T


def std_lift(n: int, polys, timeout: float | None = DEFAULT_TIMEOUT):
    """Reduced standard basis G (degrevlex, v0 > v1 > …) of ⟨polys⟩ ⊂ Q[v0..v_{n−1}] and the cofactors T,
    g_j = Σ_k T[j][k]·polys[k], checked here by exact multiplication before they are returned.

    ``polys``: exponent dicts {exponent tuple: integer or Fraction}. Killed at ``timeout`` s (WallClockTimeout).
    """
    text = run_binary([binary(), "-q", "--no-rc", "--no-warn"], "Singular", timeout, stdin=script(n, polys))
    basis, T = parse_output(text, n, len(polys))
    for j, g in enumerate(basis):
        if _combination(T[j], polys) != {e: Fraction(c) for e, c in g.items() if c}:
            raise InternalError(f"Singular's cofactors do not reproduce basis element {j}")
    return basis, T


def _combination(cofactors, polys) -> dict:
    out: dict = {}
    for c, f in zip(cofactors, polys):
        for e1, a in c.items():
            for e2, b in f.items():
                e = tuple(x + y for x, y in zip(e1, e2))
                v = out.get(e, 0) + a * b
                if v:
                    out[e] = v
                else:
                    out.pop(e, None)
    return {e: Fraction(v) for e, v in out.items()}
