"""A factory returning an instance of a tree class: the method called on its result is that
class's method, not a same-named method of another class of the tree."""

import os

from flask import Flask, request

app = Flask(__name__)
EXPORT_DIR = "/srv/exports"


class CsvExporter:
    def export(self, name, rows):
        with open(os.path.join(EXPORT_DIR, name + ".csv"), "w") as out:  # expect: path-traversal
            out.writelines(",".join(map(str, row)) + "\n" for row in rows)


class PdfExporter:
    def export(self, name, rows):
        with open(os.path.join(EXPORT_DIR, name + ".pdf"), "wb") as out:  # ok: path-traversal
            out.write(b"%PDF-1.7\n" + repr(rows).encode())


def spreadsheet_exporter():
    return CsvExporter()


def print_exporter():
    return PdfExporter()


@app.route("/reports/export", methods=["POST"])
def export_report():
    rows = [(1, "north", 1200), (2, "south", 900)]
    spreadsheet = spreadsheet_exporter()
    spreadsheet.export(request.form["name"], rows)
    printable = print_exporter()
    printable.export("quarterly-summary", rows)
    return "", 204
