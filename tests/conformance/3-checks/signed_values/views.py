"""A value whose keyed MAC equals the one the client sent was signed by the server: the
client could not have chosen it. An unkeyed hash, or a MAC compared with nothing the
client sent, proves nothing."""

import hashlib
import hmac

import requests
from flask import Flask, abort, redirect, request
from signing import SECRET_KEY, checksum, sign

app = Flask(__name__)


@app.route("/thumbnail")
def thumbnail():
    url = request.args.get("url", "")
    signature = sign(url)
    if signature != request.args.get("sig"):
        return "", 403
    return requests.get(url, timeout=5).content  # ok: ssrf


@app.route("/thumbnail/v2")
def thumbnail_v2():
    url = request.args.get("url", "")
    if not hmac.compare_digest(sign(url), request.args.get("sig", "")):
        abort(403)
    return requests.get(url, timeout=5).content  # ok: ssrf


@app.route("/continue")
def continue_to():
    target = request.args.get("next", "/")
    mac = hmac.new(SECRET_KEY, target.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, request.args.get("mac", "")):
        abort(400)
    return redirect(target)  # ok: open-redirect


@app.route("/continue/unchecked")
def continue_unchecked():
    target = request.args.get("next", "/")
    mac = hmac.new(SECRET_KEY, target.encode(), hashlib.sha256).hexdigest()
    if hmac.compare_digest(mac, request.args.get("mac", "")):
        app.logger.info("signed redirect")
    return redirect(target)  # expect: open-redirect


@app.route("/thumbnail/checksum")
def thumbnail_checksum():
    url = request.args.get("url", "")
    if checksum(url) != request.args.get("sum"):
        return "", 403
    return requests.get(url, timeout=5).content  # expect: ssrf


@app.route("/thumbnail/signed-other")
def thumbnail_signed_other():
    url = request.args.get("url", "")
    name = request.args.get("name", "")
    if sign(name) != request.args.get("sig"):
        return "", 403
    return requests.get(url, timeout=5).content  # expect: ssrf
