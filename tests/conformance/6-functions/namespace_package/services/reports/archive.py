"""Report files kept on disk."""

import os

REPORTS = "/srv/reports"


def read_report(name):
    with open(os.path.join(REPORTS, name + ".pdf"), "rb") as handle:  # expect: path-traversal
        return handle.read()


def read_legend(style):
    with open(os.path.join(REPORTS, "legends", style + ".json")) as handle:  # ok: path-traversal
        return handle.read()
