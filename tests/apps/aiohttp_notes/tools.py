"""Files and archives of the notes service."""

import io
import os
import subprocess
import zipfile

ATTACHMENTS = "/srv/notes/attachments"
EXPORTS = "/srv/notes/exports"
INBOX = "/srv/notes/inbox"


def read_attachment(name):
    with open(os.path.join(ATTACHMENTS, name), "rb") as handle:
        return handle.read()


def read_export(name):
    path = os.path.realpath(os.path.join(EXPORTS, os.path.basename(name)))
    if not path.startswith(EXPORTS + os.sep):
        raise ValueError("not an export")
    with open(path, "rb") as handle:
        return handle.read()


def unpack_notes(data):
    count = 0
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        for name in bundle.namelist():
            with open(os.path.join(INBOX, name), "wb") as out:
                out.write(bundle.read(name))
                count += 1
    return count


def convert_export(fmt):
    subprocess.run(["pandoc", "--to", fmt, "/srv/notes/all.md"], check=True)
