"""Worker processes end when the review that started them dies, however it dies: `kill -9`
or SIGTERM of the main process must not leave them running, orphaned (issue 19, point 19).

A real review runs as a program, with two workers busy on a few hundred files; it is killed
once its workers exist, and they must be gone within seconds."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MODULE = """\
import os
import subprocess


def handler_{n}(request):
    value = request.GET.get("q", "")
    parts = [value.strip() for _ in range(3)]
    command = "echo " + " ".join(parts)
    if len(command) > {n}:
        return subprocess.run(command, shell=True)
    return os.path.join("/tmp", value)
"""


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_exit_when_the_main_process_dies(tmp_path: Path, sig: signal.Signals) -> None:
    for n in range(600):
        (tmp_path / f"m{n:03}.py").write_text(MODULE.format(n=n) * 20)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("CI", None)
    main = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "secreview",
            "review",
            str(tmp_path),
            "--jobs",
            "2",
            "--no-cache",
            "-q",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,  # its own group: the signal goes to the main process only
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(workers) < 2 and main.poll() is None:
            workers = children(main.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the review ended before its workers could be seen"
        os.kill(main.pid, sig)
        main.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(w) for w in workers):
            time.sleep(0.1)
        left = [w for w in workers if alive(w)]
        assert not left, f"workers {left} outlived the review killed by {sig.name}"
    finally:  # whatever happened, nothing of this test stays running
        for pid in {main.pid, *workers, *children(main.pid)}:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        main.wait(timeout=30)


FORKSERVER_REVIEW = """
import sys, threading, time
from secreview import executors

if __name__ == "__main__":
    threading.Thread(target=time.sleep, args=(600,), daemon=True).start()  # not fork-safe
    executor = executors.LocalExecutor(2)
    pool = executor._get_pool(2)
    assert pool._mp_context.get_start_method() != "fork"
    futures = [pool.submit(time.sleep, 600) for _ in range(2)]
    print("started", flush=True)
    time.sleep(600)
"""


def descendants(pid: int) -> set[int]:
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children(todo.pop()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_workers_of_a_fork_server_exit_too(tmp_path: Path) -> None:
    """With threads running, workers start from a fork server: their parent is the server,
    which they keep alive; they must still see the review's end."""
    script = tmp_path / "review.py"
    script.write_text(FORKSERVER_REVIEW)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    main = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env
    )
    spawned: set[int] = set()
    try:
        assert main.stdout is not None and main.stdout.readline() == "started\n"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(spawned) < 3:  # server and two workers
            spawned = descendants(main.pid)
            time.sleep(0.05)
        os.kill(main.pid, signal.SIGKILL)
        main.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(p) for p in spawned):
            time.sleep(0.1)
        assert not [p for p in spawned if alive(p)]
    finally:
        for pid in {main.pid, *spawned}:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        main.wait(timeout=30)
