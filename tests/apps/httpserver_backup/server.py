"""A small backup console served with http.server."""

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import catalog
import jobs
import report
import requests_util

JOB_KINDS = {"nightly": "/etc/backup/nightly.conf", "weekly": "/etc/backup/weekly.conf"}


class ConsoleHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if url.path == "/snapshots":
            host = query.get("host", [""])[0]
            self._json(catalog.snapshots_for(host))
        elif url.path == "/snapshot":
            self._json(catalog.snapshot(int(query.get("id", ["0"])[0])))
        elif url.path == "/status":
            host = query.get("host", [""])[0]
            self._html(report.status_page(host, catalog.listing(host)))
        elif url.path == "/snapshot.html":
            snapshot_id = int(query.get("id", ["0"])[0])
            self._html(report.snapshot_page(snapshot_id, query.get("host", [""])[0]))
        elif url.path == "/log":
            self._send(jobs.read_log(query.get("name", [""])[0]))
        else:
            self._send(jobs.read_report(url.path.rsplit("/", 1)[-1]))

    def do_POST(self):
        form = requests_util.form_of(self)
        if self.path == "/run":
            kind = form.get("kind", "nightly")
            if kind not in JOB_KINDS:
                self.send_error(400)
                return
            jobs.run_job(JOB_KINDS[kind])
        elif self.path == "/verify":
            jobs.verify(form.get("target", ""))
        elif self.path == "/restore":
            jobs.restore(self._body())
        self._send(b"ok")

    def _body(self):
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def _json(self, value):
        self._send(json.dumps(value).encode())

    def _html(self, page):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(page.encode())

    def _send(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)


def main():
    ThreadingHTTPServer(("127.0.0.1", 8080), ConsoleHandler).serve_forever()
