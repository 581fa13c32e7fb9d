"""Pass 3, types: what kind of object a variable holds, as a *type tag*, so that calls on
it resolve to the function they run.

A tag is the qualified name of what built the value (`sqlite3.connect`, `pkg.models.Book`
for an instance of the tree's class, `requests.Session` for a library object), `<self>`
for the instance a method runs on, or `.method` when only the last call is known. Tags come
from assignments (`conn = sqlite3.connect(path)`), annotations (`conn: LDAPObject`,
`def f(s: Session)`), fields typed by what a class assigns to them in any method
(`self.api = compute.API()`), module-level objects (`store = Store()`), and what a function
of the tree returns.

A tag naming a function of the tree (`conn = get_conn()` is tagged `pkg.db.get_conn`) is
symbolic: only the whole program knows what that function returns (`FunctionSummary
.return_type`, from its return annotation or its `return` statements: `value_type`), so
phase 2 (`solve.Program.type_of`) resolves it, and with it the methods called on the value
(`pkg.db.get_conn.cursor`) and the fields it has (`field:<class>:<attr>`). A method sink on
such a receiver (`deferred_type`) is recorded with the test phase 2 decides by the type.

Used by the transfer (`transfer.py`) for: which function a call runs (`resolve_call`),
which library API a method is (sinks such as `cursor.execute`), and which fields an object
has. Assumes a variable keeps its tag until it is assigned again.
"""

from __future__ import annotations

import ast

from secreview.python.context import ModuleContext
from secreview.python.symbols import walk_statements
from secreview.python.taint import conditions
from secreview.python.taint.shapes import builds_text, dotted, short
from secreview.rules.support.bindings import assigned_values

SELF = "<self>"
# str methods whose result is text holding their arguments, and string.Template's
_TEXT_METHODS = frozenset({"format", "format_map", "replace", "join"})
_TEMPLATE_METHODS = frozenset({"substitute", "safe_substitute"})


def module_instance_types(ctx: ModuleContext) -> dict[str, str]:
    """`store = SessionStore()` at module level: what functions calling `store.load()` mean."""
    types: dict[str, str] = {}
    for stmt in ctx.tree.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(target := stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Call)
        ):
            callee = ctx.resolve(stmt.value.func)
            if callee is not None:
                types.setdefault(target.id, callee)
        elif (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.annotation is not None
        ):
            tag = annotation_tag(ctx, stmt.annotation)
            if tag is None and isinstance(stmt.value, ast.Call):
                tag = ctx.resolve(stmt.value.func)  # `var: ContextVar[str] = ContextVar(...)`
            if tag is not None:
                types.setdefault(stmt.target.id, tag)
    return types


def annotation_tag(ctx: ModuleContext, node: ast.expr | None) -> str | None:
    """The class an annotation names: `Session`, `ldap.ldapobject.LDAPObject`, `"Session"`,
    `Session | None`, `Optional[Session]`."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        for side in (node.left, node.right):
            if not (isinstance(side, ast.Constant) and side.value is None):
                return annotation_tag(ctx, side)
        return None
    if isinstance(node, ast.Subscript):
        outer = ctx.resolve(node.value) or ""
        if outer.rsplit(".", 1)[-1] == "Optional":
            return annotation_tag(ctx, node.slice)
        return None
    if isinstance(node, (ast.Name, ast.Attribute)):
        tag = ctx.resolve(node)
        if tag is None or tag.startswith("builtins."):
            return None
        return tag
    return None


def class_field_types(ctx: ModuleContext, cls: ast.ClassDef, qualified: str,
                      types: dict[tuple[str, str], str]) -> None:  # fmt: skip
    """`self.api = compute.API()` (or `self.conn: Connection = …`) in any method:
    `self.api.create()` is `API.create`."""
    for item in cls.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            tag = annotation_tag(ctx, item.annotation)  # a class-level `conn: Connection`
            if tag is not None:
                types.setdefault((qualified, item.target.id), tag)
        if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in walk_statements(item):  # assignments are statements
            target = value = None
            tag = None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign):
                target, value = node.target, node.value
                tag = annotation_tag(ctx, node.annotation)
            if not (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
            ):
                continue
            if tag is None and isinstance(value, ast.Call):
                tag = ctx.resolve(value.func)
            if tag is not None:
                types.setdefault((qualified, target.attr), tag)


class TypeTags:
    """The type-tag part of a function's analysis (mixed into `FunctionAnalysis`)."""

    def qualified(self, node: ast.expr) -> str | None:
        """Module-level name of an expression, unless its root is a local variable."""
        root = node
        while isinstance(root, (ast.Attribute, ast.Call, ast.Subscript)):
            root = root.func if isinstance(root, ast.Call) else root.value
        if isinstance(root, ast.Name) and root.id in self.locals:
            types = self.state.types
            if root.id in types and root is not node:
                if dotted(node) is None:
                    return None  # `rows[0].lower`, `make().x`: not a field or method of `rows`
                rest = short(node).split(".", 1)  # canonical: compared
                tag = types[root.id]
                if tag == SELF:
                    return None
                if len(rest) != 2 or rest[0] != root.id or "(" in rest[1] or "[" in rest[1]:
                    return None  # `rows[0].lower`: a method of an element, not of `rows`
                return f"{tag}.{rest[1]}"
            return None
        return self.ctx.resolve(node)

    def call_tag(self, call: ast.Call) -> str | None:
        """A type tag for the call's result: the qualified callee, or `.method` on unknowns."""
        func = call.func
        if (
            isinstance(func, ast.Name)
            and self.summary.kind == "classmethod"
            and self.state.types.get(func.id) == SELF
        ):
            return self.summary.cls  # `cls(...)` in an alternate constructor: the class
        qualified = self.qualified(func)
        if qualified is not None:
            return qualified
        if isinstance(func, ast.Attribute):
            base = func.value
            if (
                isinstance(base, ast.Name)
                and self.state.types.get(base.id) == SELF
                and self.summary.cls
            ):
                return None
            return f".{func.attr}"
        return None

    def set_type(self, name: str, value: ast.AST) -> None:
        tag = None
        if isinstance(value, ast.AugAssign):
            tag = conditions.TEXT if self._appends_text(name, value) else None
        elif self.text_call(value):
            tag = conditions.TEXT
        elif isinstance(value, ast.Call):
            tag = self.call_tag(value)
        elif isinstance(value, ast.Await) and isinstance(value.value, ast.Call):
            tag = self.call_tag(value.value)
        elif conditions.is_argv(value):
            tag = conditions.ARGV
        elif isinstance(value, (ast.JoinedStr, ast.BinOp)) or builds_text(value):
            tag = conditions.TEXT
        elif isinstance(value, ast.Name) and value.id in self.state.types:
            tag = self.state.types[value.id]  # `conn = connection`: the same object
        if tag:
            self.state.types[name] = tag
        else:
            self.state.types.pop(name, None)

    def _appends_text(self, name: str, stmt: ast.AugAssign) -> bool:
        """`page += "<li>" + item`: text grows text (a str it held, or text it was tagged)."""
        if not isinstance(stmt.op, ast.Add):
            return False
        added = stmt.value
        return (
            self.state.types.get(name) == conditions.TEXT
            or isinstance(self.state.consts.get(name), str)
            or isinstance(added, ast.JoinedStr)
            or (isinstance(added, ast.Constant) and isinstance(added.value, str))
            or builds_text(added)
        )

    def text_call(self, value: ast.AST) -> bool:
        """Text built by a call on a template: `ROW.format(name=n)` and `PAGE.replace(...)`
        on a str (a constant, or text built before), `string.Template(...).substitute(...)`
        of a template written in the code."""
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)):
            return False
        method, receiver = value.func.attr, value.func.value
        if method in _TEMPLATE_METHODS:
            made = [receiver]
            if isinstance(receiver, ast.Name):
                made = assigned_values(receiver.id, value, self.ctx)
            return bool(made) and all(self._written_template(m) for m in made)
        if method not in _TEXT_METHODS:
            return False
        if isinstance(receiver, ast.Name) and self.state.types.get(receiver.id) == conditions.TEXT:
            return True
        return isinstance(self.fold(receiver), str)  # type: ignore[attr-defined]

    def _written_template(self, node: ast.expr) -> bool:
        """`string.Template("<p>$name</p>")`: a template written in the code (one read
        from a file is configuration, of a format the code does not say)."""
        return (
            isinstance(node, ast.Call)
            and self.qualified(node.func) == "string.Template"
            and len(node.args) == 1
            and isinstance(self.fold(node.args[0]), str)  # type: ignore[attr-defined]
        )

    def untype_element(self, target: ast.expr) -> None:
        """`for item in get_cart():` an element of what a call of the tree returns is not
        of the class the call returns (phase 2 would resolve `item`'s methods on it)."""
        if isinstance(target, ast.Name):
            tag = self.state.types.get(target.id)
            if tag is not None and self.mod.is_internal(tag):
                del self.state.types[target.id]

    def annotate(self, name: str, annotation: ast.expr) -> None:
        """`conn: LDAPObject = …`: the annotation says what the variable holds."""
        tag = annotation_tag(self.ctx, annotation)
        if tag is not None:
            self.state.types[name] = tag

    def tree_class(self, tag: str) -> bool:
        """Is a variable's type tag an instance of a class of the tree (`models.Book()`), as
        far as names tell: not the result of a function or of a call chain
        (`db.session.query(Book).first()`), whose fields are those of no one class."""
        return self.mod.is_internal(tag) and tag.rpartition(".")[2][:1].isupper()

    def is_self(self, node: ast.expr | None) -> bool:
        return isinstance(node, ast.Name) and self.state.types.get(node.id) == SELF

    def tag_of(self, node: ast.expr) -> str | None:
        return self.state.types.get(node.id) if isinstance(node, ast.Name) else None

    def resolve_call(self, func: ast.expr) -> tuple[str | None, tuple[str, ...], bool]:
        """(qualified external name, candidate internal callees, bound-method call?)"""
        types = self.state.types
        if isinstance(func, ast.Attribute):
            base = func.value
            if isinstance(base, ast.Name):
                tag = types.get(base.id)
                if tag == SELF and self.summary.cls:
                    return None, (f"{self.summary.cls}.{func.attr}",), True
                if base.id not in self.locals:
                    tag = self.mod.global_types.get(base.id)  # `store = Store()` at module level
                if tag and (base.id in self.locals or base.id in self.mod.global_types):
                    # a tree call's result (`get_store()`): phase 2 knows its class
                    qualified = f"{tag}.{func.attr}"
                    if self.mod.is_internal(tag):
                        return None, (qualified,), True
                    return qualified, (), True
            owner = self.field_owner(base)
            if owner is not None:
                # self.<field>.<method>(): typed by what the class assigns to the field or
                # declares it holds; obj.<field>.<method>() of another object of the tree
                # only for a library's type (the tree's methods there: not followed yet)
                attr = base.attr  # type: ignore[union-attr]
                field_type = self.mod.summary.field_types.get((owner, attr))
                own = self.is_self(base.value)  # type: ignore[union-attr]
                if field_type is None and own:
                    return None, (f"field:{owner}:{attr}:{func.attr}",), True
                if field_type is not None and not self.mod.is_internal(field_type):
                    return f"{field_type}.{func.attr}", (), True
                if field_type is not None and own:
                    return None, (f"{field_type}.{func.attr}",), True
            if (
                isinstance(base, ast.Call)
                and isinstance(base.func, ast.Name)
                and base.func.id == "super"
                and self.summary.cls
            ):
                return None, (f"super:{self.summary.cls}.{func.attr}",), True
        qualified = self.qualified(func)
        if qualified is None:
            return None, (), isinstance(func, ast.Attribute)
        # `Thumbnailer(size).render(name)`, `conn.cursor().execute(q)`: a method of the
        # object a call returns or a variable holds
        on_result = isinstance(func, ast.Attribute) and (
            isinstance(func.value, ast.Call) or self._local_root(func)
        )
        if self.mod.is_internal(qualified):
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
                # `Builder("x").arg(y)`: a method of the object the call returned (names
                # resolve through calls: `Builder.arg` is no function of the tree); of what
                # a method of such an object returned, `.arg(y).arg(z)`: unknown, but the
                # object it is called on is its receiver
                tag = self.call_tag(func.value)
                if tag is not None and self.tree_class(tag):
                    return None, (f"{tag}.{func.attr}",), True
                if self._built_chain(func.value):
                    return None, (), True
            return None, (qualified,), on_result
        return qualified, (), on_result

    def _local_root(self, node: ast.expr) -> bool:
        """The expression starts at a local variable (a value, not a module or a class)."""
        while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
            node = node.func if isinstance(node, ast.Call) else node.value
        return isinstance(node, ast.Name) and node.id in self.locals

    def field_owner(self, node: ast.expr) -> str | None:
        """The class (or type tag of the tree) whose field `node` reads: `self.conn` in a
        method, `ctx.conn` of a variable holding an object of the tree."""
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
            return None
        name = node.value.id
        if name not in self.locals:
            return None
        tag = self.state.types.get(name)
        if tag == SELF:
            return self.summary.cls
        if tag is not None and self.mod.is_internal(tag):
            return tag
        return None

    def deferred_type(self, receiver: ast.expr) -> str | None:
        """The type of a method call's receiver when only the whole-program phase knows it:
        the result of a function of the tree (`conn = get_conn()`, maybe another module's),
        an object of the tree's classes, a field whose type the module does not show
        (`field:<class>:<attr>`, set in a base class or by a property). None when this
        module knows the receiver's type, or nothing can."""
        tag: str | None = None
        if isinstance(receiver, ast.Name):
            name = receiver.id
            tag = self.state.types.get(name) if name in self.locals else (
                self.mod.global_types.get(name))  # fmt: skip
        elif isinstance(receiver, ast.Call):
            tag = self.call_tag(receiver)
        elif (owner := self.field_owner(receiver)) is not None:
            attr = receiver.attr  # type: ignore[attr-defined]
            tag = self.mod.summary.field_types.get((owner, attr))
            if tag is None:
                return f"field:{owner}:{attr}"
        if tag == SELF:
            return self._inherited_elsewhere()
        if tag is None or not self.mod.is_internal(tag):
            return None
        return tag

    def _inherited_elsewhere(self) -> str | None:
        """`self`'s class, when it derives from a class of another module of the tree: only
        the whole program knows what `self.redirect(...)` of a `BaseHandler` defined there
        runs (a framework's method the specs know, maybe)."""
        cls = self.cls
        if cls is None or self.summary.cls is None:
            return None
        for base in cls.bases:
            name = self.ctx.resolve(base)
            local = name in self.mod.local_classes
            if name is not None and self.mod.is_internal(name) and not local:
                return self.summary.cls
        return None

    def value_type(self, node: ast.expr) -> str | None:
        """The type tag of what an expression evaluates to (for what a function returns):
        a call's, a variable's, a module-level object's, a field's; `self` is its class."""
        if isinstance(node, ast.Await):
            node = node.value
        tag: str | None = None
        if isinstance(node, ast.Call):
            tag = self.call_tag(node)
        elif isinstance(node, ast.Name):
            name = node.id
            tag = self.state.types.get(name) if name in self.locals else (
                self.mod.global_types.get(name))  # fmt: skip
            if tag == SELF:
                tag = self.summary.cls if self.summary.kind == "method" else None
        elif (owner := self.field_owner(node)) is not None:
            attr = node.attr  # type: ignore[attr-defined]
            tag = self.mod.summary.field_types.get((owner, attr)) or f"field:{owner}:{attr}"
        if tag is None or tag.startswith("<"):
            return None  # text, an argument vector: no class whose methods run
        return tag

    def _built_chain(self, call: ast.Call) -> bool:
        """`Builder(x).arg(y)`: a chain of method calls on an object a constructor call of
        the tree's class built."""
        inner: ast.expr = call
        while (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Attribute)
            and isinstance(inner.func.value, ast.Call)
        ):
            inner = inner.func.value
        if inner is call or not isinstance(inner, ast.Call):
            return False
        tag = self.call_tag(inner)
        return tag is not None and self.tree_class(tag)

    def inherited(self, method: str) -> str | None:
        """`base.method` when the class inherits `method` from a library class the specs
        know (a sink, source or sanitizer), through base classes of this module."""
        if self.cls is None:
            return None
        key = (self.cls.name, self.cls.lineno, method)
        if key not in self.mod.inherited:
            self.mod.inherited[key] = self._find_inherited(self.cls, method)
        return self.mod.inherited[key]

    def _find_inherited(self, own: ast.ClassDef, method: str) -> str | None:
        classes = self.mod.local_classes
        queue: list[ast.ClassDef] = [own]
        seen: set[str] = set()
        while queue and len(seen) < 16:
            cls = queue.pop(0)
            if any(
                isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == method
                for item in cls.body
            ):
                return None  # defined in the reviewed code: a call of the tree
            for base in cls.bases:
                name = self.ctx.resolve(base)
                if name is None or name in seen:
                    continue
                seen.add(name)
                if name in classes:
                    queue.append(classes[name])
                elif not self.mod.is_internal(name):
                    candidate = f"{name}.{method}"
                    if (
                        candidate in self.spec.sinks
                        or candidate in self.spec.call_sources
                        or candidate in self.spec.sanitizers
                    ):
                        return candidate
        return None
