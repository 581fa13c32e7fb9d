"""Reads a form from the handler it is given."""

from urllib.parse import parse_qs


def form_of(handler):
    length = int(handler.headers.get("Content-Length", 0))
    fields = parse_qs(handler.rfile.read(length).decode())
    return {name: values[0] for name, values in fields.items()}
