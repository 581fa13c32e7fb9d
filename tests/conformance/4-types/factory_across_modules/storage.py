"""Where fetched feeds are cached: on disk in production, in memory for previews."""

import os

CACHE_DIR = "/var/cache/feedreader"


class DiskStore:
    def read(self, key):
        with open(os.path.join(CACHE_DIR, key)) as handle:  # expect: path-traversal
            return handle.read()


class MemoryStore:
    def __init__(self):
        self.entries = {}

    def read(self, key):
        with open(os.path.join(CACHE_DIR, "memory", key)) as handle:  # ok: path-traversal
            return self.entries.setdefault(key, handle.read())


def default_store():
    return DiskStore()


def preview_store():
    return MemoryStore()
