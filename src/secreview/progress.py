"""A progress bar for long reviews on a terminal, drawn with rich on standard error.

It appears only once a run has taken `DELAY` seconds (a quick review prints nothing extra,
and rich is not even imported), and it is transient: the bar is erased when the review
ends, so the terminal shows the report alone. The CLI creates it only for an interactive
standard error without `--quiet`; pipes, files and CI logs never see it.
"""

from __future__ import annotations

import threading
import time
from typing import Any, TextIO

DELAY = 2.0  # seconds before the bar appears


class ReviewProgress:
    """The pipeline's progress callback: `progress(done, total)` after each file."""

    def __init__(self, stream: TextIO, delay: float = DELAY):
        self.stream = stream
        self.delay = delay
        self.done = 0
        self.total = 0
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._bar: Any = None  # rich.progress.Progress once shown
        self._task: Any = None
        self._closed = False
        self._started: float | None = None
        self.shown = False  # whether the bar ever appeared

    def __call__(self, done: int, total: int) -> None:
        with self._lock:
            self.done, self.total = done, total
            if self._started is None:
                self._started = time.monotonic()
            if self._bar is not None:
                self._bar.update(self._task, completed=done, total=total)
            elif self._timer is None and not self._closed:
                # a timer, not the next callback: the bar must appear even when the
                # files are done and the whole-program phase is what takes long
                self._timer = threading.Timer(self.delay, self._show)
                self._timer.daemon = True
                self._timer.start()

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        with self._lock:
            if self._closed or self._bar is not None:
                return
            bar = Progress(
                SpinnerColumn(),
                TextColumn("secreview: reviewing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files"),
                TimeElapsedColumn(),
                console=Console(file=self.stream, stderr=True),
                transient=True,
            )
            self._task = bar.add_task("review", total=self.total, completed=self.done)
            if self._started is not None:  # the clock shows the review's time, not the bar's
                bar.tasks[0].start_time = self._started
            bar.start()
            self._bar = bar
            self.shown = True

    def close(self) -> None:
        """Stop the timer and erase the bar (idempotent)."""
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
            bar, self._bar = self._bar, None
        if bar is not None:
            bar.stop()

    def __enter__(self) -> ReviewProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
