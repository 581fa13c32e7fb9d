"""What a rule may ask about the module it inspects: names, constants, locations, snippets."""

from __future__ import annotations

import ast
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from secreview import lazyre
from secreview.model import Location, SourceFile
from secreview.python.symbols import SymbolTable, is_literal, statement_fields
from secreview.python.values import UNKNOWN, Values


@dataclass
class ModuleContext:
    source: SourceFile
    tree: ast.Module
    symbols: SymbolTable
    lines: list[str] = field(default_factory=list)
    _parents: dict[ast.AST, ast.AST] | None = None  # child -> parent
    # indexes rule helpers build once per module (e.g. name -> assigned values per scope)
    memo: dict[object, object] = field(default_factory=dict)
    # each block's statements by position, for `_statements_around` (built as it descends)
    _blocks: dict[ast.AST, _Block] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.lines:
            self.lines = self.source.text.split("\n")  # text is \n-normalised; not splitlines
        # the symbol table's own method, without a call of this context's in between: the
        # data flow asks it some 700 k times in a review of neutron
        self.resolve = self.symbols.resolve  # type: ignore[method-assign]

    # --- names -----------------------------------------------------------------
    def resolve(self, node: ast.AST) -> str | None:
        return self.symbols.resolve(node)

    @cached_property
    def is_test_module(self) -> bool:
        return is_test_path(self.source.path)

    def may_name(self, word: str) -> bool:
        """Whether an identifier of the module may hold `word`: it occurs in the text, or
        the text is not ASCII (the parser normalises non-ASCII identifiers, NFKC). A
        necessary condition, as cheap as a text search: asked before walking for names."""
        return word in self.source.text or not self._ascii

    @cached_property
    def _ascii(self) -> bool:
        return self.source.text.isascii()

    # --- values ----------------------------------------------------------------
    def is_constant(self, node: ast.AST | None, safe_calls: frozenset[str] = frozenset()) -> bool:
        """The value is fixed in the source: a literal, an expression of constants, a module
        constant, a class attribute never reassigned, or a local variable holding one where
        `node` is (the constant propagation of `values.py`, run for the enclosing function
        on the first question about it)."""
        if node is None:
            return True
        if is_literal(node):
            return True
        if isinstance(node, ast.Name) and node.id in self.symbols.constants:
            return True
        return self.value_of(node, safe_calls=safe_calls) is not UNKNOWN

    @cached_property
    def values(self) -> Values:
        """The module's constants, and each function's on demand (`values.py`)."""
        # the symbol table's resolve, not this context's: no cycle keeps the tree alive
        return Values(self.tree, self.symbols.resolve, self.nodes)

    def value_of(
        self, node: ast.AST, assume: bool = False, safe_calls: frozenset[str] = frozenset()
    ) -> object:
        """What `node` evaluates to where it is: a constant, `values.ANY` (a constant not
        known here) or `values.UNKNOWN`; with `assume`, taking imported names for
        constants (see `constant_unless`); with `safe_calls`, the results of those calls
        (`shlex.quote(host)`, also kept in a variable: safe in a shell command)."""
        found = self._function_values(node, assume, safe_calls)
        if found is None:
            return UNKNOWN
        values, statement = found
        if values is None:
            return self.values.module_folder.fold(node)  # a class body's statement
        return values.value(node, statement)

    def constant_unless(self, node: ast.AST) -> tuple[str, ...] | None:
        """The names imported from other modules on which `node` being a constant depends
        (`subprocess.run(settings.BACKUP_COMMAND, shell=True)`): () when it is one here,
        None when it is none whatever they hold. The review knows which of the tree's
        modules define them as constants; a rule defers its verdict to it."""
        if self.is_constant(node):
            return ()
        found = self._function_values(node, True)
        if found is None or found[0] is None:
            return None
        values, statement = found
        if values.value(node, statement) is UNKNOWN:
            return None
        return tuple(sorted(values.assumed)) or None

    def _function_values(
        self, node: ast.AST, assume: bool, safe_calls: frozenset[str] = frozenset()
    ):  # -> (FunctionValues, statement)
        scopes = self.ancestors(node, _SCOPE_STATEMENTS)
        statement = self.statement(node)
        if statement is node and not isinstance(node, ast.stmt):
            return None  # no position: a node built by a rule, not from the source
        outer = None
        cls: str | None = None
        for scope in scopes:
            if isinstance(scope, ast.ClassDef):
                cls = scope.name
                continue
            outer = self.values.of(scope, cls, outer, assume, safe_calls)
            cls = None
        if outer is None:
            if any(isinstance(s, ast.ClassDef) for s in scopes):
                return None, statement
            outer = self.values.of(self.tree, assume=assume, safe_calls=safe_calls)
        return outer, statement

    def constant_value(self, node: ast.AST | None) -> object:
        """The Python value of a literal (or a name bound to one); `NotImplemented` if unknown."""
        if node is None:
            return NotImplemented
        if isinstance(node, ast.Name) and node.id in self.symbols.constants:
            node = self.symbols.constants[node.id]
        if isinstance(node, ast.Attribute) and node.attr in ("true", "false"):
            return NotImplemented
        try:
            return literal_value(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return NotImplemented

    # --- places ----------------------------------------------------------------
    def location(self, node: ast.AST) -> Location:
        line = getattr(node, "lineno", 1)
        end_line = getattr(node, "end_lineno", None) or line
        column = getattr(node, "col_offset", 0)
        end_column = getattr(node, "end_col_offset", 0) or 0
        if not self._ascii:  # in ASCII text a byte is a character (the data flow's every step)
            column = self._char_column(line, column)
            end_column = self._char_column(end_line, end_column)
        return Location(
            path=self.source.path,
            line=line,
            column=column + 1,
            end_line=end_line,
            end_column=end_column + 1,
        )

    def _char_column(self, line: int, byte_offset: int) -> int:
        """ast offsets count UTF-8 bytes; editors and SARIF count characters."""
        if not 0 < line <= len(self.lines):
            return byte_offset
        text = self.lines[line - 1]
        if text.isascii():
            return byte_offset
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "replace"))

    def snippet(self, node: ast.AST, max_lines: int = 3) -> str:
        first = getattr(node, "lineno", 1)
        last = min(getattr(node, "end_lineno", first) or first, first + max_lines - 1)
        return "\n".join(self.lines[first - 1 : last]).strip()

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    # --- tree navigation ---------------------------------------------------------
    @cached_property
    def nodes(self) -> list[ast.AST]:
        """Every node, in `ast.walk` order (but the shared contexts and operators)."""
        nodes, strings, indexed = _walk(self.tree)
        self.__dict__["string_values"] = strings
        self.__dict__["indexed_nodes"] = indexed
        return nodes

    @cached_property
    def string_values(self) -> list[str]:
        """The value of every str literal (and bytes, read as latin-1), in `nodes` order:
        what the module's strings say after escapes and implicit concatenation."""
        self.nodes  # noqa: B018 - the walk collects them
        return self.__dict__["string_values"]

    @cached_property
    def indexed_nodes(self) -> list[ast.AST]:
        """The nodes of the `INDEXED_TYPES`, in `nodes` order (a third of them)."""
        self.nodes  # noqa: B018 - the walk lists them
        return self.__dict__["indexed_nodes"]

    def nodes_of(self, types: frozenset[type[ast.AST]]) -> list[ast.AST]:
        """The nodes of exactly these classes, in `nodes` order (kept for the next ask).

        Every pass over all of a module's nodes costs about as much as the walk that
        listed them, whatever it does with them: the nodes of `INDEXED_TYPES` are read
        from their own, shorter list."""
        key = ("nodes-of", types)
        found = self.memo.get(key)
        if found is None:
            every = self.indexed_nodes if types <= INDEXED_TYPES else self.nodes
            found = self.memo[key] = [node for node in every if node.__class__ in types]
        return found  # type: ignore[return-value]

    def may_call(self, node: ast.AST, names: frozenset[str]) -> bool:
        """Whether `node` may hold a call of one of `names` (by what `last_name` gives:
        `check_password(...)`, `user.check_password(...)`): one lies within its lines. A
        rule that needs such a call in a function asks before walking it; the lines of
        those calls are listed once per module."""
        key = ("call-lines", names)
        lines = self.memo.get(key)
        if lines is None:
            calls = self.nodes_of(_CALLS)
            lines = self.memo[key] = sorted(c.lineno for c in calls if last_name(c) in names)  # type: ignore[attr-defined]
        return within(lines, node)  # type: ignore[arg-type]

    def parent(self, node: ast.AST) -> ast.AST | None:
        """The node's parent, looked up in the statement that contains it: rules ask near
        a match, which most modules never have, and a map of every node's parent costs
        about as much as the walk that lists them."""
        parents = self._parents
        if parents is None:
            parents = self._parents = {}
        found = parents.get(node)
        if found is not None:
            return found
        path = _statements_around(self.tree, node, self._blocks)
        if path is None:  # no position: every node's parent, once
            if not parents.get(_COMPLETE):
                parents.update(parent_map(self.nodes))
                parents[_COMPLETE] = self.tree
            return parents.get(node)
        if not path:
            return None  # the module itself, or not in it
        inner = path[-1]
        if inner is node:
            return path[-2] if len(path) > 1 else self.tree
        # the node is in this statement's own expressions, not in a block it holds
        blocks = {id(s) for name in statement_fields(inner.__class__) for s in getattr(inner, name)}
        pending = [child for child in child_nodes(inner) if id(child) not in blocks]
        parents.update((child, inner) for child in pending)
        for current in pending:  # the list grows while it is read
            children = child_nodes(current)
            parents.update((child, current) for child in children)
            pending.extend(children)
        return parents.get(node)

    def statement(self, node: ast.AST) -> ast.AST:
        """The statement that contains `node` (itself if it is one)."""
        path = _statements_around(self.tree, node, self._blocks)
        if path is None:  # a node without a position (`ast.arguments`): by its parents
            current: ast.AST | None = node
            while current is not None and not isinstance(current, ast.stmt):
                current = self.parent(current)
            return current or node
        return next((s for s in reversed(path) if isinstance(s, ast.stmt)), node)

    def enclosing_scope(self, node: ast.AST) -> str:
        """Dotted names of the enclosing classes/functions, e.g. `Handler.get`."""
        return ".".join(s.name for s in self.ancestors(node, _SCOPE_STATEMENTS))  # type: ignore[attr-defined]

    def enclosing(self, node: ast.AST, types: tuple[type[ast.AST], ...]) -> ast.AST | None:
        """The innermost statement of `types` that contains `node` (not `node` itself)."""
        found = self.ancestors(node, types)
        return found[-1] if found else None

    def ancestors(self, node: ast.AST, types: tuple[type[ast.AST], ...]) -> list[ast.AST]:
        """The statements of `types` that contain `node`, outermost first: found by
        position, or by the parent map for a node without one."""
        path = _statements_around(self.tree, node, self._blocks)
        if path is None:
            path = []
            current = self.parent(node)
            while current is not None:
                path.append(current)
                current = self.parent(current)
            path.reverse()
        return [s for s in path if s is not node and isinstance(s, types)]


class NotALiteral(ValueError):
    """`literal_value` of an expression `ast.literal_eval` rejects."""


_NUMBERS = (int, float, complex)


def literal_value(node: ast.AST) -> object:
    """`ast.literal_eval(node)` for a node, raising `NotALiteral` (a ValueError) where it
    raises ValueError. Rules ask this of every keyword value and argument they look at,
    most of them names and calls, and literal_eval's error message holds the node's repr,
    which costs more than the whole evaluation."""
    if isinstance(node, ast.Expression):
        node = node.body
    return _literal(node)


def _literal(node: ast.AST) -> object:  # the branches of ast.literal_eval's _convert
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(map(_literal, node.elts))
    if isinstance(node, ast.List):
        return list(map(_literal, node.elts))
    if isinstance(node, ast.Set):
        return set(map(_literal, node.elts))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "set"
        and node.args == node.keywords == []
    ):
        return set()
    if isinstance(node, ast.Dict):
        if len(node.keys) != len(node.values):
            raise NotALiteral
        return dict(zip(map(_literal, node.keys), map(_literal, node.values), strict=False))
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        left = _signed_number(node.left)
        right = _number(node.right)
        if isinstance(left, (int, float)) and isinstance(right, complex):
            return left + right if isinstance(node.op, ast.Add) else left - right
    return _signed_number(node)


def _signed_number(node: ast.AST) -> object:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        operand = _number(node.operand)
        return +operand if isinstance(node.op, ast.UAdd) else -operand  # type: ignore[operator]
    return _number(node)


def _number(node: ast.AST) -> object:
    if not isinstance(node, ast.Constant) or type(node.value) not in _NUMBERS:
        raise NotALiteral
    return node.value


def walk_with_parents(tree: ast.AST) -> tuple[list[ast.AST], dict[int, ast.AST]]:
    """`walk(tree)` and {id(child): parent}."""
    nodes = walk(tree)
    return nodes, {id(child): parent for child, parent in parent_map(nodes).items()}


def parent_map(nodes: list[ast.AST]) -> dict[ast.AST, ast.AST]:
    """{child: parent} over the nodes of a walk (keyed by the nodes themselves: they hash
    by identity, and `id()` would make an int for each)."""
    return {child: node for node in nodes for child in child_nodes(node)}


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """`list(ast.iter_child_nodes(node))` but the shared contexts and operators, without
    generators."""
    fields = _CHILD_FIELDS.get(node.__class__)
    if fields is None:
        fields = _child_fields(node.__class__)
    children: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            children.append(value)
        elif value.__class__ is list:
            children.extend(item for item in value if isinstance(item, ast.AST))
    return children


_SCOPE_STATEMENTS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_CALLS = frozenset({ast.Call})


def within(lines: list[int], node: ast.AST) -> bool:
    """Whether one of the sorted `lines` is one of `node`'s (true for a node without a
    position: nothing rules it out)."""
    first = getattr(node, "lineno", None)
    if first is None:
        return True
    at = bisect_left(lines, first)
    return at < len(lines) and lines[at] <= (getattr(node, "end_lineno", None) or first)


_COMPLETE = ast.Pass()  # key marking a parent map that holds every node


def _statements_around(
    tree: ast.AST, node: ast.AST, blocks: dict[ast.AST, _Block] | None = None
) -> list[ast.AST] | None:
    """The statements (with except handlers and match cases) that contain `node`, outermost
    first, found by position from the module down: a lookup costs a binary search per
    level, where a parent map costs an entry for every node of the module. None when the
    node has no position. `blocks` keeps each block's spans for the next lookup."""
    line = getattr(node, "lineno", None)
    end_line = getattr(node, "end_lineno", None)
    if line is None or end_line is None:
        return None
    start = (line, node.col_offset)  # type: ignore[attr-defined]
    end = (end_line, node.end_col_offset)  # type: ignore[attr-defined]
    path: list[ast.AST] = []
    holder = tree
    while True:
        block = blocks.get(holder) if blocks is not None else None
        if block is None:
            block = _block(holder, holder is tree)
            if blocks is not None:
                blocks[holder] = block
        firsts, lasts, items = block
        # the statements of a block do not overlap: only the last one starting at or
        # before `node` can hold it
        at = bisect_right(firsts, start) - 1
        if at < 0 or lasts[at] < end:
            return path
        holder = items[at]
        path.append(holder)


# a block's statements (and clauses) in source order: (their starts, their ends, them)
_Block = tuple[list[tuple[int, int]], list[tuple[int, int]], list[ast.AST]]


def _block(holder: ast.AST, top: bool) -> _Block:
    """The statements `holder` holds (the module's body when `top`), sorted by `span`."""
    if top:
        items: list[ast.AST] = getattr(holder, "body", [])
    else:
        items = [s for name in statement_fields(holder.__class__) for s in getattr(holder, name)]
    spans = sorted((span(item), index) for index, item in enumerate(items))
    return (
        [first for (first, _), _ in spans],
        [last for (_, last), _ in spans],
        [items[index] for _, index in spans],
    )


def span(item: ast.AST) -> tuple[tuple[int, int], tuple[int, int]]:
    """Where a statement, handler or match case starts (at its first decorator) and ends."""
    if isinstance(item, ast.match_case):  # has no position of its own
        head = item.pattern
        tail = item.body[-1]
        return (head.lineno, head.col_offset), (tail.end_lineno, tail.end_col_offset)  # type: ignore[return-value]
    first = (item.lineno, item.col_offset)  # type: ignore[attr-defined]
    decorators = getattr(item, "decorator_list", None)
    if decorators:
        top = decorators[0]
        first = min(first, (top.lineno, top.col_offset - 1))
    return first, (item.end_lineno, item.end_col_offset)  # type: ignore[attr-defined]


# Field annotations of values that are never nodes (identifiers, flags, import levels).
_LEAF_TYPES = (str, int, str | None, int | None, list[str])
# The load/store contexts and the operators are not walked either: the parser shares one
# instance of each among all its uses, so they have no place and no parent, and a third of
# a module's nodes are them. Rules read them from their node (`node.op`).
_SHARED_FIELDS = frozenset({"ctx", "op", "ops"})
# node class -> the fields that may hold nodes, in `_fields` order
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    types = getattr(cls, "_field_types", None) or {}
    fields = tuple(
        f
        for f in cls._fields  # type: ignore[attr-defined]
        if types.get(f) not in _LEAF_TYPES and f not in _SHARED_FIELDS
    )
    _CHILD_FIELDS[cls] = fields
    return fields


def walk(tree: ast.AST) -> list[ast.AST]:
    """`list(ast.walk(tree))` but the shared contexts and operators (`_SHARED_FIELDS`),
    built without generators (see `_walk`)."""
    nodes: list[ast.AST] = [tree]
    for node in nodes:  # the list grows while it is read: breadth-first order
        nodes.extend(child_nodes(node))
    return nodes


def child_fields(cls: type) -> tuple[str, ...]:
    """The fields of a node class that may hold nodes, in `_fields` order."""
    fields = _CHILD_FIELDS.get(cls)
    return _child_fields(cls) if fields is None else fields


# Node classes the walk also lists apart (`ModuleContext.indexed_nodes`): statements,
# calls, literals and the other nodes the pattern rules ask for, but names, attributes,
# contexts and operators, which make up two thirds of a module.
INDEXED_TYPES: frozenset[type[ast.AST]] = frozenset(
    {
        *ast.stmt.__subclasses__(),
        ast.Module,
        ast.ExceptHandler,
        ast.Call,
        ast.Constant,
        ast.JoinedStr,
        ast.Dict,
        ast.Compare,
        ast.Lambda,
        ast.UnaryOp,
        ast.NamedExpr,  # the two expressions that bind names
        ast.comprehension,
    }
)


def _walk(tree: ast.AST) -> tuple[list[ast.AST], list[str], list[ast.AST]]:
    """`walk`, plus the values of the str (and bytes) literals on the way and the nodes of
    the `INDEXED_TYPES`.

    Breadth-first like `ast.walk`; only the fields that can hold nodes are read (a `Name`'s
    `id` or an `alias`'s names never are), which is most of what walking costs."""
    nodes: list[ast.AST] = [tree]
    strings: list[str] = []
    indexed: list[ast.AST] = []
    append = nodes.append
    node_type = ast.AST
    constant = ast.Constant
    indexed_types = INDEXED_TYPES
    fields_of = _CHILD_FIELDS
    for node in nodes:  # the list grows while it is read: breadth-first order
        cls = node.__class__
        if cls in indexed_types:
            indexed.append(node)
            if cls is constant:
                value = node.value  # type: ignore[attr-defined]
                if value.__class__ is str:
                    strings.append(value)
                elif value.__class__ is bytes:
                    strings.append(value.decode("latin-1"))
        fields = fields_of.get(cls)
        if fields is None:
            fields = _child_fields(cls)
        for name in fields:
            value = getattr(node, name, None)
            if isinstance(value, node_type):
                append(value)
            elif value.__class__ is list:
                for item in value:
                    if isinstance(item, node_type):
                        append(item)
    return nodes, strings, indexed


# Folders of test code: `tests/`, `testing/`, `unit_tests/`, and the helper packages the tests
# import (`testutils/`, `test_utils/`, `testlib/`, `test_helpers/`), which also hold the test
# suite's settings module. A module named so (`testutils.py`) is test code too, but for
# `test.py` and `testing.py`, which libraries ship as test support for their users.
_TEST_FOLDER = lazyre.compile(
    r"(tests?|testing)([_-]?(utils?|lib|libs|helpers?|support|tools|fixtures|cases|suite))?"
    r"|\w+_tests"
)


def is_test_path(path: str) -> bool:
    """A module of the reviewed tree's own tests (out of scope unless --include-tests)."""
    parts = path.split("/")
    name = parts[-1]
    stem = name.removesuffix(".py").lower()
    return (
        any(_TEST_FOLDER.fullmatch(p.lower()) for p in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
        or (stem not in ("test", "testing") and _TEST_FOLDER.fullmatch(stem) is not None)
    )


def last_name(node: ast.AST) -> str:
    """The last name of a reference, or of what a call calls: `a.b.c` -> "c", `f(x)` -> "f",
    `obj.method()` -> "method"; "" for anything else."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value passed as keyword `name`, if any."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def argument(call: ast.Call, position: int, name: str | None = None) -> ast.expr | None:
    """The argument at `position`, or passed by keyword `name`."""
    if position < len(call.args) and not any(
        isinstance(a, ast.Starred) for a in call.args[: position + 1]
    ):
        return call.args[position]
    return keyword(call, name) if name else None


def has_kwargs_splat(call: ast.Call) -> bool:
    return any(kw.arg is None for kw in call.keywords)
