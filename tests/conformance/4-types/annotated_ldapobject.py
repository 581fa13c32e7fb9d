"""python-ldap connections typed only by annotation (`conn: ldap.ldapobject.LDAPObject`,
`-> LDAPObject`): searches through them are sinks for the filter, not for escaped values."""

import ldap
from flask import Flask, g, jsonify, request
from ldap.filter import escape_filter_chars
from ldap.ldapobject import LDAPObject

app = Flask(__name__)
PEOPLE = "ou=people,dc=example,dc=com"


def bound_connection() -> LDAPObject:
    return g.ldap


def members_of(conn: ldap.ldapobject.LDAPObject, group: str) -> list:
    flt = f"(&(objectClass=person)(memberOf=cn={group},ou=groups,dc=example,dc=com))"
    return conn.search_s(PEOPLE, ldap.SCOPE_SUBTREE, flt, ["uid"])  # expect: ldap-injection


def find_by_mail(conn: ldap.ldapobject.LDAPObject, mail: str) -> list:
    flt = f"(mail={escape_filter_chars(mail)})"
    return conn.search_s(PEOPLE, ldap.SCOPE_SUBTREE, flt, ["uid"])  # ok: ldap-injection


@app.route("/groups/members")
def group_members():
    conn = bound_connection()
    return jsonify(members_of(conn, request.args["group"]), find_by_mail(conn, request.args["mail"]))
