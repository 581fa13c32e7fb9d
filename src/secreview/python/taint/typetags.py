"""Pass 3, types: what kind of object a variable holds, as a *type tag*, so that calls on
it resolve to the function they run.

A tag is the qualified name of what built the value (`sqlite3.connect`, `pkg.models.Book`
for an instance of the tree's class, `requests.Session` for a library object), `<self>`
for the instance a method runs on, or `.method` when only the last call is known. Tags come
from assignments (`conn = sqlite3.connect(path)`), annotations (`conn: LDAPObject`,
`def f(s: Session)`), fields typed by what a class assigns to them in any method
(`self.api = compute.API()`), module-level objects (`store = Store()`), and what a function
of the tree returns (phase 2 resolves `<call>.method` against the callee's return type).

Used by the transfer (`transfer.py`) for: which function a call runs (`resolve_call`),
which library API a method is (sinks such as `cursor.execute`), and which fields an object
has. Assumes a variable keeps its tag until it is assigned again.
"""

from __future__ import annotations

import ast

from secreview.python.context import ModuleContext
from secreview.python.symbols import walk_statements
from secreview.python.taint import conditions
from secreview.python.taint.shapes import builds_text, short

SELF = "<self>"


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
                rest = short(node).split(".", 1)  # canonical: compared
                tag = types[root.id]
                if tag == SELF:
                    return None
                return f"{tag}.{rest[1]}" if len(rest) == 2 and "(" not in rest[1] else None
            return None
        return self.ctx.resolve(node)

    def call_tag(self, call: ast.Call) -> str | None:
        """A type tag for the call's result: the qualified callee, or `.method` on unknowns."""
        func = call.func
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
        if isinstance(value, ast.Call):
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
                    if tag.startswith("ret:"):
                        # the object a call of the tree returned: phase 2 knows its class
                        return None, (f"{tag}:{func.attr}",), True
                    qualified = f"{tag}.{func.attr}"
                    if self.mod.is_internal(tag):
                        return None, (qualified,), True
                    return qualified, (), True
            if (
                isinstance(base, ast.Attribute)
                and isinstance(base.value, ast.Name)
                and types.get(base.value.id) == SELF
                and self.summary.cls
            ):
                # self.<field>.<method>(): typed by what the class assigns to the field
                field_type = self.mod.summary.field_types.get((self.summary.cls, base.attr))
                if field_type is None:
                    return None, (f"field:{self.summary.cls}:{base.attr}:{func.attr}",), True
                qualified = f"{field_type}.{func.attr}"
                if self.mod.is_internal(field_type):
                    return None, (qualified,), True
                return qualified, (), True
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
            return None, (qualified,), False
        return qualified, (), False

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
