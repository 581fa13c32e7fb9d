"""`commands.executed`: which elements of an argument vector another program runs."""

from __future__ import annotations

import ast

import pytest

from secreview.python.commands import executed


def _run(source: str) -> list[str]:
    vector = ast.parse(source, mode="eval").body
    assert isinstance(vector, ast.List)
    return [ast.unparse(e) for e in executed(vector.elts)]


@pytest.mark.parametrize(
    ("vector", "runs"),
    [
        ('["sh", "-c", x]', ["x"]),
        ('["bash", "-ec", x, "sh", y]', ["x"]),
        ('["bash", x, y]', ["x"]),
        ('["bash", "/opt/s.sh", x]', []),
        ('["python3", "-c", x]', ["x"]),
        ('[sys.executable, "-m", x, y]', ["x"]),
        ('["python", "-W", "ignore", "/opt/a.py", x]', []),
        ('["ssh", host, x]', ["x"]),
        ('["ssh", "-p", "22", "-o", "BatchMode=yes", host, "ls", x]', ["x"]),
        ('["ssh", host, "uptime"]', []),
        ('["ssh", "-o", f"ProxyCommand={x}", "h", "true"]', ["f'ProxyCommand={x}'"]),
        ('["ssh", "-o", f"User={x}", "h", "true"]', []),
        ('["sudo", x]', ["x"]),
        ('["sudo", "-u", user, "systemctl", "restart", x]', []),
        ('["sudo", "-n", "sh", "-c", x]', ["x"]),
        ('["env", "A=1", f"B={y}", x]', ["x"]),
        ('["timeout", "30", "nice", "-n", "5", x]', ["x"]),
        ('["ip", "netns", "exec", ns, x, "-a"]', ["x"]),
        ('["ip", "netns", "exec", ns, "ip", "link", x]', []),
        ('["rsync", "-a", "-e", x, src, dst]', ["x"]),
        ('["rsync", "-a", f"--rsh={x}", src, dst]', ["f'--rsh={x}'"]),
        ('["tar", "-xf", archive, "-C", path]', []),
        (
            '["tar", "-xf", archive, f"--checkpoint-action=exec={x}"]',
            ["f'--checkpoint-action=exec={x}'"],
        ),
        ('["find", path, "-exec", x, "{}", ";"]', ["x"]),
        ('["find", path, "-exec", "rm", "{}", "+", "-print"]', []),
        ('["git", "-C", path, "log"]', []),
        ('["git", "-c", f"core.sshCommand={x}", "fetch"]', ["f'core.sshCommand={x}'"]),
        ('["git", "-c", f"user.email={x}", "commit"]', []),
        ('["git", "clone", f"--upload-pack={x}", url]', ["f'--upload-pack={x}'"]),
        ('["docker", "exec", "-u", "app", container, x, "--help"]', ["x"]),
        ('["docker", "exec", container, "ls", path]', []),
        ('["kubectl", "exec", "-n", ns, pod, "--", "sh", "-c", x]', ["x"]),
        ('["kubectl", "exec", pod, "--", "cat", path]', []),
        ('["nsenter", "-t", pid, "-n", x]', ["x"]),
        ('["ls", "-c", x]', []),
        ('["sudo", *cmd]', ["cmd[0]"]),
        ('[x, "-c", y]', []),
    ],
)
def test_executed(vector: str, runs: list[str]) -> None:
    assert _run(vector) == runs


@pytest.mark.parametrize(
    ("vector", "runs"),
    [
        ('["sudo", "-n", *cmd]', ["cmd[0]"]),
        ('["ip", "netns", "exec", ns, *cmd]', ["cmd[0]"]),
        ('["ip", "netns", "exec", *cmd]', []),
        ('["ssh", host, *cmd]', ["cmd"]),
        ('["sudo", *["sh", "-c", x]]', ["x"]),
        ('["git", *args]', []),
    ],
)
def test_executed_through_a_spliced_list(vector: str, runs: list[str]) -> None:
    assert _run(vector) == runs
