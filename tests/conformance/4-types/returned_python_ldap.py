"""The issue's own example: `conn = get_conn(); conn.search_s(base, scope, f)` with python-ldap,
the connection returned by a helper; an escaped filter through it is not reported."""

import ldap
from flask import Flask, jsonify, request
from ldap.filter import escape_filter_chars

app = Flask(__name__)
BASE = "ou=people,dc=example,dc=com"


def get_conn():
    conn = ldap.initialize("ldaps://ldap.example.com")
    conn.set_option(ldap.OPT_REFERRALS, 0)
    conn.sasl_non_interactive_bind_s("EXTERNAL")
    return conn


@app.route("/people")
def people():
    conn = get_conn()
    f = f"(|(cn=*{request.args['q']}*)(mail=*{request.args['q']}*))"
    hits = conn.search_s(BASE, ldap.SCOPE_SUBTREE, f, ["cn", "mail"])  # expect: ldap-injection
    manager = escape_filter_chars(request.args.get("manager", ""))
    reports = conn.search_s(BASE, ldap.SCOPE_SUBTREE, f"(manager=uid={manager},{BASE})")  # ok: ldap-injection
    return jsonify(hits=len(hits), reports=len(reports))
