"""Exits: what leaves one function by `return` and `raise`, in its taint transfer (pass 5).

`Exits` is the exit part of `transfer.FunctionAnalysis` (a mixin, as `Checks` and `Objects`
are): what the function returns (as a whole, element by element of a tuple, key by key,
the class of the object, the parameter a returned signature signs, and, for a check, what
its parameters hold where it returns a true value and where a false one: `verdicts`), what
a `raise` carries to the handler that may catch it or to the callers (`raises`), which
exceptions of the tree's calls leave the function (`escapes`), and what `except … as e`
holds (what was raised in the `try` body, `CallRaise` for its calls). A view's returned
HTML is an xss sink. Assumes a handler catches what its class names may match, as far as
names tell here (`conditions.may_catch`; phase 2 knows the callees' class hierarchies).
"""

from __future__ import annotations

import ast

from secreview.python import values as consts
from secreview.python.context import walk
from secreview.python.taint import conditions, html_responses, refresh
from secreview.python.taint.shapes import builds_text, short
from secreview.python.taint.spec import ALL
from secreview.python.taint.summary import (
    EMPTY,
    NO_FLOW,
    CallRaise,
    Flow,
    Param,
    TVal,
    extend,
    join,
)

_CATCH_ALL = frozenset({"Exception", "BaseException"})
# variables a view returns as its body: text built from parts, JSON text
_TEXT_TAGS = frozenset({conditions.TEXT, "json.dumps"})


class _Catcher:
    """What may be raised in the body of a `try` with handlers, as it is walked."""

    __slots__ = ("calls", "raised")

    def __init__(self) -> None:
        self.raised: list[tuple[str, TVal]] = []  # (class, data) of its `raise` statements
        # call sites of the tree's functions in it, each with the classes a `try` inside
        # this one already keeps (their other exceptions come here)
        self.calls: dict[int, tuple[str, ...]] = {}

    def add_call(self, index: int, caught: tuple[str, ...]) -> None:
        """Call site `index` may raise here all but `caught` (on several paths: all but
        what every path keeps)."""
        old = self.calls.get(index)
        self.calls[index] = caught if old is None else tuple(c for c in old if c in caught)


class Exits:
    """The `return`/`raise`/`try` part of a function's analysis (mixed into
    `FunctionAnalysis`)."""

    def returned(self, stmt: ast.Return) -> None:
        if stmt.value is not None:
            self.ret(stmt.value, stmt)
        else:
            self.return_parts = False
            self.return_keys = False
        if self.parent is None:
            self.exits.append(self.state.copy())
            if self.param_slots:
                self._verdict_exit(stmt.value)

    def _verdict_exit(self, value: ast.expr | None) -> None:
        """`return SHA.fullmatch(v) is not None`, `return False`: what the parameters hold
        where the function returns a true value and where it returns a false one (a check
        returned is what it proves on each side), for callers that branch on the verdict
        (`if not is_commit_id(c): abort(400)`, `summary.verdicts`)."""
        truth = self.fold(value) if value is not None else None
        if consts.is_constant(truth):
            sides = [(bool(truth), self.state)]
        elif (
            value is not None
            and _verdict_shaped(value)
            and (self.may_check(value) or self.may_weak(value))
        ):
            when_true, when_false = self.weak_proof(value, self.guards(value))
            sides = [
                (True, self._cleared(self.state, when_true) if when_true else self.state),
                (False, self._cleared(self.state, when_false) if when_false else self.state),
            ]
        elif value is not None and _verdict_shaped(value):
            sides = [(True, self.state), (False, self.state)]
        else:
            self.verdict_exits.append((True, {}))  # not a verdict: proves nothing
            self.verdict_exits.append((False, {}))
            return
        for side, state in sides:
            held: dict[int, Flow | None] = {}
            for name, index in self.param_slots.items():
                value_ = state.env.get(name, EMPTY)
                flow = value_.get(Param(index, name))
                held[index] = flow if flow is not None and len(value_) == 1 else None
            self.verdict_exits.append((side, held))

    def raised(self, stmt: ast.Raise) -> None:
        exc = stmt.exc
        if exc is not None:
            value = self.expr(exc)
            if value:
                stepped = extend(value, self.step(stmt, self.text(stmt)))
                self._raised(self._exception_class(exc), stepped)

    def begin_try(self, stmt: ast.Try | ast.TryStar) -> None:
        self.catching.append(_Catcher())

    def end_try(self, stmt: ast.Try | ast.TryStar) -> None:
        self.handling.append(self.catching.pop())

    def enter_handler(self, handler: ast.ExceptHandler) -> None:
        catcher = self.handling[-1]
        if handler.type is not None:
            self.expr(handler.type)
        catches = self._handler_types(handler.type)
        caught = [(c, v) for c, v in catcher.raised if _may_catch(c, catches)]
        if handler.name:
            # the exception holds what was raised in the body with data in it
            value = join(
                *(v for _, v in caught),
                *({CallRaise(i, catches, kept): NO_FLOW} for i, kept in catcher.calls.items()),
            )
            note = f"except … as {handler.name}"
            self.state.env[handler.name] = extend(value, self.step(handler, note))
            self.state.consts.pop(handler.name, None)
            self.state.types.pop(handler.name, None)

    def end_handlers(self, stmt: ast.Try | ast.TryStar) -> None:
        """What the body raises and no handler keeps leaves the `try`: a handler that
        raises the exception again (`raise`, `raise error`) keeps nothing."""
        catcher = self.handling.pop()
        reraises = self.mod.reraises
        for h in stmt.handlers:
            if id(h) not in reraises:
                reraises[id(h)] = _reraises(h)
        handled = [self._handler_types(h.type) for h in stmt.handlers if not reraises[id(h)]]
        for cls, value in catcher.raised:  # raised in the body, of a class no handler names
            if not any(_may_catch(cls, catches) for catches in handled):
                self._raised(cls, value)
        if any(not catches for catches in handled):
            return  # `except Exception:` keeps every exception of the calls in the body
        kept = tuple(dict.fromkeys(c for catches in handled for c in catches))
        for index, caught in catcher.calls.items():
            self._call_escapes(index, caught + kept)

    def _call_escapes(self, index: int, caught: tuple[str, ...]) -> None:
        """Call site `index`'s exceptions, but those of classes `caught`, leave this
        point: to the enclosing `try`, or out of the function (`escapes`)."""
        if self.catching:
            self.catching[-1].add_call(index, caught)
        elif self.parent is None:
            escapes = self.summary.escapes
            old = escapes.get(index)
            escapes[index] = caught if old is None else tuple(c for c in old if c in caught)

    def ret(self, value: ast.expr, stmt: ast.stmt) -> None:
        parts = None
        if isinstance(value, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in value.elts):
            parts = [self.expr(e) for e in value.elts]  # each once: calls are recorded
            taint = join(*parts)
        else:
            taint = self.expr(value)
        self._return_parts(parts, stmt, value)
        self._return_keys(value, stmt)
        self.signed_returns.append(self._signed_parameter(value))
        if self.parent is None and self.return_type is not False:
            tag = self.value_type(value)
            if tag is not None and self.return_type not in (None, tag):
                self.return_type = False  # objects of different classes
            elif tag is not None:
                self.return_type = tag
        if taint:
            self.returns = join(
                self.returns, extend(taint, self.step(stmt, f"return {self.text(value)}"))
            )
            if self.handler is not None:
                if self.handler.spec.returns_html:
                    self._returned_headers(value)
                body, data = self._returned_body(value, parts, taint)
                if body is not None and self._html_body(body):
                    if data:
                        note = f"return {self.text(value)} (HTML response body)"
                        self.sink("xss", data, value, note)
                    targets = refresh.html_targets(body)
                    sent = join(*(self.expr(t) for t in targets)) if targets else EMPTY
                    if sent:
                        note = f"return {self.text(value)} (HTML that redirects)"
                        self.sink("open-redirect", sent, value, note)

    def _returned_body(
        self, value: ast.expr, parts: list[TVal] | None, taint: TVal
    ) -> tuple[ast.expr | None, TVal]:
        """The body of what a view returns, and its data: the value, or the first element
        of Flask's `(body, status)`, `(body, status, headers)` and `(body, headers)`, whose
        headers (a dict written there) may set another content type."""
        if parts is None or not self.handler or not self.handler.spec.returns_html:
            return value, taint
        assert isinstance(value, ast.Tuple)
        if len(parts) not in (2, 3):
            return None, EMPTY
        headers = value.elts[-1] if len(parts) == 3 or isinstance(value.elts[1], ast.Dict) else None
        if headers is not None and not html_responses.html_headers(headers, self.ctx):
            return None, EMPTY
        return value.elts[0], parts[0]

    def _html_body(self, value: ast.expr) -> bool:
        """The returned value is the HTML a handler answers with: a view's text (unless the
        view sets another content type), a FastAPI endpoint's text when its route's
        response class is HTMLResponse, a WSGI application's parts after it started an
        HTML response."""
        assert self.handler is not None
        fn = self.node if isinstance(self.node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
        if self.handler.spec.returns_html:
            return self._text(value) and not html_responses.serves_other(fn, self.ctx)
        if self.handler.spec.framework == "fastapi" and html_responses.html_response_class(
            fn, self.ctx
        ):
            return self._text(value)
        if self.handler.spec.framework == "wsgi":
            return bool(html_responses.body_parts(value)) and html_responses.serves_html(
                fn, self.ctx
            )
        return False

    def _text(self, value: ast.expr) -> bool:
        """A returned str built here, or in a variable over several statements (`page +=
        ...`, `"".join(rows)`, `ROW.format(...)`), or JSON text (`json.dumps(...)`): what a
        view returns as its HTML body.
        Other values (a response object, a dict sent as JSON, a rendered template) are not."""
        if builds_text(value) or self.text_call(value):
            return True
        if isinstance(value, ast.Call):  # JSON text is HTML too when sent as text/html
            return self.qualified(value.func) == "json.dumps"
        return isinstance(value, ast.Name) and self.state.types.get(value.id) in _TEXT_TAGS

    def _returned_headers(self, value: ast.expr) -> None:
        """Flask's `return "", 302, {"Location": url}`: the headers of a returned tuple
        redirect the browser (with a redirect status, or by a `Refresh` header's URL)."""
        if not isinstance(value, ast.Tuple):
            return
        for headers in value.elts:
            if not isinstance(headers, ast.Dict):
                continue
            for key, entry in zip(headers.keys, headers.values, strict=True):
                name = self.fold(key) if key is not None else None
                if not isinstance(name, str):
                    continue
                name = name.strip().lower()
                if name == "location" and refresh.sets_redirect_status(value, self.ctx):
                    parts = [entry]
                elif name == "refresh":
                    parts = refresh.refresh_targets(entry, self.ctx)
                else:
                    continue
                sent = join(*(self.expr(part) for part in parts)) if parts else EMPTY
                if sent:
                    note = f"return {self.text(value)} ({name} header)"
                    self.sink("open-redirect", sent, value, note)

    def _signed_parameter(self, value: ast.expr) -> int | None:
        """The parameter `return hmac.new(KEY, value, sha256).hexdigest()` signs, if any:
        the message holds that parameter's data alone (`value = value.encode()` first)."""
        if self.parent is not None:
            return None
        signed = self.signed(value)
        if len(signed) != 1 or next(iter(signed.values())) != frozenset({ALL}):
            return None
        held = self.state.env.get(next(iter(signed)), EMPTY)
        label = next(iter(held)) if len(held) == 1 else None
        return label.index if isinstance(label, Param) else None

    def _return_parts(self, parts: list[TVal] | None, stmt: ast.stmt, value: ast.expr) -> None:
        known = self.return_parts
        if known is False:
            return
        if parts is None or (isinstance(known, list) and len(known) != len(parts)):
            self.return_parts = False
            return
        step = self.step(stmt, f"return {self.text(value)}")
        parts = [extend(part, step) for part in parts]
        self.return_parts = (
            [join(a, b) for a, b in zip(known, parts, strict=True)] if known else parts
        )

    def _return_keys(self, value: ast.expr, stmt: ast.stmt) -> None:
        """`return {"id": x, "name": y}`, `return d` with d's keys tracked, `return (a, b)`,
        `return Row(path=p, size=n)`: what each key holds, for callers that read one
        (`f()["name"]`, `f()[0]`, `f().path`); "" holds what any other key does."""
        known = self.return_keys
        if known is False:
            return
        parts = self.keys_of(value)
        if parts is None:
            self.return_keys = False
            return
        step = self.step(stmt, f"return {self.text(value)}")
        parts = {k: extend(v, step) for k, v in parts.items()}
        if known is None:
            self.return_keys = parts
            return
        assert isinstance(known, dict)
        merged: dict[str, TVal] = {}
        for key in known.keys() | parts.keys():
            mine = known.get(key, known.get("", EMPTY))
            merged[key] = join(mine, parts.get(key, parts.get("", EMPTY)))
        self.return_keys = merged

    def _raised(self, cls: str, value: TVal) -> None:
        """A `raise` with data in the exception: the innermost enclosing `try` with a
        handler may catch it, or else the function's callers may (`raises`)."""
        if self.catching:
            self.catching[-1].raised.append((cls, value))
        elif self.parent is None:
            self.raised_[cls] = join(self.raised_.get(cls, EMPTY), value)

    def _exception_class(self, exc: ast.expr) -> str:
        """The qualified name of the class a `raise` raises, or ""."""
        node = exc.func if isinstance(exc, ast.Call) else exc
        return self.qualified(node) or ""

    def _handler_types(self, node: ast.expr | None) -> tuple[str, ...]:
        """The classes an `except` names, qualified; () when it catches every exception."""
        items = node.elts if isinstance(node, ast.Tuple) else [node] if node else []
        names = tuple(self.ctx.resolve(item) or short(item) for item in items)
        if not names or any(n.rsplit(".", 1)[-1] in _CATCH_ALL for n in names):
            return ()
        return names


def _verdict_shaped(value: ast.expr) -> bool:
    """A returned value that may be a check's verdict: a comparison, a negation, a
    conjunction, a call (`SHA.fullmatch(v)`, `v.startswith("/")`)."""
    return isinstance(value, (ast.Compare, ast.BoolOp, ast.UnaryOp, ast.Call))


def _reraises(handler: ast.ExceptHandler) -> bool:
    """An `except` whose body raises what it caught again: `raise`, `raise error`."""
    for node in walk(handler):
        if type(node) is ast.Raise and (
            node.exc is None  # type: ignore[attr-defined]
            or (type(node.exc) is ast.Name and node.exc.id == handler.name)  # type: ignore[attr-defined]
        ):
            return True
    return False


def _may_catch(cls: str, catches: tuple[str, ...]) -> bool:
    """Whether an `except` naming `catches` may catch a `cls` raised in its body, as far
    as names tell here (the whole-program phase knows callees' class hierarchies)."""
    return not catches or not cls or conditions.may_catch(catches, (cls,))
