"""A field's class-level annotation types it: `ctx.directory` declared `ldap3.Connection` in a
dataclass makes `ctx.directory.delete(dn)` an LDAP sink, and `ctx.outbox.delete` a tree method."""

from dataclasses import dataclass, field

import ldap3
from flask import Flask, current_app, jsonify

app = Flask(__name__)
PEOPLE = "ou=people,dc=example,dc=com"


class Outbox:
    def __init__(self):
        self.pending = {}

    def delete(self, recipient):
        self.pending.pop(recipient, None)


@dataclass
class RequestContext:
    directory: ldap3.Connection
    outbox: Outbox = field(default_factory=Outbox)


def offboard(ctx: RequestContext, uid: str) -> None:
    ctx.directory.delete(f"uid={uid},{PEOPLE}")  # expect: ldap-injection
    ctx.outbox.delete(f"uid={uid},{PEOPLE}")  # ok: ldap-injection


@app.route("/staff/<uid>", methods=["DELETE"])
def remove_staff(uid):
    offboard(RequestContext(current_app.extensions["ldap"]), uid)
    return jsonify(removed=uid)
