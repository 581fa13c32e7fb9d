"""What `taint/html_responses.py` reads from a handler: content types, `|safe`, script text."""

from __future__ import annotations

import ast
import textwrap

from _context import module_context

from secreview.python.taint import html_responses
from secreview.python.taint.raw_templates import raw_in_text
from secreview.python.taint.weak import _script_context


def _function(text: str):
    ctx = module_context(textwrap.dedent(text))
    fn = next(n for n in ast.walk(ctx.tree) if isinstance(n, ast.FunctionDef))
    return fn, ctx


def test_declared_types_from_every_way_a_handler_sets_one() -> None:
    fn, ctx = _function(
        """
        def handler(self, environ, start_response, resp):
            self.send_header("Content-Type", "text/HTML; charset=utf-8")
            start_response("200 OK", [("content-type", "text/plain"), ("X-A", "b")])
            resp.headers["Content-Type"] = "text/csv"
            resp.mimetype = "application/json"
        """
    )
    assert sorted(html_responses.declared_types(fn, ctx)) == [
        "application/json",
        "text/csv",
        "text/html; charset=utf-8",
        "text/plain",
    ]
    assert html_responses.serves_other(fn, ctx)
    assert not html_responses.serves_html(fn, ctx)


def test_odd_header_calls_are_no_content_type() -> None:
    fn, ctx = _function(
        """
        def handler(self, start_response, headers, name):
            self.send_header(*headers)
            self.send_header("Content-Type")
            start_response("200 OK", headers)
            start_response("200 OK", [(*headers,), ("Content-Type", name)])
        """
    )
    assert html_responses.declared_types(fn, ctx) == ()
    assert not html_responses.serves_html(fn, ctx)
    assert not html_responses.serves_other(fn, ctx)


def test_returned_headers_leave_a_body_html_unless_they_set_another_type() -> None:
    ctx = module_context("x = 1")
    parse = lambda text: ast.parse(text, mode="eval").body  # noqa: E731
    assert html_responses.html_headers(parse('{"X-Frame-Options": "DENY"}'), ctx)
    assert html_responses.html_headers(parse('{"Content-Type": "text/html"}'), ctx)
    assert not html_responses.html_headers(parse('{"Content-Type": "text/plain"}'), ctx)
    assert not html_responses.html_headers(parse("{**extra}"), ctx)
    assert not html_responses.html_headers(parse("headers"), ctx)


def test_safe_filtered_names() -> None:
    found = raw_in_text(
        "{{ a|safe }} {{b | striptags | safe}} {{- c|e }} {{ d|truncate(3)|safe }} {{ e }}"
    )
    assert [write.name for write in found] == ["a", "b", "d"]


def test_script_context() -> None:
    assert _script_context("<p>") is None
    assert _script_context("<script>var a = ") == ""
    assert _script_context("<script type='module'>var a = '") == "'"
    assert _script_context("<script>var a = 'it\\'s") == "'"
    assert _script_context("<script>var a = `x ${1} ") == "`"
    assert _script_context("<script>go();</script><p>") is None
    assert _script_context(None) is None
