"""The example apps of `tests/apps/`: one multi-module application per framework whose
requests the engine follows, reviewed whole through the pipeline the CLI runs.

Each app's `expected.json` lists every finding, exactly: rule, file, line and the trace's
steps (`file:line note`), source to sink. A missing finding, an extra one (a safe look-alike
reported) or another path fails. `python tests/test_example_apps.py APP` prints what the
review finds, in that format, to read against the code before writing it down.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from secreview.config import Config
from secreview.model import Review
from secreview.pipeline import run_review

APPS = Path(__file__).parent / "apps"
APP_DIRS = sorted(p for p in APPS.iterdir() if p.is_dir() and (p / "expected.json").exists())


def _review(app: Path) -> Review:
    return run_review([str(app)], Config(include_tests=True, jobs=1, cache=False))


def _relative(app: Path, review: Review, path: str) -> str:
    full = Path(path) if Path(path).is_absolute() else Path(review.root) / path
    return full.resolve().relative_to(app.resolve()).as_posix()


def found(app: Path) -> list[dict]:
    """The review's findings in `expected.json`'s format, ordered by file and line."""
    review = _review(app)
    assert not review.diagnostics, [d.message for d in review.diagnostics]
    out = [
        {
            "rule": f.rule_id,
            "file": _relative(app, review, f.location.path),
            "line": f.location.line,
            "trace": [
                f"{_relative(app, review, s.location.path)}:{s.location.line} {s.note}"
                for s in f.trace
            ],
        }
        for f in review.findings
    ]
    return sorted(out, key=lambda f: (f["file"], f["line"], f["rule"], f["trace"]))


@pytest.mark.parametrize("app", APP_DIRS, ids=[p.name for p in APP_DIRS])
def test_example_app(app: Path) -> None:
    expected = json.loads((app / "expected.json").read_text(encoding="utf-8"))
    expected = sorted(expected, key=lambda f: (f["file"], f["line"], f["rule"], f["trace"]))
    assert found(app) == expected


def test_every_app_has_defects_across_modules() -> None:
    """An app whose findings all stay in one module would not test what the apps are for."""
    assert len(APP_DIRS) >= 5
    for app in APP_DIRS:
        expected = json.loads((app / "expected.json").read_text(encoding="utf-8"))
        assert any(len({step.split(":")[0] for step in f["trace"]}) > 1 for f in expected), app


if __name__ == "__main__":
    print(json.dumps(found(APPS / sys.argv[1]), indent=1))
