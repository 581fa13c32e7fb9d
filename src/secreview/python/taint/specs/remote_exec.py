"""Remote command execution over SSH (paramiko, fabric)."""

from secreview.python.taint.spec import Sink

SINKS = (
    Sink(".exec_command", "command-injection", (0, "command"), receiver="any"),
    Sink("fabric.Connection.run", "command-injection", (0, "command")),
    Sink("fabric.Connection.sudo", "command-injection", (0, "command")),
    Sink("pexpect.spawn", "command-injection", (0, "command")),
    Sink("pexpect.run", "command-injection", (0, "command")),
    Sink("pexpect.popen_spawn.PopenSpawn", "command-injection", (0, "cmd")),
)
