"""Markdown extensions of the tree that clean the HTML Markdown renders.

Python-Markdown passes the source's raw HTML through (`<img src=x onerror=…>` stays), so
what `markdown.markdown(text)` returns is the text's data for xss. A project makes it safe
with an extension of its own whose `extendMarkdown` registers a postprocessor whose `run`
returns its text through an HTML sanitizer (`bleach.clean`, `nh3.clean`, a helper of the
tree that returns one): then what the render returns is clean.

Three parts, one per phase:
- per module (`registered_postprocessors`): for each class with an `extendMarkdown`, the
  postprocessor classes it registers to run after Markdown puts the raw HTML back (the
  `raw_html` postprocessor, priority 30: postprocessors run from the highest priority down,
  so one registered above it cleans a text that does not hold the raw HTML yet, and a
  treeprocessor never sees it);
- per function (`extension_marks`): a render (`markdown.markdown(t, extensions=[...])`,
  `markdown.Markdown(extensions=[...]).convert(t)`) marks its result `EXTENSION` + the call
  site of each extension of the tree the list holds (`Ext()`: a call result, `CallRet`);
- whole program (`cleaning_postprocessor`): a mark whose call site builds an extension
  that registers such a postprocessor makes the result safe for xss (`solve.settle`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from secreview.python.context import ModuleContext
from secreview.python.taint.summary import EXTENSION, CallRet, FunctionSummary, TVal, is_cleared

# `markdown.markdown(text, extensions=[...])`, and the method of `markdown.Markdown(...)`
RENDERS = frozenset({"markdown.markdown", "markdown.core.markdown"})
CONVERTS = frozenset({"markdown.Markdown.convert", "markdown.core.Markdown.convert"})
RAW_HTML_PRIORITY = 30  # markdown.postprocessors.RawHtmlPostprocessor's
MAX_DEPTH = 3  # helpers returning helpers' results that clean


def registered_postprocessors(ctx: ModuleContext, node: ast.ClassDef) -> tuple[str, ...] | None:
    """The postprocessor classes the class's `extendMarkdown` registers after `raw_html`
    (`md.postprocessors.register(Clean(), "clean", 5)`); None: it defines no
    `extendMarkdown` (a base class's decides)."""
    method = next(
        (
            item
            for item in node.body
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
            and item.name == "extendMarkdown"
        ),
        None,
    )
    if method is None:
        return None
    found: list[str] = []
    for call in ast.walk(method):
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "register"
            and isinstance(call.func.value, ast.Attribute)
            and call.func.value.attr == "postprocessors"
            and call.args
            and isinstance(call.args[0], ast.Call)
        ):
            continue
        if _after_raw_html(call):
            name = ctx.resolve(call.args[0].func)
            if name is not None:
                found.append(name)
    return tuple(found)


def _after_raw_html(call: ast.Call) -> bool:
    """Whether `register(item, name, priority)` runs the item after `raw_html`."""
    priority = call.args[2] if len(call.args) > 2 else None
    for keyword in call.keywords:
        if keyword.arg == "priority":
            priority = keyword.value
    return (
        isinstance(priority, ast.Constant)
        and isinstance(priority.value, (int, float))
        and priority.value < RAW_HTML_PRIORITY
    )


def extension_marks(
    qualified: str | None, extensions: TVal | None, receiver: TVal | None
) -> frozenset[str]:
    """The marks a render's result takes: one per extension of the tree it was given (the
    call results in its `extensions=` list, or in the `Markdown` object it converts with)."""
    if qualified in RENDERS:
        given = extensions
    elif qualified in CONVERTS:
        given = receiver
    else:
        return frozenset()
    return frozenset(f"{EXTENSION}{label.call}" for label in given or () if type(label) is CallRet)


def cleaning_postprocessor(
    mro: tuple[str, ...],
    registered: dict[str, tuple[str, ...]],
    method: Callable[[str, str], FunctionSummary | None],
    lookup: Callable[[str], tuple[tuple[FunctionSummary, bool], ...]],
) -> str | None:
    """The postprocessor class an extension class (`mro`) registers after `raw_html` whose
    `run` cleans its text for xss (None: none does)."""
    for klass in mro:
        postprocessors = registered.get(klass)
        if postprocessors is None:
            continue
        for postprocessor in postprocessors:
            run = method(postprocessor, "run")
            if run is not None and _returns_clean(run, lookup, 0):
                return postprocessor
        return None
    return None


def _returns_clean(
    function: FunctionSummary,
    lookup: Callable[[str], tuple[tuple[FunctionSummary, bool], ...]],
    depth: int,
) -> bool:
    """Whether all `function` returns is sanitized for xss: by a sanitizer in its body, or
    by a function of the tree it returns the result of that is (`return clean_html(t)`)."""
    if not function.returns or depth > MAX_DEPTH:
        return False
    for label, flow in function.returns.items():
        if is_cleared(flow, "xss"):
            continue
        call = function.calls[label.call] if type(label) is CallRet else None
        if call is None or not call.callees:
            return False
        callees = [callee for name in call.callees for callee, _ in lookup(name)]
        if not callees or not all(_returns_clean(c, lookup, depth + 1) for c in callees):
            return False
    return True
