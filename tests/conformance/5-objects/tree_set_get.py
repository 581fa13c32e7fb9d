"""`obj.set(k, v)` on a tree class stores the value, `obj.get(k)` reads it back: the read is
attacker data when the request filled that object, and not when constants filled another."""

import os

from flask import Flask, request

app = Flask(__name__)
THEMES = "/srv/app/themes"


class RenderContext:
    def __init__(self):
        self._values = {}

    def set(self, key, value):
        self._values[key] = value

    def get(self, key, default=None):
        return self._values.get(key, default)


@app.route("/preview")
def preview():
    ctx = RenderContext()
    ctx.set("theme", request.args.get("theme", "light"))  # step: path-traversal
    defaults = RenderContext()
    defaults.set("theme", "light")  # not-step: path-traversal
    with open(os.path.join(THEMES, defaults.get("theme"), "base.css")) as fallback:  # ok: path-traversal
        base = fallback.read()
    with open(os.path.join(THEMES, ctx.get("theme"), "site.css")) as chosen:  # expect: path-traversal
        return base + chosen.read()
