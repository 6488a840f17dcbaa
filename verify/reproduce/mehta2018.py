"""Mehta et al. 2018 (deep linear nets through algebraic geometry): every complex critical point of small systems
with one sample and a generic per-weight regulariser counted exactly, the real ones classified, each count
re-proved by a `complete-landscape` certificate the kernel checks."""

from __future__ import annotations

import json
import time

from verify.reproduce.common import out_dir

CLAIM = ("deep linear nets with a generic per-weight regulariser: finitely many critical points, every complex one "
         "counted, the real ones classified")
MEHTA_SYSTEMS = [("1-1-1", [1, 1, 1], 5), ("1-2-1", [1, 2, 1], None), ("2-2-2", [2, 2, 2], 33),
                 ("1-2-3", [1, 2, 3], 73), ("1-3-3", [1, 3, 3], 245)]
"""(name, widths, complex critical points known from REFERENCE.md / the library, or None)."""


def mehta2018(quick: bool, out=None, on_progress=None) -> tuple[dict, str]:
    import random

    import proofs
    from verify.certify.landscape import complete_landscape_certificate
    from verify.exact.algebra.enumerate import critical_points
    from verify.problems import problem_from_dict

    t0 = time.monotonic()
    d = out_dir(out, "mehta2018")
    table = []
    for name, widths, known in MEHTA_SYSTEMS[:4] if quick else MEHTA_SYSTEMS:
        if on_progress:
            on_progress(f"{name}: critical points")
        rng = random.Random(name)
        reg = [[[f"{rng.randint(1, 9)}/{rng.randint(10, 19)}" for _ in range(widths[i])] for _ in
                range(widths[i + 1])] for i in range(len(widths) - 1)]
        P = problem_from_dict({"kind": "deep-linear", "widths": widths, "X": [[rng.randint(1, 3)] for _ in
                                                                              range(widths[0])],
                               "Y": [[rng.randint(1, 3)] for _ in range(widths[-1])], "reg": reg})
        r = critical_points(P, timeout=120)
        made = complete_landscape_certificate(P, statement="auto", ideal="auto", timeout=120)
        verified = False
        if made.certificate is not None:
            (d / "certificates" / f"{name}-complete-landscape.cert.json").write_text(json.dumps(made.certificate)
                                                                                     + "\n")
            verified = proofs.check_certificate(made.certificate, timeout=120).verified
        row = {"system": name, "status": r["status"], "complex": r.get("complex"), "real": r.get("real"),
               "by_class": {k: v for k, v in r.get("by_class", {}).items() if v}, "seconds": r.get("seconds"),
               "known": known, "certificate": made.statement if made.certificate is not None else None,
               "verified": verified}
        table.append(row)
        (d / f"{name}.json").write_text(json.dumps({k: v for k, v in r.items() if k != "points"}, indent=1) + "\n")
    lines = ["Mehta et al. 2018: critical points of deep linear nets, one sample, a generic per-weight regulariser",
             f"claim: {CLAIM}",
             f"{'widths':<8}{'complex':<9}{'real':<6}{'known':<7}{'seconds':<9}{'certificate':<24}real points by class"]
    for t in table:
        cert = f"{t['certificate']} ({'kernel' if t['verified'] else 'not verified'})" if t["certificate"] else "none"
        lines.append(f"{t['system']:<8}{t['complex']!s:<9}{t['real']!s:<6}{t['known'] or '—'!s:<7}"
                     f"{(t['seconds'] or 0):<9.2f}{cert:<24}{', '.join(f'{k} {v}' for k, v in t['by_class'].items())}")
    _counts_figure(table, d / "counts.png")
    seconds = time.monotonic() - t0
    checked = sum(1 for t in table if t["verified"])
    lines.append(f"{seconds:.1f} s; counts exact (Gröbner basis over Q), {checked} of {len(table)} re-proved by a "
                 f"complete-landscape certificate the kernel checked (trust: kernel); files in {d}/, figure: "
                 f"{d}/counts.png")
    headline = "; ".join(f"{t['system']}: {t['complex']} complex, {t['real']} real"
                         + (" (kernel)" if t["verified"] else " (not kernel-checked)") for t in table)
    return {"name": "mehta2018", "claim": CLAIM, "rows": table, "headline": headline, "out": str(d), "seconds": seconds,
            "certificates": sum(1 for t in table if t["certificate"] is not None),
            "figure": str(d / "counts.png"),
            "trust": "kernel" if all(t["verified"] for t in table) else "solver"}, "\n".join(lines)


def _counts_figure(table, path) -> None:
    from numeric.figure_file import pyplot, save_png

    plt = pyplot("--out")
    fig, ax = plt.subplots(figsize=(6, 3.6))
    xs = range(len(table))
    ax.bar([x - 0.2 for x in xs], [t["complex"] or 0 for t in table], 0.4, label="complex", color="#1971c2")
    ax.bar([x + 0.2 for x in xs], [t["real"] or 0 for t in table], 0.4, label="real", color="#c92a2a")
    ax.set_xticks(list(xs), [t["system"] for t in table])
    ax.set(yscale="log", xlabel="widths", ylabel="critical points", title="deep linear nets, generic Λ")
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_png(fig, path, "--out", dpi=100)
