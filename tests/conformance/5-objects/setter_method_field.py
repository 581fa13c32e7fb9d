"""A tree method that assigns its parameter to a field (`set_recipient`) taints that field of
the object it is called on, and only that field: the template field stays constant."""

import subprocess

from flask import Flask, request

app = Flask(__name__)
TEMPLATES = "/srv/mail/templates"


class Notification:
    def __init__(self, template):
        self.template = template
        self.recipient = None

    def set_recipient(self, address):
        self.recipient = address


@app.route("/invite", methods=["POST"])
def invite():
    note = Notification("welcome")
    note.set_recipient(request.form["email"])
    subprocess.run(f"mail -s Welcome {note.recipient} < {TEMPLATES}/{note.template}.txt", shell=True)  # expect: command-injection
    subprocess.run(f"cp {TEMPLATES}/{note.template}.txt /var/spool/sent/", shell=True)  # ok: command-injection
    return "", 204
