"""A factory returns an ldap3 Connection: `.delete(dn)` on its result is an LDAP operation,
whatever the variable is called, and `.delete` on a returned tree object is not."""

import ldap3
from flask import Flask, jsonify
from ldap3.utils.dn import escape_rdn

app = Flask(__name__)
PEOPLE = "ou=people,dc=example,dc=com"
SERVER = ldap3.Server("ldaps://ldap.example.com", use_ssl=True)


class TokenCache:
    """Issued API tokens, keyed by the owner's DN."""

    def __init__(self):
        self._tokens = {}

    def delete(self, owner_dn):
        self._tokens.pop(owner_dn, None)


_tokens = TokenCache()


def open_directory():
    return ldap3.Connection(SERVER, authentication=ldap3.SASL, sasl_mechanism=ldap3.EXTERNAL, auto_bind=True)


def token_cache():
    return _tokens


@app.route("/accounts/<uid>", methods=["DELETE"])
def remove_account(uid):
    directory = open_directory()
    directory.delete(f"uid={uid},{PEOPLE}")  # expect: ldap-injection
    tokens = token_cache()
    tokens.delete(f"uid={uid},{PEOPLE}")  # ok: ldap-injection
    return jsonify(removed=uid)


@app.route("/v2/accounts/<uid>", methods=["DELETE"])
def remove_account_escaped(uid):
    directory = open_directory()
    directory.delete(f"uid={escape_rdn(uid)},{PEOPLE}")  # ok: ldap-injection
    return jsonify(removed=uid)
