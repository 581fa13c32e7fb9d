"""The progress bar counts what the summary counts: the files reviewed, not test files left
out of the review nor anything else discovered (issue 19, point 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from secreview.config import Config
from secreview.pipeline import run_review


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    for name in ("app.py", "lib.py", "big.py"):
        (tmp_path / name).write_text("import os\n")
    (tmp_path / "broken.py").write_text("def f(:\n")
    (tmp_path / "tests").mkdir()
    for name in ("test_app.py", "test_lib.py", "conftest.py"):
        (tmp_path / "tests" / name).write_text("def test_x():\n    assert True\n")
    return tmp_path


@pytest.mark.parametrize("cache", [False, True])
def test_progress_total_is_the_number_of_files_reviewed(
    tree: Path, tmp_path: Path, cache: bool
) -> None:
    for _ in range(2 if cache else 1):  # the second run is served from the cache
        calls: list[tuple[int, int]] = []
        review = run_review(
            [str(tree)],
            Config(jobs=1),
            progress=lambda done, total, calls=calls: calls.append((done, total)),
            cache=str(tmp_path / "store.sqlite3") if cache else False,
        )
        assert review.stats.files == 4  # broken.py counts: reviewed, with a diagnostic
        assert {total for _, total in calls} == {review.stats.files}
        assert calls[-1] == (4, 4)
