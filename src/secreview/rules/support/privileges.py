"""Calls that change a process's user or groups, shared by the privilege-dropping rules."""

from __future__ import annotations

USER_SETTERS = frozenset({"os.setuid", "os.seteuid", "os.setreuid", "os.setresuid"})
GROUP_SETTERS = frozenset(
    {"os.setgid", "os.setegid", "os.setregid", "os.setresgid", "os.setgroups", "os.initgroups"}
)
DROPS = USER_SETTERS | GROUP_SETTERS
