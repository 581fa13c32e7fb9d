"""A thin request wrapper over the WSGI environ."""

import json


class Request:
    def __init__(self, environ):
        self.environ = environ

    def json(self):
        size = int(self.environ.get("CONTENT_LENGTH") or 0)
        return json.loads(self.environ["wsgi.input"].read(size))

    @property
    def server(self):
        return self.environ["SERVER_NAME"]
