"""An http.server forwarder sends the client's body upstream with http.client and relays the
upstream's status and headers: the response is not the data sent, so relaying it is not
header-injection; a name taken from the client's JSON body is."""

import http.client
import json
from http.server import BaseHTTPRequestHandler

UPSTREAM_HOST = "ingest.internal"


class ForwardingHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        conn = http.client.HTTPConnection(UPSTREAM_HOST, 8080, timeout=10)
        conn.request("POST", "/ingest", body=body, headers={"Content-Type": "application/json"})
        upstream = conn.getresponse()
        payload = upstream.read()
        self.send_response(upstream.status)
        for name, value in upstream.getheaders():
            if name.lower() not in ("transfer-encoding", "connection"):
                self.send_header(name, value)  # ok: header-injection
        self.send_header("X-Ingest-Id", upstream.getheader("X-Ingest-Id", ""))  # ok: header-injection
        self.send_header("X-Batch", json.loads(body)["batch"])  # expect: header-injection
        self.end_headers()
        self.wfile.write(payload)
