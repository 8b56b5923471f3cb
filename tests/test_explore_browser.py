"""The explorer in a real browser: headless Chromium (Debian's, driven by Selenium through
chromium-driver) opens the page ``simpact explore`` serves, moves an input, and the displayed
P(full repayment on schedule) becomes the value the Python API gives for that input. The checks
read the page's text (through its shadow DOM), never pixels."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from simpact import cli, explore, testing
from simpact.base import storage
from simpact.explore.display import probability

CHROMIUM = shutil.which("chromium") or shutil.which("chromium", path="/usr/bin")
DRIVER = shutil.which("chromedriver") or shutil.which("chromedriver", path="/usr/bin")
webdriver = pytest.importorskip("selenium.webdriver")
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        CHROMIUM is None or DRIVER is None,
        reason="chromium and chromium-driver are not installed (.ci/run installs them)",
    ),
]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
]

METRIC = """
const key = arguments[0];
function find(n) {
  if (n.shadowRoot) { const r = find(n.shadowRoot); if (r) return r; }
  const q = n.querySelector ? n.querySelector('[data-metric="' + key + '"]') : null;
  if (q) return q;
  for (const c of n.children || []) { const r = find(c); if (r) return r; }
  return null;
}
const e = find(document.body);
return e ? e.textContent : null;
"""

INPUT = """
const cls = arguments[0];
function find(n) {
  if (n.classList && n.classList.contains(cls)) {
    const i = (n.shadowRoot || n).querySelector('input'); if (i) return i;
  }
  if (n.shadowRoot) { const r = find(n.shadowRoot); if (r) return r; }
  for (const c of n.children || []) { const r = find(c); if (r) return r; }
  return null;
}
return find(document.body);
"""

TYPE = """
const i = arguments[0]; i.focus(); i.value = arguments[1];
for (const t of ['input', 'change']) i.dispatchEvent(new Event(t, {bubbles: true}));
i.blur();
"""

SEED = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("explore_browser")
    with testing.mock_sampler(), pytest.raises(SystemExit) as exc:
        cli.main(["run", "nata", "--out", str(out), "--seed", str(SEED), "--quiet"])
    assert exc.value.code == 0
    return out / "results.nc"


@pytest.fixture(scope="module")
def server(results):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simpact",
            "explore",
            str(results),
            "--no-browser",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(240):
            try:
                page = urllib.request.urlopen(url, timeout=60).read().decode()
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the explorer did not start")
        yield url, page
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('profile')}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    yield driver
    driver.quit()


def wait_for(fn, *, until, timeout: float = 120.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = fn()
        if until(value):
            return value
        time.sleep(0.25)
    return fn()


def test_page_loads_nothing_from_elsewhere(server):
    _, page = server
    assert "http://" not in page.replace("http://127.0.0.1", "")
    assert "https://" not in page


def test_moving_an_input_shows_the_python_apis_number(server, browser, results):
    url, _ = server
    tree = storage.load(results)
    base = explore.Scenario.from_results(tree)
    knob = {k.key: k for k in explore.knobs_of(base.base)}["simulation.cashable.social_services"]
    before = probability(explore.evaluate(base, tree["fit"]).numbers()["p_full_on_schedule"], "en")
    moved = base.changed(explore.move(base.base, knob, 0.78, 0.2))
    after = probability(explore.evaluate(moved, tree["fit"]).numbers()["p_full_on_schedule"], "en")
    assert before != after

    browser.get(url)
    shown = wait_for(lambda: browser.execute_script(METRIC, "p_full_on_schedule"), until=bool)
    assert shown == before
    field = browser.execute_script(INPUT, "knob-simulation-cashable-social_services-centre")
    assert field is not None
    browser.execute_script(TYPE, field, "0.78")
    shown = wait_for(
        lambda: browser.execute_script(METRIC, "p_full_on_schedule"), until=lambda v: v != before
    )
    assert shown == after
