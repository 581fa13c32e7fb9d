"""The helpers behind the crypto, randomness and secret rules, and the severities and
confidences the fixtures cannot state (fixtures check where findings are, not how sure)."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from _context import module_context

from secreview.config import Config
from secreview.pipeline import run_review
from secreview.python.context import ModuleContext
from secreview.rules.support.crypto import static_value
from secreview.rules.support.secret_formats import entropy, find
from secreview.rules.support.secrets import (
    destination_names,
    is_not_a_secret,
    looks_like_token,
    secret_kind,
    value_names,
)


def _ctx(source: str) -> ModuleContext:
    return module_context(textwrap.dedent(source))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("db_password", "password"),
        ("ADMIN_PASSWD", "password"),
        ("newPassword", "password"),
        ("password_bytes", "password"),  # a representation of the same value
        ("db_pass", "password"),
        ("auth_token", "secret"),
        ("X-Auth-Token", "secret"),
        ("api_key", "secret"),
        ("aes_key", "key"),
        ("session_id", "session"),
        ("reset_code", "otp"),
        ("password_length", None),
        ("token_type", None),
        ("token_ttl", None),
        ("key_name", None),
        ("secret_ref", None),
        ("cache_key", None),
        ("first_pass", None),
        ("status_code", None),
        ("request_id", None),
    ],
)
def test_secret_kind_reads_the_last_word(name: str, kind: str | None) -> None:
    assert secret_kind(name) == kind


@pytest.mark.parametrize(
    ("value", "name", "secret"),
    [
        ("hunter2", "password", True),
        ("password1", "password", True),  # a classic weak password, not a label
        ("", "password", False),
        ("***", "password", False),
        ("%(password)s", "password", False),
        ("${DB_PASSWORD}", "password", False),
        ("Enter the password:", "password", False),
        ("/v3/auth/tokens", "token", False),
        ("X-Auth-Token", "auth_token", False),
        ("password", "PASSWORD", False),
        ("password", "DEFAULT_PASSWORD", True),  # a default's value, not a label
        ("neutron:fip_external_mac", "mac_key", False),
    ],
)
def test_literals_that_are_not_secrets(value: str, name: str, secret: bool) -> None:
    assert is_not_a_secret(value, name) is not secret


def test_tokens_look_random_and_lexer_tokens_do_not() -> None:
    assert looks_like_token("gAAAAABlZ2k3LQ")
    assert looks_like_token("3f9a1c0e7b2d4a6f8e1c")
    assert not looks_like_token("COLLATE")
    assert not looks_like_token("is not")
    assert not looks_like_token("_csrftoken")


def test_destination_and_value_names_follow_the_value() -> None:
    ctx = _ctx(
        """
        def make_nonce():
            token = "".join(random.choice(abc) for _ in range(8))
            store(secret=hex(random.getrandbits(64)))
            return binascii.hexlify(os.urandom(8))
        """
    )
    calls = [
        n
        for n in ctx.nodes
        if isinstance(n, ast.Call)
        and ast.unparse(n.func) in ("random.choice", "random.getrandbits", "os.urandom")
    ]
    assert {ast.unparse(c.func): destination_names(c, ctx) for c in calls} == {
        "random.choice": ["token"],
        "random.getrandbits": ["secret"],
        "os.urandom": ["make_nonce"],
    }
    expression = ast.parse('(salt + user.password).encode() + form["pin"] + mask(token)').body[0]
    assert value_names(expression.value, ctx) == ["salt", "password", "pin"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ('b"\\x00" * 16', bytes(16)),
        ("bytes(16)", bytes(16)),
        ('bytes.fromhex("0011")', b"\x00\x11"),
        ('"k".encode()', b"k"),
        ("KEY", b"module-constant"),
        ("os.urandom(16)", None),
        ("key", None),  # a parameter
    ],
)
def test_static_value_through_constants_and_decodings(expression: str, value: object) -> None:
    ctx = _ctx(f'KEY = b"module-constant"\ndef f(key):\n    return {expression}\n')
    returned = next(n for n in ctx.nodes if isinstance(n, ast.Return))
    assert static_value(returned.value, ctx) == value


def test_known_formats_need_randomness_and_no_example_marker() -> None:
    assert [m.format.name for m in find("id=AKIAZ7Q3MX5PLW2RTY4N")] == ["AWS access key id"]
    assert find("AKIAIOSFODNN7EXAMPLE") == []
    assert find("ghp_" + "x" * 36) == []
    assert find("-----BEGIN RSA PRIVATE KEY-----") == []  # a header is not a key
    assert entropy("aaaa") == 0.0 and entropy("abcd") == 2.0


SOURCE = """\
import hashlib
import logging

LOG = logging.getLogger(__name__)
ADMIN_PASSWORD = "changeme"
SERVICE_PASSWORD = "Xq9-p4ss-Lm2"


def derive(password, salt):
    return hashlib.pbkdf2_hmac("sha256", password, salt, 100_000)


def derive_badly(password, salt):
    return hashlib.pbkdf2_hmac("sha256", password, salt, 1000)


def enforce(credentials, password):
    LOG.debug("enforce %s", credentials)
    LOG.debug("login with %s", password)
"""


def test_severity_and_confidence_say_how_sure(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(SOURCE, encoding="utf-8")
    rules = ("hardcoded-password", "fast-password-hash", "secret-logged")
    review = run_review([str(tmp_path)], Config(jobs=1, cache=False, rules=rules))
    got = {(f.rule_id, f.location.line): (f.severity, f.confidence) for f in review.findings}
    assert got == {
        ("hardcoded-password", 5): ("high", "medium"),  # a well-known default
        ("hardcoded-password", 6): ("high", "high"),
        ("fast-password-hash", 10): ("low", "medium"),  # below OWASP, above the floor
        ("fast-password-hash", 14): ("high", "high"),
        ("secret-logged", 18): ("medium", "low"),  # policy "credentials" may be roles
        ("secret-logged", 19): ("medium", "medium"),
    }


TLS_SOURCE = """\
import ssl
import requests

def connect(url, tls_verify, conf):
    if tls_verify:
        mode = ssl.CERT_REQUIRED
    else:
        mode = ssl.CERT_NONE
    insecure = ssl.CERT_NONE if conf.insecure else ssl.CERT_REQUIRED
    if url.startswith("https://10."):
        requests.get(url, verify=False)
    return mode, insecure
"""


def test_tls_verification_off_by_a_setting_is_low(tmp_path: Path) -> None:
    """A branch a verification setting picks honours the administrator's choice; a branch
    the code picks by itself (a network range) is a hard-coded decision."""
    (tmp_path / "client.py").write_text(TLS_SOURCE, encoding="utf-8")
    rules = ("tls-verification-disabled",)
    review = run_review([str(tmp_path)], Config(jobs=1, cache=False, rules=rules))
    got = {f.location.line: (f.severity, f.confidence) for f in review.findings}
    assert got == {8: ("low", "medium"), 9: ("low", "medium"), 11: ("high", "high")}
    messages = {f.location.line: f.message for f in review.findings}
    assert "the setting 'tls_verify'" in messages[8]
    assert "whenever this branch" not in messages[9]


def test_a_key_option_is_decided_by_how_the_tree_reads_it() -> None:
    """oslo-secret-option-not-secret: its name says what an option may hold; the reads say
    what it holds. Read as the key itself: reported as before; never read, with only its name
    to go by: a low-confidence hint; described as a password in its help: as sure as before."""
    fixture = Path(__file__).parent / "fixtures" / "oslo-secret-option-not-secret"
    review = run_review([str(fixture)], Config(include_tests=True, jobs=1))
    confidence = {
        f.message.split("'")[1]: f.confidence
        for f in review.findings
        if f.rule_id == "oslo-secret-option-not-secret"
    }
    assert confidence["proxy_hmac_key"] == "medium"  # signs with its value
    assert confidence["vendor_auth_key"] == "medium"  # a file name here, sent as a header there
    assert confidence["federation_signing_key"] == "low"  # never read: the name alone
    assert confidence["db_password"] == "high"  # the help text says it is a password
    assert "nova_client_priv_key" not in confidence  # only ever the key half of cert=(...)
