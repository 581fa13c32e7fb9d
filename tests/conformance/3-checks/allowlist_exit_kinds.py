"""`if x not in ALLOWED:` followed by `return`, `raise` or `abort()` protects what follows it;
a sink inside that branch, before it leaves, still sees the unchecked value."""

import os

from flask import Flask, abort, request, send_file
from werkzeug.exceptions import NotFound

app = Flask(__name__)
THEMES = frozenset({"light", "dark", "solarized"})
TEMPLATE_DIR = "/srv/app/themes"
CUSTOM_DIR = "/srv/app/custom-themes"


@app.get("/themes/css")
def theme_css():
    theme = request.args.get("theme", "light")
    if theme not in THEMES:
        return "unknown theme", 404
    with open(os.path.join(TEMPLATE_DIR, theme, "main.css")) as css:  # ok: path-traversal
        return css.read()


@app.get("/themes/preview")
def theme_preview():
    theme = request.args.get("theme", "light")
    if theme not in THEMES:
        raise NotFound()
    with open(os.path.join(TEMPLATE_DIR, theme, "preview.png"), "rb") as image:  # ok: path-traversal
        return image.read()


@app.get("/themes/fonts")
def theme_fonts():
    theme = request.args.get("theme", "light")
    if theme not in THEMES:
        abort(404)
    with open(os.path.join(TEMPLATE_DIR, theme, "fonts.css")) as css:  # ok: path-traversal
        return css.read()


@app.get("/themes/icons")
def theme_icons():
    theme = request.args.get("theme", "light")
    if theme not in THEMES:
        return send_file(os.path.join(CUSTOM_DIR, theme, "icons.svg"))  # expect: path-traversal
    return send_file(os.path.join(TEMPLATE_DIR, theme, "icons.svg"))  # ok: path-traversal
