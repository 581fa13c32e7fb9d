"""The per-module indexes and text checks that let rules skip work: each must never rule
out a node where the full check would find something (a speed change keeps findings)."""

from __future__ import annotations

import ast

from secreview.python.access.passwords import hashing_classes
from secreview.python.context import _statements_around, span, within
from secreview.python.symbols import statement_fields
from secreview.python.taint.shapes import dotted, short
from secreview.rules.network.weak_tls_setting import _may_turn_off
from secreview.rules.support.request_data import may_read_client
from tests._context import module_context

_MODULE = """
import ssl

@decorator
def first(request):
    sid = request.cookies.get("sid")
    if sid:
        return 1
    try:
        x = 1
    except ValueError as exc:
        y = 2
    else:
        z = 3
    finally:
        pass
    match x:
        case 1 if y:
            a = 1; b = 2
        case _:
            pass


class Holder:
    def method(self):
        return check_password(self.p)

    @property
    def other(self):
        return [i for i in range(3)]
"""


def _linear(tree: ast.AST, node: ast.AST) -> list[ast.AST]:
    """The statements around `node` by a scan of every span (what the index replaces)."""
    start = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
    end = (node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
    path: list[ast.AST] = []
    items = list(getattr(tree, "body", []))
    while True:
        for item in items:
            first, last = span(item)
            if first <= start and end <= last:
                path.append(item)
                fields = statement_fields(item.__class__)
                items = [s for name in fields for s in getattr(item, name)]
                break
        else:
            return path


def test_statements_around_by_binary_search_agree_with_a_scan():
    ctx = module_context(_MODULE)
    blocks: dict = {}
    placed = [n for n in ast.walk(ctx.tree) if getattr(n, "end_lineno", None) is not None]
    assert len(placed) > 50
    for node in placed:
        assert _statements_around(ctx.tree, node, blocks) == _linear(ctx.tree, node), node


def test_within_a_node_lines():
    node = ast.parse("def f():\n    a = 1\n    b = 2\n").body[0]
    assert within([2], node)
    assert within([1, 9], node)
    assert not within([], node)
    assert not within([4, 5], node)
    assert within([], ast.arguments())  # no position: nothing rules it out


def test_may_call_finds_calls_by_last_name_within_a_function():
    ctx = module_context(_MODULE)
    first, holder = ctx.tree.body[1], ctx.tree.body[2]
    method = holder.body[0]
    names = frozenset({"check_password"})
    assert ctx.may_call(method, names)
    assert ctx.may_call(holder, names)
    assert not ctx.may_call(first, names)


def test_may_read_client_finds_request_parts_within_a_function():
    ctx = module_context(_MODULE)
    first, holder = ctx.tree.body[1], ctx.tree.body[2]
    assert may_read_client(first, ctx)
    assert not may_read_client(holder, ctx)
    assert not may_read_client(first, module_context("def f(r):\n    return r.cookies\n"))


def test_may_name_is_true_for_non_ascii_text():
    assert module_context("x = 1\n").may_name("x")
    assert not module_context("x = 1\n").may_name("password")
    assert module_context("\uff50assword = 1\n").may_name("password")  # NFKC: `password`


def test_password_type_found_through_escapes_and_joined_strings():
    """`ast.unparse` writes a string's value: "PasswordType" may be in it and not in the
    text (escapes, implicit concatenation); the class still hashes on the way in."""
    for value in ('"Password" "Type"', '"\\x50asswordType"'):
        ctx = module_context(f"class Account(Base):\n    kind = {value}\n")
        assert list(hashing_classes(ctx)) == ["Account"], value
    assert list(hashing_classes(module_context("class Account(Base):\n    kind = 1\n"))) == []


def test_dotted_is_unparse_for_names_and_attribute_chains():
    for text in ("a", "a.b", "self.store.get", "x.y.z.w"):
        node = ast.parse(text, mode="eval").body
        assert dotted(node) == ast.unparse(node) == short(node)
    for text in ("a().b", "a[0].b", "(1).real", "'s'.join"):
        assert dotted(ast.parse(text, mode="eval").body) is None


def test_turning_verification_off_under_an_alias_is_not_ruled_out():
    plain = module_context("if x:\n    a = 1\nif y:\n    get(u, verify=False)\n")
    first, second = plain.tree.body
    assert not _may_turn_off(first, plain)
    assert _may_turn_off(second, plain)
    aliased = module_context("from ssl import CERT_NONE as NONE\nif x:\n    mode = NONE\n")
    assert _may_turn_off(aliased.tree.body[1], aliased)
