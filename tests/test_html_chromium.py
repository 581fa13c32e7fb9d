"""The HTML report in a real browser: headless Chromium renders a review of hostile code.

Checks, on the DOM after rendering at phone width (390 px): every finding is shown, the page
stylesheet applies under the report's Content-Security-Policy, no script from the reviewed
code made it into the page, every in-page link lands, a trace step opens on a click, and
nothing overflows horizontally. A phone-width screenshot and the report are saved as
artifacts (tests/artifacts/, or $SECREVIEW_TEST_ARTIFACTS) for a person to look at.

Skipped when no Chromium is installed, unless SECREVIEW_REQUIRE_CHROMIUM is set (.ci/run sets
it once it has installed Chromium, so CI cannot pass by skipping).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import struct
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from secreview.config import Config
from secreview.model import Finding, Location, Review, TraceStep
from secreview.pipeline import run_review
from secreview.reports import render

REPO = Path(__file__).resolve().parents[1]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PHONE = (390, 844)  # CSS pixels of a common phone
SCALE = 2  # device pixels per CSS pixel, as on a phone: a sharp screenshot
TIMEOUT = 120  # seconds for any one answer from the browser (a loaded CI machine is slow)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--hide-scrollbars",
)
PAYLOAD = "</script><script>alert(1)</script>"

APP = f'''\
import subprocess

from flask import Flask, request

app = Flask(__name__)
BANNER = "{PAYLOAD}"


@app.route("/ping")
def ping():
    host = request.args["host"]
    return run(host)


def run(host):
    command = "ping -c 1 " + host + " # {PAYLOAD} and a long tail to wrap on a phone screen ......"
    return subprocess.run(command, shell=True, capture_output=True).stdout
'''

# Evaluated in the rendered page (by DevTools, so the page's own policy, which forbids any
# script, stays as shipped): measures, clicks a trace step, and returns what it saw.
PROBE = """
(() => {
  const doc = document.documentElement;
  const line = document.querySelector('.code .line');
  const details = [...document.querySelectorAll('ol.trace details')];
  const closed = details.length > 0 && details.every(d => !d.open);
  details[0].querySelector('summary').click();
  const opened = details[0].open;
  details.forEach(d => { d.open = true; });  // measure the page with every excerpt shown
  const links = [...document.querySelectorAll('a[href^="#"]')];
  return {
    scrollWidth: doc.scrollWidth,
    clientWidth: doc.clientWidth,
    styled: line !== null && getComputedStyle(line).display === 'flex',
    closedAtFirst: closed,
    openedByClick: opened,
    brokenLinks: links.filter(a => !document.getElementById(a.hash.slice(1))).length,
    scripts: document.scripts.length,
    findings: [...document.querySelectorAll('article.finding h3')]
      .filter(h => h.getBoundingClientRect().height > 0).map(h => h.textContent),
    messages: [...document.querySelectorAll('article.finding .message')].map(p => p.textContent),
    hits: [...document.querySelectorAll('.code .hit .text')].map(t => t.textContent),
    wide: [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > doc.clientWidth + 0.5)
      .map(e => e.tagName + '.' + e.className).slice(0, 5),
  };
})()
"""


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe, with the standard
    library alone. `--window-size=390,844` cannot give a phone's viewport (a headless window
    is at least 500 px wide), but the protocol's device metrics can: 390 x 844 CSS pixels,
    mobile, as a phone lays the page out."""

    def __init__(self, browser: str, profile: Path, log: Path) -> None:
        self._log = log.open("wb")
        # the browser reads commands on fd 3 and writes replies on fd 4
        self.process = subprocess.Popen(
            [
                "sh",
                "-c",
                'exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null',
                browser,
                *FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        self._ids = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        self._ids += 1
        message: dict[str, Any] = {"id": self._ids, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message).encode() + b"\0")
        self.process.stdin.flush()
        while True:
            reply = self._receive()
            if reply.get("id") == self._ids:
                assert "error" not in reply, f"{method}: {reply['error']}"
                return reply["result"]
            self._events.append(reply)

    def wait_for(self, event: str, session: str) -> None:
        while True:
            for index, message in enumerate(self._events):
                if message.get("method") == event and message.get("sessionId") == session:
                    del self._events[: index + 1]
                    return
            self._events.append(self._receive())

    def evaluate(self, expression: str, session: str) -> Any:
        reply = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session
        )
        assert "exceptionDetails" not in reply, reply["exceptionDetails"]
        return reply["result"]["value"]

    def _receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self.process.stdout], [], [], max(remaining, 0))
            if not ready:
                raise TimeoutError(f"Chromium did not answer within {TIMEOUT} s")
            chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            if not chunk:
                raise RuntimeError(
                    f"Chromium exited (code {self.process.poll()}); its log: {self._log.name}"
                )
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self._log):
            if stream is not None:
                stream.close()


def _browser() -> str | None:
    named = os.environ.get("SECREVIEW_CHROMIUM")
    if named:
        return shutil.which(named)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> str:
    found = _browser()
    if found is None:
        if os.environ.get("SECREVIEW_REQUIRE_CHROMIUM"):
            pytest.fail("SECREVIEW_REQUIRE_CHROMIUM is set but no Chromium was found")
        pytest.skip("no Chromium installed (apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def artifacts() -> Path:
    folder = Path(os.environ.get("SECREVIEW_TEST_ARTIFACTS") or REPO / "tests" / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Review:
    """A real review of hostile code, plus an LLM finding whose every text is hostile."""
    root = tmp_path_factory.mktemp("hostile project")
    (root / "app.py").write_text(APP)
    found = run_review([str(root)], Config(jobs=1))
    llm = Finding(
        rule_id="llm-hardcoded-credentials",
        cwe=798,
        title=f"Hard-coded banner {PAYLOAD}",
        message=f"The banner {PAYLOAD} is a literal; `{PAYLOAD}`.",
        severity="medium",
        confidence="low",
        location=Location("app.py", 6),
        snippet=f'BANNER = "{PAYLOAD}"',
        trace=(TraceStep(Location("app.py", 6), f"assigned {PAYLOAD}"),),
        fix=f"Read it from the environment {PAYLOAD}.",
        origin="llm",
    )
    return Review(
        findings=(*found.findings, llm),
        diagnostics=found.diagnostics,
        stats=found.stats,
        root=found.root,
        scope_note=f"hostile {PAYLOAD}",
    )


def test_report_renders_in_chromium_at_phone_width(
    browser: str, artifacts: Path, review: Review, tmp_path: Path
) -> None:
    assert any(f.rule_id == "command-injection" for f in review.findings), review.findings
    report = artifacts / "html-report.html"
    report.write_text(render(review, "html"), encoding="utf-8")
    screenshot = artifacts / "html-report-phone.png"
    screenshot.unlink(missing_ok=True)

    chromium = Chromium(browser, tmp_path / "profile", tmp_path / "chromium.log")
    try:
        target = chromium.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = chromium.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        chromium.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": SCALE, "mobile": True},
            session,
        )
        chromium.send("Page.enable", session=session)
        chromium.send("Page.navigate", {"url": report.as_uri()}, session)
        chromium.wait_for("Page.loadEventFired", session)
        dom = chromium.evaluate("document.documentElement.outerHTML", session)
        shot = chromium.send("Page.captureScreenshot", {"format": "png"}, session)["data"]
        screenshot.write_bytes(base64.b64decode(shot))
        result = chromium.evaluate(PROBE, session)  # it opens every trace step
        height = chromium.evaluate("document.documentElement.scrollHeight", session)
        clip = {"x": 0, "y": 0, "width": PHONE[0], "height": min(height, 16_000), "scale": 1}
        whole = chromium.send(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": clip},
            session,
        )["data"]
        (artifacts / "html-report-phone-full.png").write_bytes(base64.b64decode(whole))
    finally:
        chromium.close()
    print(f"\nHTML report: {report}\nphone-width screenshots: {screenshot}, *-full.png")

    # the findings are on the page, the hostile text as text and nothing else
    assert len(result["findings"]) == len(review.findings)
    assert any("(CWE-78)" in heading for heading in result["findings"])
    assert f"The banner {PAYLOAD} is a literal; {PAYLOAD}." in result["messages"]
    assert result["scripts"] == 0 and "<script" not in dom.lower()
    assert any("subprocess.run(command, shell=True" in hit for hit in result["hits"])
    # the stylesheet applies under the page's own policy; steps open; links land
    assert result["styled"], "the stylesheet did not apply under the page's policy"
    assert result["closedAtFirst"] and result["openedByClick"]
    assert result["brokenLinks"] == 0
    # phone width: laid out at 390 px, and nothing wider than the screen
    assert result["clientWidth"] == PHONE[0]
    assert result["scrollWidth"] <= PHONE[0], result["wide"]
    header = screenshot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (PHONE[0] * SCALE, PHONE[1] * SCALE)
