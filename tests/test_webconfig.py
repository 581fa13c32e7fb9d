"""The helpers web-configuration rules share: env fallbacks, settings, development context."""

from __future__ import annotations

import ast

import pytest
from _context import module_context

from secreview.config import Config
from secreview.pipeline import run_review
from secreview.python.context import ModuleContext
from secreview.rules.support import webconfig as _webconfig


def _context(text: str, path: str = "app/settings.py") -> ModuleContext:
    return module_context(text, path)


def _value(text: str) -> object:
    ctx = _context(f"import os\nfrom decouple import config\nVALUE = {text}\n")
    assignment = ctx.tree.body[-1]
    assert isinstance(assignment, ast.Assign)
    return _webconfig.fallback(assignment.value, ctx)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('os.environ.get("DEBUG", "1") == "1"', True),
        ('os.environ.get("DEBUG", "0") == "1"', False),
        ('os.getenv("DEBUG", "True").lower() in ("1", "true")', True),
        ('os.getenv("KEY") or "dev-key"', "dev-key"),
        ('os.getenv("KEY")', None),
        ('os.environ.get("HOSTS", "*").split(",")', ["*"]),
        ('config("DEBUG", default=True)', True),
        ('not os.environ.get("QUIET", "")', True),
        ('bool(int(os.environ.get("DEBUG", "1")))', True),
        ('os.environ.get("HOSTS", "a").split("")', NotImplemented),  # ValueError, not a crash
        ("some_function()", NotImplemented),
    ],
)
def test_fallback_evaluates_what_an_unset_environment_gives(expression: str, expected: object):
    assert _value(expression) == expected


@pytest.mark.parametrize(
    "expression", ['os.environ["KEY"]', 'config("KEY")', 'os.environ["A"] or "x"']
)
def test_lookups_without_a_default_stop_the_program(expression: str):
    assert _webconfig.unset(_value(expression))


def test_settings_know_where_they_were_written():
    ctx = _context(
        "from flask import Flask\n"
        "app = Flask(__name__)\n"
        "DEBUG = True\n"
        "if not DEBUG:\n"
        "    SECURE = True\n"
        "else:\n"
        "    SECURE = False\n"
        "class TestingConfig:\n"
        "    DEBUG = True\n"
        "app.config['SECRET_KEY'] = 'k'\n"
        "app.config.update(SESSION_COOKIE_SECURE=False)\n"
        "app.debug = True\n"
    )
    found = [(s.key, s.style, s.development) for s in _webconfig.settings(ctx)]
    assert found == [
        ("DEBUG", "module", False),
        ("SECURE", "module", False),
        ("SECURE", "module", True),
        ("DEBUG", "class", True),
        ("SECRET_KEY", "app-config", False),
        ("SESSION_COOKIE_SECURE", "app-config", False),
        ("debug", "app-attribute", False),
    ]


@pytest.mark.parametrize(
    ("path", "development"),
    [
        ("shop/settings/dev.py", True),
        ("shop/local_settings.py", True),
        ("shop/settings/production.py", False),
        ("tools/flask-debug-enabled.py", False),  # "debug" in a file name is no environment
        ("shop/_build_settings.py", True),  # what the packaging step runs collectstatic with
        ("shop/settings/build.py", True),
        ("builds/build.py", False),  # a CI server's own code about builds
    ],
)
def test_development_files_are_recognised_by_name(path: str, development: bool):
    assert _webconfig.is_development_file(_context("X = 1\n", path)) is development


RUN_SOURCE = """\
from flask import Flask

app = Flask(__name__)


def create_app():
    return app


def main():
    app.run(host="0.0.0.0", debug=True)


def serve():
    app.run(debug=True)


if __name__ == "__main__":
    main()
"""


@pytest.mark.parametrize(
    ("name", "main", "serve"),
    [
        # a package module's entry point: `python -m shop.run` on a developer's machine
        ("shop/run.py", ("low", "medium"), ("high", "high")),
        # a top-level script (`python app.py`) or a package's __main__ is how it is started
        ("app.py", ("high", "medium"), ("high", "high")),
        ("shop/__main__.py", ("high", "medium"), ("high", "high")),
    ],
)
def test_debug_run_of_a_package_modules_entry_point_is_low(
    tmp_path, name: str, main: tuple[str, str], serve: tuple[str, str]
):
    """app.run(debug=True) reached only from the main block of a package module is a
    developer's entry point (ihatemoney's run.py); a function called from elsewhere, or a
    main block that starts the application, stays high."""
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.parent != tmp_path:
        (target.parent / "__init__.py").write_text("", encoding="utf-8")
    target.write_text(RUN_SOURCE, encoding="utf-8")
    rules = ("flask-debug-enabled",)
    review = run_review([str(tmp_path)], Config(jobs=1, cache=False, rules=rules))
    got = {f.location.line: (f.severity, f.confidence) for f in review.findings}
    assert got == {11: main, 15: serve}
