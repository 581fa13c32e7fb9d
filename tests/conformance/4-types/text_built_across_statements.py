"""A variable holds text when it is built from text over several statements (`+=` onto a
str, a str's `format`/`replace`/`join`, `string.Template`), and keeps that type until it is
assigned something else: a response taking it is an HTML body, a returned one is a view's."""

import string

from django.http import HttpResponse
from flask import Flask, jsonify, request

app = Flask(__name__)
ROW = "<tr><td>{}</td></tr>"
CARD = string.Template("<div class='card'>$body</div>")


@app.route("/grown")
def grown():
    page = "<table>"
    page += ROW.format(request.args["name"])  # step: xss
    page += "</table>"
    return page  # expect: xss


@app.route("/templated")
def templated():
    card = CARD.safe_substitute(body=request.args["body"])
    return card  # expect: xss


@app.route("/reassigned")
def reassigned():
    page = "<p>" + request.args["name"] + "</p>"
    page = {"name": request.args["name"]}
    return page  # ok: xss


@app.route("/counted")
def counted():
    total = 0
    total += len(request.args["name"])
    return jsonify(total=total)  # ok: xss


def listing(request):
    body = "<ul>"
    for name in request.GET.getlist("name"):
        body += "<li>" + name + "</li>"
    return HttpResponse(body)  # expect: xss


def listing_typed(request):
    body = "<ul>"
    for name in request.GET.getlist("name"):
        body += "<li>" + name + "</li>"
    return HttpResponse(body, content_type="text/plain")  # ok: xss
