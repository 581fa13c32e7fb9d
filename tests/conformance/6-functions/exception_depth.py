"""An exception raised with request data three calls below the handler reaches the handler's
`except ValidationError as exc`; a `NotFound` raised as deep with a constant message is clean."""

import re

from flask import Flask, jsonify, make_response, request

app = Flask(__name__)
SLUG = re.compile(r"[a-z0-9-]{1,64}")
PAGES = {"about": {"title": "About us"}, "jobs": {"title": "Careers"}}


class ValidationError(Exception):
    pass


class NotFound(Exception):
    pass


def check_slug(slug):
    if not SLUG.fullmatch(slug):
        raise ValidationError(f"invalid slug: {slug}")  # step: xss
    return slug


def find_page(slug):
    if slug not in PAGES:
        raise NotFound("no page with that slug")
    return PAGES[slug]


def validate(payload):
    return {"slug": check_slug(payload["slug"]), "title": str(payload.get("title", ""))[:120]}


def publish_page(payload):
    page = validate(payload)
    current = find_page(page["slug"])
    return {**current, **page}


@app.route("/pages/publish", methods=["POST"])
def publish():
    try:
        page = publish_page(request.get_json())
    except ValidationError as exc:
        return make_response(f"<p class='error'>{exc}</p>", 400)  # expect: xss
    except NotFound as exc:
        return make_response(f"<p class='error'>{exc}</p>", 404)  # ok: xss
    return jsonify(page)
