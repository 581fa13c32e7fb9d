"""Running a check's own code on one input, without running the reviewed program.

`Evaluator` computes what a test (or a sanitizer call) gives for one value of the variable it
is about: the operators, the `str` methods, `re` with the program's own pattern,
`os.path`'s and `urllib.parse`'s pure functions, `any`/`all` over a constant collection, the
program's constants as `values.py` folds them. Nothing else runs: any other call, name or
operation is `Unknown`, and so is anything that depends on a value the review cannot know.

A value the review cannot know (`app.config["UPLOADS"]`) takes part as a symbol: one
private-use character (`Symbols`), so that text built around it (`BASE + "/../etc"`) still
starts with it. An answer that would depend on the symbol's own text (is `"x"` in it? is it
`"/srv"`?) is `Unknown`: what this returns holds whatever the symbol holds.

Assumes the paths it resolves (`realpath`) have no symbolic links, as the attack inputs it
builds name no file that exists.
"""

from __future__ import annotations

import ast
import html
import posixpath
import re
import shlex
import urllib.parse
from collections.abc import Callable

from secreview import lazyre
from secreview.python import redos
from secreview.python import values as consts
from secreview.python.context import ModuleContext
from secreview.python.taint.shapes import guarded_name
from secreview.rules.support.regex import RegexUse, regex_of_call

SYMBOL = 0xE000  # the first private-use character: symbol i is chr(SYMBOL + i)
MAX_SYMBOLS = 64
MAX_TEXT = 400  # longer intermediate text is not followed


class Unknown(Exception):
    """The answer depends on something the review does not know."""


def symbolic(value: object) -> bool:
    """Text that holds a symbol (a value the review does not know)."""
    return isinstance(value, str) and any(
        SYMBOL <= ord(char) < SYMBOL + MAX_SYMBOLS for char in value
    )


class Symbols:
    """The values the review does not know that one check reads, numbered in order."""

    def __init__(self) -> None:
        self.items: list[tuple[str, bool]] = []  # (code, a normalised absolute path)

    def of(self, code: str, normalised: bool) -> str:
        for index, (known, _) in enumerate(self.items):
            if known == code:
                return chr(SYMBOL + index)
        if len(self.items) >= MAX_SYMBOLS:
            raise Unknown(code)
        self.items.append((code, normalised))
        return chr(SYMBOL + len(self.items) - 1)

    def normalised(self, char: str) -> bool:
        return self.items[ord(char) - SYMBOL][1]

    def code(self, value: str, names: bool) -> str:
        """`value` as a Python expression: its symbols as `__sym<i>`, or (`names`) as the
        code they stand for."""
        parts: list[str] = []
        literal = ""
        for char in value:
            if SYMBOL <= ord(char) < SYMBOL + len(self.items):
                if literal:
                    parts.append(repr(literal))
                    literal = ""
                index = ord(char) - SYMBOL
                parts.append(self.items[index][0] if names else f"__sym{index}")
            else:
                literal += char
        if literal or not parts:
            parts.append(repr(literal))
        return " + ".join(parts)


# the parts of a parsed URL a check may read
_URL_PARTS = frozenset(
    {"scheme", "netloc", "path", "params", "query", "fragment", "hostname", "port", "username"}
)
_STR_METHODS: dict[str, Callable[..., object]] = {
    name: getattr(str, name)
    for name in (
        "lower", "upper", "casefold", "strip", "lstrip", "rstrip", "title", "replace",
        "split", "rsplit", "partition", "rpartition", "find", "rfind", "count", "isalnum",
        "isalpha", "isdigit", "isdecimal", "isnumeric", "isidentifier", "islower", "isupper",
        "isspace", "isascii", "removeprefix", "removesuffix", "zfill",
    )
}  # fmt: skip
# methods whose answer on a symbol is known from the text around it
_PREFIX_METHODS = frozenset({"startswith", "endswith"})


def _normpath(path: str) -> str:
    return posixpath.normpath(path)


def _realpath(path: str) -> str:
    if not path.startswith("/"):
        raise Unknown(path)  # relative to a working directory the review does not know
    return posixpath.normpath(path)


def _escape(text: str, quote: bool = True) -> str:
    return html.escape(text, quote)


_FUNCTIONS: dict[str, Callable[..., object]] = {
    **{
        f"{module}.{name}": function
        for module in ("os.path", "posixpath")
        for name, function in (
            ("normpath", _normpath),
            ("realpath", _realpath),
            ("abspath", _realpath),
            ("join", posixpath.join),
            ("basename", posixpath.basename),
            ("dirname", posixpath.dirname),
            ("isabs", posixpath.isabs),
            ("commonprefix", lambda paths: posixpath.commonprefix(list(paths))),
            ("commonpath", lambda paths: posixpath.commonpath(list(paths))),
            ("splitext", posixpath.splitext),
            ("normcase", posixpath.normcase),
        )
    },
    "urllib.parse.urlparse": urllib.parse.urlparse,
    "urllib.parse.urlsplit": urllib.parse.urlsplit,
    "urllib.parse.unquote": urllib.parse.unquote,
    "urllib.parse.unquote_plus": urllib.parse.unquote_plus,
    "urllib.parse.urljoin": urllib.parse.urljoin,
    "builtins.len": len,
    "builtins.str": str,
    "builtins.bool": bool,
    "html.escape": _escape,
    # markupsafe writes `'` and `"` as `&#39;`/`&#34;`: the same characters escaped
    "markupsafe.escape": _escape,
    "flask.escape": _escape,
    "django.utils.html.escape": _escape,
    # Python 2's and 3.7's `cgi.escape`: `&`, `<`, `>`, and `"` only when asked
    "cgi.escape": lambda text, quote=False: (
        _escape(text, False).replace('"', "&quot;") if quote else _escape(text, False)
    ),
    "html.unescape": html.unescape,
    "shlex.quote": shlex.quote,
    "re.escape": re.escape,
}
# functions that keep a symbol's text as it is when they resolve a normalised absolute path
_NORMALISERS = frozenset(
    f"{module}.{name}"
    for module in ("os.path", "posixpath")
    for name in ("normpath", "realpath", "abspath")
)
_CLEAN_TAIL = lazyre.compile(r"(/(?!\.\.?(/|$))[^/]+)*")  # components, none empty, `.` or `..`


class Evaluator:
    """Evaluates expressions of one function with one variable (`subject`, as
    `shapes.guarded_name` names it) bound to an input."""

    def __init__(
        self,
        ctx: ModuleContext,
        fold: Callable[[ast.AST], object],
        normalised: Callable[[ast.expr], bool],
        symbols: Symbols,
        subject: str,
        value: str,
    ):
        self.ctx = ctx
        self.fold = fold
        self.normalised = normalised
        self.symbols = symbols
        self.subject = subject
        self.value = value
        self.local: dict[str, object] = {}  # names a generator binds
        self.subject_node: ast.AST | None = None  # a read the value is bound to, in place
        # a variable's read that stands for the expression assigned to it (`quoted` for
        # the `shlex.quote(p)` it holds), by id
        self.substitute: dict[int, ast.expr] = {}

    # --- entry points ----------------------------------------------------------------
    def truth(self, node: ast.expr) -> bool:
        """The truth of `node` for this input (raises `Unknown`)."""
        value = self.eval(node)
        if symbolic(value) or isinstance(value, _Opaque):
            raise Unknown(node)
        return bool(value)

    def eval(self, node: ast.expr) -> object:
        value = self._eval(node)
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise Unknown(node)
        return value

    # --- expressions -----------------------------------------------------------------
    def _eval(self, node: ast.expr) -> object:
        if node is self.subject_node:
            return self.value
        if self.substitute and id(node) in self.substitute:
            return self.eval(self.substitute[id(node)])
        if isinstance(node, ast.Name) and node.id in self.local:
            return self.local[node.id]
        if guarded_name(node) == self.subject and isinstance(node, (ast.Name, ast.Attribute)):
            return self.value
        match node:
            case ast.Constant(value=value):
                return value
            case ast.JoinedStr(values=parts):
                return "".join(self._text(part) for part in parts)
            case ast.BinOp(left=left, op=ast.Add(), right=right):
                a, b = self.eval(left), self.eval(right)
                if isinstance(a, str) and isinstance(b, str):
                    return a + b
                if isinstance(a, tuple) and isinstance(b, tuple):
                    return a + b
                raise Unknown(node)
            case ast.BoolOp(op=op, values=values):
                return self._bool_op(isinstance(op, ast.And), values)
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return not self.truth(operand)
            case ast.Compare(left=left, ops=ops, comparators=comparators):
                return self._compare(left, ops, comparators)
            case ast.Call():
                return self._call(node)
            case ast.Tuple(elts=elts) | ast.List(elts=elts) | ast.Set(elts=elts):
                return tuple(self.eval(e) for e in elts)
            case ast.NamedExpr(value=value):
                return self.eval(value)
            case ast.Attribute(value=base, attr=attr) if self._reads_subject(base):
                parsed = self.eval(base)
                if isinstance(parsed, tuple) and hasattr(parsed, "netloc") and attr in _URL_PARTS:
                    return getattr(parsed, attr)
                raise Unknown(node)
            case ast.Subscript(value=base, slice=index) if self._reads_subject(base):
                container, key = self.eval(base), self.eval(index)
                if isinstance(container, (str, tuple)) and isinstance(key, int):
                    if symbolic(container):
                        raise Unknown(node)
                    return container[key]
                raise Unknown(node)
        return self._constant(node)

    def _reads_subject(self, node: ast.AST) -> bool:
        head = self.subject.split(".", 1)[0]
        return any(isinstance(n, ast.Name) and n.id in (head, *self.local) for n in ast.walk(node))

    def _constant(self, node: ast.expr) -> object:
        """A constant of the program, or a symbol for a value it does not fix here."""
        if self._reads_subject(node):
            raise Unknown(node)  # some other use of the value under test
        value = self.fold(node)
        if consts.known(value):
            if isinstance(value, frozenset):
                return tuple(sorted(value, key=repr))
            return value
        if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
            return self.symbols.of(ast.unparse(node), self.normalised(node))
        raise Unknown(node)

    def _text(self, part: ast.expr) -> str:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            return part.value
        if isinstance(part, ast.FormattedValue) and part.conversion == -1 and not part.format_spec:
            value = self.eval(part.value)
            if isinstance(value, str):
                return value
        raise Unknown(part)

    def _bool_op(self, conjunction: bool, values: list[ast.expr]) -> bool:
        """`and`/`or` over three values: an unknown part decides nothing, a known part
        that settles the whole does."""
        unknown = False
        for value in values:
            try:
                truth = self.truth(value)
            except Unknown:
                unknown = True
                continue
            if truth is not conjunction:
                return truth
        if unknown:
            raise Unknown(values[0])
        return conjunction

    def _compare(self, left: ast.expr, ops: list[ast.cmpop], comparators: list[ast.expr]) -> bool:
        a = self.eval(left)
        for op, right in zip(ops, comparators, strict=True):
            b = self.eval(right)
            if not _compare(a, op, b):
                return False
            a = b
        return True

    # --- calls -----------------------------------------------------------------------
    def _call(self, call: ast.Call) -> object:
        func = call.func
        if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords
        ):
            raise Unknown(call)
        name = self.ctx.resolve(func) or ""
        regex = regex_use(call, self.ctx) if _may_be_regex(func, name) else None
        if regex is not None:
            return self._regex(call, func, name, regex.pattern, regex.flags)
        if name in ("builtins.any", "builtins.all") and len(call.args) == 1:
            return self._quantified(name == "builtins.all", call.args[0])
        function = _FUNCTIONS.get(name)
        if function is not None:
            args = [self.eval(a) for a in call.args]
            kwargs = {k.arg: self.eval(k.value) for k in call.keywords if k.arg}
            return self._apply(call, name, function, args, kwargs)
        if isinstance(func, ast.Attribute):
            return self._method(call, func)  # a method of text (whatever a name resolves to)
        raise Unknown(call)

    def _apply(
        self,
        call: ast.Call,
        name: str,
        function: Callable[..., object],
        args: list[object],
        kwargs: dict[str, object],
    ) -> object:
        marked = [a for a in (*args, *kwargs.values()) if symbolic(a)]
        if marked:
            if name in _NORMALISERS and len(args) == 1 and isinstance(args[0], str):
                return self._normalised_symbol(call, args[0])
            raise Unknown(call)
        try:
            return function(*args, **kwargs)
        except Exception as error:  # a check that raises on this input does not pass it
            raise Unknown(call) from error

    def _normalised_symbol(self, call: ast.Call, path: str) -> str:
        """`realpath(BASE)` with BASE unknown is a new symbol (a normalised absolute path);
        `realpath(BASE + "-x/y")` with BASE normalised keeps clean text after it."""
        head = path[0]
        if symbolic(head) and len(path) == 1:
            return self.symbols.of(ast.unparse(call), True)
        tail = path[1:]
        if symbolic(head) and self.symbols.normalised(head) and not symbolic(tail):
            if tail and not tail.startswith("/"):
                first, _, rest = tail.partition("/")
                if _CLEAN_TAIL.fullmatch("/" + rest if rest else "") and first not in ("", "."):
                    return path  # `BASE-x/y`: a sibling's text, already normal
            elif _CLEAN_TAIL.fullmatch(tail):
                return path
        raise Unknown(call)

    def _method(self, call: ast.Call, func: ast.Attribute) -> object:
        receiver = self.eval(func.value)
        method = func.attr
        args = [self.eval(a) for a in call.args]
        if call.keywords or not isinstance(receiver, str):
            raise Unknown(call)
        if method in _PREFIX_METHODS:
            if len(args) != 1:
                raise Unknown(call)
            options = args[0] if isinstance(args[0], tuple) else (args[0],)
            return any(_affix(receiver, option, method == "startswith") for option in options)
        function = _STR_METHODS.get(method)
        if function is None or symbolic(receiver) or any(symbolic(a) for a in args):
            raise Unknown(call)
        try:
            result = function(receiver, *args)
        except Exception as error:
            raise Unknown(call) from error
        return tuple(result) if isinstance(result, list) else result

    def _regex(
        self, call: ast.Call, func: ast.expr, name: str, pattern: str | bytes, flags: int
    ) -> object:
        if not isinstance(pattern, str) or redos.analyze(pattern, flags) is not None:
            raise Unknown(call)  # bytes, or a pattern that may backtrack for long
        function = name[3:] if name.startswith("re.") else ""
        method = function or (func.attr if isinstance(func, ast.Attribute) else "")
        if method not in ("match", "fullmatch", "search"):
            raise Unknown(call)
        position = 1 if function else 0
        if len(call.args) <= position:
            raise Unknown(call)
        subject = call.args[position]
        text = self.eval(subject)
        if not isinstance(text, str) or symbolic(text):
            raise Unknown(call)
        try:
            compiled = re.compile(pattern, flags)
        except re.error as error:
            raise Unknown(call) from error
        return getattr(compiled, method)(text)  # a match or None: `... is not None` reads it

    def _quantified(self, every: bool, argument: ast.expr) -> bool:
        """`any(s in x for s in BLOCKED)` over a constant collection."""
        if not isinstance(argument, (ast.GeneratorExp, ast.ListComp)):
            raise Unknown(argument)
        if len(argument.generators) != 1:
            raise Unknown(argument)
        generator = argument.generators[0]
        if generator.ifs or not isinstance(generator.target, ast.Name):
            raise Unknown(argument)
        items = self.eval(generator.iter)
        if not isinstance(items, (tuple, str)) or symbolic(items):
            raise Unknown(argument)
        unknown = False
        for item in items:
            self.local[generator.target.id] = item
            try:
                truth = self.truth(argument.elt)
            except Unknown:
                unknown = True
                continue
            finally:
                self.local.pop(generator.target.id, None)
            if truth is not every:
                return truth
        if unknown:
            raise Unknown(argument)
        return every


class _Opaque:
    """A value this does not reason about (never produced: kept for `truth`'s test)."""


def regex_use(call: ast.Call, ctx: ModuleContext) -> RegexUse | None:
    """`regex_of_call`, once per call of the module (a check is run on many inputs)."""
    key = ("regex-use", id(call))
    memo = ctx.memo
    if key not in memo:
        memo[key] = regex_of_call(call, ctx)
    return memo[key]  # type: ignore[return-value]


def _may_be_regex(func: ast.expr, name: str) -> bool:
    if name.startswith("re."):
        return True
    return isinstance(func, ast.Attribute) and func.attr in ("match", "fullmatch", "search")


def _affix(text: str, part: object, prefix: bool) -> bool:
    """`text.startswith(part)` (or endswith), or `Unknown` when symbols decide it."""
    if not isinstance(part, str):
        raise Unknown(part)
    if text.startswith(part) if prefix else text.endswith(part):
        return True
    if symbolic(text) or symbolic(part):
        raise Unknown(part)
    return False


def _compare(a: object, op: ast.cmpop, b: object) -> bool:
    match op:
        case ast.In() | ast.NotIn():
            found = _contains(b, a)
            return found if isinstance(op, ast.In) else not found
        case ast.Eq() | ast.NotEq():
            if a == b:
                same = True
            elif symbolic(a) or symbolic(b):
                raise Unknown(op)
            else:
                same = False
            return same if isinstance(op, ast.Eq) else not same
        case ast.Is() | ast.IsNot():
            if b is not None or symbolic(a):
                raise Unknown(op)
            return (a is None) if isinstance(op, ast.Is) else (a is not None)
        case ast.Lt() | ast.LtE() | ast.Gt() | ast.GtE():
            if not (isinstance(a, int) and isinstance(b, int)):
                raise Unknown(op)
            return {ast.Lt: a < b, ast.LtE: a <= b, ast.Gt: a > b, ast.GtE: a >= b}[type(op)]
    raise Unknown(op)


def _contains(container: object, item: object) -> bool:
    if isinstance(container, str):
        if not isinstance(item, str):
            raise Unknown(item)
        if item in container:
            return True
        if symbolic(container) or symbolic(item):
            raise Unknown(item)
        return False
    if isinstance(container, (tuple, dict)):
        elements = tuple(container)
        if any(element == item for element in elements):
            return True
        if symbolic(item) or any(symbolic(element) for element in elements):
            raise Unknown(item)
        return False
    raise Unknown(container)


def closed_code(
    node: ast.expr,
    ctx: ModuleContext,
    fold: Callable[[ast.AST], object],
    symbols: Symbols,
    subject: str,
    name: str,
    substitute: dict[int, ast.expr] | None = None,
    subject_node: ast.AST | None = None,
) -> str:
    """`node` as code that runs on its own: the subject as `name`, the program's constants
    as literals, the values the review does not know as `__sym<i>` (in `symbols`' order, as
    `Evaluator` numbers them), compiled patterns as `re` calls with their pattern, and the
    reads in `substitute` (by id) as the expressions they stand for."""
    closer = _Closer(ctx, fold, symbols, subject, name)
    closer.substitute = substitute or {}
    closer.subject_node = subject_node
    return ast.unparse(closer.close(node))


_KEPT_ROOTS = ("os.", "re.", "posixpath.", "urllib.", "html.", "shlex.", "builtins.")
_MODULES = frozenset({"os", "re", "posixpath", "urllib", "html", "shlex"})


class _Closer:
    """Builds the closed copy of an expression; the original nodes stay as they are (the
    pattern of `PATTERN.match(x)` is found through the original's place in the module)."""

    def __init__(
        self,
        ctx: ModuleContext,
        fold: Callable[[ast.AST], object],
        symbols: Symbols,
        subject: str,
        name: str,
    ):
        self.ctx = ctx
        self.fold = fold
        self.symbols = symbols
        self.subject = subject
        self.name = name
        self.bound: set[str] = set()
        self.substitute: dict[int, ast.expr] = {}
        self.subject_node: ast.AST | None = None  # the read the subject is, in place

    def close(self, node: ast.AST) -> ast.AST:
        if node is self.subject_node:
            return ast.Name(self.name)
        if self.substitute and id(node) in self.substitute:
            return self.close(self.substitute[id(node)])
        if isinstance(node, (ast.Name, ast.Attribute)) and guarded_name(node) == self.subject:
            return ast.Name(self.name)
        if isinstance(node, ast.Name):
            resolved = self.ctx.resolve(node) or ""
            if node.id in self.bound or resolved.startswith(_KEPT_ROOTS) or resolved in _MODULES:
                return ast.Name(node.id)
            return self._value(node)
        if isinstance(node, ast.Attribute):
            if (self.ctx.resolve(node) or "").startswith(_KEPT_ROOTS):
                return self._copy(node)
            if not _mentions(node, self.subject, *self.bound) and not self._holds_subject(node):
                return self._value(node)
        if (
            isinstance(node, (ast.Subscript, ast.Call))
            and not _mentions(node, self.subject, *self.bound)
            and not self._holds_subject(node)
            and not (self.ctx.resolve(getattr(node, "func", node)) or "").startswith(_KEPT_ROOTS)
        ):
            return self._value(node)  # type: ignore[arg-type]
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, (ast.GeneratorExp, ast.ListComp)):
            for generator in node.generators:
                self.bound |= {n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
        return self._copy(node)

    def _holds_subject(self, node: ast.AST) -> bool:
        target = self.subject_node
        return target is not None and any(n is target for n in ast.walk(node))

    def _call(self, node: ast.Call) -> ast.AST:
        func = node.func
        name = self.ctx.resolve(func) or ""
        if isinstance(func, ast.Attribute) and func.attr in ("match", "fullmatch", "search"):
            regex = regex_use(node, self.ctx)
            if regex is not None and not name.startswith("re."):
                return ast.Call(
                    ast.Attribute(ast.Name("re"), func.attr),
                    [ast.Constant(regex.pattern), *(self.close(a) for a in node.args[:1])],
                    [ast.keyword("flags", ast.Constant(regex.flags))] if regex.flags else [],
                )
        if name == "cgi.escape" and node.args:  # gone from Python 3.8: its html.escape form
            quote = node.args[1] if len(node.args) > 1 else None
            quote = next((k.value for k in node.keywords if k.arg == "quote"), quote)
            return ast.Call(
                ast.Attribute(ast.Name("html"), "escape"),
                [self.close(node.args[0]), self.close(quote) if quote else ast.Constant(False)],
                [],
            )
        if name in _NORMALISERS and len(node.args) == 1 and not node.keywords:
            argument = self.close(node.args[0])
            if isinstance(argument, ast.Name) and argument.id.startswith("__sym"):
                return self._symbol(node, True)  # as `Evaluator._normalised_symbol` does
        return self._copy(node)

    def _copy(self, node: ast.AST) -> ast.AST:
        fields = {}
        for field, value in ast.iter_fields(node):
            if isinstance(value, ast.AST):
                fields[field] = self.close(value)
            elif isinstance(value, list):
                fields[field] = [self.close(v) if isinstance(v, ast.AST) else v for v in value]
            else:
                fields[field] = value
        return type(node)(**fields)

    def _value(self, node: ast.expr) -> ast.expr:
        value = self.fold(node)
        if consts.known(value):
            if isinstance(value, frozenset):
                value = tuple(sorted(value, key=repr))
            if isinstance(value, (str, bytes, int, float, bool, type(None), tuple)):
                return ast.parse(repr(value), mode="eval").body
        return self._symbol(node, False)

    def _symbol(self, node: ast.expr, normalised: bool) -> ast.expr:
        try:
            index = ord(self.symbols.of(ast.unparse(node), normalised)) - SYMBOL
        except Unknown:
            return node
        return ast.Name(f"__sym{index}")


def _mentions(node: ast.AST, *names: str) -> bool:
    heads = {name.split(".", 1)[0] for name in names}
    return any(isinstance(n, ast.Name) and n.id in heads for n in ast.walk(node))
