"""A field assigned from a factory in the constructor has the type the factory returns:
`self.directory.modify(dn, …)` is an ldap3 operation, `self.audit.modify(dn, …)` a tree method."""

import ldap3
from flask import Flask, jsonify, request

app = Flask(__name__)
PEOPLE = "ou=people,dc=example,dc=com"
SERVER = ldap3.Server("ldaps://ldap.example.com", use_ssl=True)


def connect():
    return ldap3.Connection(SERVER, authentication=ldap3.SASL, sasl_mechanism=ldap3.EXTERNAL, auto_bind=True)


class AuditTrail:
    def __init__(self):
        self.events = []

    def modify(self, dn, detail):
        self.events.append(("modify", dn, detail))


class ProfileService:
    def __init__(self):
        self.directory = connect()
        self.audit = AuditTrail()

    def rename(self, uid, display_name):
        change = {"displayName": [(ldap3.MODIFY_REPLACE, [display_name])]}
        self.directory.modify(f"uid={uid},{PEOPLE}", change)  # expect: ldap-injection
        self.audit.modify(f"uid={uid},{PEOPLE}", display_name)  # ok: ldap-injection


profiles = ProfileService()


@app.route("/profiles/<uid>/name", methods=["PUT"])
def rename(uid):
    profiles.rename(uid, request.get_json()["display_name"])
    return jsonify(ok=True)
