"""The project's own HTML escaper, recognised from its body, clears xss (and only xss: the
escaped text still breaks log lines); a tag stripper that removes only `<script>` does not."""

import logging
import re

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger("guestbook")


def escape_html(text):
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def remove_scripts(text):
    return re.sub(r"<script.*?>.*?</script>", "", text, flags=re.I | re.S)


@app.route("/guestbook/preview", methods=["POST"])
def preview():
    entry = escape_html(request.form["entry"])
    log.info("preview of " + entry)  # expect: log-injection
    return f"<blockquote>{entry}</blockquote>"  # ok: xss


@app.route("/guestbook/sign", methods=["POST"])
def sign():
    name = escape_html(request.form.get("name", "anonymous"))
    return f"<p>Thanks, {name}!</p>"  # ok: xss


@app.route("/guestbook/legacy", methods=["POST"])
def legacy_preview():
    entry = remove_scripts(request.form["entry"])
    return f"<blockquote>{entry}</blockquote>"  # expect: xss
