"""A validator raises with its argument in the message; one view validates request data
and writes the message into its HTML, another validates a constant and does the same. Only
the first is reported, with a trace through its own call."""

from flask import Flask, make_response, request

app = Flask(__name__)
MAX_HANDLE = 30


class InvalidHandle(ValueError):
    pass


def check_handle(handle):
    if len(handle) > MAX_HANDLE:
        raise InvalidHandle(f"{handle} is longer than {MAX_HANDLE} characters")
    return handle


@app.route("/signup/check", methods=["POST"])
def check():
    try:
        check_handle(request.form["handle"])  # step: xss
    except InvalidHandle as exc:
        return make_response(f"<p class='error'>{exc}</p>", 400)  # expect: xss
    return "<p>Available</p>"


@app.route("/signup/example")
def example():
    try:
        check_handle("a-very-long-handle-that-nobody-should-pick")  # not-step: xss
    except InvalidHandle as exc:
        return f"<p class='hint'>For example: {exc}</p>"  # ok: xss
    return "<p>No example</p>"
