"""systemd helpers."""

import subprocess


def restart(unit):
    return subprocess.run(f"systemctl restart {unit}.service", shell=True).returncode  # ok: command-injection


def journal(unit, lines):
    return subprocess.check_output(f"journalctl -u {unit}.service -n {lines}", shell=True)  # expect: command-injection
