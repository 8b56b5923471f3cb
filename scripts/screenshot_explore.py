"""Take the README's screenshot of the explorer (docs/explore.png) with headless Chromium.

    python scripts/screenshot_explore.py out/nata/results.nc docs/explore.png

Serves ``simpact explore RESULTS --no-browser`` on a free port of 127.0.0.1, opens it in
Debian's Chromium through chromium-driver (Selenium), waits for the figures and saves a PNG.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

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


def main(results: str, target: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "simpact", "explore", results, "--no-browser", "--port", str(port)]
    server = subprocess.Popen(cmd, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(url, timeout=60)
                break
            except OSError:
                time.sleep(0.5)
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        with tempfile.TemporaryDirectory() as profile:
            for flag in [*FLAGS, f"--user-data-dir={profile}"]:
                options.add_argument(flag)
            driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
            try:
                driver.get(url)
                time.sleep(20)  # the first update and its figures
                driver.save_screenshot(target)
            finally:
                driver.quit()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main(*sys.argv[1:3])
