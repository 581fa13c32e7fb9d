"""Phase 1 of `password-stored-in-plaintext`: where a module stores a password the client
typed, and whether its classes hash a password on the way in.

A store is `obj.password = <typed>` or a model built with `password=<typed>` (a class of
the project that is a stored model, or Django's `Model.objects.create`), where the typed
value is request data (`request.form`, `request.POST`), a form field
(`form.password.data`, `form.cleaned_data["password"]`) or a local holding one, and no call
transforms it (`generate_password_hash(...)`, `make_password(...)`). A class hashes on the
way in when it has a `password` setter (`@password.setter`, SQLAlchemy's
`@validates("password")`), a `password` descriptor (`synonym(..., descriptor=property(get,
set))`), a `PasswordType` column, a `set_password` that hashes, or an `__init__` that
hashes: then assigning the typed password is right, and the whole-program pass reports no
attribute store in that package.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace
from typing import NamedTuple

from secreview import lazyre
from secreview.model import Finding
from secreview.python.context import ModuleContext
from secreview.rules import RuleMeta, get_rule
from secreview.rules.support.bindings import assigned_values
from secreview.rules.support.request_data import client_reads

RULE = "password-stored-in-plaintext"
_PASSWORD_FIELDS = frozenset({"password", "passwd", "pwd", "user_password"})
# values that only carry the typed text on (no hashing)
_CARRIERS = frozenset({"get", "strip", "str", "getlist"})
# base classes of stored models
_MODEL_BASE = lazyre.compile(r"Model$|^Base$|DeclarativeBase$|Document$|^Abstract\w*User$|^User$")


def hashing_classes(ctx: ModuleContext) -> Iterator[str]:
    """Classes of the module that hash a password assigned to them."""
    mentions = _Mentions(
        typed=_may_write_password_type(ctx),
        validates=ctx.may_name("validates"),
        hashing=any(map(ctx.may_name, ("hash", "make_password", "set_password"))),
    )
    for node in ctx.tree.body:
        if isinstance(node, ast.ClassDef) and _hashes_on_the_way_in(node, mentions):
            yield node.name


class _Mentions(NamedTuple):
    """What a module may hold, by a text search: each test below that needs it is skipped
    where it cannot hold, and neutron's every class is checked."""

    typed: bool  # "PasswordType" as `ast.unparse` writes a class (`_may_write_password_type`)
    validates: bool  # a name `validates`
    hashing: bool  # a name holding "hash", or `make_password`, `set_password`


_ANY = _Mentions(True, True, True)


def _may_write_password_type(ctx: ModuleContext) -> bool:
    """Whether `ast.unparse` of a class may hold "PasswordType": only from an identifier
    (`ctx.may_name`) or a string's value (a string's escapes start with a backslash and
    cannot end in "P..."). Unparsing every class costs more than the rest of the module's
    access facts."""
    word = "PasswordType"
    return ctx.may_name(word) or word in "\0".join(ctx.string_values)


def model_classes(ctx: ModuleContext) -> Iterator[str]:
    """Classes of the module that are stored models (an ORM's or a document store's)."""
    for node in ctx.tree.body:
        if isinstance(node, ast.ClassDef) and any(_MODEL_BASE.search(_name(b)) for b in node.bases):
            yield node.name


def _hashes_on_the_way_in(cls: ast.ClassDef, mentions: _Mentions = _ANY) -> bool:
    if mentions.typed and "PasswordType" in ast.unparse(cls):
        return True
    for item in cls.body:
        if (
            isinstance(item, ast.Assign)
            and any(getattr(t, "id", "") in _PASSWORD_FIELDS for t in item.targets)
            and isinstance(item.value, ast.Call)
            and _name(item.value) not in ("Column", "CharField", "StringField", "mapped_column")
        ):
            return True  # `password = synonym("_password", descriptor=property(get, set))`
        if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if (
            "set_password" in item.name
            and mentions.hashing
            and any("hash" in _name(call) for call in ast.walk(item) if isinstance(call, ast.Call))
        ):
            return True
        for decorator in item.decorator_list:
            if item.name not in _PASSWORD_FIELDS and not (
                mentions.validates and _calls_validates(decorator)
            ):
                continue  # neither test below can hold: no text to write
            text = ast.unparse(decorator)
            if item.name in _PASSWORD_FIELDS and text.endswith(".setter"):
                return True
            if text.startswith("validates(") and "password" in text:
                return True
        if (
            item.name == "__init__"
            and mentions.hashing
            and any(
                "hash" in _name(call) or _name(call) in ("make_password", "set_password")
                for call in ast.walk(item)
                if isinstance(call, ast.Call)
            )
        ):
            return True
    return False


def _calls_validates(decorator: ast.expr) -> bool:
    """A decorator whose text may start with `validates(`: one calling a name `validates`."""
    return any(
        isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id == "validates"
        for sub in ast.walk(decorator)
    )


def _name(call: ast.AST) -> str:
    func = call.func if isinstance(call, ast.Call) else call
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def plaintext_stores(ctx: ModuleContext) -> Iterator[tuple[str, Finding]]:
    """(the class built, or "" for an attribute store, the finding) of every store."""
    if "password" not in ctx.source.text and "passwd" not in ctx.source.text:
        return
    for node in ctx.nodes:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr in _PASSWORD_FIELDS
                    and _typed(node.value, node, ctx)
                ):
                    yield "", _finding(node, f"`{ast.unparse(target)}`", ctx)
        elif isinstance(node, ast.Call):
            built = _built(node)
            if not built:
                continue
            for kw in node.keywords:
                if kw.arg in _PASSWORD_FIELDS and _typed(kw.value, node, ctx):
                    yield built, _finding(node, f"`{built}(..., {kw.arg}=...)`", ctx)


def _built(call: ast.Call) -> str:
    """The model a call builds: `Account` of `Account(...)`, `User.objects.create` of
    `User.objects.create(...)`; else ""."""
    func = call.func
    if isinstance(func, ast.Name) and func.id[:1].isupper():
        return func.id
    if (
        isinstance(func, ast.Attribute)
        and func.attr in ("create", "get_or_create", "update_or_create")
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "objects"
    ):
        return f"{_name(func.value.value) or 'model'}.objects.{func.attr}"
    return ""


def _typed(value: ast.expr, at: ast.AST, ctx: ModuleContext, depth: int = 0) -> bool:
    """The value is the text the client typed, passed on unchanged."""
    if isinstance(value, ast.Call):
        if _name(value) not in _CARRIERS:
            return False
        if isinstance(value.func, ast.Attribute) and _typed(value.func.value, at, ctx, depth):
            return True
        return any(_typed(arg, at, ctx, depth) for arg in value.args[:1])
    if next(client_reads(value), None) is not None:
        return True
    if isinstance(value, ast.Attribute) and value.attr == "data":
        return _name(value.value) != "request" and "form" in ast.unparse(value.value).lower()
    if isinstance(value, ast.Subscript) and _name(value.value) == "cleaned_data":
        return True
    if isinstance(value, ast.Name) and depth < 2:
        values = assigned_values(value.id, at, ctx)
        return bool(values) and all(_typed(v, at, ctx, depth + 1) for v in values)
    return False


def _finding(node: ast.AST, store: str, ctx: ModuleContext) -> Finding:
    from secreview.python.analyzer import make_finding  # the analyzer imports this module

    meta = get_rule(RULE)
    assert isinstance(meta, RuleMeta)
    finding = make_finding(meta, node, ctx, store)
    line = getattr(node, "lineno", 1)
    return replace(finding, region=(line, getattr(node, "end_lineno", line) or line))
