"""A helper with a shell sink inside has two callers, only one passing request data: the
finding's trace goes through that caller's call line, not the other's."""

import subprocess

from flask import Flask, request

app = Flask(__name__)


def render_pdf(source_name):
    cmd = f"wkhtmltopdf /srv/pages/{source_name}.html /srv/out/{source_name}.pdf"
    subprocess.run(cmd, shell=True)  # expect: command-injection


@app.route("/export", methods=["POST"])
def export():
    render_pdf(request.form["page"])  # step: command-injection
    return "", 202


@app.route("/export/handbook", methods=["POST"])
def export_handbook():
    render_pdf("handbook")  # not-step: command-injection
    subprocess.run("wkhtmltopdf /srv/pages/index.html /srv/out/index.pdf", shell=True)  # ok: command-injection
    return "", 202
