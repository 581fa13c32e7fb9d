"""The helpers web-configuration rules share: env fallbacks, settings, development context."""

from __future__ import annotations

import ast

import pytest
from _context import module_context

from secreview.python.context import ModuleContext
from secreview.python.rules import _webconfig


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
