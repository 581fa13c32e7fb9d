"""Annotations type what the engine cannot infer: a parameter `conn: ldap3.Connection` and a
local `directory: ldap3.Connection = current_app.extensions[...]` make `.delete` an LDAP sink."""

import ldap3
from flask import Flask, current_app, jsonify
from ldap3.utils.dn import escape_rdn

app = Flask(__name__)
GROUPS = "ou=groups,dc=example,dc=com"
ARCHIVE = "ou=archive,dc=example,dc=com"


def drop_group(conn: ldap3.Connection, name: str) -> bool:
    return conn.delete(f"cn={name},{GROUPS}")  # expect: ldap-injection


def drop_group_escaped(conn: ldap3.Connection, name: str) -> bool:
    return conn.delete(f"cn={escape_rdn(name)},{GROUPS}")  # ok: ldap-injection


@app.route("/groups/<name>", methods=["DELETE"])
def delete_group(name):
    directory: ldap3.Connection = current_app.extensions["ldap"]
    directory.delete(f"cn={name},{ARCHIVE}")  # expect: ldap-injection
    directory.delete(f"cn={escape_rdn(name)},{ARCHIVE}")  # ok: ldap-injection
    return jsonify(dropped=drop_group(directory, name), escaped=drop_group_escaped(directory, name))
