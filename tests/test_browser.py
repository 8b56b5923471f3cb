"""The HTML report opens in a browser with no network: headless Chromium shows the summary and
every figure (an inline SVG whose text is text, drawn at a non-zero size)."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import matplotlib.image
import numpy as np
import pytest

from simpact import report
from simpact.decision import summarize

CHROMIUM = shutil.which("chromium") or shutil.which("chromium", path="/usr/bin")
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium is not installed (.ci/run installs Debian's `chromium`)"
    ),
]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--virtual-time-budget=10000",
]

PROBE = """<script>
window.addEventListener('load', () => {
  const imgs = Array.from(document.querySelectorAll('figure > svg')).map(i => ({
    src: 'svg', w: i.getBoundingClientRect().width, h: i.getBoundingClientRect().height,
    texts: i.querySelectorAll('text').length,
    shown: i.getBoundingClientRect().height > 0}));
  const list = document.querySelector('h2 + ul');
  document.body.setAttribute('data-probe', JSON.stringify({
    imgs, h2: document.querySelector('h2').innerText,
    summary: list ? list.innerText : '', summaryShown: list ? list.offsetHeight > 0 : false}));
});
</script></body>"""


def chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module", params=["sv", "en"])
def page(request, tmp_path_factory, nata_sim):
    lang = request.param
    summary = summarize(nata_sim, lang=lang)
    out = tmp_path_factory.mktemp(f"html_{lang}")
    files = report.write_report(nata_sim, summary, out, lang=lang)
    return lang, summary, files


def test_report_html_is_self_contained(page):
    _, _, files = page
    text = files["html"].read_text()
    # no network: nothing loaded from elsewhere
    assert not re.search(r"""(src|href)=["'](https?:)?//""", text)
    assert "@import" not in text and "<link" not in text


def test_chromium_shows_the_summary_and_every_figure(page, tmp_path):
    lang, summary, files = page
    probe = tmp_path / "probe.html"
    probe.write_text(files["html"].read_text().replace("</body>", PROBE), encoding="utf-8")
    result = chromium(tmp_path, "--dump-dom", probe.as_uri())
    found = re.search(r'data-probe="([^"]*)"', result.stdout)
    assert found, result.stderr[-2000:]
    state = json.loads(html.unescape(found.group(1)))
    assert state["h2"] == {"sv": "1. Sammanfattning", "en": "1. Summary"}[lang]
    assert state["summaryShown"]
    # the citation-ready sentences are on the page as written in the summary
    for sentence in summary.text:
        assert sentence in state["summary"]
    figures = [name for name in files if (files[name].parent.name == "figures")]
    assert len(state["imgs"]) == len(figures) >= 5
    for img in state["imgs"]:
        assert img["src"] == "svg" and img["texts"] > 0  # the figure's text is text
        assert img["w"] > 100 and img["h"] > 100 and img["shown"]


def test_chromium_screenshot_is_not_blank(page, tmp_path):
    _, _, files = page
    shot = tmp_path / "shot.png"
    result = chromium(
        tmp_path, f"--screenshot={shot}", "--window-size=1200,3000", files["html"].as_uri()
    )
    assert shot.is_file(), result.stderr[-2000:]
    pixels = matplotlib.image.imread(shot)[..., :3]
    dark = (pixels.mean(axis=-1) < 0.5).mean()
    assert 0.001 < dark < 0.5  # text and figures drawn on a white page
    assert np.ptp(pixels) > 0.5
