"""Every route of this blueprint is behind the admin-only hook in hooks.py: its flows drop
one severity step."""

import subprocess

from flask import Blueprint, request

settings_bp = Blueprint("settings", __name__)


@settings_bp.route("/settings/backup", methods=["POST"])
def backup():
    target = request.form["target"]
    subprocess.run(f"tar czf {target} /etc/app", shell=True)  # expect: command-injection  # severity: high
    return "", 202
