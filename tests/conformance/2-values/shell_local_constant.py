"""`shell-true-non-constant` uses the shared constant values: a command held in a local
variable, built from literals and module constants, is constant; one with a parameter is not."""

import os
import subprocess

DATA_DIR = "/var/lib/app"
DU = "du -sh"


def disk_usage():
    cmd = "ls -l"
    subprocess.run(cmd, shell=True)  # ok: shell-true-non-constant
    cmd = DU + " " + DATA_DIR
    out = subprocess.check_output(cmd, shell=True)  # ok: shell-true-non-constant
    report = f"{DU} {DATA_DIR}/uploads | sort -h"
    os.system(report)  # ok: shell-true-non-constant
    return out


def archive(folder):
    cmd = f"tar czf /backups/uploads.tgz {folder}"
    subprocess.run(cmd, shell=True)  # expect: shell-true-non-constant
    cmd = "sync"
    subprocess.run(cmd, shell=True)  # ok: shell-true-non-constant
