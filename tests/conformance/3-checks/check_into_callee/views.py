"""The protection follows the checked value into a callee of another module: `restart` only
ever receives checked units; `journal` gets one whose check failed."""

from flask import Flask, abort, jsonify, request

import services

app = Flask(__name__)
UNITS = {"web", "worker", "beat"}


@app.post("/units/restart")
def restart_unit():
    unit = request.form.get("unit", "")
    if unit not in UNITS:
        abort(400)
    return jsonify(code=services.restart(unit))


@app.get("/units/journal")
def unit_journal():
    unit = request.args.get("unit", "")
    lines = int(request.args.get("lines", "50"))
    if unit in UNITS:
        return services.journal(unit, lines)
    return services.journal(f"app-{unit}", lines)
