"""Backup jobs, their logs and reports."""

import io
import os
import subprocess
import tarfile

LOGS = "/var/log/backup"
REPORTS = "/var/lib/backup/reports"
RESTORE_ROOT = "/srv/restore"


def read_log(name):
    with open(LOGS + "/" + name, "rb") as handle:
        return handle.read()


def read_report(name):
    path = os.path.realpath(os.path.join(REPORTS, name))
    if os.path.commonpath([path, REPORTS]) != REPORTS:
        return b""
    with open(path, "rb") as handle:
        return handle.read()


def run_job(config):
    subprocess.run(["restic", "backup", "--files-from", config], check=True)


def verify(target):
    subprocess.run("restic check --repo " + target, shell=True, check=True)


def restore(archive_bytes):
    with tarfile.open(fileobj=io.BytesIO(archive_bytes)) as archive:
        for member in archive.getmembers():
            if member.isfile():
                data = archive.extractfile(member).read()
                with open(os.path.join(RESTORE_ROOT, member.name), "wb") as out:
                    out.write(data)
