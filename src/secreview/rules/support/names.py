"""Is this name about security? Word-level tests shared by several rules.

Names are split into lower-case words (`hasPermission` and `has_permission` both give
`has`, `permission`), so `token_ttl` is about a TTL and `auth_token` about a token: the
rules ask which word a name *ends* with or *starts* with, not whether it contains a string.
"""

from __future__ import annotations

import re
from functools import lru_cache

from secreview import lazyre

_CAMEL = lazyre.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")


def words(name: str) -> list[str]:
    """`check_csrfToken` -> ['check', 'csrf', 'token']."""
    return list(_words(name))


@lru_cache(maxsize=1 << 14)
def _words(name: str) -> tuple[str, ...]:
    """`words`, kept per name: the data flow asks it of every destination's name, and a
    project reuses its names."""
    out: list[str] = []
    for part in _SEPARATORS.split(name):
        out.extend(w.lower() for w in _CAMEL.findall(part))
    return tuple(out)


# Nouns of authentication/authorisation state: a decision about them is a security decision.
SECURITY_NOUNS = frozenset(
    {
        "acl",
        "admin",
        "auth",
        "authenticated",
        "authorised",
        "authorized",
        "credential",
        "credentials",
        "csrf",
        "hmac",
        "jwt",
        "mfa",
        "otp",
        "owner",
        "passwd",
        "password",
        "perm",
        "permission",
        "permissions",
        "perms",
        "privilege",
        "privileged",
        "privileges",
        "role",
        "roles",
        "scope",
        "scopes",
        "secret",
        "signature",
        "staff",
        "superuser",
        "token",
        "totp",
        "xsrf",
    }
)

# Verbs that, leading a function name, say the function decides a security question by
# raising when the answer is no (`verify_signature`, `authorize`, `enforce`).
_CHECK_LEADERS = frozenset({"authenticate", "authorize", "authorise", "enforce", "verify"})
# Generic verbs that make a check a security check only with a security noun after them.
_GENERIC_CHECKS = frozenset({"assert", "check", "ensure", "require", "validate"})


def is_security_check(function_name: str) -> bool:
    """`verify_token`, `authorize`, `check_permission`, `enforce`, `validate_csrf`, …"""
    parts = words(function_name)
    if not parts:
        return False
    if parts[0] == "verify":  # `verify()` of a key or hasher; `verify_config()` is not security
        return len(parts) == 1 or any(p in SECURITY_NOUNS for p in parts[1:])
    if parts[0] in _CHECK_LEADERS:
        return True
    return parts[0] in _GENERIC_CHECKS and any(p in SECURITY_NOUNS for p in parts[1:])


def mentions_security(name: str) -> bool:
    """Any word of the name is an authentication/authorisation noun."""
    return any(p in SECURITY_NOUNS for p in words(name))


# Adjectives that state a security decision's outcome (`user.is_authenticated`).
_DECISIONS = frozenset({"authenticated", "authorized", "authorised", "privileged"})
_OUTCOMES = frozenset({"valid", "verified", "allowed", "ok", "matches", "trusted"})
_PREDICATE_VERBS = frozenset({"is", "has", "can"})


def is_security_predicate(name: str) -> bool:
    """A yes/no answer to a security question: `is_admin`, `has_role`, `authenticated`,
    `can_edit_permissions`, `signature_valid`; not `token` or `token_ttl`."""
    parts = words(name)
    if not parts:
        return False
    if parts[0] in _PREDICATE_VERBS and any(
        p in SECURITY_NOUNS or p in _DECISIONS for p in parts[1:]
    ):
        return True
    if parts[-1] in _DECISIONS:
        return True
    return parts[-1] in _OUTCOMES and any(p in SECURITY_NOUNS for p in parts[:-1])


def is_security_value(name: str) -> bool:
    """A name that holds a credential or an authorisation fact: `auth_token`, `roles`,
    `signature`, `owner`; not `token_ttl` (it ends with the word that says what it is)."""
    parts = words(name)
    return bool(parts) and parts[-1] in SECURITY_NOUNS
