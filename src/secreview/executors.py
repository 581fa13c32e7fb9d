"""Where the per-file phase runs: in this process, a local process pool, or a Ray cluster.

The pipeline hands an executor a function, a list of work items and one settings object,
and gets the results back in input order; it never needs to know where they were computed.
Work items carry the file's bytes (read by the parent, which hashes them for the cache), so
a Ray worker on another machine needs no access to the reviewed tree; when a Ray cluster's
workers do read the tree (`RayExecutor.shares_files`), items carry only a reference and the
digest instead, and results carry summaries, never source text. The whole-program phase
never goes through an executor: it runs in the parent on the small summaries.

An executor may be reused for several reviews (`secreview review --per-repo` reviews many
repositories with one pool or one Ray connection) and is closed once, by its creator.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # imported where a pool starts: a review run here alone (one file, a
    # warm re-review) never starts one, and the two cost a fifth of its start-up
    import multiprocessing.context
    from concurrent.futures import ProcessPoolExecutor

EXECUTORS = ("local", "ray")

# Below this many items per worker a process pool costs more than it saves.
MIN_ITEMS_PER_WORKER = 16
# Ray tasks carry a batch of files each: one task per file would spend more time
# scheduling than analysing, one task per worker would leave fast workers idle at the end.
RAY_BATCHES_PER_CPU = 4
RAY_MAX_BATCH = 64


class ExecutorError(RuntimeError):
    """The executor cannot be used (Ray not installed, cluster unreachable)."""


class Executor(Protocol):
    name: str

    def map[Item, Common, Result](
        self, fn: Callable[[Item, Common], Result], items: Sequence[Item], common: Common
    ) -> Iterator[Result]:
        """`fn(item, common)` for every item, yielded in input order."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


def default_jobs() -> int:
    """CPUs this process may use (its affinity mask, where the OS has one)."""
    counter = getattr(os, "process_cpu_count", None) or os.cpu_count
    return counter() or 1


def _call_batch[Item, Common, Result](
    fn: Callable[[Item, Common], Result], items: Sequence[Item], common: Common
) -> list[Result]:
    return [fn(item, common) for item in items]


class LocalExecutor:
    """`jobs` worker processes, or this process alone when that is faster (`jobs` 1, or too
    few files to repay starting workers). The pool is started on first use and kept for the
    next review until `close`."""

    name = "local"

    def __init__(self, jobs: int | None = None):
        self.jobs = jobs or default_jobs()
        self._pool: ProcessPoolExecutor | None = None
        self._pool_size = 0

    def map[Item, Common, Result](
        self, fn: Callable[[Item, Common], Result], items: Sequence[Item], common: Common
    ) -> Iterator[Result]:
        total = len(items)
        workers = min(self.jobs, max(1, total // MIN_ITEMS_PER_WORKER))
        if workers <= 1:
            return (fn(item, common) for item in items)
        pool = self._get_pool(workers)
        # small batches: the pipeline sends the largest files first, so small batches at
        # the end even out the workers' loads; each batch costs about a millisecond
        chunk = max(1, min(16, total // (workers * 16)))
        # submitted now, not on first iteration: the workers fork before the caller starts
        # threads of its own (the progress bar's), which a forked child must not inherit
        return pool.map(fn, items, [common] * total, chunksize=chunk)

    def _get_pool(self, workers: int) -> ProcessPoolExecutor:
        if self._pool is None or self._pool_size < workers:
            from concurrent.futures import ProcessPoolExecutor

            self.close()
            # workers collect garbage by file count, not by allocations (forked ones inherit
            # that from the review; see `pipeline._fewer_collections`)
            self._pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=_start_method(),
                initializer=_worker_started,
                initargs=(os.getpid(),),
            )
            self._pool_size = workers
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


WATCH_PARENT_SECONDS = 0.5


def _worker_started(review: int) -> None:
    """In each worker as it starts: collect garbage by file count, not by allocations
    (forked ones inherit that from the review; see `pipeline._fewer_collections`), and end
    when the review process (`review`, its pid) is gone. A review killed by `kill -9` (or
    SIGTERM, or the OOM killer) cannot shut its pool down, and its workers, each holding a
    large heap, would otherwise wait on their task queue forever. The review's end is seen
    as the worker being re-parented (a forked worker's parent is the review), or the review
    no longer running: a worker started by a fork server keeps that server alive, and the
    server it."""
    gc.disable()
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent and not _gone(review):
            time.sleep(WATCH_PARENT_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="secreview-review-watch", daemon=True).start()


def _gone(pid: int) -> bool:
    """The process `pid` has ended (or the pid is another user's now); a zombie, killed but
    not yet reaped by its parent, has ended too."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return True  # the pid was reused by another user's process
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[-1].split()[0]
    except (OSError, IndexError):
        return False  # no /proc (macOS): the parent check above still works for forks
    return state in (b"Z", b"X")


def _start_method() -> multiprocessing.context.BaseContext:
    """`fork` (workers start at once, with secreview already imported) while this process
    runs no other thread; else `forkserver`, since a fork copies other threads' locks in
    whatever state they are (an embedding application, a test run's servers)."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


class RayExecutor:
    """Batches of files as Ray tasks on an existing cluster (`address`, or `RAY_ADDRESS`),
    or on a Ray instance started for this process when no cluster is running.

    Every node needs the same secreview version installed (`pip install 'secreview[ray]'`):
    tasks refer to secreview's functions by name. A batch whose task fails (a worker lost,
    out of memory) is analysed here instead, so a flaky node cannot lose files.
    """

    name = "ray"

    def __init__(self, address: str | None = None, *, quiet: bool = False):
        try:
            import ray
        except ImportError:
            raise ExecutorError(
                "the ray executor needs Ray: pip install 'secreview[ray]'"
            ) from None
        self._ray = ray
        self._owned = False
        self.failed = 0  # tasks that failed and were run here instead
        self.quiet = quiet
        # Ray's own log lines (start-up, token notices) are not the review's business: the
        # report and secreview's messages say what matters. Ray's logger has a handler of
        # its own that writes to standard error, so its level is raised while the executor
        # lives; with `--quiet` nothing Ray writes to standard error during start-up (its
        # C++ core's lines included) gets through.
        import logging

        self._ray_log = logging.getLogger("ray")
        self._ray_log_level = self._ray_log.level
        self._ray_log.setLevel(logging.CRITICAL + 1 if quiet else logging.ERROR)
        if not ray.is_initialized():
            try:
                with _silenced_stderr() if quiet else contextlib.nullcontext():
                    ray.init(
                        address=address,
                        include_dashboard=False,
                        log_to_driver=False,
                        configure_logging=False,
                    )
            except (ConnectionError, RuntimeError, ValueError) as exc:
                self._ray_log.setLevel(self._ray_log_level)
                where = address or os.environ.get("RAY_ADDRESS") or "a local instance"
                raise ExecutorError(f"cannot connect to Ray at {where}: {exc}") from None
            self._owned = True
        self._remote = ray.remote(_call_batch)
        self._shares: dict[str, bool] = {}  # review root -> workers read its files

    def shares_files(self, target: Any, digest: str) -> bool:
        """Whether the cluster's workers read the reviewed files as this process does (the
        same machine, or a shared file system): one tiny task reads `target` there and
        compares its SHA-256 with `digest`. Then tasks are sent paths, not file contents.
        Asked once per review root; a cluster that cannot answer gets the contents."""
        root = getattr(target, "root", "")
        if root not in self._shares:
            try:
                probe = self._ray.remote(_same_file)
                self._shares[root] = bool(self._ray.get(probe.remote(target, digest), timeout=60))
            except Exception:  # a cluster that cannot run the probe still gets the contents
                self._shares[root] = False
        return self._shares[root]

    def cpus(self) -> int:
        try:
            return max(1, int(self._ray.cluster_resources().get("CPU", 1)))
        except Exception:  # a cluster that cannot report resources still runs tasks
            return 1

    def map[Item, Common, Result](
        self, fn: Callable[[Item, Common], Result], items: Sequence[Item], common: Common
    ) -> Iterator[Result]:
        if not items:
            return
        ray = self._ray
        size = -(-len(items) // (self.cpus() * RAY_BATCHES_PER_CPU))
        size = max(1, min(RAY_MAX_BATCH, size))
        batches = [items[start : start + size] for start in range(0, len(items), size)]
        shared = ray.put(common)  # sent to each node once, not with every task
        refs = [self._remote.remote(fn, batch, shared) for batch in batches]
        for ref, batch in zip(refs, batches, strict=True):
            try:
                results: list[Any] = ray.get(ref)
            except ray.exceptions.RayError as exc:
                if not self.failed and not self.quiet:  # once: a cluster problem, not a file's
                    reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
                    print(
                        f"secreview: a Ray task failed ({type(exc).__name__}: {reason}); "
                        "its files, and those of any later failure, are analysed here",
                        file=sys.stderr,
                    )
                self.failed += 1
                results = _call_batch(fn, batch, common)
            yield from results

    def close(self) -> None:
        if self._owned and self._ray.is_initialized():
            with _silenced_stderr() if self.quiet else contextlib.nullcontext():
                self._ray.shutdown()
        self._owned = False
        self._ray_log.setLevel(self._ray_log_level)

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _same_file(target: Any, digest: str) -> bool:
    """On a worker: does `target`'s path hold the file the driver read (by its digest)?"""
    import hashlib

    try:
        with open(target.abspath, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest() == digest
    except OSError:
        return False


@contextlib.contextmanager
def _silenced_stderr() -> Iterator[None]:
    """Standard error (the file descriptor: child processes and C code write there too)
    goes to the null device for the duration."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def make_executor(
    kind: str = "local",
    *,
    jobs: int | None = None,
    address: str | None = None,
    quiet: bool = False,
) -> LocalExecutor | RayExecutor:
    """The executor named on the command line (`--executor`, `--ray-address`, `--jobs`);
    `quiet` (`--quiet`) keeps Ray's own output off standard error."""
    if kind == "ray":
        return RayExecutor(address, quiet=quiet)
    if kind == "local":
        return LocalExecutor(jobs)
    raise ExecutorError(f"unknown executor {kind!r} (known: {', '.join(EXECUTORS)})")
