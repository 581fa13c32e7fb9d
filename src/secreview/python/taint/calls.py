"""Calls: what a call gives and what it does, in one function's taint transfer (pass 5).

`Calls` is the call part of `transfer.FunctionAnalysis` (a mixin, as `Checks` and `Objects`
are). For each call it computes the call's result and its effects:
- the result: a request read or a source the specs name is new attacker data (`Src`); a
  sanitizer's result is safe for its sink kinds (`_sanitized`, or for some of them when it
  does not fit its sink: `weak.py`); a call of the tree is left symbolic (`CallRet`); a
  call of a library function passes on what its receiver and arguments hold, but for the
  methods the specs say keep nothing (`non_propagating_methods`), a lookup by key, the
  URL builders and constant mappings;
- its effects: the sinks its data reaches (`SinkEvent`, with the receiver tests one of
  which must hold and the platform the branch is confined to), the call site it is for
  phase 2 (`CallSite`: the arguments joined over every path that reaches it, the
  constants and file names passed, the receiver's fields, the exceptions that leave it),
  including the call a library function makes of a function it is given (`map(f, xs)`,
  `Thread(target=f)`: `spec.Invoker`), and the fields of an object built with keywords
  (`Row(path=p)`, `dict(a=x)`: each under its own field).
Assumes the specs say what the library's functions do, a function of the tree does what
its summary says (phase 2), and a call of code neither knows passes on its receiver's and
arguments' data.
"""

from __future__ import annotations

import ast

from secreview.python.taint import conditions, predictable, sessions
from secreview.python.taint.checks import HOST_FIXED
from secreview.python.taint.markdown_ext import extension_marks
from secreview.python.taint.objects import SETATTR, Env, index_key, keyed
from secreview.python.taint.shapes import NOTE_WIDTH, fixes_host, is_environ, short
from secreview.python.taint.spec import ALL, ARCHIVE, CLI, Sanitizer, Sink
from secreview.python.taint.summary import (
    ANSWER,
    AS_IS,
    EMPTY,
    NAMED,
    NO_FLOW,
    NO_KINDS,
    NORETURN,
    OPENED,
    WHOLE_REQUEST,
    CallRet,
    CallSite,
    FieldRead,
    Fn,
    GlobalRead,
    ReceiverTest,
    SinkEvent,
    Src,
    TVal,
    extend,
    join,
)
from secreview.python.taint.typetags import SELF
from secreview.python.taint.weak import DECODERS, WEAK_FUNCTIONS

Keyword = tuple[str | None, TVal]  # a keyword argument's name (None: `**`) and data
# session methods that store under keys (`session.update(role=x)`)
_SESSION_WRITES = frozenset({"update", "setdefault"})
# build a URL from (scheme, netloc, path, ...) parts
_URL_BUILDERS = frozenset({"urllib.parse.urlunsplit", "urllib.parse.urlunparse"})
# how many parts each takes, and where the query starts (urlunparse has `params` first)
_URL_PART_COUNTS = {"urllib.parse.urlunsplit": 5, "urllib.parse.urlunparse": 6}
_URL_QUERY_PART = {"urllib.parse.urlunsplit": 3, "urllib.parse.urlunparse": 4}
_SCALARS = (bool, int, float, str, type(None))  # constants a parameter test can decide
_NUMBER_CALLS = frozenset({"builtins.len", "builtins.int", "builtins.float", "builtins.round"})


class Calls:
    """The call part of a function's analysis (mixed into `FunctionAnalysis`)."""

    def call(self, node: ast.Call) -> TVal:
        """What a call gives, its sinks checked and its call site recorded; a method of
        another service's API client gives that service's answer (`_service_answer`)."""
        value = self._call(node)
        if value and isinstance(node.func, ast.Attribute):
            answered = self._service_answer(node.func.value)
            if answered is True:
                return EMPTY  # another service's answer, not what it was sent
            if answered:
                return extend(value, clears=frozenset({ANSWER + answered}))
        return value

    def _call(self, node: ast.Call) -> TVal:
        func = node.func
        if type(func) is ast.Call:
            func = self._named_attribute(func) or func  # getattr(obj, "name")(...)
        receiver_node = func.value if isinstance(func, ast.Attribute) else None
        receiver = self.expr(receiver_node) if receiver_node is not None else None
        env = self.state.env
        # a local lambda or closure returns what it captured from the enclosing scope
        captured = called = EMPTY
        if receiver_node is None and not isinstance(func, ast.Name):
            called = self.expr(func)  # `ACTIONS[key](x)`, `make_fetcher(url)(path)`
        elif isinstance(func, ast.Name) and func.id in self.locals:
            captured = called = env.get(func.id, EMPTY)
        args = [self.expr(a) for a in node.args]
        kwargs = [(kw.arg, self.expr(kw.value)) for kw in node.keywords]
        qualified, internal_targets, bound = self.resolve_call(func)
        if internal_targets:  # `helpers.save(request)`: the request's data goes with it
            args = [join(v, self._passed_request(a)) for a, v in zip(node.args, args, strict=True)]
            kwargs = [
                (k, join(v, self._passed_request(kw.value)))
                for (k, v), kw in zip(kwargs, node.keywords, strict=True)
            ]
        # a call by value: of a function held in a variable, a parameter, a dict, a result
        by_value = called if not internal_targets and _callable(func, called) else None
        method = func.attr if isinstance(func, ast.Attribute) else None
        if qualified is None and method is not None and self.is_self(receiver_node):
            qualified = self.inherited(method)  # `self.redirect(url)` of a framework base

        request = None
        if isinstance(func, ast.Attribute) and isinstance(receiver_node, ast.Name):
            request = self.requests.get(receiver_node.id)
        elif isinstance(func, ast.Attribute) and isinstance(receiver_node, ast.Attribute):
            request = self._view_request(receiver_node)  # `self.request.get_full_path()`
        if request is not None and method is not None and not request.server_side(method):
            if method in request.host_urls and (node.args or node.keywords):
                # `request.build_absolute_uri(reverse("x"))`: the argument on a checked host
                return join(*args, *(v for _, v in kwargs))
            source = self._request_data(node, request, method)  # request.get_json()
            if method in request.line_free_attrs:
                # what the call joins to the encoded URL is not (`req.relative_url(path)`)
                return join(source, *args, *(v for _, v in kwargs))
            return source
        if request is not None and method is not None:
            receiver = EMPTY  # `req.get_response(app)`: the server's, whatever `req` was given
        source = self._call_source(node, qualified, method, receiver_node, receiver)
        made = self.spec.call_sources.get(qualified or "")
        if source is not None and made is not None and made.also_call:
            self._check_sinks(node, qualified, method, receiver_node)
            return join(source, *args, *(v for _, v in kwargs))
        if source is not None:
            return source
        self._check_sinks(node, qualified, method, receiver_node)
        if method in _SESSION_WRITES and receiver_node is not None:
            self._session_write(node, method, receiver_node)
        predictable.keywords(self.sink, node, kwargs)  # `User(reset_token=v)`
        if method is not None and self.puts(method, receiver_node):
            self.mutated(node, receiver_node, join(*args, *(v for _, v in kwargs)))
        elif qualified in SETATTR and len(node.args) == 3:
            self.set_attribute(node, args[2])
            return EMPTY

        # `x.get(key)`: the result is what `x` holds, not the key (see KEY_LOOKUP_METHODS)
        key_lookup = (
            method in self.spec.key_lookups
            and bool(node.args)
            and not isinstance(node.args[0], ast.Starred)
        )
        passed = args[1:] if key_lookup else args
        if key_lookup and isinstance(receiver_node, ast.Name):
            key = index_key(self.fold(node.args[0]))
            by_key = self.key_value(receiver_node.id, key) if key is not None else None
            if by_key is not None:
                receiver = by_key  # `order.get("state", default)`
            elif key is not None and receiver:
                receiver = keyed(receiver, key)  # `params.get("user")` of a parameter
        everything = join(receiver or EMPTY, captured, *passed, *(v for _, v in kwargs))
        cleared = self._sanitized(node, func, qualified, method, receiver_node, internal_targets)
        if everything and (method == "replace" or qualified in WEAK_FUNCTIONS):
            # a sanitizer that does not fit its sink (`weak.py`)
            everything, cleared = self.weak_call(node, qualified, method, everything, cleared)
        elif everything and qualified in DECODERS:
            everything = self.decoded(node, everything)  # decoded after a check (`weak.py`)
        if cleared is not None:
            if ALL in cleared:  # a predictable value stays one through a digest, an int()
                kept = predictable.kept(self.spec, qualified, method, everything)
                return join(kept, predictable.weak_digest(self, node, qualified))  # md5(x)
            return extend(everything, clears=cleared)
        if method == "_replace" and node.keywords and receiver:
            # `row._replace(title=t)` (a named tuple): the row with those fields replaced,
            # its other fields as they were where they are tracked
            known = self.keys_of(receiver_node) if receiver_node is not None else None
            if known is not None and not any(k.startswith("[") for k in known if k):
                rest = known.pop("")
                self._keyword_fields(node, [*known.items(), *kwargs], rest, False)
            else:
                self._keyword_fields(node, kwargs, receiver, False)
        elif node.keywords and self._builds_object(qualified, func):
            rest = join(receiver or EMPTY, captured, *args)
            if internal_targets:  # the tree's class may store a keyword under another field
                rest = join(rest, *(v for _, v in kwargs))
            self._keyword_fields(node, kwargs, rest, qualified == "builtins.dict")
        invoked = self._invoked(node, qualified, method, args, kwargs)
        if internal_targets or by_value is not None:
            result = self._tree_call(node, args, kwargs, receiver, internal_targets, bound,
                                     key_lookup, by_value)  # fmt: skip
            if captured and by_value is not None:  # a local closure returns what it captured
                return join(result, {k: v for k, v in captured.items() if type(k) is not Fn})
            return result
        if invoked is not None:
            return invoked
        if method is not None and method in self.spec.non_propagating_methods:
            return EMPTY
        marks = extension_marks(qualified, dict(kwargs).get("extensions"), receiver)
        if marks:
            everything = extend(everything, clears=marks)  # `markdown_ext.py`
        if method == "format" and receiver_node is not None and self._fixed_url(receiver_node):
            everything = extend(everything, clears=HOST_FIXED)  # "https://host/{}".format(x)
        if qualified in _URL_BUILDERS:
            if self._fixed_parts(node):
                everything = extend(everything, clears=HOST_FIXED)  # urlunsplit((s, HOST, …))
            else:
                everything = self._url_from_parts(node, qualified, everything)
        if (
            method == "get"
            and receiver_node is not None
            and is_environ(receiver_node)
            and self._source_for(self.qualified(receiver_node) or "", receiver_node) is None
            and node.args
            and isinstance(key := node.args[0], ast.Constant)
            and isinstance(key.value, str)
            and not key.value.startswith(self.spec.environ_keys)
        ):
            return join(*args[1:])  # environ.get("SERVER_NAME"): set by the server, not the client
        if (
            method == "get"
            and receiver_node is not None
            and node.args
            and self.asgi_server_key(receiver_node, node.args[0])
        ):
            return join(*args[1:])  # scope.get("client"): set by the server
        if method == "get" and receiver_node is not None and self._constant_mapping(receiver_node):
            # COLUMNS.get(key, default): one of a fixed mapping's values, never the key
            return join(*args[1:], *(v for _, v in kwargs))
        return everything

    def _service_answer(self, receiver: ast.expr) -> bool | str | None:
        """Whether `receiver` (`client`, `client.volumes`) is an object of another service's
        API client (`conditions.service_client`): True, or the type tag of the tree's
        function that gave it, for phase 2 to decide (`summary.ANSWER`); else None."""
        while isinstance(receiver, ast.Attribute):
            receiver = receiver.value
        if isinstance(receiver, ast.Call):
            tag = self.qualified(receiver.func)  # `GlanceClient(...).images`
        elif isinstance(receiver, ast.Name):
            tag = self.state.types.get(receiver.id)
        else:
            return None
        if conditions.service_client(tag):
            return True
        return tag if tag and self.mod.is_internal(tag) else None

    def _tree_call(self, node: ast.Call, args: list[TVal], kwargs: list[tuple[str | None, TVal]],
                   receiver: TVal | None, targets: tuple[str, ...], bound: bool,
                   key_lookup: bool, func: TVal | None = None) -> TVal:  # fmt: skip
        """A call of a function of the tree: recorded as a call site (once per call node,
        its arguments joined over the paths that reach it), its result left symbolic.
        `func`: the value called, for a call by value (phase 2 finds its callees)."""
        # positional arguments up to the first `*expansion` have known places; the
        # rest, with `**expansions`, may land on any later parameter (see `bind`)
        first_star = next(
            (i for i, n in enumerate(node.args) if isinstance(n, ast.Starred)), len(args)
        )
        star = join(*args[first_star:], *(v for k, v in kwargs if k is None))
        named = tuple((k, v) for k, v in kwargs if k is not None)
        receiver_name = self._object_receiver(node, bound)
        fields = self.receiver_fields(receiver_name) if receiver_name is not None else None
        index = self.call_sites.get(id(node))
        if index is None:
            index = self._new_site(
                id(node),
                CallSite(
                    callees=targets,
                    args=tuple(args[:first_star]),
                    kwargs=named,
                    star=star,
                    receiver=receiver if bound else None,
                    bound=bound,
                    location=self.ctx.location(node),
                    text=self.text(node),
                    key_lookup=key_lookup,
                    arg_keys=self._argument_keys(node.args[:first_star]),
                    func=func,
                    receiver_keys=fields,
                    consts=self._constant_args(node, first_star),
                    assumed=self.state.assumed,
                    passes=self._passed_names(node, first_star),
                ),
            )
        else:  # walked again (a loop's next round, a `finally` on another path)
            self._merge_site(index, args[:first_star], named, star, receiver if bound else None,
                             func)  # fmt: skip
            site = self.summary.calls[index]
            assert site is not None
            site.receiver_keys = _join_keys(site.receiver_keys, fields, site.receiver)
            if site.consts:  # what every walk passed the same
                now = self._constant_args(node, first_star)
                site.consts = tuple(pair for pair in site.consts if pair in now)
            if site.passes:
                now_passes = self._passed_names(node, first_star)
                site.passes = tuple(pair for pair in site.passes if pair in now_passes)
            site.assumed = (site.assumed & self.state.assumed) or NO_KINDS
        self.passed_objects(node, index, first_star)
        if receiver_name is not None:
            self.receiver_written(receiver_name, index)
        self._call_escapes(index, ())  # what the callee raises, for handlers or callers
        return {CallRet(index): NO_FLOW}

    def _constant_args(
        self, node: ast.Call, first_star: int
    ) -> tuple[tuple[int | str, object], ...]:
        """The constants a call passes (`gdrive=True`, `remove(path, False)`), by position or
        keyword: a callee's path that needs another value is not taken (`ASSUMES`)."""
        found: list[tuple[int | str, object]] = []
        for position, arg in enumerate(node.args[:first_star]):
            if isinstance(arg, (ast.Constant, ast.Name, ast.Attribute)):
                value = self.fold(arg)
                if isinstance(value, _SCALARS):
                    found.append((position, value))
        for kw in node.keywords:
            if kw.arg is not None and isinstance(kw.value, (ast.Constant, ast.Name, ast.Attribute)):
                value = self.fold(kw.value)
                if isinstance(value, _SCALARS):
                    found.append((kw.arg, value))
        return tuple(found)

    def _passed_names(self, node: ast.Call, first_star: int) -> tuple[tuple[int | str, str], ...]:
        """The arguments that are a file name (`NAMED`) or this function's parameter as it
        was passed (`AS_IS`), by position or keyword: a callee that opens an archive on
        its parameter holds the file's data, not the name's (`OPENED`)."""
        given = [(i, a) for i, a in enumerate(node.args[:first_star])]
        given += [(kw.arg, kw.value) for kw in node.keywords if kw.arg is not None]
        found: list[tuple[int | str, str]] = []
        for slot, arg in given:
            if conditions.names_a_file(arg, self._name_tag):
                found.append((slot, NAMED))
            elif self._parameter_as_passed(arg):
                found.append((slot, AS_IS))
        return tuple(found)

    def _name_tag(self, node: ast.expr) -> str | None:
        """The type tag of a variable, or of what a call builds (`os.path.join(...)`)."""
        return self.call_tag(node) if isinstance(node, ast.Call) else self.tag_of(node)

    def _parameter_as_passed(self, node: ast.expr) -> bool:
        """A parameter of this function never assigned in it: what the caller passed."""
        if not isinstance(node, ast.Name):
            return False
        if node.id not in (*self.summary.params, *self.summary.kwonly):
            return False
        return self.tag_of(node) is None and node.id not in self._rebinds()

    def _opened(self, sanitizer: Sanitizer, node: ast.Call) -> frozenset[str] | None:
        """`zipfile.ZipFile(x)`, `gzip.open(x)`: what a file opened by name holds is the
        file's (safe for `sanitizer.clears`); opened on a parameter as passed, the callers
        know (`OPENED`); opened on a file object (an upload's stream), the bytes are its."""
        opened = conditions.opened_file(node)
        if opened is None:
            return None
        if conditions.names_a_file(opened, self._name_tag):
            return sanitizer.clears
        return frozenset({OPENED}) if self._parameter_as_passed(opened) else None

    def _new_site(self, key: int, site: CallSite) -> int:
        """Record a call site under `key` (the call node's id; its bitwise inverse for the
        call an invoker makes): its index."""
        calls = self.summary.calls
        self.call_sites[key] = len(calls)
        calls.append(site)
        return len(calls) - 1

    def _merge_site(self, index: int, args: list[TVal], named: tuple[tuple[str, TVal], ...],
                    star: TVal, receiver: TVal | None, func: TVal | None) -> None:  # fmt: skip
        """A call site walked again: what reaches it on every path."""
        site = self.summary.calls[index]
        assert site is not None
        site.args = tuple(join(old, new) for old, new in zip(site.args, args, strict=False))
        old_kwargs = dict(site.kwargs)
        site.kwargs = tuple((k, join(old_kwargs.get(k, EMPTY), v)) for k, v in named)
        site.star = join(site.star, star)
        if site.receiver is not None and receiver:
            site.receiver = join(site.receiver, receiver)
        if site.func is not None and func:
            site.func = join(site.func, func)

    def _named_attribute(self, call: ast.Call) -> ast.Attribute | None:
        """`getattr(obj, "to_csv")`: the attribute `obj.to_csv` it reads (one node per
        call, so the call it makes is the same call site on every walk)."""
        found = self.named_attributes.get(id(call))
        if found is not None or id(call) in self.named_attributes:
            return found
        if (
            len(call.args) in (2, 3)
            and not call.keywords
            and isinstance(call.func, ast.Name)
            and self.ctx.resolve(call.func) == "builtins.getattr"
            and isinstance(name := self.fold(call.args[1]), str)
            and name.isidentifier()
            and not isinstance(call.args[0], ast.Starred)
        ):
            found = ast.copy_location(ast.Attribute(call.args[0], name, ast.Load()), call)
            found.end_lineno, found.end_col_offset = call.end_lineno, call.end_col_offset
        self.named_attributes[id(call)] = found
        return found

    def _invoked(self, node: ast.Call, qualified: str | None, method: str | None,
                 args: list[TVal], kwargs: list[Keyword]) -> TVal | None:  # fmt: skip
        """A library call that calls a function it is given (`map(f, xs)`, `pool.submit(f,
        x)`, `Thread(target=f, args=(x,))`, `functools.partial(f, x)`; see `Invoker`):
        recorded as a call by value of that function with the arguments it gets, under
        the bitwise inverse of the node's id. Its result, unless the invoker's is "same"."""
        spec = self.spec.invokers.get(qualified) if qualified else None
        if spec is None and method is not None:
            spec = self.spec.method_invokers.get(method)
        if spec is None:
            return None
        function = None
        given = list(zip(node.args, args, strict=True))
        if spec.function < len(node.args) and not any(
            isinstance(a, ast.Starred) for a in node.args[: spec.function + 1]
        ):
            function = args[spec.function]
            given = given[spec.function + 1 :]
        elif spec.keyword is not None:
            function = next((v for k, v in kwargs if k == spec.keyword), None)
            given = given[:0] if spec.args == "rest" else given
        if not function or not _callable(None, function):
            return None
        named: list[Keyword] = [(k, v) for k, v in kwargs if k != spec.keyword]
        if spec.args == "elements":
            positional = [value for _, value in given]
            given, named = [], []
        elif spec.args == "packed" and spec.packed is not None:
            positional, named = self._packed(node, spec.packed)
            given = []
        else:
            positional = []
        nodes = [n for n, _ in given]
        first_star = next((i for i, n in enumerate(nodes) if isinstance(n, ast.Starred)), None)
        if first_star is not None:
            named.append((None, join(*(v for _, v in given[first_star:]))))
            given = given[:first_star]
        positional += [value for _, value in given]
        key = ~id(node)
        index = self.call_sites.get(key)
        star = join(*(v for k, v in named if k is None))
        keywords = tuple((k, v) for k, v in named if k is not None)
        if index is None:
            index = self._new_site(
                key,
                CallSite(
                    callees=(),
                    args=tuple(positional),
                    kwargs=keywords,
                    star=star,
                    receiver=None,
                    bound=False,
                    location=self.ctx.location(node),
                    text=self.text(node),
                    func=function,
                    partial=spec.result == "partial",
                ),
            )
        else:
            self._merge_site(index, positional, keywords, star, None, function)
        self._call_escapes(index, ())
        return None if spec.result == "same" else {CallRet(index): NO_FLOW}

    def _packed(self, node: ast.Call, packed: tuple[tuple[int, str], tuple[int, str]]
                ) -> tuple[list[TVal], list[Keyword]]:  # fmt: skip
        """`Thread(target=f, args=(a, b), kwargs={"k": v})`: the positional arguments and
        keywords the function gets, element by element where the tuple and the dict are
        literals (else the whole, as `*args`/`**kwargs`)."""
        found: list[ast.expr | None] = []
        for position, keyword in packed:
            value = node.args[position] if position < len(node.args) else None
            for kw in node.keywords:
                if kw.arg == keyword:
                    value = kw.value
            found.append(value)
        positional: list[TVal] = []
        named: list[Keyword] = []
        tuple_node, dict_node = found
        if tuple_node is not None:
            parts = self.literal_parts.get(id(tuple_node))
            if isinstance(parts, list):
                positional = list(parts)
            else:
                named.append((None, self.expr(tuple_node)))
        if dict_node is not None:
            parts = self.literal_parts.get(id(dict_node))
            if isinstance(parts, dict):
                named += list(parts.items())
            else:
                named.append((None, self.expr(dict_node)))
        return positional, named

    def _object_receiver(self, node: ast.Call, bound: bool) -> str | None:
        """The local variable a method of the tree runs on, when it holds `self` or an
        object of the tree's classes (see `objects.receiver_written`): `obj.method(...)`,
        `super().method(...)` and `Base.method(self, ...)` on `self`."""
        func = node.func
        if not isinstance(func, ast.Attribute):
            return None
        base = func.value
        if not bound:  # `Base.__init__(self, host)`
            first = node.args[0] if node.args else None
            if (
                isinstance(first, ast.Name)
                and self.state.types.get(first.id) == SELF
                and self.tree_class(self.qualified(base) or "")
            ):
                return first.id
            return None
        if isinstance(base, ast.Call):  # `super().__init__(host)`
            if isinstance(base.func, ast.Name) and base.func.id == "super" and self.summary.cls:
                return next((n for n, t in self.state.types.items() if t == SELF), None)
            return None
        if not isinstance(base, ast.Name) or base.id not in self.locals:
            return None
        tag = self.state.types.get(base.id)
        return base.id if tag is not None and (tag == SELF or self.tree_class(tag)) else None

    def _argument_keys(self, args: list[ast.expr]) -> tuple[dict[str, TVal] | None, ...]:
        """For each positional argument, what it holds key by key where that is known."""
        keys = tuple(self.keys_of(arg) for arg in args)
        return keys if any(k is not None for k in keys) else ()

    def _builds_object(self, qualified: str | None, func: ast.expr) -> bool:
        """A call that builds an object outside the tree (`Row(...)`, `WebAuthnUser(...)`,
        `dict(...)`): by the class-like last name of what it calls."""
        if qualified == "builtins.dict":
            return True
        last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return last[:1].isupper() and not last.isupper()

    def _keyword_fields(self, node: ast.Call, kwargs: list[tuple[str | None, TVal]],
                        rest: TVal, brackets: bool) -> None:  # fmt: skip
        """An object built with keywords holds each under its own field (a dataclass, a
        named tuple, a model, `dict(a=x)` under its key), and the rest under any other."""
        fields: dict[str, TVal] = {}
        for name, value in kwargs:
            if name is None:
                rest = join(rest, value)  # `**options` may fill any field
            else:
                fields[f"[{name}]" if brackets else name] = value
        self.call_fields[id(node)] = (fields, rest)

    def _tree_function(self, func: ast.expr) -> bool:
        """The call names a function of the tree outright (`helpers.label(x)` through an
        import, `self.limit(n)`), not a method of an object the function holds."""
        root, hops = func, 0
        while isinstance(root, ast.Attribute):
            root, hops = root.value, hops + 1
        if not isinstance(root, ast.Name):
            return False
        if hops >= 2 and root.id[:1].isupper() and root.id not in self.locals:
            return (
                False  # `User.id.in_(ids)`: a method of a class's field (a column), not the tree's
            )
        if self.state.types.get(root.id) == SELF:
            return True
        if root.id in self.locals:
            return False
        symbols = self.ctx.symbols
        return symbols.alias(root.id, getattr(root, "lineno", 0)) is not None or (
            root.id in symbols.definitions
        )

    def _number(self, node: ast.expr) -> bool:
        """An operand that is a number here: a numeric constant, or `len(...)`/`int(...)`."""
        value = self.fold(node)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        return isinstance(node, ast.Call) and self.ctx.resolve(node.func) in _NUMBER_CALLS

    def _sanitized(self, node: ast.Call, func: ast.expr, qualified: str | None,
                   method: str | None, receiver: ast.expr | None,
                   internal_targets: tuple[str, ...]) -> frozenset[str] | None:  # fmt: skip
        """The sink kinds the call's result is safe for, if a sanitizer names it: by its
        qualified name, or else by its method name (every one whose condition the call
        meets: `x.replace("\\n", "").replace("/", "_")` strips line breaks and separators);
        None when no sanitizer applies."""
        sanitizer = self.spec.sanitizers.get(qualified or "")
        if sanitizer is not None:
            return self._clears_of(sanitizer, node)
        if method is None:
            return None
        candidates = self.spec.method_sanitizers.get(method)
        if not candidates:
            return None
        found: frozenset[str] | None = None
        for candidate in candidates:
            # a call that may be the tree's own function (`helpers.label(x)`) is known by
            # its method name only when its receiver says which API it is
            # (`Book.objects.filter(...)`)
            if candidate.receiver is None and internal_targets and self._tree_function(func):
                continue
            if candidate.receiver is not None and not self._receiver_is(
                candidate.receiver, receiver
            ):
                continue
            clears = self._clears_of(candidate, node)
            if clears is not None:
                found = clears if found is None else found | clears
        return found

    def _clears_of(self, sanitizer: Sanitizer, node: ast.Call) -> frozenset[str] | None:
        """What one sanitizer clears for this call (None: its condition is not met)."""
        if sanitizer.condition == "opens_a_name":
            return self._opened(sanitizer, node)
        if sanitizer.condition is not None and not conditions.SANITIZES[sanitizer.condition](node):
            return None
        clears = sanitizer.clears
        if sanitizer.computes is not None:
            clears = clears | conditions.COMPUTED_CLEARS[sanitizer.computes](node, self.fold)
        return clears or None

    def _receiver_is(self, predicate: str, receiver: ast.expr | None) -> bool:
        """Does the object a method is called on satisfy a spec's receiver predicate?"""
        if receiver is None:
            return False
        check = conditions.RECEIVERS.get(predicate)
        if check is None:
            return False
        tag = self.state.types.get(receiver.id) if isinstance(receiver, ast.Name) else None
        if isinstance(receiver, ast.Call):
            tag = self.call_tag(receiver)
        return check(short(receiver), tag)

    def _url_from_parts(self, call: ast.Call, builder: str, everything: TVal) -> TVal:
        """`urlunparse((scheme, netloc, path, params, query, fragment))`: data only in the
        query or the fragment comes after a `?` or `#` and cannot choose where the URL
        points (the path can: `//evil.example` is a host)."""
        parts = self.literal_parts.get(id(call.args[0])) if call.args else None
        first_query = _URL_QUERY_PART[builder]
        if not isinstance(parts, list) or len(parts) != _URL_PART_COUNTS[builder] or call.keywords:
            return everything
        if not any(parts[first_query:]):
            return everything
        return join(*parts[:first_query], extend(join(*parts[first_query:]), clears=HOST_FIXED))

    def _fixed_parts(self, call: ast.Call) -> bool:
        """`urlunsplit((scheme, netloc, path, ...))` whose scheme and netloc come from
        constants or configuration (object fields, module globals), not from a source, a
        parameter or another call of the tree: the destination is fixed, the path is not."""
        parts = call.args[0] if call.args else None
        if not isinstance(parts, (ast.Tuple, ast.List)) or len(parts.elts) < 2:
            return False
        head = parts.elts[:2]
        netloc = head[1]
        if isinstance(netloc, ast.Constant) and not netloc.value:
            return False  # no host: a path of `//evil.example` would give one
        if any(isinstance(n, (ast.Call, ast.Starred)) for part in head for n in ast.walk(part)):
            return False  # evaluated already; a second pass must not record calls twice
        return all(self._configured(self.expr(part)) for part in head)

    def _configured(self, value: TVal, depth: int = 0) -> bool:
        """Data from configuration only: object fields, module globals, or what a function
        of the tree returns when called with nothing else (`valid_url(conf.host, conf.port)`)."""
        for origin in value:
            if isinstance(origin, CallRet) and depth < 3:
                site = self.summary.calls[origin.call]
                assert site is not None
                inputs = [*site.args, *(v for _, v in site.kwargs), site.star, site.receiver]
                if not all(self._configured(v or EMPTY, depth + 1) for v in inputs):
                    return False
            elif not isinstance(origin, (FieldRead, GlobalRead)):
                return False
        return True

    def _fixed_url(self, node: ast.expr) -> bool:
        """Text starting with a URL whose scheme and host are constants (`API + "/" + x`
        with `API = "https://api.example"` folds to a fixed prefix)."""
        prefix = self._constant_prefix(node)
        if prefix is not None and fixes_host(ast.Constant(prefix), {}):
            return True
        if isinstance(node, ast.Name) and node.id in self.locals:
            return False
        return fixes_host(node, self.ctx.symbols.constants)

    def _constant_prefix(self, node: ast.expr) -> str | None:
        """The longest constant text an expression starts with, as far as constants fold."""
        value = self.fold(node)
        if isinstance(value, str):
            return value
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._constant_prefix(node.left)
        if isinstance(node, ast.JoinedStr) and node.values:
            head = []
            for part in node.values:
                folded = self.fold(part.value if isinstance(part, ast.FormattedValue) else part)
                if not isinstance(folded, str):
                    break
                head.append(folded)
            return "".join(head) or None
        return None

    def _constant_mapping(self, node: ast.expr) -> bool:
        """A literal dict, or a name bound to one (`SORT_COLUMNS = {...}`)."""
        return isinstance(self.fold(node), dict) or (
            isinstance(node, ast.Dict) and self.ctx.is_constant(node)
        ) or (
            isinstance(node, ast.Name)
            and node.id not in self.locals
            and isinstance(self.ctx.symbols.constants.get(node.id), ast.Dict)
        )  # fmt: skip

    def _passed_request(self, node: ast.expr) -> TVal:
        """A request object (a handler's `request` parameter, a view's `self.request`) given
        whole to a function of the tree, which reads the client's data from it: that data.
        Given to a library's function it stays what it is (`render(request, ...)` does not
        return the client's data)."""
        request = None
        if isinstance(node, ast.Name) and node.id in self.state.env:
            request = self.requests.get(node.id)
        elif isinstance(node, ast.Attribute):
            request = self._view_request(node)
        if request is None:
            return EMPTY
        return extend(self._request_data(node, request, ""), clears=_WHOLE)

    def _module_function(self, qualified: str | None) -> bool:
        """`inspect.getmembers`: a function of a module the file imports."""
        return qualified is not None and self.ctx.symbols.imports(qualified.rpartition(".")[0])

    def _call_source(
        self,
        node: ast.Call,
        qualified: str | None,
        method: str | None,
        receiver: ast.expr | None,
        held: TVal | None,
    ) -> TVal | None:
        """A source the specs name (`input()`, `self.get_argument(...)`, `tar.getmembers()`);
        `held`: what the object the method is called on holds."""
        spec = self.spec.call_sources.get(qualified) if qualified is not None else None
        if spec is None and method is not None and not self._module_function(qualified):
            # `.namelist()` on an object of unknown type (`with ZipFile(f) as bundle`, an
            # element of a library call's result), not a module's function of that name
            spec = self.spec.call_sources.get(f".{method}")
        if spec is not None:
            if spec.kind == CLI:
                return self.cli_source(node, spec)
            if spec.kind == ARCHIVE:  # `bundle.namelist()`: see `archive_names`
                return self.archive_names(node, spec, held or EMPTY)
            return self.source(node, spec.description, spec.kind, spec.confidence)
        if (
            method is not None
            and self.handler is not None
            and isinstance(receiver, ast.Name)
            and self.state.types.get(receiver.id) == SELF
            and method in self.handler.spec.self_calls
        ):
            return self.source(node, f"{self.handler.spec.description}", "http", "high")
        return None

    def _session_write(self, node: ast.Call, method: str, receiver: ast.expr) -> None:
        """`session.update(role=x)`, `session.update({"role": x})`,
        `session.setdefault("role", x)`: request data stored in the session, key by key."""
        if not self.is_session(receiver):
            return
        entries: list[tuple[ast.expr | None, ast.expr]] = []
        if method == "setdefault" and len(node.args) == 2:
            entries.append((node.args[0], node.args[1]))
        elif method == "update":
            entries += [(ast.Constant(kw.arg), kw.value) for kw in node.keywords if kw.arg]
            for arg in node.args:
                if isinstance(arg, ast.Dict):
                    entries += list(zip(arg.keys, arg.values, strict=True))
        for key, value in entries:
            taint = self.expr(value)
            if not taint:
                continue
            session_key = sessions.key_pattern(key) if key is not None else ""
            note = f"{self.text(node)[:NOTE_WIDTH]} (server-side session)"
            self.sink("trust-boundary-violation", taint, value, note, session_key=session_key)

    def _check_sinks(
        self, node: ast.Call, qualified: str | None, method: str | None, receiver: ast.expr | None
    ) -> None:
        specs: list[tuple[Sink, ReceiverTest | None]] = [
            (sink, None) for sink in self.spec.sinks.get(qualified or "", ())
        ]
        if (
            method is not None
            and receiver is not None
            and (method in self.spec.method_sinks or method in self.spec.class_sinks)
        ):
            specs += self._method_sinks(method, receiver, qualified)
        for sink, when in specs:
            if sink.rule not in self.mod.rules:
                continue
            exprs = self._sink_arguments(node, sink, receiver)
            if exprs is None:
                continue
            taints = [self.expr(e) for e in exprs]
            taint = join(*taints)
            note = self.text(node)
            describe = conditions.SINK_NOTES.get(sink.condition or "")
            if taint and describe is not None:
                where = describe(
                    node, [e for e, t in zip(exprs, taints, strict=True) if t], self.ctx
                )
                note = f"{note}: {where}" if where else note
            if (
                taint
                and sink.rule == "header-injection"
                and receiver is not None
                and sink.receiver == "response_headers"
                and self.checks_headers(receiver)
            ):
                continue
            if taint and when is None:
                self.sink(sink.rule, taint, node, note, sink.confidence)
            elif taint:
                # one event per argument choice: phase 2 keeps those whose receiver test holds
                self.sink(sink.rule, taint, node, note, sink.confidence,
                          (when,), (sink.args, sink.condition))  # fmt: skip

    def _method_sinks(
        self, method: str, receiver: ast.expr, qualified: str | None
    ) -> list[tuple[Sink, ReceiverTest | None]]:
        """The sinks `receiver.method(...)` may be: by the receiver's type here, or, when
        only the whole-program phase knows it, each with the test phase 2 decides by it
        (and with what the names say, should the type stay unknown there too)."""
        deferred = self.deferred_type(receiver)
        out: list[tuple[Sink, ReceiverTest | None]] = []
        if deferred is None and method not in self.spec.method_sinks:
            return out
        text = short(receiver)  # canonical: the receiver checks match on it
        tag = self.state.types.get(receiver.id) if isinstance(receiver, ast.Name) else None
        if isinstance(receiver, ast.Call):
            tag = self.call_tag(receiver)
        for sink in self.spec.method_sinks.get(method, ()):
            predicate = sink.receiver or "any"
            check = conditions.RECEIVERS.get(predicate)
            if check is None:
                continue
            if qualified is not None and sink.receiver != "any" and tag is None:
                tag = qualified.rsplit(".", 1)[0]
            applies = check(text, tag)
            if deferred is not None:
                out.append((sink, ReceiverTest(deferred, text, method, f"?{predicate}", applies)))
            elif applies:
                out.append((sink, None))
        if deferred is not None:
            for sink in self.spec.class_sinks.get(method, ()):
                owner = sink.name.rpartition(".")[0]
                out.append((sink, ReceiverTest(deferred, text, method, f"={owner}", False)))
        return out

    def _sink_arguments(
        self, node: ast.Call, sink: Sink, receiver: ast.expr | None
    ) -> list[ast.expr] | None:
        chosen: list[ast.expr] = []
        if "*" in sink.args:
            chosen = [a.value if isinstance(a, ast.Starred) else a for a in node.args]
            chosen += [kw.value for kw in node.keywords]
        else:
            positions = [a for a in sink.args if isinstance(a, int)]
            names = [a for a in sink.args if isinstance(a, str) and a != "receiver"]
            for position in positions:
                if position < len(node.args):
                    arg = node.args[position]
                    chosen.append(arg.value if isinstance(arg, ast.Starred) else arg)
            for kw in node.keywords:
                if kw.arg in names:
                    chosen.append(kw.value)
            if "receiver" in sink.args and receiver is not None:
                chosen.append(receiver)
        if sink.condition is not None:
            with_context = conditions.CONTEXT_CONDITIONS.get(sink.condition)
            if with_context is not None:  # needs the module: constants, other statements
                return with_context(node, chosen, self.tag_of, self.ctx)
            return conditions.CONDITIONS[sink.condition](node, chosen, self.tag_of)
        return chosen or None

    def sink(
        self,
        rule: str,
        taint: TVal,
        node: ast.AST,
        note: str,
        confidence: str | None = None,
        when: tuple[ReceiverTest, ...] = (),
        variant: object = None,
        session_key: str = "",
    ) -> None:
        """Data reaching a sink; `when`: the receiver tests of which one must hold (see
        `_method_sinks`), none if it is a sink whatever the receiver; `variant`: which of
        the sink's argument choices the data went through, if it has several; `session_key`:
        the session key a trust-boundary write stores under (`sessions.key_pattern`)."""
        if rule not in self.mod.rules or all(type(label) is Fn for label in taint):
            return  # a function given to a sink (`Thread(target=f)`) is not data
        if self.state.requires:  # reached only if those calls returned
            taint = _requiring({"": taint}, self.state.requires)[""]
        if self.state.assumed:  # reached only if the caller passed such parameters
            taint = extend(taint, clears=self.state.assumed)
        key = (rule, id(node), variant)
        events = self.summary.sinks
        index = self.sink_events.get(key)
        platform = self.state.platform or ""
        if index is not None:  # walked again, or another spec: the paths that reach it join
            event = events[index]
            event.taint = join(event.taint, taint)
            if event.condition != platform:
                event.condition = ""  # reached on the server's platform too
            if event.when and not when:
                event.when = ()  # a sink whatever the receiver on this path
            elif event.when:
                event.when = (*event.when, *(t for t in when if t not in event.when))
            return
        statement = self.ctx.statement(node)
        first = getattr(statement, "lineno", getattr(node, "lineno", 1))
        last = getattr(statement, "end_lineno", first) or first
        if isinstance(
            statement,
            (ast.If, ast.For, ast.While, ast.With, ast.Try, ast.FunctionDef, ast.AsyncFunctionDef),
        ):
            last = getattr(node, "end_lineno", first) or first
        self.sink_events[key] = len(events)
        events.append(
            SinkEvent(
                rule=rule,
                taint=taint,
                location=self.ctx.location(node),
                note=note,
                snippet=self.ctx.snippet(node),
                scope=self.scope,
                region=(first, last),
                confidence=confidence,
                condition=platform,
                when=when,
                key=session_key,
            )
        )


def _requiring(env: Env, calls: frozenset[int]) -> Env:
    """A branch's variables, marked as existing only if `calls` return (see `NORETURN`)."""
    if not calls:
        return env
    marks = frozenset(f"{NORETURN}{call}" for call in calls)
    return {key: extend(value, clears=marks) for key, value in env.items()}


_WHOLE = frozenset({WHOLE_REQUEST})


def _callable(func: ast.expr | None, value: TVal) -> bool:
    """Whether a call of `func`, which holds `value`, is a call by value phase 2 may
    resolve: the value may be a function of the tree (not attacker data alone, not the
    method's own object)."""
    if not value or (isinstance(func, ast.Name) and func.id in ("self", "cls")):
        return False
    return any(type(label) is not Src for label in value)


def _join_keys(
    old: dict[str, TVal] | None, new: dict[str, TVal] | None, whole: TVal | None
) -> dict[str, TVal] | None:
    """A call's receiver fields over two walks of it (None: the receiver as a whole)."""
    if old is None and new is None:
        return None
    old = old if old is not None else {"": whole or EMPTY}
    new = new if new is not None else {"": whole or EMPTY}
    return {
        key: join(old.get(key, old[""]), new.get(key, new[""])) for key in old.keys() | new.keys()
    }
