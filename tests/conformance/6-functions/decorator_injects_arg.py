"""A decorator whose wrapper passes its own value into the wrapped function: the locale the
wrapper reads from the request cookie is `load_strings`'s first parameter, the page name a constant."""

import functools
import json
import os

from flask import Flask, jsonify, request

app = Flask(__name__)
LOCALES = "/srv/app/locales"
TEMPLATES = "/srv/app/templates"


def with_locale(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        locale = request.cookies.get("locale", "en")
        return fn(locale, *args, **kwargs)

    return wrapper


@with_locale
def load_strings(locale, page):
    with open(os.path.join(LOCALES, locale, page + ".json")) as handle:  # expect: path-traversal
        return json.load(handle)


@with_locale
def load_layout(locale, page):
    with open(os.path.join(TEMPLATES, page + ".html")) as handle:  # ok: path-traversal
        return {"locale_hint": len(locale), "html": handle.read()}


@app.route("/help")
def help_page():
    return jsonify(strings=load_strings("help"), layout=load_layout("help"))
