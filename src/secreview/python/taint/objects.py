"""Objects and containers: where data put into an object (a field, an item, an element)
is kept, so that what reads it back gets it, and nothing else does.

Keys of the path state's environment besides plain variables:
- `name.attr`: field `attr` of the object `name` holds, written here (`row.title = x`);
- `name.[key]`: what the dict or list `name` holds under a constant key or index
  (`d["note"] = x`, `args = ["ls", x]` gives `args.[#1]`);
- `name.`: the object as it was before any field or key was written here (what the
  fields and keys not written hold), with what the tree's methods called on it since
  may have stored (`ArgWrite(call, RECEIVER)`); for `self`, only the latter.

Objects are told apart by where they were built, not only by class. An object of the
tree's class built here (`probe = Target(host)`) is its constructor call: its field `attr`
holds what that constructor stored there (`CallRet(call, key=attr)`), what methods called
on it stored (`ArgWrite(call, RECEIVER, key=attr)`), what this function wrote, and what
code that lost track of which object it wrote stored (`FieldRead(cls, attr, call)`); never
what another `Target(...)` call stored. `self.attr` in a method is `FieldRead(cls, attr,
OWN_OBJECT)`: the whole-program phase makes it the field of the object the caller calls the
method on where every caller knows that object, and what any code stores in that field of
the class otherwise. Writes go to the summary's `field_writes` by class, field and object
(built here, `self`, or of unknown origin); data put into an object a parameter holds goes
to `param_writes` (the caller's object holds it too), data put into a module-level queue
or context variable is a write of that global.
Assumes two names never alias one object unless one was assigned from the other.
"""

from __future__ import annotations

import ast

from secreview.python.context import ModuleContext
from secreview.python.taint import predictable, refresh, sessions
from secreview.python.taint.scopes import MUTATORS
from secreview.python.taint.shapes import NOTE_WIDTH
from secreview.python.taint.summary import (
    EMPTY,
    NO_FLOW,
    OWN_OBJECT,
    RECEIVER,
    UNKNOWN_OBJECT,
    ArgWrite,
    CallRet,
    FieldRead,
    Param,
    TVal,
    extend,
    field_of,
    join,
)
from secreview.python.taint.typetags import SELF

Env = dict[str, TVal]  # a path state's environment: variables, and the keys above
# what builds a container of this function's own, and the methods that put data in one
CONTAINER_LITERALS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.SetComp, ast.DictComp)
CONTAINER_TYPES = frozenset(
    {"builtins.list", "builtins.dict", "builtins.set", "builtins.bytearray"}
    | {f"collections.{n}" for n in ("deque", "defaultdict", "OrderedDict", "Counter")}
    | {"io.StringIO", "io.BytesIO", "queue.Queue", "queue.SimpleQueue", "queue.LifoQueue",
       "asyncio.Queue", "multiprocessing.Queue"}
)  # fmt: skip
# what fills a container held in a field (`self.parts.append(x)`); not `add` or `write`,
# which on a field are as often a database session's or a stream's
FIELD_MUTATORS = MUTATORS - {"add", "write", "writelines"}
# what puts data in a queue-like container, read back by `get`
QUEUE_PUTS = frozenset({"put", "put_nowait"})
# what fills a container of this function's own
LOCAL_PUTS = MUTATORS | QUEUE_PUTS
# module-level objects whose methods store what other functions read back (a queue a
# handler fills and a worker thread drains, a context variable a middleware sets), with
# those methods: a call of one is a write of the global
GLOBAL_STORES = {
    **dict.fromkeys(
        ("queue.Queue", "queue.SimpleQueue", "queue.LifoQueue", "queue.PriorityQueue",
         "asyncio.Queue", "multiprocessing.Queue"), QUEUE_PUTS),
    "collections.deque": frozenset({"append", "appendleft", "extend", "extendleft"}),
    "contextvars.ContextVar": frozenset({"set"}),
}  # fmt: skip
# `setattr(obj, name, value)`, `object.__setattr__(self, name, value)`
SETATTR = frozenset({"builtins.setattr", "builtins.object.__setattr__"})


def keyed(value: TVal, key: str) -> TVal:
    """What a value holds under `key` when the value is one parameter or one call's result
    (phase 2 knows its keys: the caller's dict, the callee's returned object); else the
    value itself."""
    out: TVal = {}
    for label, flow in value.items():
        if type(label) is ArgWrite and label.key == "*":  # what a callee wrote: this key's
            out[label._replace(key=key)] = flow
        else:
            out[label] = flow
    value = out
    if len(value) != 1:
        return value
    label, flow = next(iter(value.items()))
    kind = type(label)
    if (kind is Param or kind is CallRet) and not label.key:  # type: ignore[union-attr]
        return {label._replace(key=key): flow}  # type: ignore[union-attr]
    return value


def field_item(value: TVal, key: str) -> TVal:
    """`self.settings["mode"]`: of the field's stores, what they hold under that dict key
    or list index (`FieldRead.key`); the rest of the value (what a method called on the
    object may have written there) as a whole."""
    out: TVal = {}
    for label, flow in keyed(value, key).items():
        if type(label) is FieldRead and not label.key:  # type: ignore[union-attr]
            label = label._replace(key=key)  # type: ignore[union-attr]
        out[label] = flow
    return out


def index_key(value: object) -> str | None:
    """The environment key part for a constant dict key or list index: `[note]`, `[#0]`."""
    if isinstance(value, str):
        return f"[{value}]"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"[#{value}]"
    return None


class Objects:
    """The object part of a function's analysis (mixed into `FunctionAnalysis`)."""

    def puts(self, method: str | None, receiver: ast.expr | None) -> bool:
        """May `receiver.method(...)` put its arguments into an object `mutated` tracks?"""
        if isinstance(receiver, ast.Attribute):
            return method in FIELD_MUTATORS or method in QUEUE_PUTS
        if not isinstance(receiver, ast.Name):
            return False
        if method in LOCAL_PUTS and (
            self.state.containers or self.param_slots or self._tracked(receiver.id)
        ):
            return True
        if receiver.id in self.locals:
            return False
        return method in GLOBAL_STORES.get(self.mod.global_types.get(receiver.id, ""), ())

    def mutated(self, node: ast.Call, receiver: ast.expr | None, taint: TVal) -> None:
        """`parts.append(x)`, `opts.update(d)`, `buf.write(s)`, `jobs.put(x)`: the container
        now holds x."""
        if not taint:
            return
        method = node.func.attr  # type: ignore[attr-defined]
        if isinstance(receiver, ast.Name) and self._keyed_fill(node, receiver.id, method):
            return
        if isinstance(receiver, ast.Name):
            name = receiver.id
            if (
                name in self.state.containers
                or (name in self.param_slots and method in FIELD_MUTATORS)
                or (self._tracked(name) and method in FIELD_MUTATORS)
            ):
                self.object_gains(name, extend(taint, self.step(node, self.text(node))))
            elif name not in self.locals and method in GLOBAL_STORES.get(
                self.mod.global_types.get(name, ""), ()
            ):
                key = f"{self.mod.module}.{name}"  # a module-level queue or context variable
                writes = self.summary.global_writes
                stepped = extend(taint, self.step(node, self.text(node)))
                writes[key] = join(writes.get(key, EMPTY), stepped)
        elif isinstance(receiver, ast.Attribute) and method in FIELD_MUTATORS | QUEUE_PUTS:
            # `self.parts.append(x)`
            self.holder_gains(receiver, extend(taint, self.step(node, self.text(node))))

    def _tracked(self, name: str) -> bool:
        """A local whose keys are tracked (`literal_keys`): a dict a call made and this
        function fills (`options = defaults(); options.update(form)`) is one too."""
        return f"{name}." in self.state.env and name in self.locals

    def _keyed_fill(self, node: ast.Call, name: str, method: str) -> bool:
        """`d.setdefault("k", v)`, `d.update(k=v)`, `d.update({"k": v})` on a dict whose keys
        are tracked: each value goes under its own key (True when handled so)."""
        env = self.state.env
        if f"{name}." not in env or name not in self.locals:
            return False
        pairs: list[tuple[str, ast.expr]] = []
        if method == "setdefault" and len(node.args) == 2 and not node.keywords:
            key = index_key(self.fold(node.args[0]))
            if key is None:
                return False
            pairs.append((key, node.args[1]))
        elif method == "update" and len(node.args) <= 1:
            if node.args:
                literal = node.args[0]
                if not isinstance(literal, ast.Dict) or None in literal.keys:
                    return False
                for key_node, value in zip(literal.keys, literal.values, strict=True):
                    key = index_key(self.fold(key_node))  # type: ignore[arg-type]
                    if key is None:
                        return False
                    pairs.append((key, value))
            for keyword in node.keywords:
                if keyword.arg is None:
                    return False
                pairs.append((f"[{keyword.arg}]", keyword.value))
        else:
            return False
        for key, value in pairs:
            taint = self.expr(value)
            if taint:
                taint = extend(taint, self.step(node, self.text(node)))
            current = env.get(f"{name}.{key}")
            if method == "setdefault" and current is not None:
                taint = join(current, taint)  # kept if the key is there already
            self.local_field_write(name, key, taint)
        return True

    def assign_attribute(self, base: ast.expr, attr: str, taint: TVal, stmt: ast.stmt) -> None:
        if taint:
            if not predictable.constructor_copy(self.summary.qualname, taint):
                note = f"{self.text(base)}.{attr} = … (stored as a secret)"
                predictable.store(self.sink, attr, taint, stmt, note)
            value = getattr(stmt, "value", None)
            shown = self.text(value) if value is not None else ""
            taint = extend(taint, self.step(stmt, f"{self.text(base)}.{attr} = {shown}"))
        if not isinstance(base, ast.Name):
            if taint:  # `self.conf.path = x`: the object in `self.conf` now holds x
                self.holder_gains(base, taint)
            return
        self.object_field(base.id, attr, taint, taint)  # a new value: it replaces the old

    def set_attribute(self, node: ast.Call, taint: TVal) -> None:
        """`setattr(obj, name, value)`, `object.__setattr__(self, "url", value)`: a field
        write, of the field the name folds to, or of any field."""
        base, name = node.args[0], node.args[1]
        if not isinstance(base, ast.Name):
            return
        attr = self.fold(name)
        if taint:
            taint = extend(taint, self.step(node, self.text(node)))
        if isinstance(attr, str) and attr.isidentifier():
            self.object_field(base.id, attr, taint, taint)
        else:
            self.object_field(base.id, "", taint, taint)

    def object_field(self, name: str, attr: str, taint: TVal, value: TVal) -> None:
        """Field `attr` of the object variable `name` holds receives `taint` and now holds
        `value` ("" or `__dict__`: some field not known by name, which gains `taint`): the
        summary's field writes for `self` and the tree's classes, the per-field tracking
        for local objects, else the variable as a whole."""
        if attr == "__dict__":
            attr = ""
        tag = self.state.types.get(name)
        if tag == SELF and self.summary.cls:
            self.field_write(self.summary.cls, attr, taint, OWN_OBJECT)
            if attr:
                self.state.env[f"{name}.{attr}"] = value
            elif taint:
                self.any_field_gains(name, taint)
            return
        local = name in self.locals
        if tag and self.tree_class(tag):
            self.field_write(tag, attr, taint, self.built_at(name) if local else UNKNOWN_OBJECT)
        if local:
            if attr:
                self.local_field_write(name, attr, value)
            elif taint:
                self.object_gains(name, taint)
        elif taint:
            self.state.env[name] = join(self.state.env.get(name, EMPTY), taint)

    def any_field_gains(self, name: str, taint: TVal) -> None:
        """`self.__dict__.update(d)`, `setattr(self, key, v)`: every field of `self` may now
        hold the data (`self.` is what the fields not written here gained)."""
        env = self.state.env
        prefix = f"{name}."
        env[prefix] = join(env.get(prefix, EMPTY), taint)
        for key in [key for key in env if key.startswith(prefix) and key != prefix]:
            env[key] = join(env[key], taint)

    def built_at(self, name: str) -> int:
        """The call site that built the object a local variable holds, as far as this
        function knows (`UNKNOWN_OBJECT` if it holds anything else)."""
        env = self.state.env
        value = env.get(name, EMPTY)
        built = _built_at(env.get(f"{name}.", value))
        return built if built >= 0 else _built_at(value)

    def builds_tree_object(self, value: ast.AST) -> bool:
        """A constructor call of the tree's class: the object it builds holds in each
        field what the constructor stores there (phase 2 knows), not its keywords."""
        index = self.call_sites.get(id(value))
        if index is None:
            return False
        site = self.summary.calls[index]
        return site is not None and len(site.callees) == 1 and self.tree_class(site.callees[0])

    def own_field(self, name: str, attr: str) -> TVal:
        """`self.attr` not written here: the field of the object the method runs on, and
        what the tree's methods called on `self` here stored there since."""
        cls = self.summary.cls
        if not cls:
            return EMPTY
        value = {FieldRead(cls, attr, OWN_OBJECT): NO_FLOW}
        since = self.state.env.get(f"{name}.")
        return join(value, field_of(since, attr)) if since else value

    def object_field_read(self, name: str, tag: str, attr: str, rest: TVal) -> TVal:
        """Field `attr`, not written here, of the local object `name` of the tree's class
        `tag` whose fields are `rest` (see the module docstring)."""
        built = self.built_at(name)
        return join(field_of(rest, attr), {FieldRead(tag, attr, built): NO_FLOW})

    def receiver_fields(self, name: str) -> dict[str, TVal] | None:
        """For a call of a method of the tree on the object `name` holds: its fields this
        function wrote, and "" what the others hold (None: nothing beyond `name` itself)."""
        env = self.state.env
        prefix = f"{name}."
        rest = env.get(prefix)
        fields = {
            key[len(prefix) :]: value
            for key, value in env.items()
            if key.startswith(prefix) and key != prefix
        }
        if rest is None and not fields:
            return None
        if self.state.types.get(name) == SELF:
            rest = join(env.get(name, EMPTY), rest or EMPTY)
        fields[""] = env.get(name, EMPTY) if rest is None else rest
        return fields

    def receiver_written(self, name: str, index: int) -> None:
        """After `name.method(...)`, a method of the tree (call site `index`): what it
        stored in the object's fields is in them (`ArgWrite(index, RECEIVER)`, read field
        by field in phase 2)."""
        env = self.state.env
        prefix = f"{name}."
        label = ArgWrite(index, RECEIVER)
        if self.state.types.get(name) != SELF:
            if prefix not in env:
                env[prefix] = env.get(name, EMPTY)
            env[name] = join(env.get(name, EMPTY), {label: NO_FLOW})
        env[prefix] = join(env.get(prefix, EMPTY), {label: NO_FLOW})
        for key in [key for key in env if key.startswith(prefix) and key != prefix]:
            attr = key[len(prefix) :]
            env[key] = join(env[key], {ArgWrite(index, RECEIVER, attr): NO_FLOW})

    def passed_objects(self, node: ast.Call, index: int, count: int) -> None:
        """A list, dict or object built here and passed to a function of the tree may come
        back filled (`add_filter(clauses, x)`): it holds what the callee puts in
        (`ArgWrite`, known in phase 2)."""
        for position, arg in enumerate(node.args[:count]):
            if not isinstance(arg, ast.Name) or arg.id not in self.locals:
                continue
            name = arg.id
            tag = self.state.types.get(name)
            keys = self.keyed_parts(name)
            if keys is not None:
                # a dict whose keys are tracked: what the callee writes under each key
                env = self.state.env
                for key in keys:
                    written = {ArgWrite(index, position, key): NO_FLOW}
                    env[f"{name}.{key}"] = join(env[f"{name}.{key}"], written)
                anywhere = {ArgWrite(index, position, "*"): NO_FLOW}
                env[f"{name}."] = join(env[f"{name}."], anywhere)  # keys read later: `keyed`
                whole = {ArgWrite(index, position): NO_FLOW}
                env[name] = join(env.get(name, EMPTY), whole)
            elif name in self.state.containers or (tag and tag != SELF and self.tree_class(tag)):
                self.object_gains(name, {ArgWrite(index, position): NO_FLOW})

    def holder_gains(self, holder: ast.expr, taint: TVal) -> None:
        """Data put into what `holder` names without rebinding it (`holder[k] = x`,
        `holder.append(x)`, `holder.attr = x`): when it is an object's field or lies below
        one (`self.opts`, `row.tags[0]`, `self.conf.path`), that field holds the data;
        else the variable it lies in does."""
        inner = holder
        while isinstance(inner, (ast.Attribute, ast.Subscript)) and not (
            isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name)
        ):
            inner = inner.value
        if isinstance(inner, ast.Name):
            self.object_gains(inner.id, taint)
            return
        if not isinstance(inner, ast.Attribute) or not isinstance(inner.value, ast.Name):
            return
        # the field keeps what it held and gains the data
        self.object_field(inner.value.id, inner.attr, taint, join(self.attribute(inner), taint))

    def local_field_write(self, name: str, attr: str, taint: TVal) -> None:
        """`row.title = form["title"]` on a local object (an ORM row, a parsed document): the
        object as a whole now holds the data, but its other fields do not. `<name>.` keeps
        the object as it was before any field was written here, `<name>.<attr>` each field
        written; `attribute` reads them."""
        env = self.state.env
        whole = f"{name}."
        if whole not in env:
            env[whole] = env.get(name, EMPTY)
        if taint:
            env[name] = join(env.get(name, EMPTY), taint)
            self.param_gains(name, taint)
        env[f"{name}.{attr}"] = taint

    def literal_keys(self, name: str, parts: dict[str, TVal], stmt: ast.AST,
                     rest: TVal = EMPTY) -> None:  # fmt: skip
        """`name = {"id": 1, "note": x}` / `name = ["ls", x]` / `name = Row(path=p, n=1)`:
        each key, element or keyword field is tracked apart (`name.[note]`, `name.[#1]`,
        `name.path`); the object holds `rest` under any other (nothing, for literals)."""
        env = self.state.env
        env[f"{name}."] = rest
        for key, value in parts.items():
            if value:
                shown = f"{{…{key}: …}}" if key.startswith("[") else f"…({key}=…)"
                value = extend(value, self.step(stmt, f"{name} = {shown}"))
            env[f"{name}.{key}"] = value

    def key_value(self, name: str, key: str) -> TVal | None:
        """What a container whose keys are tracked (`literal_keys`, `assign_item`) holds
        under `key` (`[note]`, `[#0]`), or None when its keys are not tracked."""
        env = self.state.env
        if f"{name}." not in env or name not in self.locals:
            return None
        found = env.get(f"{name}.{key}")
        if found is not None:
            return found
        # the rest: what the object held before, keyed when that is one symbolic value
        # (`meta = meta._replace(title=t)`: `meta.cover` is the first meta's `cover`)
        return keyed(env[f"{name}."], key)

    def keyed_parts(self, name: str) -> dict[str, TVal] | None:
        """Every tracked key (`[note]`, `[#0]`) or field of a local object and what it
        holds, or None when untracked; `rest` of `literal_keys` is under `name.`."""
        env = self.state.env
        if f"{name}." not in env or name not in self.locals:
            return None
        prefix = f"{name}."
        return {k[len(prefix) :]: v for k, v in env.items() if k.startswith(prefix) and k != prefix}

    def param_gains(self, name: str, taint: TVal) -> None:
        """Data put into the object a parameter holds: the caller's object holds it too."""
        index = self.param_slots.get(name)
        if index is not None:
            own = Param(index, name)
            added = {label: flow for label, flow in taint.items() if label != own}
            if added:
                self.gained[name] = join(self.gained.get(name, EMPTY), added)

    def forget_fields(self, name: str) -> None:
        env = self.state.env
        prefix = f"{name}."
        for key in [key for key in env if key.startswith(prefix)]:
            del env[key]

    def object_gains(self, name: str, taint: TVal) -> None:
        """Data put into an object some other way (`row.tags[0] = x`): the whole object,
        and each of its fields tracked one by one, may now hold it."""
        env = self.state.env
        env[name] = join(env.get(name, EMPTY), taint)
        self.param_gains(name, taint)
        prefix = f"{name}."
        if prefix in env:
            for key in [key for key in env if key.startswith(prefix)]:
                env[key] = join(env[key], taint)

    def field_write(self, cls: str, attr: str, taint: TVal, obj: int) -> None:
        """`self.attr = value` or `obj.attr = value` on an object of the tree's class `cls`
        (which object: as `FieldRead.built_at` says): what readers of the field may see."""
        if taint:
            key = (cls, attr, obj)
            writes = self.summary.field_writes
            writes[key] = join(writes.get(key, EMPTY), taint)

    def assign_item(self, target: ast.Subscript, base: ast.expr, taint: TVal,
                    stmt: ast.stmt) -> None:  # fmt: skip
        self.expr(target.slice)
        if taint and self.is_session(base):
            session_key = sessions.key_pattern(target.slice)
            if not session_key and isinstance(folded := self.fold(target.slice), str):
                session_key = sessions.key_pattern(ast.Constant(folded))  # `key = "role"`
            self.sink(
                "trust-boundary-violation",
                taint,
                stmt,
                f"{self.text(target)} = … (server-side session)",
                session_key=session_key,
            )
        elif (
            taint
            and self.is_headers(base)
            and not self.checks_headers(base)
            and not self.copies_headers(getattr(stmt, "value", None))
        ):
            self.sink("header-injection", taint, stmt, f"{self.text(target)} = … (response header)")
        if taint and self.is_headers(base):
            self.header_redirect(target, taint, stmt)
        key = index_key(self.fold(target.slice)) if taint else None
        if key is not None and key.startswith("["):  # `session["csrf_token"] = v`
            note = f"{self.text(target)} = … (stored as a secret)"
            predictable.store(self.sink, key[1:-1], taint, stmt, note)
        if taint:
            taint = extend(taint, self.step(stmt, self.text(stmt)[:NOTE_WIDTH]))
        index = target.slice
        key = None if isinstance(index, ast.Slice) else index_key(self.fold(index))
        if isinstance(base, ast.Name) and key is not None and f"{base.id}." in self.state.env:
            self.local_field_write(base.id, key, taint)  # a tracked dict's key
        elif (
            isinstance(base, ast.Name)
            and key is not None
            and base.id in self.param_slots
            and base.id not in self.rebound
        ):
            # `ctx["user"] = x` on a parameter: the caller's dict holds x under that key
            slot = self.param_slots[base.id]
            writes = self.summary.param_key_writes.setdefault(slot, {})
            writes[key] = join(writes.get(key, EMPTY), taint) if taint else writes.get(key, EMPTY)
        elif taint:
            self.holder_gains(base, taint)

    def header_redirect(self, target: ast.Subscript, taint: TVal, stmt: ast.stmt) -> None:
        """`response.headers["Location"] = url` (or Django's `response["Location"]`), and
        the URL of a `Refresh` header: where the browser is sent next."""
        name = self.fold(target.slice)
        value = getattr(stmt, "value", None)
        if not isinstance(name, str) or value is None:
            return
        name = name.strip().lower()
        if name == "refresh":
            parts = refresh.refresh_targets(value, self.ctx)
            taint = join(*(self.expr(part) for part in parts)) if parts else EMPTY
        elif name != "location" or not refresh.sets_redirect_status(stmt, self.ctx):
            return
        if taint:
            self.sink("open-redirect", taint, stmt, f"{self.text(target)} = … (redirect header)")

    def unwritten(self, env: dict[str, TVal], key: str, types: dict[str, str]) -> TVal:
        """What a variable's field (`key` is `name.attr`, or `name.` for the object before
        its fields were written) holds in a branch that did not write it."""
        name, _, attr = key.partition(".")
        tag = types.get(name)
        if tag == SELF:
            if not attr or not self.summary.cls:
                return EMPTY  # `self.` holds only what calls stored since (`own_field`)
            value = {FieldRead(self.summary.cls, attr, OWN_OBJECT): NO_FLOW}
            since = env.get(f"{name}.")
            return join(value, field_of(since, attr)) if since else value
        if not attr:
            return env.get(name, EMPTY)
        value = env.get(f"{name}.", env.get(name, EMPTY))
        if tag and self.tree_class(tag):
            built = _built_at(value)
            if built < 0:
                built = _built_at(env.get(name, EMPTY))
            return join(field_of(value, attr), {FieldRead(tag, attr, built): NO_FLOW})
        return value


def _built_at(value: TVal) -> int:
    """The call site whose result a variable holds, with nothing else but what calls
    stored in it since (`UNKNOWN_OBJECT` if none)."""
    built = UNKNOWN_OBJECT
    for label in value:
        kind = type(label)
        if kind is ArgWrite:
            continue
        if kind is CallRet and built == UNKNOWN_OBJECT and label == CallRet(label.call):  # type: ignore[union-attr]
            built = label.call  # type: ignore[union-attr]
            continue
        return UNKNOWN_OBJECT
    return built


# decorators that generate an `__init__` storing its parameters in the class's annotated
# fields, in order
_DATACLASS_DECORATORS = frozenset(
    {"dataclasses.dataclass", "attr.s", "attr.attrs", "attr.define", "attr.frozen",
     "attr.mutable", "attrs.define", "attrs.frozen", "attrs.mutable",
     "pydantic.dataclasses.dataclass"}
)  # fmt: skip
_NOT_FIELDS = frozenset({"ClassVar", "InitVar", "KW_ONLY"})


def dataclass_init(ctx: ModuleContext, cls: ast.ClassDef) -> ast.FunctionDef | None:
    """The `__init__` a dataclass decorator writes for a class that defines none: each
    annotated field stored from the parameter of its name, then `self.__post_init__()`
    when the class has one. Analysed like the class's own, so that an object of it holds
    in each field what its constructor call passed for that field, not every argument
    (statements carry the field's line: a trace shows where the field is declared)."""
    if not any(_generates_init(ctx, decorator) for decorator in cls.decorator_list):
        return None
    names = {
        item.name for item in cls.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    if "__init__" in names:
        return None
    body: list[ast.stmt] = []
    params = [ast.arg(arg="self")]
    for item in cls.body:
        if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)):
            continue
        annotation = item.annotation
        kind = annotation.value if isinstance(annotation, ast.Subscript) else annotation
        if (ctx.resolve(kind) or "").rsplit(".", 1)[-1] in _NOT_FIELDS or _no_init(item.value):
            continue
        name = item.target.id
        params.append(ast.arg(arg=name))
        store = ast.Attribute(value=_self(), attr=name, ctx=ast.Store())
        value = ast.Name(id=name, ctx=ast.Load())
        body.append(_placed(ast.Assign(targets=[store], value=value), item))
    for item in cls.body:
        if isinstance(item, ast.FunctionDef) and item.name == "__post_init__":
            method = ast.Attribute(value=_self(), attr=item.name, ctx=ast.Load())
            body.append(_placed(ast.Expr(value=ast.Call(func=method, args=[], keywords=[])), item))
    if not body:
        return None
    arguments = ast.arguments(posonlyargs=[], args=params, vararg=None, kwonlyargs=[],
                              kw_defaults=[], kwarg=None, defaults=[])  # fmt: skip
    init = ast.FunctionDef(name="__init__", args=arguments, body=body, decorator_list=[],
                           returns=None, type_comment=None, type_params=[])  # fmt: skip
    return _placed(init, cls)


def _self() -> ast.Name:
    return ast.Name(id="self", ctx=ast.Load())


def _generates_init(ctx: ModuleContext, decorator: ast.expr) -> bool:
    """`@dataclass`, `@dataclass(frozen=True)`, `@attrs.define`, not `init=False`."""
    if isinstance(decorator, ast.Call):
        if any(
            k.arg == "init" and isinstance(k.value, ast.Constant) and k.value.value is False
            for k in decorator.keywords
        ):
            return False
        decorator = decorator.func
    return ctx.resolve(decorator) in _DATACLASS_DECORATORS


def _no_init(value: ast.expr | None) -> bool:
    """`field(init=False)`: not a parameter of the generated `__init__`."""
    return isinstance(value, ast.Call) and any(
        k.arg == "init" and isinstance(k.value, ast.Constant) and k.value.value is False
        for k in value.keywords
    )


def _placed[Node: ast.stmt](node: Node, where: ast.stmt) -> Node:
    """A statement made here, placed where `where` is in the source (its inner
    expressions have no place: their text is their own code, not the source's)."""
    node.lineno, node.col_offset = where.lineno, where.col_offset
    node.end_lineno, node.end_col_offset = where.end_lineno, where.end_col_offset
    return node


_NAMED_TUPLES = frozenset({"collections.namedtuple", "typing.NamedTuple"})


def named_tuples(ctx: ModuleContext, module: str) -> dict[str, tuple[str, ...]]:
    """The module's named tuple types made by a call (`Meta = namedtuple("Meta", "path,
    title")`, `NamedTuple("Meta", [("path", str), ...])`): their fields in order."""
    found: dict[str, tuple[str, ...]] = {}
    for node in ctx.tree.body:
        if not (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
            and ctx.resolve(node.value.func) in _NAMED_TUPLES
        ):
            continue
        call = node.value
        spec = call.args[1] if len(call.args) > 1 else None
        for keyword in call.keywords:
            if keyword.arg in ("field_names", "fields"):
                spec = keyword.value
        fields = _tuple_fields(spec)
        if fields:
            found[f"{module}.{node.targets[0].id}"] = fields
    return found


def _tuple_fields(spec: ast.expr | None) -> tuple[str, ...]:
    """`"path, title"`, `["path", "title"]`, `[("path", str), ("title", str)]`."""
    if isinstance(spec, ast.Constant) and isinstance(spec.value, str):
        return tuple(spec.value.replace(",", " ").split())
    if not isinstance(spec, (ast.List, ast.Tuple)):
        return ()
    names: list[str] = []
    for item in spec.elts:
        if isinstance(item, (ast.Tuple, ast.List)) and item.elts:
            item = item.elts[0]
        if not (isinstance(item, ast.Constant) and isinstance(item.value, str)):
            return ()
        names.append(item.value)
    return tuple(names)
