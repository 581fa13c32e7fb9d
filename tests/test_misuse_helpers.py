"""The helpers behind the file, process and OpenStack rules: ReDoS detection, permission
bits, security names, and how privsep entry-point data is scoped in the taint engine."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from _context import module_context

from secreview.config import Config
from secreview.model import SourceFile
from secreview.pipeline import run_review
from secreview.python.context import ModuleContext
from secreview.python.redos import analyze
from secreview.rules.support.modes import mode_bits, symbolic_adds_world_write
from secreview.rules.support.names import (
    is_security_check,
    is_security_predicate,
    is_security_value,
    words,
)

EXPONENTIAL = [
    r"^(a+)+$",
    r"(\w+\s?)+$",
    r"(.|\s)*x",
    r"^(x+x+)+y",
    r"^(\d+)*$",
    r"(a*)*b",
    r"(\w+\.?\w+)*@",
    r"^(a|a)*$",
    rb"^(\d+)*$",
]
LINEAR = [
    r"^[a-z]+$",
    r"(\s*,\s*\w+)*$",
    r"^\d+(\.\d+)*$",
    r"(a+)+",  # nothing after it can fail: the first match succeeds
    r"^(\w|\d)+$",  # the parser folds single-character alternatives into one class
    r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$",
    r"^(?>(a+))+$",
    r"^(a++)+$",
    r"^(\d{1,3}\.){3}\d{1,3}$",
    r"^(/[^/]+)+/?$",
    r"(a+){1,3}$",  # bounded outer repetition
    r"[unclosed",  # does not compile: no verdict
]


@pytest.mark.parametrize("pattern", EXPONENTIAL)
def test_exponential_patterns_are_found(pattern: str | bytes) -> None:
    assert analyze(pattern) is not None


@pytest.mark.parametrize("pattern", LINEAR)
def test_linear_patterns_are_left_alone(pattern: str) -> None:
    assert analyze(pattern) is None


def test_fullmatch_and_verbose_flags_change_the_verdict() -> None:
    assert analyze(r"(a+)+", full_match=True) is not None
    verbose = "^(\\d+ )*  # digits\n$"
    assert analyze(verbose) is None  # without re.X each digit run needs its space
    assert analyze(verbose, flags=64) is not None  # re.VERBOSE: (\d+)*$


def _ctx(source: str) -> ModuleContext:
    return module_context(textwrap.dedent(source))


@pytest.mark.parametrize(
    ("expression", "value", "exact"),
    [
        ("0o777", 0o777, True),
        ("stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO", 0o777, True),
        ("st.st_mode | stat.S_IWOTH", 0o002, False),
        ("0o777 & ~0o022", 0o755, True),
        ('int("0666", 8)', 0o666, True),
        ("MODE", 0o640, True),
    ],
)
def test_mode_bits_evaluates_constant_expressions(expression: str, value: int, exact: bool) -> None:
    ctx = _ctx(f"import stat\nMODE = 0o640\nx = {expression}\n")
    node = ctx.tree.body[-1].value  # type: ignore[attr-defined]
    bits = mode_bits(node, ctx)
    assert bits is not None and (bits.value, bits.exact) == (value, exact)


def test_mode_bits_unknown_for_run_time_masks() -> None:
    ctx = _ctx("x = st.st_mode & mask\n")
    assert mode_bits(ctx.tree.body[0].value, ctx) is None  # type: ignore[attr-defined]


def test_symbolic_chmod_modes() -> None:
    assert symbolic_adds_world_write("a+w")
    assert symbolic_adds_world_write("u+x,o=rwx")
    assert not symbolic_adds_world_write("o-w")
    assert not symbolic_adds_world_write("+w")  # filtered by the umask
    assert not symbolic_adds_world_write("g+w")


def test_security_names_are_read_by_words() -> None:
    assert words("check_csrfToken") == ["check", "csrf", "token"]
    assert is_security_check("verify_signature") and is_security_check("enforce")
    assert not is_security_check("verify_config") and not is_security_check("check_output")
    assert is_security_predicate("is_admin") and is_security_predicate("signature_valid")
    assert not is_security_predicate("token") and not is_security_predicate("is_empty")
    assert is_security_value("auth_token") and not is_security_value("token_ttl")


PRIVSEP = """
    import os
    from oslo_privsep import priv_context

    default = priv_context.PrivContext("app", cfg_section="app")


    @default.entrypoint
    def read_file(path):
        with open(path) as f:
            return f.read()


    @default.entrypoint
    def list_dir(path):
        return os.path.join("/var/lib/app", path)


    def unprivileged(name):
        where = list_dir(name)
        with open(where) as f:
            return f.read()
"""


def test_privsep_parameters_feed_their_own_rule_and_stay_inside(tmp_path: Path) -> None:
    (tmp_path / "privileged.py").write_text(textwrap.dedent(PRIVSEP), encoding="utf-8")
    review = run_review([str(tmp_path)], Config(jobs=1, cache=False))
    found = {(f.rule_id, f.location.line) for f in review.findings}
    # open(path) inside the entry point: reported once, by the privsep rule only
    assert ("privsep-entrypoint-path", 10) in found
    assert not any(rule == "path-traversal" for rule, _ in found)
    # the entry point's return value is not attacker data for its unprivileged caller
    assert not any(line == 21 for _, line in found)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "cfg.StrOpt('admin_password', help='x')\n",
            "cfg.StrOpt('admin_password', help='x', secret=True)\n",
        ),
        (
            "cfg.StrOpt(\n    'admin_password',\n    secret=False,\n)\n",
            "cfg.StrOpt(\n    'admin_password',\n    secret=True,\n)\n",
        ),
    ],
)
def test_secret_option_fix_sets_the_keyword(source: str, expected: str) -> None:
    from secreview.python import fixes
    from secreview.rules.secrets.oslo_secret_option_not_secret import OsloSecretOptionNotSecret

    ctx = _ctx("from oslo_config import cfg\n" + source)
    call = ctx.tree.body[1].value  # type: ignore[attr-defined]
    (hit,) = OsloSecretOptionNotSecret().check_call(call, "oslo_config.cfg.StrOpt", ctx)
    assert fixes.apply(ctx.source.text, hit.fixes) == "from oslo_config import cfg\n" + expected


# --- odd but valid Python: no rule may raise, loop, or misread unpacked arguments -------------
ODD_MODULES = {
    "bcrypt-cost-out-of-range": "import bcrypt\nbcrypt.gensalt(-100000000)\nbcrypt.gensalt(99)\n",
    "unhashable-dict-key": (
        "from flask_cors import CORS\n"
        "CORS(app, resources={'/a': {[1]: 2, **opts, 'origins': '*'}}, supports_credentials=True)\n"
    ),
    "self-bound-names": (
        "import os\nfrom Crypto.Cipher import AES\n"
        "def f():\n"
        "    a = b\n    b = a\n    uid = uid\n"
        "    os.seteuid(a)\n    os.seteuid(uid)\n    os.setgid(1)\n"
        "    AES.new(key, a, a)\n    os.chmod(p, a)\n    open(a, 'w')\n"
    ),
    "starred-and-splat-arguments": (
        "import hashlib, os, re, ssl, subprocess, tarfile, jwt, yaml\n"
        "from Crypto.Cipher import AES\n"
        "hashlib.pbkdf2_hmac(*a)\nhashlib.new(*a)\nAES.new(*a)\nAES.new(k, *m)\n"
        "os.chmod(p, *m)\nos.umask(*m)\nre.compile(*a)\nsubprocess.run(*a, shell=True)\n"
        "jwt.decode(*a)\nyaml.load(*a)\nssl.wrap_socket(*a)\nos.execv(*a)\n"
        "tarfile.open(f).extractall(**kw)\nresp.set_cookie('sessionid', sid, *flags)\n"
        "resp.set_cookie(*a)\nresp.set_cookie(**kw)\napp.config.update(**base)\n"
    ),
    "none-and-odd-constants": (
        "import hashlib, os, jwt\nfrom Crypto.Cipher import AES\n"
        "hashlib.pbkdf2_hmac(hash_name=None, password=p, salt=s, iterations=10)\n"
        "jwt.decode(t, options=None, algorithms=[None, 1])\n"
        "AES.new(b'k' * 16, AES.MODE_CBC, iv=bytes(10**10))\n"
        "os.chmod(p, 0o777 << 100000)\npassword = b'\\xff\\xfe'\ntoken = 'x' * 10**9\n"
        "from flask import Flask\napp = Flask(__name__)\n"
        "app.config['DEBUG'] = bool(int(os.getenv('D', 1e999)))\n"
    ),
    "modern-syntax": (
        "import os, random\n"
        "match cfg:\n    case {'password': 'hunter22'}:\n        pass\n"
        "@decorator(password=f'{x}hunter22')\n"
        "async def f(password: str = 'hunter22y', *, token=lambda: 1, **kw):\n"
        "    async with aiofiles.open('/tmp/x', 'w') as fh:\n        await fh.write(password)\n"
        "    if (n := random.random()):\n        pass\n"
        "try:\n    verify_token(t)\nexcept* ValueError:\n    pass\n"
        "x = f'postgres://u:{p!r:>{w}}@h'\n"
    ),
}


@pytest.mark.parametrize("name", sorted(ODD_MODULES))
def test_rules_survive_odd_code(name: str) -> None:
    """Each pattern rule on its own: an exception or a runaway recursion (which the
    analyzer turns into a 'too deep' diagnostic that drops the module's findings) is a bug."""
    from secreview.python.analyzer import RuleSet, analyze_source

    source = SourceFile(f"{name}.py", ODD_MODULES[name])
    rules = RuleSet.select().rules
    assert len(rules) > 50
    for rule in rules:
        result = analyze_source(source, RuleSet([rule]), include_tests=True)
        assert not result.diagnostics, (rule.meta.id, result.diagnostics)


def test_unpacked_arguments_are_not_read_as_missing() -> None:
    """`*args`/`**kwargs` may carry the mode, cert_reqs, cookie flags or filter: unknown."""
    from secreview.python.analyzer import RuleSet, analyze_source

    text = ODD_MODULES["starred-and-splat-arguments"]
    result = analyze_source(SourceFile("odd.py", text), RuleSet.select(), include_tests=True)
    lines = {f.location.line: f.rule_id for f in result.findings}
    for line, statement in enumerate(text.splitlines(), 1):
        if statement.startswith(("AES.new(*a)", "ssl.wrap_socket", "tarfile", "resp.set_cookie")):
            assert line not in lines, (statement, lines[line])
