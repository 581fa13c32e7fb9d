"""Fix texts name the framework and the API the finding is in: a Flask app's hard-coded key
is fixed with `app.config["SECRET_KEY"]`, not `DJANGO_SECRET_KEY`; a urllib3 pool is given a
CA bundle the urllib3 way (issue 19, point 7).

Two checks: worked cases (the fix must say the right thing), and every finding in every
rule fixture (its fix may name no framework or client library that the files the finding
runs through do not use)."""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest
from test_fixtures import FIXTURE_LIST, Fixture

from secreview.cli import explain_text
from secreview.config import Config
from secreview.model import Finding
from secreview.pipeline import run_review
from secreview.rules import all_rules

# A name in a fix text -> the top-level modules a file must use for that name to be about it.
MARKERS: dict[str, tuple[str, ...]] = {
    r"\bDjango\b|DJANGO_|\bdjango\.": ("django", "rest_framework"),
    r"\bFlask\b|FLASK_|\bflask run\b|\bflask\.": ("flask", "flask_wtf", "flask_cors", "quart"),
    r"\bQuart\b": ("quart",),
    r"\bFalcon\b|\bhttp_only\b": ("falcon",),
    r"\bFastAPI\b": ("fastapi",),
    r"\bStarlette\b": ("starlette", "fastapi"),
    r"\baiohttp\b": ("aiohttp", "aiohttp_cors"),
    r"\bWebOb\b|\bPecan\b": ("webob", "pecan"),
    r"\brequests(?:[./]| Session| session)|\brequests\)|\(requests\b": ("requests",),
    r"\bhttpx\b": ("httpx",),
    r"\burllib3\b|\bcert_reqs\b": ("urllib3", "requests"),
    r"\burlopen\b": ("urllib",),
    r"pycryptodome|\bCrypto\.|\bAES\.new\b|\bPKCS1_OAEP\b|get_random_bytes": (
        "Crypto",
        "Cryptodome",
    ),
    r"\bcryptography\b|\bAESGCM\b|\bFernet\b|\bpadding\.OAEP|\bhashes\.": ("cryptography",),
    r"pyOpenSSL|\bSSL\.TLS|\bset_min_proto_version\b": ("OpenSSL",),
    r"\bM2Crypto\b": ("M2Crypto",),
    r"\bparamiko\b|\bRejectPolicy\b|\bload_system_host_keys\b": ("paramiko",),
    r"\basyncssh\b": ("asyncssh",),
    r"\boslo\b|\boslo[._]|\bBarbican\b|\bCastellan\b|\bprivsep\b": (
        "oslo_config",
        "oslo_log",
        "oslo_utils",
        "oslo_concurrency",
        "oslo_privsep",
        "oslo_service",
        "keystoneauth1",
        "nova",
        "neutron",
    ),
    r"\bSQLAlchemy\b|\bbindparams\b": ("sqlalchemy",),
    r"python-ldap|\bldap\.filter|\bldap\.dn\b|\bstart_tls_s\b|\bldaps://": ("ldap",),
    r"\bldap3\b": ("ldap3",),
    r"\bPyJWT\b": ("jwt",),
    r"python-jose|\bjose\.": ("jose",),
    r"\blxml\b|\bresolve_entities\b|\bhuge_tree\b": ("lxml",),
    r"\bftplib\b|\bFTP_TLS\b": ("ftplib",),
    r"\bsmtplib\b|\bSMTP_SSL\b|\bstarttls\(": ("smtplib",),
    r"\bIMAP4_SSL\b": ("imaplib",),
    r"\bPOP3_SSL\b": ("poplib",),
    r"\bTelnet\b": ("telnetlib", "telnetlib3"),
    r"\bssl\.create_default_context|\bssl\.PROTOCOL_|\bSSLContext\b": ("ssl", "eventlet"),
    r"\byaml\.|\bYAML\b": ("yaml", "ruamel"),
    r"\bUnpickler\b|\bunpickl": ("pickle", "dill", "joblib", "pandas", "numpy", "torch"),
    r"\bjsonpickle\b": ("jsonpickle",),
    r"\bmarshal\b": ("marshal",),
    r"\bsend_from_directory\b|\bsecure_filename\b|(?<![.\w])url_for\b|render_template": (
        "flask",
        "werkzeug",
        "quart",
    ),
    r"\bformat_html\b|\bmark_safe\b|\burl_has_allowed_host_and_scheme\b|\bCsrfViewMiddleware\b": (
        "django",
        "rest_framework",
    ),
    r"\bCSRFProtect\b": ("flask_wtf",),
}


def _imports(path: Path) -> set[str]:
    """Top-level modules a file imports (and its package's name, for relative imports)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def wrong_names(fix: str, used: set[str]) -> list[str]:
    """The markers in `fix` that name a framework or library none of `used` is."""
    return [
        marker
        for marker, modules in MARKERS.items()
        if re.search(marker, fix) and not used.intersection(modules)
    ]


def _used(fixture: Fixture, finding: Finding) -> set[str]:
    """The modules the files a finding runs through use; a Django settings module uses
    Django without importing it, and a rule named after a framework is about it."""
    files = {finding.location.path, *(step.location.path for step in finding.trace)}
    used: set[str] = set()
    for file in fixture.files:
        if any(file.as_posix().endswith(path) for path in files):
            used |= _imports(file)
            text = file.read_text(encoding="utf-8")
            if re.search(r"^(INSTALLED_APPS|ROOT_URLCONF|MIDDLEWARE)\b", text, re.M):
                used.add("django")
    used.add(finding.rule_id.split("-")[0])  # django-debug-enabled, flask-debug-enabled
    return used


def test_the_marker_check_can_fail() -> None:
    assert wrong_names("SECRET_KEY = os.environ['DJANGO_SECRET_KEY']", {"flask"})
    assert not wrong_names("app.config['SECRET_KEY'] = os.environ['FLASK_SECRET_KEY']", {"flask"})


@pytest.mark.parametrize("fixture", FIXTURE_LIST, ids=[f.path.name for f in FIXTURE_LIST])
def test_no_fix_names_a_framework_the_code_does_not_use(fixture: Fixture) -> None:
    review = run_review([str(fixture.path)], Config(include_tests=True, jobs=1))
    problems = []
    for finding in review.findings:
        wrong = wrong_names(finding.fix, _used(fixture, finding))
        if wrong:
            problems.append(f"{finding.location} [{finding.rule_id}] {wrong}: {finding.fix}")
    assert not problems, "\n".join(problems)


def review(tmp_path: Path, files: dict[str, str]) -> list[Finding]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return list(run_review([str(tmp_path)], Config(jobs=1)).findings)


FLASK_KEY = {
    "app.py": """
        from flask import Flask

        app = Flask(__name__)
        app.secret_key = "dev-key-do-not-use"
    """
}
DJANGO_KEY = {
    "settings.py": """
        INSTALLED_APPS = ["django.contrib.sessions"]
        ROOT_URLCONF = "site.urls"
        SECRET_KEY = "django-insecure-3x!q-not-a-real-key"
    """
}


@pytest.mark.parametrize(
    "files, rule, says, never",
    [
        (FLASK_KEY, "hardcoded-framework-secret-key", "FLASK_SECRET_KEY", "DJANGO"),
        (DJANGO_KEY, "hardcoded-framework-secret-key", "DJANGO_SECRET_KEY", "Flask"),
        (
            {
                "a.py": """
                import urllib3
                pool = urllib3.PoolManager(cert_reqs="CERT_NONE")
            """
            },
            "tls-verification-disabled",
            "cert_reqs='CERT_REQUIRED'",
            "verify=",
        ),
        (
            {
                "a.py": """
                import requests
                requests.get("https://example.com", verify=False, timeout=5)
            """
            },
            "tls-verification-disabled",
            "verify='/path/to/ca.pem'",
            "urllib3",
        ),
        (
            {
                "a.py": """
                import urllib.request
                urllib.request.urlopen("https://example.com").read()
            """
            },
            "request-without-timeout",
            "urlopen(url, timeout=10)",
            "requests",
        ),
        (
            {
                "a.py": """
                import ftplib
                ftp = ftplib.FTP("files.example.com")
                ftp.login("user", PASSWORD)
            """
            },
            "cleartext-protocol",
            "ftplib.FTP_TLS",
            "SMTP",
        ),
        (
            {
                "a.py": """
                from Crypto.Cipher import AES
                cipher = AES.new(KEY, AES.MODE_ECB)
            """
            },
            "ecb-mode",
            "AES.MODE_GCM",
            "AESGCM(",
        ),
        (
            {
                "app.py": """
                import sqlite3
                from flask import Flask, request

                app = Flask(__name__)


                @app.get("/notes")
                def notes():
                    term = request.args["q"]
                    db = sqlite3.connect("notes.db")
                    return str(db.execute(f"SELECT * FROM notes WHERE title = '{term}'").fetchall())
            """
            },
            "sql-injection",
            "?",
            "SQLAlchemy",
        ),
        (
            {
                "app.py": """
                import pickle
                from flask import Flask, request

                app = Flask(__name__)


                @app.post("/restore")
                def restore():
                    return str(pickle.loads(request.get_data()))
            """
            },
            "unsafe-deserialization",
            "pickle",
            "yaml.safe_load",
        ),
        (
            {
                "app.py": """
                from flask import Flask, redirect, request

                app = Flask(__name__)


                @app.get("/go")
                def go():
                    return redirect(request.args["next"])
            """
            },
            "open-redirect",
            "url_for",
            "django",
        ),
    ],
)
def test_the_fix_names_the_framework_and_api(
    tmp_path: Path, files: dict[str, str], rule: str, says: str, never: str
) -> None:
    [finding] = [f for f in review(tmp_path, files) if f.rule_id == rule]
    assert says in finding.fix and never not in finding.fix, finding.fix


def test_explain_lists_the_fix_for_each_api() -> None:
    text = explain_text(all_rules()["hardcoded-framework-secret-key"])
    assert "FLASK_SECRET_KEY" in text and "DJANGO_SECRET_KEY" in text
