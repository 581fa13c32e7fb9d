"""Builds the records: positionally, with keywords, and through a helper that returns one."""

import hashlib
import os

from records import Attachment, Export

SPOOL = "/var/spool/helpdesk"


def thumbnail_for(stored_path):
    return stored_path + ".thumb.png"


def describe(stored_path, original_name):
    return Attachment(stored_path, original_name, thumbnail_for(stored_path))


def receive(upload):
    digest = hashlib.sha256(upload.filename.encode()).hexdigest()
    stored_path = os.path.join(SPOOL, digest)
    record = describe(stored_path, upload.filename)
    if not record.original_name.strip():
        record = record._replace(original_name="unnamed")
    return record


def receive_checked(upload):
    if not upload.filename:
        return None, "no file"
    return receive(upload), None


def export_for(name):
    return Export(label=name, target=os.path.join(SPOOL, "exports", "latest.csv"))
