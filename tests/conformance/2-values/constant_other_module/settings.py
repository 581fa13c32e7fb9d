"""Deployment settings."""

PG_DUMP = "/usr/bin/pg_dump --format=custom"
DATABASE = "shop"
BACKUP_DIR = "/srv/backups"
BACKUP_COMMAND = f"{PG_DUMP} {DATABASE} > {BACKUP_DIR}/latest.dump"
CONVERT = "/usr/bin/convert"


def use_convert(path):
    global CONVERT
    CONVERT = path
