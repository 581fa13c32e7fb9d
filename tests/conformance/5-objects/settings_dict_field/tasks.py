"""Background jobs: each keeps the settings dict its creator filled, and runs later on a
worker thread (no caller of the tree runs it: the queue does)."""

import os
import queue
import subprocess
import threading

JOBS: queue.Queue = queue.Queue()
LIBRARY = "/srv/library"


class ConvertJob:
    def __init__(self, book_path, settings):
        self.book_path = book_path
        self.settings = settings

    def run(self):
        source = f"{self.book_path}.{self.settings['source_format']}"
        target = f"{self.book_path}.{self.settings['target_format']}"
        subprocess.run(["ebook-convert", source, target], check=True)
        os.remove(os.path.join(LIBRARY, source))  # ok: path-traversal
        os.remove(os.path.join(LIBRARY, target + ".tmp"))  # expect: path-traversal


class MailJob:
    def __init__(self, settings):
        self.settings = settings

    def run(self):
        attachment = os.path.join(LIBRARY, self.settings["attachment"])
        with open(attachment, "rb") as fh:  # expect: path-traversal
            payload = fh.read()
        with open(os.path.join(LIBRARY, self.settings["signature"]), "rb") as fh:  # ok: path-traversal
            payload += fh.read()
        return payload


class ThumbnailJob:
    def __init__(self, options):
        self.options = options

    def run(self):
        folder = os.path.join(LIBRARY, "thumbs", self.options["size"])
        os.makedirs(folder, exist_ok=True)  # ok: path-traversal
        os.remove(os.path.join(folder, self.options["name"]))  # expect: path-traversal


def worker():
    while True:
        job = JOBS.get()
        job.run()


threading.Thread(target=worker, daemon=True).start()
