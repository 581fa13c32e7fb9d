"""Credentials written in the source: where a literal meets a name that holds a secret.

hardcoded-password and hardcoded-secret read the same places and split by what the name
holds (a password, or a token/API key/private key). A candidate is a literal bound to a
secret name by assignment, keyword argument, dict entry, parameter default or comparison,
or handed to a known credential parameter (`HTTPBasicAuth(user, "pw")`, `.login(u, "pw")`).
Literals that are not secrets (empty, masks, templates, labels such as `"X-Auth-Token"`,
sentences, URLs) are dropped here; known key formats are left to secret-in-source and
framework signing keys to hardcoded-framework-secret-key, so one defect is reported once.
Literals no deployment authenticates with are dropped too: settings written for development,
tests or a build step (`class TestingConfig`, `build_settings.py`), and made-up data (a
sample or preview callable, a function that makes test, demo or seed data, a placeholder
password in a function that only tries something out, a package module's
`if __name__ == "__main__":` self-test).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from secreview.python.context import ModuleContext, keyword
from secreview.rules.support.bindings import is_main_guard, is_package_module, parameter_name
from secreview.rules.support.crypto import static_value
from secreview.rules.support.framework_keys import framework_key_hits
from secreview.rules.support.names import words
from secreview.rules.support.secret_formats import known_format
from secreview.rules.support.secrets import (
    Kind,
    env_fallback,
    is_not_a_secret,
    is_well_known,
    looks_like_token,
    names_a_field,
    secret_kind,
    target_names,
)
from secreview.rules.support.webconfig import (
    is_development_file,
    is_django_settings,
    settings,
    settings_class,
)

# Callables whose positional argument at the index is a password.
_PASSWORD_POSITIONS = {
    "requests.auth.HTTPBasicAuth": 1,
    "requests.auth.HTTPDigestAuth": 1,
    "requests.auth.HTTPProxyAuth": 1,
    "requests.HTTPBasicAuth": 1,
    "httpx.BasicAuth": 1,
    "httpx.DigestAuth": 1,
    "aiohttp.BasicAuth": 1,
    "ftplib.FTP": 2,
    "ftplib.FTP_TLS": 2,
}
# Methods (any receiver) whose second positional argument is a password.
_PASSWORD_METHODS = frozenset({"login", "simple_bind_s", "simple_bind", "bind_s"})
# oslo.config option classes: `cfg.StrOpt("admin_password", default="...")`.
_OSLO_OPTS = frozenset(
    f"oslo_config.cfg.{c}" for c in ("StrOpt", "Opt", "URIOpt", "HostAddressOpt")
)

# The last parts of the names above.
_NAMED_LAST_PARTS = frozenset(n.rsplit(".", 1)[1] for n in (*_PASSWORD_POSITIONS, *_OSLO_OPTS))

# Names hardcoded-framework-secret-key reads (Django/Flask settings, `app.secret_key`).
_FRAMEWORK_KEYS = frozenset(
    {"SECRET_KEY", "SECRET_KEY_FALLBACKS", "JWT_SECRET_KEY", "WTF_CSRF_SECRET_KEY", "secret_key"}
)


@dataclass(frozen=True, slots=True)
class Candidate:
    node: ast.AST  # where to report
    name: str  # the secret name (or the parameter it is passed as)
    kind: Kind
    value: str
    how: str  # "is assigned", "is passed as", ... for the message
    fallback: bool = False  # the literal is an environment lookup's default


def candidates(ctx: ModuleContext) -> list[Candidate]:
    """Every literal credential of the module (computed once per module and shared)."""
    cached = ctx.memo.get("hardcoded-candidates")
    if cached is None:
        cached = list(_scan(ctx))
        if any(c.name in _FRAMEWORK_KEYS for c in cached):
            framework_lines = _framework_key_lines(ctx)
            cached = [c for c in cached if getattr(c.node, "lineno", 0) not in framework_lines]
        if cached:
            development = _development_settings(ctx)
            cached = [
                c
                for c in cached
                if id(ctx.statement(c.node)) not in development and not _made_up(c.node, ctx)
            ]
        ctx.memo["hardcoded-candidates"] = cached
    return cached  # type: ignore[return-value]


_SCANNED = frozenset(
    {ast.Assign, ast.AnnAssign, ast.Call, ast.Dict, ast.Compare}
    | {ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda}
)


def _scan(ctx: ModuleContext) -> Iterator[Candidate]:
    for node in ctx.nodes_of(_SCANNED):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                yield from _bound(target, node.value, ctx, "is assigned")
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            yield from _bound(node.target, node.value, ctx, "is assigned")
        elif isinstance(node, ast.Call):
            if node.keywords or _may_take_password(node):
                yield from _call(node, ctx)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                label = key.value if isinstance(key, ast.Constant) else None
                if (
                    isinstance(label, str)
                    and secret_kind(label) in _LITERAL_KINDS  # else `_literal` finds nothing
                    and not names_a_field(_text(value, ctx))
                ):
                    # {"password": "userPassword"} maps field names (LDAP attributes, ...)
                    yield from _literal(value, label, ctx, "is the value of key", value)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield from _defaults(node.args, ctx)
        elif (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.Eq, ast.NotEq))
        ):
            left, right = node.left, node.comparators[0]
            for name_side, literal_side in ((left, right), (right, left)):
                for name in target_names(name_side, ctx)[:1]:
                    if secret_kind(name) in _LITERAL_KINDS:  # else `_literal` finds nothing
                        yield from _literal(literal_side, name, ctx, "is compared with", node)


def _bound(target: ast.AST, value: ast.AST, ctx: ModuleContext, how: str) -> Iterator[Candidate]:
    if isinstance(target, (ast.Tuple, ast.List)):
        if isinstance(value, (ast.Tuple, ast.List)) and len(target.elts) == len(value.elts):
            for t, v in zip(target.elts, value.elts, strict=True):
                yield from _bound(t, v, ctx, how)
        return  # `a, b = "xy"` unpacks characters
    for name in target_names(target, ctx):
        if secret_kind(name) in _LITERAL_KINDS:  # else `_literal` finds nothing
            yield from _literal(value, name, ctx, how, value)


def _call(call: ast.Call, ctx: ModuleContext) -> Iterator[Candidate]:
    for kw in call.keywords:
        if kw.arg == "auth" and isinstance(kw.value, ast.Tuple):
            if len(kw.value.elts) == 2:  # requests' auth=("user", "password")
                second = kw.value.elts[1]
                yield from _literal(second, "auth", ctx, "is passed in", second, "auth")
        elif kw.arg and secret_kind(kw.arg) in _LITERAL_KINDS:
            yield from _literal(kw.value, kw.arg, ctx, "is passed as", kw.value)
    if not _may_take_password(call):
        return
    name = ctx.resolve(call.func)
    position = _PASSWORD_POSITIONS.get(name or "")
    if position is None and name is None and isinstance(call.func, ast.Attribute):
        position = 1 if call.func.attr in _PASSWORD_METHODS and len(call.args) == 2 else None
    if position is not None and position < len(call.args):
        argument = call.args[position]
        callee = (name or "").rsplit(".", 1)[-1] or getattr(call.func, "attr", "")
        how = "is passed as the password to"
        yield from _literal(argument, "password", ctx, how, argument, f"{callee}()")
    if name in _OSLO_OPTS and call.args:
        option = ctx.constant_value(call.args[0])
        default = keyword(call, "default")
        if default is not None and isinstance(option, str):
            yield from _literal(default, option, ctx, "is the default of option", default)


def _may_take_password(call: ast.Call) -> bool:
    """False for `x.attr(...)` that is neither a password API (its resolved name would end
    in `.attr`) nor a login method."""
    func = call.func
    return not (
        isinstance(func, ast.Attribute)
        and func.attr not in _NAMED_LAST_PARTS
        and (func.attr not in _PASSWORD_METHODS or len(call.args) != 2)
    )


def _text(node: ast.AST, ctx: ModuleContext) -> str:
    value = ctx.constant_value(node)
    return value if isinstance(value, str) else ""


# The kinds of secret reported here.
_LITERAL_KINDS = ("password", "secret", "key")
# Expressions that are never a literal secret (and are common as keyword values).
_NEVER_SECRET = (ast.Lambda, ast.Compare, ast.ListComp, ast.DictComp, ast.Dict, ast.List)


def _defaults(args: ast.arguments, ctx: ModuleContext) -> Iterator[Candidate]:
    if not args.defaults and not args.kw_defaults:
        return
    positional = [*args.posonlyargs, *args.args]
    pairs = list(
        zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
    )
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d]
    for arg, default in pairs:
        if secret_kind(arg.arg) in _LITERAL_KINDS:  # else `_literal` finds nothing
            yield from _literal(default, arg.arg, ctx, "is the default of parameter", default)


def _literal(
    value: ast.AST,
    name: str,
    ctx: ModuleContext,
    how: str,
    where: ast.AST,
    label: str | None = None,
) -> Iterator[Candidate]:
    kind = "password" if label else secret_kind(name)
    if kind not in _LITERAL_KINDS or isinstance(value, _NEVER_SECRET):
        return
    named = value.id if isinstance(value, ast.Name) else getattr(value, "attr", None)
    if isinstance(value, (ast.Name, ast.Attribute)) and secret_kind(named) is not None:
        return  # `password=DB_PASSWORD`: reported where DB_PASSWORD is bound, if anywhere
    literal: str | bytes | None = static_value(value, ctx)
    fallback = False
    if literal is None and not isinstance(value, ast.Name):
        literal, fallback = env_fallback(value, ctx), True
    if literal is None:
        return
    text = literal.decode("latin-1") if isinstance(literal, bytes) else literal
    if is_not_a_secret(text, name) or known_format(text) is not None:
        return
    if kind != "password" and not looks_like_token(text):
        return  # `token = "is not"` in a parser, `session_key = "_messages"`
    yield Candidate(where, label or name, kind, text, how, fallback)


def _framework_key_lines(ctx: ModuleContext) -> set[int]:
    """Lines where hardcoded-framework-secret-key reports a Django/Flask signing key."""
    hits = framework_key_hits(ctx)
    lines: set[int] = set()
    for hit in hits:
        first = getattr(hit.node, "lineno", 0)
        lines.update(range(first, (getattr(hit.node, "end_lineno", first) or first) + 1))
    return lines


def _development_settings(ctx: ModuleContext) -> set[int]:
    """The statements that write development or test settings: a settings module for
    development, tests or a build step (`settings/dev.py`, `build_settings.py`), or a config
    class for them (`class TestingConfig`). As hardcoded-framework-secret-key, the other
    secret rules leave them alone: no deployment loads them."""
    found: set[int] = set()
    for setting in settings(ctx):
        if not setting.development or setting.style not in ("module", "class"):
            continue
        if setting.style == "module" and not (is_development_file(ctx) and is_django_settings(ctx)):
            continue  # `if DEBUG:` at module level, or a module that is no settings module
        if setting.style == "class" and settings_class(setting.node, ctx) is None:
            continue
        found.add(id(ctx.statement(setting.node)))
    return found


# Words that name made-up data: what a callable or parameter so named returns or holds is
# shown instead of real data (`sample_url=lambda event: reverse(..., secret="k3x9...")`).
_SAMPLE_WORDS = frozenset(
    {"sample", "samples", "example", "examples", "preview", "previews", "demo", "dummy", "fake"}
    | {"fakes", "faker", "mock", "mocks", "fixture", "fixtures"}
)
# What test data is made of: `create_test_data`, `make_test_users` (not `test_connection`).
# One account alone (`create_test_user`) may be a real one a deployment keeps.
_TEST_DATA_NOUNS = frozenset({"data", "users", "accounts", "members", "content", "records"})
# The verb of a function that fills a database with made-up data: `seed_database`, `seed`
# (not a key's seed: `seed_from_passphrase`).
_SEED_VERBS = frozenset({"seed", "seeds"})
_SEEDED = _TEST_DATA_NOUNS | {"db", "database", "tables", "demo"}
# Placeholder words a check fills a template or a dry run with (`"password": "test"`).
_PLACEHOLDERS = frozenset(
    {"test", "testing", "dummy", "example", "sample", "placeholder", "fake", "foo", "bar"}
)
# Verbs of a function that only tries something out: `test_template`, `validate_settings`.
_PROBE_VERBS = frozenset({"test", "check", "validate"})


def _made_up(node: ast.AST, ctx: ModuleContext) -> bool:
    """The literal is made-up data, no credential: it sits in a callable named as a sample,
    example or preview (a `def`, or a lambda passed as such a parameter), in a function that
    makes test, demo or seed data (`create_test_data`, `seed_database`; as seeding commands,
    see `seeding`), is a placeholder password in a function that only tries something out
    (`"test"` filling a template in `test_template`), or sits in the
    `if __name__ == "__main__":` block of a package module (its self-test, which the
    application importing the module never runs)."""
    child, current = node, ctx.parent(node)
    while current is not None and not isinstance(current, ast.Module):
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if _makes_data(current.name) or _probe(node, current.name, ctx):
                return True
        elif isinstance(current, ast.Lambda):
            if _makes_data(_lambda_name(current, ctx)):
                return True
        elif is_main_guard(current) and child in current.body:
            return is_package_module(ctx)
        child, current = current, ctx.parent(current)
    return False


def _makes_data(name: str) -> bool:
    """The function is named for made-up data: a sample word, `test` before what test data
    is made of (`create_test_data`), or the verb `seed` of a database (`seed_database`)."""
    parts = words(name)
    if _SAMPLE_WORDS & set(parts) or "testdata" in parts:
        return True
    if parts and parts[0] in _SEED_VERBS and (len(parts) == 1 or _SEEDED & set(parts[1:])):
        return True
    tested = [i for i, w in enumerate(parts) if w in ("test", "testing")]
    return any(_TEST_DATA_NOUNS & set(parts[i + 1 :]) for i in tested)


def _probe(node: ast.AST, name: str, ctx: ModuleContext) -> bool:
    """A placeholder password in a function that only tries something out (`test…`,
    `check_…`, `validate_…`): it fills a template or a dry run, no login. A comparison is
    no probe (`password == "test"` lets anyone in)."""
    if isinstance(node, ast.Compare):
        return False
    first = (words(name) or [""])[0]
    if first not in _PROBE_VERBS and not first.startswith("test"):
        return False  # `testconnection`: one run-together word
    value = static_value(node, ctx)
    return isinstance(value, str) and value.strip().lower() in _PLACEHOLDERS


def _lambda_name(function: ast.Lambda, ctx: ModuleContext) -> str:
    """The name a lambda is given: the keyword or parameter it is passed as, the variable
    or dict key it is stored under; "" if none."""
    parent = ctx.parent(function)
    if isinstance(parent, ast.keyword):
        return parent.arg or ""
    if isinstance(parent, ast.Call):
        return parameter_name(parent, function, ctx) or ""
    if isinstance(parent, ast.Assign):
        return " ".join(n for t in parent.targets for n in target_names(t, ctx))
    if isinstance(parent, ast.Dict):
        for key, value in zip(parent.keys, parent.values, strict=True):
            label = ctx.constant_value(key) if value is function else None
            if isinstance(label, str):
                return label
    return ""


def message(candidate: Candidate) -> str:
    """The reviewer's sentence for one candidate."""
    what = {"password": "password", "secret": "secret", "key": "key"}[candidate.kind]
    if candidate.fallback:
        return (
            f"'{candidate.name}' falls back to a literal {what} when the environment "
            "variable is unset: a deployment that forgets it runs with a credential "
            "published in the source."
        )
    if is_well_known(candidate.value):
        return (
            f"A well-known default {what} {candidate.how} '{candidate.name}': it is the "
            "first one an attacker tries, and every installation that keeps it shares it."
        )
    return (
        f"A literal {what} {candidate.how} '{candidate.name}': anyone who can read the "
        "source, a package or an image has it, and it cannot be rotated without a release."
    )


def confidence(candidate: Candidate) -> str | None:
    return "medium" if candidate.fallback or is_well_known(candidate.value) else None
