"""Pass 2, values: which expressions have a value fixed in the source, and which value.

One constant propagation, asked by the taint analysis (a branch on a constant condition,
a dict key or list index named by a constant, `getattr(obj, "name")`) and by the pattern
rules (`cmd = "ls -l"; subprocess.run(cmd, shell=True)` runs no value of anyone's choosing).

A value is
- a Python value (str, bytes, int, float, bool, None, and tuples/frozensets/dicts of them):
  the expression always has it;
- `ANY`: the expression is built from constants only, but which one is not known here
  (`"a" if flag else "b"`, a loop over a literal list);
- `UNKNOWN`: anything else (a parameter, a call's result, data from outside).

Constants are literals, expressions of constants (`+`, `%`, f-strings, `.format`, `.join`,
`os.path.join`, …), names bound once at module level to one (`ModuleValues`), class
attributes the module never assigns again (`Config.MODE`, `self.MODE`), and local
variables while they hold one (the flow-sensitive `FunctionValues`, over `flow.py`).
A local list or dict stops being a constant once the function may change it (a method
call on it, an item assigned, passed to a call). Assumes module constants are not rebound
from other modules (`mod.X = …`).
"""

from __future__ import annotations

import ast
import os
import posixpath
import string
from collections.abc import Callable
from typing import Final

from secreview._mypyc import mypyc_attr
from secreview.python.flow import FlowWalker


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


UNKNOWN: Final = _Marker("UNKNOWN")  # not a constant
ANY: Final = _Marker("ANY")  # a constant whose value is not known here
Lookup = Callable[[str], object]
_MAX_TEXT = 4096  # folded text longer than this is only known to be constant
_SCALARS = (str, bytes, int, float, bool, type(None), complex)


def is_constant(value: object) -> bool:
    return value is not UNKNOWN


def known(value: object) -> bool:
    """The value itself is known (not only that it is a constant)."""
    return value is not UNKNOWN and value is not ANY


def join(a: object, b: object) -> object:
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    if a is ANY or b is ANY:
        return ANY
    try:
        same = type(a) is type(b) and a == b
    except Exception:  # pragma: no cover - exotic values
        same = False
    return a if same else ANY


def _sized(value: object) -> object:
    if isinstance(value, (str, bytes)) and len(value) > _MAX_TEXT:
        return ANY
    return value


# pure functions of constants, by qualified name: their result is a constant too
_PURE_CALLS: dict[str, Callable[..., object]] = {
    "builtins.str": str,
    "builtins.int": int,
    "builtins.float": float,
    "builtins.bool": bool,
    "builtins.len": len,
    "builtins.repr": repr,
    "builtins.abs": abs,
    "builtins.min": min,
    "builtins.max": max,
    "builtins.tuple": tuple,
    "builtins.frozenset": frozenset,
    "os.path.join": posixpath.join,
    "os.path.basename": posixpath.basename,
    "os.path.dirname": posixpath.dirname,
    "os.path.normpath": posixpath.normpath,
    "os.path.expanduser": os.path.expanduser,
    "os.sep.join": os.sep.join,
    "shlex.quote": None,  # type: ignore[dict-item]  # constant in, constant out
    "shlex.join": None,  # type: ignore[dict-item]
    "pathlib.Path": None,  # type: ignore[dict-item]
    "pathlib.PurePath": None,  # type: ignore[dict-item]
}
# str/bytes methods whose result is a constant when receiver and arguments are
_PURE_METHODS = frozenset(
    {
        "format",
        "join",
        "lower",
        "upper",
        "strip",
        "lstrip",
        "rstrip",
        "replace",
        "split",
        "rsplit",
        "encode",
        "decode",
        "title",
        "capitalize",
        "casefold",
        "removeprefix",
        "removesuffix",
        "zfill",
        "ljust",
        "rjust",
        "center",
        "splitlines",
        "partition",
        "rpartition",
        "expandtabs",
        "swapcase",
    }
)
_BINOPS: dict[type, Callable[[object, object], object]] = {
    ast.Add: lambda a, b: a + b,  # type: ignore[operator]
    ast.Mod: lambda a, b: a % b,  # type: ignore[operator]
    ast.Sub: lambda a, b: a - b,  # type: ignore[operator]
    ast.Mult: lambda a, b: _product(a, b),
    ast.FloorDiv: lambda a, b: a // b,  # type: ignore[operator]
    ast.Div: lambda a, b: a / b,  # type: ignore[operator]
    ast.BitOr: lambda a, b: a | b,  # type: ignore[operator]
    ast.BitAnd: lambda a, b: a & b,  # type: ignore[operator]
}


def _product(a: object, b: object) -> object:
    """`"ab" * 3`, refusing results too large to keep."""
    count = b if isinstance(b, int) else a if isinstance(a, int) else None
    item = a if isinstance(b, int) else b
    if (
        isinstance(item, (str, bytes, tuple))
        and isinstance(count, int)
        and count * len(item) > _MAX_TEXT
    ):
        return ANY
    return a * b  # type: ignore[operator]


class Folder:
    """Folds expressions to values, given what names (and class attributes) hold."""

    def __init__(self, resolve: Callable[[ast.AST], str | None], lookup: Lookup,
                 attribute: Callable[[ast.Attribute], object] | None = None,
                 safe_calls: frozenset[str] = frozenset()):  # fmt: skip
        self.resolve = resolve
        self.lookup = lookup
        self.attribute = attribute
        # calls whose result the asker takes for a constant of its own kind, whatever
        # their arguments (`shlex.quote(x)`: one word for a shell, see `FunctionValues`)
        self.safe_calls = safe_calls

    def fold(self, node: ast.AST | None, depth: int = 0) -> object:
        if node is None:
            return None
        if depth > 40:
            return UNKNOWN
        kind = type(node)
        if kind is ast.Constant:
            return _sized(node.value)  # type: ignore[attr-defined]
        if kind is ast.Name:
            return self.lookup(node.id)  # type: ignore[attr-defined]
        if kind is ast.JoinedStr:
            return self._joined(node, depth)  # type: ignore[arg-type]
        if kind is ast.BinOp:
            left = self.fold(node.left, depth + 1)  # type: ignore[attr-defined]
            if left is UNKNOWN:
                return UNKNOWN
            right = self.fold(node.right, depth + 1)  # type: ignore[attr-defined]
            return self._apply(_BINOPS.get(type(node.op)), left, right)  # type: ignore[attr-defined]
        if kind in (ast.Tuple, ast.List, ast.Set):
            items = [self.fold(e, depth + 1) for e in node.elts]  # type: ignore[attr-defined]
            if any(isinstance(e, ast.Starred) for e in node.elts):  # type: ignore[attr-defined]
                return UNKNOWN if UNKNOWN in items else ANY
            if any(item is UNKNOWN for item in items):
                return UNKNOWN
            if any(item is ANY for item in items):
                return ANY
            try:
                return frozenset(items) if kind is ast.Set else tuple(items)
            except TypeError:
                return ANY
        if kind is ast.Dict:
            keys = [self.fold(k, depth + 1) if k is not None else UNKNOWN for k in node.keys]  # type: ignore[attr-defined]
            values = [self.fold(v, depth + 1) for v in node.values]  # type: ignore[attr-defined]
            if UNKNOWN in keys or any(v is UNKNOWN for v in values):
                return UNKNOWN
            if ANY in keys or any(v is ANY for v in values):
                return ANY
            try:
                return dict(zip(keys, values, strict=True))
            except TypeError:
                return ANY
        if kind is ast.IfExp:
            test = self.fold(node.test, depth + 1)  # type: ignore[attr-defined]
            if known(test):
                return self.fold(node.body if test else node.orelse, depth + 1)  # type: ignore[attr-defined]
            return join(self.fold(node.body, depth + 1), self.fold(node.orelse, depth + 1))  # type: ignore[attr-defined]
        if kind is ast.UnaryOp:
            operand = self.fold(node.operand, depth + 1)  # type: ignore[attr-defined]
            if not known(operand):
                return operand
            op = type(node.op)  # type: ignore[attr-defined]
            try:
                if op is ast.Not:
                    return not operand
                if op is ast.USub:
                    return -operand  # type: ignore[operator]
                if op is ast.UAdd:
                    return +operand  # type: ignore[operator]
            except TypeError:
                return UNKNOWN
            return ANY
        if kind is ast.BoolOp:
            values = [self.fold(v, depth + 1) for v in node.values]  # type: ignore[attr-defined]
            if any(v is UNKNOWN for v in values):
                return UNKNOWN
            if all(known(v) for v in values):
                conjunction = isinstance(node.op, ast.And)  # type: ignore[attr-defined]
                result = values[0]
                for value in values[1:]:
                    result = (result and value) if conjunction else (result or value)
                return result
            return ANY
        if kind is ast.Compare:
            return self._compare(node, depth)  # type: ignore[arg-type]
        if kind is ast.Subscript:
            return self._subscript(node, depth)  # type: ignore[arg-type]
        if kind is ast.Attribute:
            if self.attribute is not None:
                value = self.attribute(node)  # type: ignore[arg-type]
                if value is not UNKNOWN:
                    return value
            return self._known(node)  # type: ignore[arg-type]
        if kind is ast.Call:
            return self._call(node, depth)  # type: ignore[arg-type]
        return UNKNOWN

    def _apply(self, op: Callable[[object, object], object] | None, a: object, b: object) -> object:
        if a is UNKNOWN or b is UNKNOWN:
            return UNKNOWN
        if a is ANY or b is ANY or op is None:
            return ANY
        try:
            return _sized(op(a, b))
        except Exception:  # a constant expression that raises: still not attacker data
            return ANY

    def _joined(self, node: ast.JoinedStr, depth: int) -> object:
        parts: list[str] = []
        unsure = False
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
                continue
            if not isinstance(value, ast.FormattedValue):
                return UNKNOWN
            inner = self.fold(value.value, depth + 1)
            spec = self.fold(value.format_spec, depth + 1) if value.format_spec else ""
            if inner is UNKNOWN or spec is UNKNOWN:
                return UNKNOWN
            if inner is ANY or spec is ANY:
                unsure = True
                continue
            try:
                if value.conversion == ord("r"):
                    inner = repr(inner)
                elif value.conversion == ord("a"):
                    inner = ascii(inner)
                elif value.conversion == ord("s"):
                    inner = str(inner)
                parts.append(format(inner, spec))  # type: ignore[arg-type]
            except Exception:
                unsure = True
        return ANY if unsure else _sized("".join(parts))

    def _compare(self, node: ast.Compare, depth: int) -> object:
        left = self.fold(node.left, depth + 1)
        values = [self.fold(c, depth + 1) for c in node.comparators]
        if left is UNKNOWN or UNKNOWN in values:
            return UNKNOWN
        if not known(left) or not all(known(v) for v in values):
            return ANY
        try:
            result = True
            current = left
            for op, value in zip(node.ops, values, strict=True):
                result = result and _COMPARE[type(op)](current, value)
                current = value
            return bool(result)
        except Exception:
            return ANY

    def _subscript(self, node: ast.Subscript, depth: int) -> object:
        container = self.fold(node.value, depth + 1)
        if container is UNKNOWN:
            return UNKNOWN
        index = (
            self.fold(node.slice, depth + 1)
            if not isinstance(node.slice, ast.Slice)
            else (self._slice(node.slice, depth))
        )
        if index is UNKNOWN:
            # any element of a constant container is a constant: `MODES[x]`
            return ANY if _container(container) else UNKNOWN
        if not known(container) or not known(index):
            return ANY
        try:
            return _sized(container[index])  # type: ignore[index]
        except Exception:
            return ANY

    def _slice(self, node: ast.Slice, depth: int) -> object:
        parts = [self.fold(p, depth + 1) if p is not None else None for p in
                 (node.lower, node.upper, node.step)]  # fmt: skip
        if UNKNOWN in parts:
            return UNKNOWN
        if ANY in parts:
            return ANY
        return slice(*parts)

    def _known(self, node: ast.Attribute) -> object:
        """A constant of the standard library (`string.digits`)."""
        name = self.resolve(node)
        return _STDLIB_CONSTANTS.get(name, UNKNOWN) if name else UNKNOWN

    def _call(self, node: ast.Call, depth: int) -> object:
        func = node.func
        if self.safe_calls and self.resolve(func) in self.safe_calls:
            return ANY
        method = isinstance(func, ast.Attribute) and func.attr in _PURE_METHODS
        if not method and self.resolve(func) not in _PURE_CALLS:
            return UNKNOWN  # most calls: nothing to fold, and the arguments need no look
        args = [self.fold(a, depth + 1) for a in node.args]
        kwargs = {k.arg: self.fold(k.value, depth + 1) for k in node.keywords}
        if any(isinstance(a, ast.Starred) for a in node.args) or None in kwargs:
            return UNKNOWN
        inputs = [*args, *kwargs.values()]
        if isinstance(func, ast.Attribute) and func.attr in _PURE_METHODS:
            receiver = self.fold(func.value, depth + 1)
            if receiver is UNKNOWN or UNKNOWN in inputs:
                return UNKNOWN
            if receiver is ANY or ANY in inputs or not isinstance(receiver, (str, bytes)):
                return ANY if isinstance(receiver, (str, bytes)) or receiver is ANY else UNKNOWN
            try:
                return _sized(getattr(receiver, func.attr)(*args, **kwargs))  # type: ignore[arg-type]
            except Exception:
                return ANY
        name = self.resolve(func)
        if name is None or name not in _PURE_CALLS:
            if name == "builtins.getattr":
                return UNKNOWN
            return UNKNOWN
        if UNKNOWN in inputs:
            return UNKNOWN
        function = _PURE_CALLS[name]
        if function is None or ANY in inputs:
            return ANY
        try:
            return _sized(function(*args, **kwargs))  # type: ignore[arg-type]
        except Exception:
            return ANY


_STDLIB_CONSTANTS: dict[str, object] = {
    f"string.{name}": getattr(string, name)
    for name in ("ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits",
                 "hexdigits", "octdigits", "punctuation", "whitespace")
}  # fmt: skip
_STDLIB_CONSTANTS.update({"os.sep": "/", "os.path.sep": "/", "os.linesep": "\n"})


def _container(value: object) -> bool:
    """A constant mapping, sequence or set (or one known only to be constant)."""
    return value is ANY or isinstance(value, (tuple, dict, frozenset, str, bytes))


_COMPARE: dict[type, Callable[[object, object], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,  # type: ignore[operator]
    ast.LtE: lambda a, b: a <= b,  # type: ignore[operator]
    ast.Gt: lambda a, b: a > b,  # type: ignore[operator]
    ast.GtE: lambda a, b: a >= b,  # type: ignore[operator]
    ast.In: lambda a, b: a in b,  # type: ignore[operator]
    ast.NotIn: lambda a, b: a not in b,  # type: ignore[operator]
    ast.Is: lambda a, b: a is b,
    ast.IsNot: lambda a, b: a is not b,
}


# --- module level ----------------------------------------------------------------------
class ModuleValues:
    """The module's constants: names bound once at module level to a constant, and class
    attributes never assigned again anywhere in the module."""

    def __init__(self, tree: ast.Module, resolve: Callable[[ast.AST], str | None],
                 nodes: list[ast.AST] | None = None):  # fmt: skip
        self.resolve = resolve
        self.names: dict[str, object] = {}
        # (class name, attribute) -> value, for classes defined at module level
        self.class_attrs: dict[tuple[str, str], object] = {}
        if not any(
            isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.ClassDef)) for stmt in tree.body
        ):
            return  # nothing bound at module level: no constant to look for
        counts = _module_bindings(tree)
        rebound, mutated = _module_effects(nodes if nodes is not None else list(ast.walk(tree)))
        folder = Folder(resolve, self._lookup_module)
        for stmt in tree.body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                if len(targets) == 1 and isinstance(targets[0], ast.Name):
                    name = targets[0].id
                    if counts.get(name) == 1 and name not in rebound:
                        value = folder.fold(stmt.value)
                        # a list or dict display is a constant while no code changes it
                        if value is not UNKNOWN and not (
                            _mutable_literal(stmt.value) and name in mutated
                        ):
                            self.names[name] = value
            elif isinstance(stmt, ast.ClassDef):
                self._class(stmt, rebound)

    def _lookup_module(self, name: str) -> object:
        return self.names.get(name, UNKNOWN)

    def _class(self, cls: ast.ClassDef, rebound: set[str]) -> None:
        seen: dict[str, int] = {}
        for item in cls.body:
            if isinstance(item, (ast.Assign, ast.AnnAssign)) and item.value is not None:
                targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        seen[target.id] = seen.get(target.id, 0) + 1
        folder = Folder(self.resolve, self._lookup_module)
        for item in cls.body:
            if isinstance(item, (ast.Assign, ast.AnnAssign)) and item.value is not None:
                targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                if len(targets) == 1 and isinstance(targets[0], ast.Name):
                    attr = targets[0].id
                    if seen[attr] == 1 and f".{attr}" not in rebound:
                        value = folder.fold(item.value)
                        if value is not UNKNOWN and not _mutable_literal(item.value):
                            self.class_attrs[(cls.name, attr)] = value

    def lookup(self, name: str) -> object:
        return self.names.get(name, UNKNOWN)

    def class_attribute(self, cls: str, attr: str) -> object:
        return self.class_attrs.get((cls, attr), UNKNOWN)


def _mutable_literal(node: ast.expr) -> bool:
    """A list, dict or set display: code may change it in place (`ALLOWED.append(x)`)."""
    return isinstance(node, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp))


def _module_bindings(tree: ast.Module) -> dict[str, int]:
    """How many statements at module level bind each name (assignments, imports, defs,
    loops, with-targets)."""
    counts: dict[str, int] = {}
    for stmt in _module_level_statements(tree):
        for name in _bound_names(stmt):
            counts[name] = counts.get(name, 0) + 1
    return counts


def _module_level_statements(tree: ast.Module) -> list[ast.stmt]:
    """Statements that run at module level (inside if/try/with/for blocks too)."""
    out: list[ast.stmt] = []
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        stmt = stack.pop()
        out.append(stmt)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in ("body", "orelse", "finalbody"):
            stack.extend(getattr(stmt, name, ()) or ())
        for handler in getattr(stmt, "handlers", ()) or ():
            stack.extend(handler.body)
        for case in getattr(stmt, "cases", ()) or ():
            stack.extend(case.body)
    return out


def _bound_names(stmt: ast.stmt) -> list[str]:
    targets: list[ast.expr] = []
    if isinstance(stmt, ast.Assign):
        targets = list(stmt.targets)
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        if isinstance(stmt, ast.AugAssign) or stmt.value is not None:
            targets = [stmt.target]
    elif isinstance(stmt, (ast.For, ast.AsyncFor)):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        targets = [i.optional_vars for i in stmt.items if i.optional_vars is not None]
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in stmt.names]
    elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [stmt.name]
    names: list[str] = []
    for target in targets:
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                names.append(node.id)
    if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
        names.append(stmt.target.id)  # counts twice: never a constant
    return names


_MUTATING = frozenset(
    {"append", "extend", "insert", "remove", "pop", "popitem", "clear", "update", "add",
     "discard", "setdefault", "sort", "reverse", "__setitem__", "__delitem__"}
)  # fmt: skip


_EFFECT_TYPES = frozenset({ast.Global, ast.Attribute, ast.Call, ast.Subscript, ast.AugAssign})


def _module_effects(nodes: list[ast.AST]) -> tuple[set[str], set[str]]:
    """In one pass over the module's nodes: the names a function rebinds (`global X;
    X = …`) and the attributes assigned anywhere (`.X`: `self.X = …`, `setattr`), and the
    names changed in place (a mutating method called on them, an item assigned or deleted,
    an augmented assignment)."""
    rebound: set[str] = set()
    mutated: set[str] = set()
    any_attribute = False
    effects = _EFFECT_TYPES
    for node in nodes:
        kind = type(node)
        if kind not in effects:
            continue  # most nodes: one set lookup, not five comparisons
        if kind is ast.Global:
            rebound.update(node.names)  # type: ignore[attr-defined]
        elif kind is ast.Attribute:
            if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                rebound.add(f".{node.attr}")  # type: ignore[attr-defined]
        elif kind is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            if type(func) is ast.Attribute and type(func.value) is ast.Name:
                if func.attr in _MUTATING:
                    mutated.add(func.value.id)
            elif type(func) is ast.Name and func.id == "setattr" and len(node.args) >= 2:  # type: ignore[attr-defined]
                name = node.args[1]  # type: ignore[attr-defined]
                if isinstance(name, ast.Constant) and isinstance(name.value, str):
                    rebound.add(f".{name.value}")
                else:
                    any_attribute = True
        elif kind is ast.Subscript:
            if type(node.ctx) is not ast.Load and type(node.value) is ast.Name:  # type: ignore[attr-defined]
                mutated.add(node.value.id)  # type: ignore[attr-defined]
        elif kind is ast.AugAssign and type(node.target) is ast.Name:  # type: ignore[attr-defined]
            mutated.add(node.target.id)  # type: ignore[attr-defined]
    if any_attribute:  # setattr with a computed name: any attribute may change
        rebound.update(f".{n.attr}" for n in nodes if type(n) is ast.Attribute)  # type: ignore[attr-defined]
    return rebound, mutated


# --- function level --------------------------------------------------------------------
Consts = dict[str, object]  # local variable -> value (absent: UNKNOWN or not yet bound)


def assign(consts: Consts, target: ast.expr, value: object) -> None:
    """Bind an assignment target to a folded value (elements of tuples one by one)."""
    kind = type(target)
    if kind is ast.Name:
        if value is UNKNOWN:
            consts.pop(target.id, None)  # type: ignore[attr-defined]
        else:
            consts[target.id] = value  # type: ignore[attr-defined]
    elif kind in (ast.Tuple, ast.List):
        elts = target.elts  # type: ignore[attr-defined]
        if (
            isinstance(value, tuple)
            and len(value) == len(elts)
            and not any(isinstance(e, ast.Starred) for e in elts)
        ):
            for element, item in zip(elts, value, strict=True):
                assign(consts, element, item)
        else:
            each = ANY if value is not UNKNOWN else UNKNOWN
            for element in elts:
                assign(consts, element, each)
    elif kind is ast.Starred:
        assign(consts, target.value, UNKNOWN if value is UNKNOWN else ANY)  # type: ignore[attr-defined]
    # attributes and items: a constant stays a constant (`self.x = 1` is the class's)


_READING_METHODS = frozenset({"get", "keys", "values", "items", "index", "count", "copy"})


def forget_mutated(consts: Consts, node: ast.AST) -> None:
    """A local list or dict that a statement may change in place is no longer known."""
    if not consts or not any(isinstance(v, (dict, tuple, frozenset)) for v in consts.values()):
        return  # only containers can change in place
    from secreview.python.context import walk  # the context imports this module

    # a list, not ast.walk's generator: asked of every statement of the data flow. The
    # order does not matter: a name is forgotten when one of the nodes says so
    for sub in walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and isinstance(consts.get(func.value.id), (dict, tuple, frozenset))
                and func.attr not in _PURE_METHODS
                and func.attr not in _READING_METHODS
            ):
                consts.pop(func.value.id, None)
            for arg in (*sub.args, *(k.value for k in sub.keywords)):
                if isinstance(arg, ast.Name) and isinstance(consts.get(arg.id), dict):
                    consts.pop(arg.id, None)  # a callee may fill a dict it is passed
        elif (
            isinstance(sub, ast.Subscript)
            and isinstance(sub.ctx, (ast.Store, ast.Del))
            and isinstance(sub.value, ast.Name)
        ):
            consts.pop(sub.value.id, None)


def join_consts(states: list[Consts]) -> Consts:
    if len(states) == 1:
        return dict(states[0])
    first = states[0]
    out: Consts = {}
    for name, value in first.items():
        merged = value
        for other in states[1:]:
            merged = join(merged, other.get(name, UNKNOWN))
            if merged is UNKNOWN:
                break
        if merged is not UNKNOWN:
            out[name] = merged
    return out


@mypyc_attr(native_class=False)  # its base, `FlowWalker`, is not compiled
class FunctionValues(FlowWalker[Consts]):
    """The flow-sensitive constants of one function: for each statement, what its local
    variables hold when it runs. Run on demand (a pattern rule asks about an argument)."""

    def __init__(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Module,
                 module: ModuleValues, resolve: Callable[[ast.AST], str | None],
                 enclosing: FunctionValues | None = None, cls: str | None = None,
                 assume: bool = False, safe_calls: frozenset[str] = frozenset()):  # fmt: skip
        super().__init__()
        # `safe_calls` (see `Folder`): the values are then those of the asker's kind, a
        # shell command built of constants and quoted words, say; not constants
        self.safe_calls = safe_calls
        # take names imported from other modules for constants, and list them: what a
        # module alone cannot tell, the whole review can (`ModuleContext.constant_unless`)
        self.assume = assume
        self.assumed: set[str] = set()
        self.enclosing_class = cls
        self.module = module
        self.resolve = resolve
        self.enclosing = enclosing
        self.node = node
        self.at: dict[int, Consts] = {}  # id(statement) -> constants when it runs
        self.locals = _function_locals(node)
        self.folder = Folder(resolve, self._lookup, self._attribute, safe_calls)
        self._current: Consts = {}
        self.state = {}
        body = node.body
        if not isinstance(node, ast.Module):
            for arg in _parameters(node):
                self.state.pop(arg, None)
        self.block(body)
        self.folder = None  # type: ignore[assignment]  # its bound methods make a cycle

    # folding in the state the walk is at
    def _lookup(self, name: str) -> object:
        if name in self._current:
            return self._current[name]
        if name in self.locals:
            return UNKNOWN
        if self.enclosing is not None:
            return self.enclosing.final(name)
        value = self.module.lookup(name)
        if value is UNKNOWN and self.assume:
            return self._imported(ast.Name(id=name, ctx=ast.Load()))
        return value

    def _attribute(self, node: ast.Attribute) -> object:
        base = node.value
        if isinstance(base, ast.Name):
            if base.id in ("self", "cls") and self.enclosing_class:
                return self.module.class_attribute(self.enclosing_class, node.attr)
            if base.id not in self.locals:
                value = self.module.class_attribute(base.id, node.attr)
                if value is UNKNOWN and self.assume:
                    return self._imported(node)
                return value
        return UNKNOWN

    def _imported(self, node: ast.Name | ast.Attribute) -> object:
        """Under `assume`: a name an import binds (`PG_DUMP`, `settings.PG_DUMP`) is taken
        for a constant, and listed; anything else is not."""
        qualified = self.resolve(node)
        if qualified is None or qualified.startswith("builtins.") or qualified in _STDLIB_CONSTANTS:
            return UNKNOWN if qualified is None else _STDLIB_CONSTANTS.get(qualified, UNKNOWN)
        self.assumed.add(qualified)
        return ANY

    def final(self, name: str) -> object:
        """What a closure sees of `name`: its value if every binding here is constant."""
        values = [s.get(name, UNKNOWN) for s in self.at.values() if name in s]
        if name not in self.locals:
            return self._lookup(name)
        if not values:
            return UNKNOWN
        result = values[0]
        for value in values[1:]:
            result = join(result, value)
        return result

    def value(self, node: ast.AST, statement: ast.AST) -> object:
        """The value of expression `node` inside `statement` (a statement of this function)."""
        state = self.at.get(id(statement))
        if state is None:
            return UNKNOWN  # dead code, or not a statement of this function
        self._current = state
        try:
            return Folder(self.resolve, self._lookup, self._attribute, self.safe_calls).fold(node)
        finally:
            self._current = {}

    # the walk
    def copy(self, state: Consts) -> Consts:
        return dict(state)

    def join(self, states: list[Consts]) -> Consts:
        return join_consts(states)

    def _same(self, a: Consts, b: Consts) -> bool:
        return a.keys() == b.keys() and all(
            a[k] is b[k] or (type(a[k]) is type(b[k]) and _equal(a[k], b[k])) for k in a
        )

    def _record(self, stmt: ast.AST) -> None:
        state = self.state
        assert state is not None
        old = self.at.get(id(stmt))
        self.at[id(stmt)] = dict(state) if old is None else join_consts([old, state])
        self._current = state

    def simple(self, stmt: ast.stmt) -> None:
        self._record(stmt)
        state = self.state
        assert state is not None
        if isinstance(stmt, ast.Assign):
            value = self.folder.fold(stmt.value)
            if _mutable_literal(stmt.value) and value is not UNKNOWN:
                value = value  # a local list/dict: constant until changed (forget_mutated)
            for target in stmt.targets:
                assign(state, target, value)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            assign(state, stmt.target, self.folder.fold(stmt.value))
        elif isinstance(stmt, ast.AugAssign):
            current = self.folder.fold(stmt.target)
            right = self.folder.fold(stmt.value)
            value = self.folder._apply(_BINOPS.get(type(stmt.op)), current, right)
            assign(state, stmt.target, value)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            state.pop(stmt.name, None)
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                assign(state, target, UNKNOWN)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias in stmt.names:
                state.pop((alias.asname or alias.name).split(".")[0], None)
        forget_mutated(state, stmt)
        self._named(stmt)

    def _named(self, stmt: ast.AST) -> None:
        """`:=` inside the statement binds its target."""
        state = self.state
        if state is None:
            return
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.NamedExpr):
                assign(state, sub.target, self.folder.fold(sub.value))

    def test(self, test: ast.expr) -> tuple[Consts | None, Consts | None]:
        assert self.state is not None
        self._current = self.state
        truth = self.folder.fold(test)
        self._named(test)
        when_true = self.state if truth is UNKNOWN or truth is ANY or truth else None
        when_false = self.state if truth is UNKNOWN or truth is ANY or not truth else None
        return (
            None if when_true is None else dict(when_true),
            None if when_false is None else dict(when_false),
        )

    def iterate(self, stmt: ast.For | ast.AsyncFor) -> None:
        self._record(stmt)

    def bind_loop_target(self, stmt: ast.For | ast.AsyncFor) -> None:
        assert self.state is not None
        self._current = self.state
        iterable = self.folder.fold(stmt.iter)
        element = ANY if is_constant(iterable) and iterable is not None else UNKNOWN
        assign(self.state, stmt.target, element)

    def enter_with(self, item: ast.withitem, stmt: ast.stmt) -> None:
        self._record(stmt)
        if item.optional_vars is not None and self.state is not None:
            assign(self.state, item.optional_vars, UNKNOWN)

    def returned(self, stmt: ast.Return) -> None:
        self._record(stmt)

    def raised(self, stmt: ast.Raise) -> None:
        self._record(stmt)

    def enter_handler(self, handler: ast.ExceptHandler) -> None:
        if handler.name and self.state is not None:
            self.state.pop(handler.name, None)

    def match_subject(self, stmt: ast.Match) -> None:
        self._record(stmt)

    def case(self, subject: ast.expr, case: ast.match_case) -> tuple[Consts | None, bool]:
        state = dict(self.state or {})
        for node in ast.walk(case.pattern):
            name = getattr(node, "name", None) or getattr(node, "rest", None)
            if isinstance(name, str):
                state.pop(name, None)
        return state, isinstance(case.pattern, ast.MatchAs) and case.pattern.pattern is None

    def never_returns(self, call: ast.Call) -> bool:
        return never_returns(call, self.resolve)


def never_returns(call: ast.Call, resolve: Callable[[ast.AST], str | None]) -> bool:
    from secreview.python.flow import NEVER_RETURN, NEVER_RETURN_NAMES

    name = resolve(call.func)
    if name is not None and name in NEVER_RETURN:
        return True
    func = call.func
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(
        func, ast.Name) else ""  # fmt: skip
    return name is None and last in NEVER_RETURN_NAMES


def _equal(a: object, b: object) -> bool:
    try:
        return bool(a == b)
    except Exception:  # pragma: no cover
        return False


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    args = node.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    return names


def _function_locals(node: ast.AST) -> set[str]:
    """Names the function binds (its parameters included), not its nested scopes'."""
    if isinstance(node, ast.Module):
        return set()
    out = set(_parameters(node))  # type: ignore[arg-type]
    stack: list[ast.AST] = list(node.body)  # type: ignore[attr-defined]
    while stack:
        sub = stack.pop()
        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(sub.name)
            continue
        if isinstance(sub, ast.Lambda):
            continue
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del)):
            out.add(sub.id)
        elif isinstance(sub, ast.ExceptHandler) and sub.name:
            out.add(sub.name)
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in sub.names)
        stack.extend(ast.iter_child_nodes(sub))
    return out


class Values:
    """What a module's expressions hold: module constants, and per function on demand."""

    def __init__(self, tree: ast.Module, resolve: Callable[[ast.AST], str | None],
                 nodes: list[ast.AST] | None = None):  # fmt: skip
        self.tree = tree
        self.resolve = resolve
        self.module = ModuleValues(tree, resolve, nodes)
        self.module_folder = Folder(resolve, self.module.lookup)
        self._functions: dict[tuple[int, bool, frozenset[str]], FunctionValues] = {}

    def of(
        self,
        scope: ast.AST,
        cls: str | None = None,
        outer: FunctionValues | None = None,
        assume: bool = False,
        safe_calls: frozenset[str] = frozenset(),
    ) -> FunctionValues:
        """The constants of function `scope` (of class `cls`, nested in `outer`); with
        `assume`, taking imported names for constants (`FunctionValues.assumed`); with
        `safe_calls`, taking their results for constants (see `Folder`)."""
        key = (id(scope), assume, safe_calls)
        found = self._functions.get(key)
        if found is None:
            found = FunctionValues(scope, self.module, self.resolve, outer, cls, assume, safe_calls)  # type: ignore[arg-type]
            self._functions[key] = found
        return found
