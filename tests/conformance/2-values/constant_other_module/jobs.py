"""Constants of another module of the tree are constants at the sink (`settings.X`, and
`from settings import X`); a module variable that a function reassigns is not."""

import subprocess

import settings
from settings import BACKUP_DIR, DATABASE, PG_DUMP


def nightly_backup():
    subprocess.run(settings.BACKUP_COMMAND, shell=True)  # ok: shell-true-non-constant


def schema_backup():
    cmd = f"{PG_DUMP} --schema-only {DATABASE} > {BACKUP_DIR}/schema.dump"
    subprocess.run(cmd, shell=True)  # ok: shell-true-non-constant


def prune_backups():
    subprocess.run("find " + settings.BACKUP_DIR + " -mtime +30 -delete", shell=True)  # ok: shell-true-non-constant


def make_thumbnails():
    subprocess.run(f"{settings.CONVERT} /srv/media/*.jpg -resize 200x200 /srv/thumbs/", shell=True)  # expect: shell-true-non-constant
