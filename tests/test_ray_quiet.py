"""`--quiet` means the report and nothing else, with Ray too: Ray's own start-up notices (the
token-authentication warning) never reach standard error (issue 19, point 10). Runs a real
local Ray instance in a child process, so it is skipped where Ray is not installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ray")

REPO = Path(__file__).resolve().parent.parent


def test_quiet_ray_review_prints_the_report_only(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "app.py").write_text("import yaml\n\nyaml.load(open('x'), Loader=yaml.Loader)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
    env.update(PYTHONPATH=str(REPO / "src"), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    done = subprocess.run(
        [sys.executable, "-m", "secreview", "review", ".", "--executor", "ray", "--quiet"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert "unsafe-yaml-load" in done.stdout
    assert done.stderr == ""
