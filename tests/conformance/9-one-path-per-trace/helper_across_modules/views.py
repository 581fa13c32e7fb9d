"""`shorten` (text.py) is called by a view with request data and by a task with a constant:
the view's HTML sink is reported through the view's own call, the task's shell sink is not
reported."""

from flask import Flask, request
from text import shorten

app = Flask(__name__)


@app.route("/notes/preview", methods=["POST"])
def preview():
    title = shorten(request.form["title"])  # step: xss
    return f"<h3>{title}</h3>"  # expect: xss
