"""Two endpoints each build their own `ExportJob`: one from request data (it only logs the
job), one from constants (it runs the job's command in a shell). The request data in the
first object does not reach the second object's command."""

import logging
import subprocess

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger("exports")


class ExportJob:
    def __init__(self, fmt, dest):
        self.fmt = fmt
        self.dest = dest

    def command(self):
        return f"pandoc --to {self.fmt} --output {self.dest} /srv/docs/handbook.md"

    def label(self):
        return f"{self.fmt} export to {self.dest}"


@app.route("/exports/plan", methods=["POST"])
def plan_export():
    job = ExportJob(request.form["format"], "/srv/exports/next")  # step: log-injection
    log.info("planned " + job.label())  # expect: log-injection
    return "", 202


@app.route("/exports/weekly", methods=["POST"])
def weekly_export():
    job = ExportJob("pdf", "/srv/exports/weekly.pdf")  # not-step: log-injection
    subprocess.run(job.command(), shell=True)  # ok: command-injection
    return "", 202
