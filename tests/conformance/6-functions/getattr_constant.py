"""`getattr(obj, "constant")(...)` resolves to that method: the export picked by a literal
name receives the request's file name; the sibling method picked the same way gets a constant."""

import os

from flask import Flask, request

app = Flask(__name__)
EXPORTS = "/srv/exports"


class Exporter:
    def __init__(self, rows):
        self.rows = rows

    def to_csv(self, name):
        with open(os.path.join(EXPORTS, name + ".csv"), "w") as out:  # expect: path-traversal
            out.writelines(f"{a},{b}\n" for a, b in self.rows)

    def to_tsv(self, name):
        with open(os.path.join(EXPORTS, name + ".tsv"), "w") as out:  # ok: path-traversal
            out.writelines(f"{a}\t{b}\n" for a, b in self.rows)


@app.route("/export", methods=["POST"])
def export():
    exporter = Exporter([("north", 12), ("south", 9)])
    getattr(exporter, "to_csv")(request.form["name"])  # noqa: B009
    getattr(exporter, "to_tsv")("latest")  # noqa: B009
    return "", 204
