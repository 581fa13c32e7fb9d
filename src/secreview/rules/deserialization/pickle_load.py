"""pickle-load: deserialising with pickle and the libraries built on it."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.model import Confidence
from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register

_PICKLE_MODULES = ("pickle", "cPickle", "_pickle", "dill", "cloudpickle")

# Calls that unpickle bytes/a stream handed to them: (argument position, keyword).
_FROM_DATA: dict[str, tuple[int, str]] = {
    **{f"{m}.loads": (0, "data") for m in _PICKLE_MODULES},
    **{f"{m}.load": (0, "file") for m in _PICKLE_MODULES},
    **{f"{m}.Unpickler": (0, "file") for m in _PICKLE_MODULES},
    "jsonpickle.decode": (0, "string"),
    "jsonpickle.loads": (0, "string"),
    "marshal.loads": (0, "bytes"),
    "marshal.load": (0, "file"),
}
# Calls that unpickle a file named by a path.
_FROM_PATH: dict[str, tuple[int, str]] = {
    "shelve.open": (0, "filename"),
    "shelve.DbfilenameShelf": (0, "filename"),
    "pandas.read_pickle": (0, "filepath_or_buffer"),
    "joblib.load": (0, "filename"),
    "numpy.load": (0, "file"),
    "torch.load": (0, "f"),
}
# Serialisers whose output, fed straight back in, is a deep copy of our own object.
_DUMPS = frozenset({f"{m}.dumps" for m in _PICKLE_MODULES} | {"jsonpickle.encode", "marshal.dumps"})


@register
class PickleLoad(Rule):
    meta = RuleMeta(
        id="pickle-load",
        cwe=502,
        severity="high",
        confidence="high",
        title="Deserialisation with pickle (or a pickle-based loader)",
        why=(
            "Unpickling calls whatever callables the data names (via __reduce__), so anyone "
            "who can write the bytes or the file runs code in this process; pickle has no "
            "safe mode."
        ),
        example="session = pickle.loads(base64.b64decode(request.cookies['session']))",
        fix=(
            "Exchange data as JSON (json.loads) or another data-only format; when bytes must "
            "come back to you, sign them (hmac.compare_digest on an HMAC) before unpickling, "
            "or use an Unpickler subclass whose find_class allows only known classes."
        ),
        fix_by_api=(
            FixText(
                ("joblib",),
                (
                    "Load only files you wrote yourself and keep them where nobody else can write; "
                    "for data from outside use a data-only format (JSON, CSV, npz without "
                    "objects), or check an HMAC over the file before `joblib.load`."
                ),
            ),
            FixText(
                ("torch",),
                (
                    "Load with `torch.load(path, weights_only=True)`, which refuses arbitrary "
                    "objects, or use safetensors (`safetensors.torch.load_file`)."
                ),
            ),
            FixText(
                ("numpy",),
                (
                    "Load with `numpy.load(path, allow_pickle=False)` (the default since NumPy "
                    "1.16.3); store object arrays in a data-only format."
                ),
            ),
            FixText(
                ("pandas",),
                (
                    "Read data from outside with `pandas.read_parquet`/`read_csv`/`read_json` "
                    "instead of `read_pickle`."
                ),
            ),
            FixText(
                ("jsonpickle",),
                (
                    "Decode with `json.loads` into plain data and build your objects yourself; "
                    "`jsonpickle.decode` instantiates any class the document names."
                ),
            ),
            FixText(
                ("marshal",),
                (
                    "Exchange data as JSON (`json.loads`); `marshal` is for Python's own trusted "
                    "bytecode, never for data from outside."
                ),
            ),
            FixText(
                ("shelve",),
                (
                    "Keep shelves where only the service can write, or store the data as JSON or "
                    "in sqlite3; `shelve.open` unpickles every value it reads."
                ),
            ),
            FixText(
                ("pickle", "_pickle", "cPickle", "dill", "cloudpickle"),
                (
                    "Exchange data as JSON (`json.loads`) or another data-only format; when bytes "
                    "must come back to you, sign them (`hmac.compare_digest` on an HMAC) before "
                    "`pickle.loads`, or subclass `pickle.Unpickler` with a `find_class` that "
                    "allows only known classes."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://docs.python.org/3/library/pickle.html#restricting-globals",
        ),
    )
    calls = frozenset(_FROM_DATA) | frozenset(_FROM_PATH)

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        """Flag every load of data the source does not contain itself."""
        if name in _FROM_DATA:
            position, kw = _FROM_DATA[name]
            data = argument(call, position, kw)
            if data is not None and (ctx.is_constant(data) or _is_round_trip(data, ctx)):
                return  # bytes written in the source, or pickle.loads(pickle.dumps(x))
            if name.startswith("marshal."):
                yield Hit(
                    call,
                    f"{name}() reads data that is not a constant; marshal is not safe "
                    "against malformed or malicious input (it can build code objects and "
                    "crash the interpreter). Use json for data that crosses a trust boundary.",
                    confidence="medium",
                )
                return
            what = f"{name}(...).load()" if name.endswith(".Unpickler") else f"{name}()"
            yield Hit(
                call,
                f"{what} rebuilds objects by calling whatever the serialised data names; "
                "whoever can supply these bytes runs code in this process.",
                confidence="low" if _opens_fixed_path(data, ctx) else None,
            )
            return
        yield from self._check_path_loader(call, name, ctx)

    def _check_path_loader(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        """Path-based loaders: numpy/torch only unpickle in some modes; fixed paths are likelier
        to be the application's own files."""
        confidence: Confidence | None = None
        if name == "numpy.load":
            if ctx.constant_value(keyword(call, "allow_pickle")) is not True:
                return  # numpy refuses object arrays unless allow_pickle=True
        elif name == "torch.load":
            weights_only = ctx.constant_value(keyword(call, "weights_only"))
            if weights_only is True:
                return  # restricted unpickler: tensors and plain containers only
            if weights_only is NotImplemented:
                # the default became weights_only=True in torch 2.6; older releases unpickle
                confidence = "medium"
        position, kw = _FROM_PATH[name]
        if ctx.is_constant(argument(call, position, kw)):
            confidence = "low"
        what = f"{name}(..., allow_pickle=True)" if name == "numpy.load" else f"{name}()"
        yield Hit(
            call,
            f"{what} unpickles the file it opens; whoever can write or substitute that file "
            "runs code in this process when it is loaded.",
            confidence=confidence,
        )


def _is_round_trip(node: ast.AST, ctx: ModuleContext) -> bool:
    return isinstance(node, ast.Call) and ctx.resolve(node.func) in _DUMPS


def _opens_fixed_path(node: ast.AST | None, ctx: ModuleContext) -> bool:
    """`open("cache.pkl", "rb")`, inline or bound by `with ... as f`: the application's own
    file, less likely attacker-written than bytes from a request."""
    if isinstance(node, ast.Name):
        node = _with_binding(node, ctx)
    return (
        isinstance(node, ast.Call)
        and ctx.resolve(node.func) in ("builtins.open", "io.open")
        and bool(node.args)
        and ctx.is_constant(node.args[0])
    )


def _with_binding(name: ast.Name, ctx: ModuleContext) -> ast.expr | None:
    """The context expression of an enclosing `with EXPR as <name>:`, if any."""
    current = ctx.parent(name)
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
        if isinstance(current, (ast.With, ast.AsyncWith)):
            for item in current.items:
                target = item.optional_vars
                if isinstance(target, ast.Name) and target.id == name.id:
                    return item.context_expr
        current = ctx.parent(current)
    return None
