"""`ContextVar.set(v)` stores, `.get()` reads back: a tenant bound from a request header in
middleware reaches the path a view opens; a context variable set from constants does not."""

import os
from contextvars import ContextVar

from flask import Flask, jsonify, request

app = Flask(__name__)
DATA_ROOT = "/srv/tenants"
current_tenant: ContextVar[str] = ContextVar("current_tenant", default="public")
current_region: ContextVar[str] = ContextVar("current_region", default="eu-west-1")


@app.before_request
def bind_context():
    current_tenant.set(request.headers.get("X-Tenant", "public"))
    current_region.set("eu-west-1" if request.host.endswith(".eu") else "us-east-1")


@app.route("/settings")
def settings():
    with open(os.path.join(DATA_ROOT, current_tenant.get(), "settings.json")) as handle:  # expect: path-traversal
        tenant_settings = handle.read()
    with open(os.path.join(DATA_ROOT, "regions", current_region.get() + ".json")) as handle:  # ok: path-traversal
        region_settings = handle.read()
    return jsonify(tenant=tenant_settings, region=region_settings)
