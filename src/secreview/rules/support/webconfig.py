"""Web framework configuration as written in the source: settings, app objects, env fallbacks.

Several rules ask the same questions: which settings does this module write (Django's
module-level `DEBUG = True`, a Flask config class, `app.config["SECRET_KEY"] = ...`,
`app.config.update(SESSION_COOKIE_SECURE=False)`), is that write meant for development
(`settings/dev.py`, `class TestingConfig`, `if DEBUG:`), is this object a Flask app, and
what does `os.environ.get("DEBUG", "true")` give when the variable is not set. The answers
are computed once per module and kept on the context.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules.support.bindings import enclosing_class, producers
from secreview.rules.support.names import words

# Words that mark a file, class, function or branch as development/test configuration: a
# reviewer expects DEBUG = True in settings/dev.py and in `class TestingConfig`.
DEV_WORDS = frozenset(
    {"dev", "devel", "develop", "development", "local", "test", "tests", "testing", "ci", "debug"}
)
# The same for file names, less "debug": `debug_toolbar.py` or `flask-debug.py` is no config.
_FILE_DEV_WORDS = DEV_WORDS - {"debug"}
# Words that name a configuration module (`build_settings.py`, `config_build.py`).
_SETTINGS_WORDS = frozenset({"settings", "config", "conf"})
# Settings every Django settings module sets; two of them make a module one.
_DJANGO_SETTINGS = frozenset(
    {
        "INSTALLED_APPS",
        "MIDDLEWARE",
        "MIDDLEWARE_CLASSES",
        "ROOT_URLCONF",
        "WSGI_APPLICATION",
        "ASGI_APPLICATION",
        "DATABASES",
        "TEMPLATES",
        "AUTH_PASSWORD_VALIDATORS",
        "STATIC_URL",
        "ALLOWED_HOSTS",
        "SECRET_KEY",
    }
)
_FLASK_APPS = frozenset(
    {"flask.Flask", "flask.app.Flask", "quart.Quart", "connexion.FlaskApp", "connexion.App"}
)
_FLASK_PROXIES = frozenset({"flask.current_app", "quart.current_app"})
# An env lookup with no default: the program stops (KeyError, ImproperlyConfigured).
_UNSET = object()
# os functions that read a variable, `default` second (None when not given).
_OS_GETTERS = frozenset({"os.environ.get", "os.getenv", "os.getenvb", "os.environ.setdefault"})

Style = Literal["module", "class", "app-config", "app-attribute"]


@dataclass(frozen=True, slots=True)
class Setting:
    """One configuration write: `KEY = value` and where it was written."""

    key: str
    value: ast.expr
    node: ast.AST  # what a finding points at
    style: Style
    receiver: ast.expr | None  # `app` of `app.config[...]` / `app.debug`
    development: bool  # written for development or tests


def settings(ctx: ModuleContext) -> list[Setting]:
    """Every configuration write of the module, in source order (cached on the context)."""
    cached = ctx.memo.get("web-settings")
    if cached is None:
        cached = ctx.memo["web-settings"] = sorted(
            _collect(ctx), key=lambda s: (_line(s.node), getattr(s.node, "col_offset", 0))
        )
    return cached  # type: ignore[return-value]


def module_settings(ctx: ModuleContext) -> dict[str, list[Setting]]:
    """Module-level and config-class writes by key (Django settings, Flask config objects)."""
    out: dict[str, list[Setting]] = {}
    for setting in settings(ctx):
        if setting.style in ("module", "class"):
            out.setdefault(setting.key, []).append(setting)
    return out


def is_development_file(ctx: ModuleContext) -> bool:
    """`settings/dev.py`, `local_settings.py`, `config_test.py`: development configuration;
    `build_settings.py`, `settings/build.py`: the settings a packaging step runs
    collectstatic or compilemessages with, which no deployment loads."""
    path = PurePosixPath(ctx.source.path)
    stem = set(words(path.stem))
    if "build" in stem and (stem & _SETTINGS_WORDS or path.parent.name == "settings"):
        return True
    return bool(_FILE_DEV_WORDS & stem)


def is_base_settings_file(ctx: ModuleContext) -> bool:
    """`settings/base.py`, `common.py`, `defaults.py`: values a deployment file overrides."""
    stem = PurePosixPath(ctx.source.path).stem
    return bool({"base", "common", "default", "defaults", "global", "shared"} & set(words(stem)))


def is_django_settings(ctx: ModuleContext) -> bool:
    """Named like one (`settings.py`, `settings/prod.py`, `*_settings.py`) or setting two of
    the names only a Django settings module sets."""
    path = PurePosixPath(ctx.source.path)
    if "settings" in words(path.stem) or path.parent.name == "settings":
        return True
    names = {s.key for s in settings(ctx) if s.style == "module" and s.key in _DJANGO_SETTINGS}
    return len(names) >= 2


def settings_class(node: ast.AST, ctx: ModuleContext) -> Literal["django", "flask"] | None:
    """What the class holding a class-level setting configures.

    django-configurations classes (`class Prod(Configuration)`) and classes of a Django
    settings module configure Django; other classes named `*Config*`/`*Settings*` are
    Flask-style config objects (`app.config.from_object(ProductionConfig)`)."""
    owner = enclosing_class(node, ctx)
    if owner is None:
        return None
    if any(b.startswith("configurations.") for b in class_bases(owner, ctx)) or (
        is_django_settings(ctx)
    ):
        return "django"
    if {"config", "configuration", "settings"} & set(words(owner.name)):
        return "flask"
    return None


def class_bases(cls: ast.ClassDef, ctx: ModuleContext) -> set[str]:
    """Qualified names of a class's bases, through classes defined in the same module."""
    local = {s.name: s for s in ctx.tree.body if isinstance(s, ast.ClassDef)}
    found: set[str] = set()
    pending, seen = [cls], {cls.name}
    while pending:
        current = pending.pop()
        for base in current.bases:
            name = ctx.resolve(base) or ""
            found.add(name)
            short = name.removeprefix(ctx.symbols.module + ".")
            if short in local and short not in seen:
                seen.add(short)
                pending.append(local[short])
    return found


def imports_any(ctx: ModuleContext, *prefixes: str) -> bool:
    return any(ctx.symbols.imports(p) for p in prefixes)


def flask_app(node: ast.expr | None, ctx: ModuleContext) -> Literal["high", "medium"] | None:
    """How sure we are that `node` is a Flask/Quart application object."""
    if node is None:
        return None
    if ctx.resolve(node) in _FLASK_PROXIES:
        return "high"
    made = producers(node, ctx)
    if made & _FLASK_APPS:
        return "high"
    if imports_any(ctx, "flask", "quart") and _names_an_app(node):
        return "medium"
    return None


def _names_an_app(node: ast.expr) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    parts = words(name)
    return bool(parts) and parts[-1] in ("app", "application")


# --- environment fallbacks ----------------------------------------------------------------
UNLESS_ENV = " whenever the environment variable is unset"  # for messages about fallbacks


def switched_on(node: ast.expr | None, ctx: ModuleContext) -> bool | None:
    """Is a flag (DEBUG) on? True when it is written so, False when it is on only because no
    environment variable overrides it (`os.getenv("DEBUG", "1") == "1"`), None when off."""
    if fallback(node, ctx) is not True:
        return None
    return ctx.constant_value(node) is True


def fallback(node: ast.expr | None, ctx: ModuleContext, depth: int = 0) -> object:
    """The value `node` takes when no environment variable is set; NotImplemented if the
    expression cannot be evaluated, `_UNSET` if the program would stop instead.

    `os.environ.get("DEBUG", "1") == "1"` -> True; `os.getenv("KEY") or "dev-key"` -> "dev-key".
    """
    if node is None or depth > 8:
        return NotImplemented
    value = ctx.constant_value(node)
    if value is not NotImplemented:
        return value
    if isinstance(node, ast.Subscript) and ctx.resolve(node.value) == "os.environ":
        return _UNSET
    if isinstance(node, ast.Call):
        lookup = env_default(node, ctx)
        if lookup is not None:
            found, default = lookup
            if not found:
                return _UNSET
            return None if default is None else fallback(default, ctx, depth + 1)
        return _call_fallback(node, ctx, depth)
    if isinstance(node, ast.BoolOp):
        result: object = NotImplemented
        for operand in node.values:
            result = fallback(operand, ctx, depth + 1)
            if result is NotImplemented or result is _UNSET:
                return result
            if isinstance(node.op, ast.Or) == bool(result):
                return result
        return result
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left = fallback(node.left, ctx, depth + 1)
        right = fallback(node.comparators[0], ctx, depth + 1)
        if NotImplemented in (left, right) or _UNSET in (left, right):
            return NotImplemented if NotImplemented in (left, right) else _UNSET
        try:
            return _compare(node.ops[0], left, right)
        except TypeError:
            return NotImplemented
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = fallback(node.operand, ctx, depth + 1)
        return inner if inner is NotImplemented or inner is _UNSET else not inner
    return NotImplemented


def env_default(call: ast.Call, ctx: ModuleContext) -> tuple[bool, ast.expr | None] | None:
    """An environment lookup: (has a default, the default expression); None if not one.

    os.environ.get / os.getenv / os.environ.setdefault, python-decouple's `config`, and
    django-environ's `env(...)`, `env.bool(...)` on an `environ.Env()` object."""
    name = ctx.resolve(call.func)
    if name in _OS_GETTERS:
        default = argument(call, 1, "default")
        return True, default  # no default: None
    if name in ("decouple.config", "decouple.AutoConfig"):
        default = keyword(call, "default")
        return (default is not None), default
    func = call.func
    env_object = func if isinstance(func, ast.Name) else None
    if isinstance(func, ast.Attribute):
        env_object = func.value
    if env_object is not None and any(
        p in ("environ.Env", "environ.environ.Env") for p in producers(env_object, ctx)
    ):
        default = argument(call, 1, "default")
        return (default is not None), default
    return None


def is_env_lookup(node: ast.expr | None, ctx: ModuleContext) -> bool:
    """`os.environ[...]`, or a call `env_default` knows."""
    if isinstance(node, ast.Subscript):
        return ctx.resolve(node.value) == "os.environ"
    return isinstance(node, ast.Call) and env_default(node, ctx) is not None


def unset(value: object) -> bool:
    return value is _UNSET


def _call_fallback(call: ast.Call, ctx: ModuleContext, depth: int) -> object:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in ("lower", "upper", "strip", "casefold"):
        inner = fallback(func.value, ctx, depth + 1)
        if isinstance(inner, str):
            return getattr(inner, func.attr)()
        return inner if inner is _UNSET else NotImplemented
    if isinstance(func, ast.Attribute) and func.attr == "split":
        inner = fallback(func.value, ctx, depth + 1)
        sep = fallback(argument(call, 0, "sep"), ctx, depth + 1) if call.args else None
        if isinstance(inner, str) and (sep is None or (isinstance(sep, str) and sep)):
            return inner.split(sep)
        return inner if inner is _UNSET else NotImplemented
    name = ctx.resolve(func)
    if name in ("builtins.bool", "builtins.int", "builtins.str") and len(call.args) == 1:
        inner = fallback(call.args[0], ctx, depth + 1)
        if inner is NotImplemented or inner is _UNSET:
            return inner
        try:
            return {"builtins.bool": bool, "builtins.int": int, "builtins.str": str}[name](inner)
        except (TypeError, ValueError, ArithmeticError):  # int(1e999) overflows
            return NotImplemented
    return NotImplemented


def _compare(op: ast.cmpop, left: object, right: object) -> bool:
    if isinstance(op, ast.Eq):
        return left == right
    if isinstance(op, ast.NotEq):
        return left != right
    if isinstance(op, ast.In):
        return left in right  # type: ignore[operator]
    if isinstance(op, ast.NotIn):
        return left not in right  # type: ignore[operator]
    raise TypeError("unsupported comparison")


# --- collection --------------------------------------------------------------------------
def _collect(ctx: ModuleContext) -> Iterator[Setting]:
    dev_file = is_development_file(ctx)
    yield from _block(ctx.tree.body, ctx, dev_file, in_class=None)
    for node in ctx.nodes_of(_WRITES):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                yield from _app_write(target, node.value, ctx)
        elif isinstance(node, ast.Call):
            yield from _config_update(node, ctx)


_WRITES = frozenset({ast.Assign, ast.Call})


def _block(
    body: list[ast.stmt], ctx: ModuleContext, dev: bool, in_class: ast.ClassDef | None
) -> Iterator[Setting]:
    """Module-level (and config-class) statements, through if/try/with blocks."""
    style: Style = "module" if in_class is None else "class"
    for statement in body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            value = statement.value
            if value is None:
                continue
            for target in targets:
                if isinstance(target, ast.Name) and target.id.isupper():
                    yield Setting(target.id, value, target, style, None, dev)
        elif isinstance(statement, ast.ClassDef) and in_class is None:
            class_dev = dev or bool(DEV_WORDS & set(words(statement.name)))
            yield from _block(statement.body, ctx, class_dev, statement)
        elif isinstance(statement, ast.If):
            body_dev, else_dev = _branch_is_dev(statement.test, ctx)
            yield from _block(statement.body, ctx, dev or body_dev, in_class)
            yield from _block(statement.orelse, ctx, dev or else_dev, in_class)
        elif isinstance(statement, ast.Try | ast.TryStar):
            for part in (statement.body, statement.orelse, statement.finalbody):
                yield from _block(part, ctx, dev, in_class)
            for handler in statement.handlers:
                yield from _block(handler.body, ctx, dev, in_class)
        elif isinstance(statement, ast.With):
            yield from _block(statement.body, ctx, dev, in_class)


def _app_write(target: ast.expr, value: ast.expr, ctx: ModuleContext) -> Iterator[Setting]:
    """`app.config["KEY"] = v` and `app.debug = v` / `app.secret_key = v`."""
    if isinstance(target, ast.Subscript):
        owner = target.value
        key = ctx.constant_value(target.slice)
        if isinstance(owner, ast.Attribute) and owner.attr == "config" and isinstance(key, str):
            dev = is_development_code(target, ctx)
            yield Setting(key, value, target, "app-config", owner.value, dev)
    elif isinstance(target, ast.Attribute) and target.attr in ("debug", "secret_key", "testing"):
        dev = is_development_code(target, ctx)
        yield Setting(target.attr, value, target, "app-attribute", target.value, dev)


def _config_update(call: ast.Call, ctx: ModuleContext) -> Iterator[Setting]:
    """`app.config.update(KEY=v)`, `.update({"KEY": v})`, `.from_mapping(...)`."""
    func = call.func
    if not (
        isinstance(func, ast.Attribute)
        and func.attr in ("update", "from_mapping", "setdefault")
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "config"
    ):
        return
    receiver = func.value.value
    dev = is_development_code(call, ctx)
    if func.attr == "setdefault":
        key = ctx.constant_value(argument(call, 0))
        value = argument(call, 1)
        if isinstance(key, str) and value is not None:
            yield Setting(key, value, call, "app-config", receiver, dev)
        return
    for kw in call.keywords:
        if kw.arg is not None:
            yield Setting(kw.arg, kw.value, kw.value, "app-config", receiver, dev)
    for arg in call.args:
        if isinstance(arg, ast.Dict):
            for key_node, value in zip(arg.keys, arg.values, strict=True):
                key = ctx.constant_value(key_node)
                if isinstance(key, str):
                    yield Setting(key, value, key_node or value, "app-config", receiver, dev)


def _branch_is_dev(test: ast.expr, ctx: ModuleContext) -> tuple[bool, bool]:
    """(body is development-only, else-branch is development-only) for an `if` test."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        body, orelse = _branch_is_dev(test.operand, ctx)
        return orelse, body
    if isinstance(test, (ast.Name, ast.Attribute)):
        return _mentions_dev(test), False
    if isinstance(test, ast.Call):
        return _mentions_dev(test.func), False
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        other = ctx.constant_value(test.comparators[0])
        texts = other if isinstance(other, (tuple, list, set, frozenset)) else (other,)
        dev_value = any(isinstance(t, str) and DEV_WORDS & set(words(t)) for t in texts)
        if dev_value or ctx.constant_value(test.comparators[0]) is True:
            dev_value = dev_value or _mentions_dev(test.left)
            if isinstance(test.ops[0], (ast.Eq, ast.In, ast.Is)):
                return dev_value, False
            if isinstance(test.ops[0], (ast.NotEq, ast.NotIn, ast.IsNot)):
                return False, dev_value
    return False, False


def _mentions_dev(node: ast.expr) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return bool(DEV_WORDS & set(words(name)))


def is_development_code(node: ast.AST, ctx: ModuleContext) -> bool:
    """In a development file, a dev/test-named function or class, or an `if DEBUG:` branch."""
    if is_development_file(ctx):
        return True
    child = node
    current = ctx.parent(node)
    while current is not None:
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if DEV_WORDS & set(words(current.name)):
                return True
        elif isinstance(current, ast.If) and child is not current.test:
            body_dev, else_dev = _branch_is_dev(current.test, ctx)
            if (body_dev and child in current.body) or (else_dev and child in current.orelse):
                return True
        child = current
        current = ctx.parent(current)
    return False


def _line(node: ast.AST) -> int:
    return getattr(node, "lineno", 0)
