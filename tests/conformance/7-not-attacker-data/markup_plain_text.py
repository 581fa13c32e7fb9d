"""`Markup(x).striptags()` and `Markup(x).unescape()` give plain text, not markup: the
`Markup` call marks nothing safe and an autoescaping template escapes the result; plain
text wrapped in `Markup` again is marked safe."""

from flask import Flask, jsonify, render_template, request
from markupsafe import Markup

app = Flask(__name__)


@app.route("/posts/preview", methods=["POST"])
def preview():
    body = request.form["body"]
    summary = Markup(body).striptags()[:200]  # ok: xss
    return render_template("preview.html", summary=summary)


@app.route("/posts/excerpt", methods=["POST"])
def excerpt():
    text = Markup(request.form["body"]).unescape()  # ok: xss
    return jsonify(excerpt=text[:280])


@app.route("/posts/teaser", methods=["POST"])
def teaser():
    text = Markup(request.form["body"]).striptags()  # ok: xss
    return render_template("teaser.html", teaser=Markup(f"<em>{text}</em>"))  # expect: xss


@app.route("/posts/raw", methods=["POST"])
def raw_preview():
    return render_template("preview.html", summary=Markup(request.form["body"]))  # expect: xss
