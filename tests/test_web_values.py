"""Values into security uses (issue 16, points 3, 6, 7): how sure a cookie finding is by its
evidence, which session keys match, which parts of produced text start a redirect URL."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from secreview.config import Config
from secreview.pipeline import run_review
from secreview.python.taint import refresh, sessions


def _review(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return run_review([str(tmp_path)], Config(jobs=1))


COOKIES = """
    import secrets

    from flask import Flask, make_response

    app = Flask(__name__)


    @app.route("/a")
    def by_flow():
        response = make_response("ok")
        response.set_cookie("x", secrets.token_urlsafe(32), httponly=True, samesite="Lax")
        return response


    def by_name(response, value):
        response.set_cookie("session_id", value, httponly=True, samesite="Lax")


    def by_name_turned_off(response, value):
        response.set_cookie("session_id", value, secure=False, httponly=True, samesite="Lax")
"""


def test_a_cookie_is_sure_by_its_value_and_a_name_is_only_a_hint(tmp_path: Path) -> None:
    review = _review(tmp_path, {"views.py": COOKIES})
    found = {
        f.location.line: (f.confidence, f.message)
        for f in review.findings
        if f.rule_id == "cookie-without-secure"
    }
    assert found[12][0] == "high" and "secrets.token_urlsafe" in found[12][1]
    assert found[17][0] == "low" and "its name says so" in found[17][1]
    assert found[21][0] == "medium"  # secure=False written out on a session-named cookie


@pytest.mark.parametrize(
    ("code", "pattern"),
    [
        ('"role"', "role"),
        ('f"payment_{p}_token"', "payment_*_token"),
        ('"payment_%s_%s" % (a, b)', "payment_*_*"),
        ('"access_{}".format(pk)', "access_*"),
        ("key", ""),
        ('f"{prefix}"', ""),
        ('"odd*name"', "odd[*]name"),
        ("SESSION_KEY", "$SESSION_KEY"),
        ("auth.HASH_KEY", "$HASH_KEY"),
    ],
)
def test_session_keys_are_globs(code: str, pattern: str) -> None:
    assert sessions.key_pattern(ast.parse(code, mode="eval").body) == pattern


@pytest.mark.parametrize(
    ("written", "read", "same"),
    [
        ("role", "role", True),
        ("payment_*_*", "payment_paypal_order_id", True),
        ("payment_stripe_*_account", "payment_stripe_*_payment_method_id", False),
        ("payment_*_token", "payment_*", True),
        ("lang", "role", False),
        ("", "role", False),
        ("odd[*]name", "odd*name", True),
    ],
)
def test_session_keys_match_when_they_may_name_one_key(written: str, read: str, same: bool) -> None:
    assert sessions.matches(written, read) is same


@pytest.mark.parametrize(
    ("code", "targets"),
    [
        ('f\'<meta http-equiv="refresh" content="0;url={u}">\'', ["u"]),
        ('f\'<meta http-equiv="refresh" content="0;url=/search?q={q}">\'', []),
        ("'<script>window.location = ' + dumps(u) + ';</script>'", ["dumps(u)"]),
        ("\"<script>location.replace('%s')</script>\" % u", ["u"]),
        ("'<a href=\"{0}\">{1}</a>'.format(u, t)", []),
        ('\'<meta content="5; URL={url}" http-equiv="refresh">\'.format(url=u)', ["u"]),
        ("f'<p>{u}</p>'", []),
        ("f'<div data-location=\"{u}\">'", []),
        ("f'<script>document.location.href=\"{u}\"</script>'", ["u"]),
    ],
)
def test_html_that_redirects_names_the_part_that_starts_the_url(
    code: str, targets: list[str]
) -> None:
    node = ast.parse(code, mode="eval").body
    assert [ast.unparse(t) for t in refresh.html_targets(node)] == targets


def test_a_refresh_header_redirects_by_its_url() -> None:
    node = ast.parse("'0; url=' + target", mode="eval").body
    assert [ast.unparse(t) for t in refresh.refresh_targets(node)] == ["target"]
    node = ast.parse("str(delay) + '; url=/home'", mode="eval").body
    assert refresh.refresh_targets(node) == []


TRUSTED = """
    from flask import Flask, request, session

    app = Flask(__name__)


    @app.route("/pick", methods=["POST"])
    def pick():
        session["role"] = request.form["role"]
        session["lang"] = request.form["lang"]
        return ""


    @app.route("/admin")
    def admin():
        if session.get("role") != "admin":
            return "forbidden", 403
        return "welcome " + session.get("lang", "en")
"""


def test_a_session_write_is_reported_with_the_read_that_trusts_it(tmp_path: Path) -> None:
    review = _review(tmp_path, {"app.py": TRUSTED})
    found = [f for f in review.findings if f.rule_id == "trust-boundary-violation"]
    assert [f.location.line for f in found] == [9]
    assert "read as trusted at app.py:16" in found[0].message


def test_a_template_name_no_file_can_have_is_no_template(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "go.html").write_text('<a href="{{ next }}">go</a>')
    module = tmp_path / "views.py"
    assert refresh.template_redirect_names("go.html", module) == {"next"}
    for name in ("go\0.html", "../templates/go.html", "/etc/passwd", ""):
        assert refresh.template_redirect_names(name, module) == frozenset()
