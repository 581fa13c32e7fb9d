"""Network diagnostics run through the system's tools."""

from __future__ import annotations

import shlex
import subprocess


def ping(host: str, count: int = 3) -> str:
    command = f"ping -c {count} {host}"
    completed = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=30)
    return completed.stdout


def traceroute(host: str) -> str:
    # the shell merges stderr into stdout; shlex.quote keeps the host a single word
    completed = subprocess.run(
        f"traceroute -m 15 {shlex.quote(host)} 2>&1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return completed.stdout


def disk_usage(path: str) -> str:
    completed = subprocess.run(["du", "-sh", "--", path], capture_output=True, text=True)
    return completed.stdout
