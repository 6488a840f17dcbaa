"""The sweep report's HTML page opens in headless Chromium (Debian's `chromium` package; `.ci/run` installs it) and
the screenshot shows its tables and its figure: the header rows' grey (#eeeeee) in three separate bands (three
tables), and the bar chart's green (proved) and red (refuted) bars."""

import shutil
import subprocess

import pytest

from verify.run.report import write_report
from verify.run.store import Store
from verify.run.sweep import parse_conjecture, sweep

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _bands(mask_rows) -> int:
    bands, inside = 0, False
    for v in mask_rows:
        if v and not inside:
            bands += 1
        inside = bool(v)
    return bands


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium; .ci/run does)")
def test_html_report_renders_its_tables_in_headless_chromium(tmp_path):
    import matplotlib.image as mpimg
    import numpy as np

    conj = parse_conjecture({"name": "browser", "claim": "strict-saddle",
                             "family": {"kind": "deep-linear", "depth": [2, 3], "width": [1], "dx": 2, "dy": 2,
                                        "samples": 3, "seeds": 2}})
    db = tmp_path / "r.sqlite"
    sweep(conj, db)
    with Store(db) as s:
        write_report(s.rows(), tmp_path / "rep")
    shot = tmp_path / "shot.png"
    p = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--window-size=1100,1400", f"--screenshot={shot}", (tmp_path / "rep" / "report.html").as_uri()],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and shot.is_file(), p.stderr[-2000:]
    img = (mpimg.imread(shot)[..., :3] * 255).round().astype(int)
    assert img.shape[0] >= 1000 and img.shape[1] >= 1000

    def colour(rgb, tol=6):
        return (np.abs(img - np.array(rgb)) <= tol).all(axis=2)

    header = colour((238, 238, 238))
    assert header.sum() > 2000, "no table header drawn"
    assert _bands(header.sum(axis=1) > 100) >= 3, "fewer than three tables' header rows"
    assert colour((43, 138, 62), 10).sum() > 1000 and colour((201, 42, 42), 10).sum() > 1000, "no bar chart"
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                          (tmp_path / "rep" / "report.html").as_uri()], capture_output=True, text=True, timeout=120)
    assert "<td>depth = 3</td>" in dom.stdout and "<th>refuted</th>" in dom.stdout
