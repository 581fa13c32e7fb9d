"""When a sink applies, and which argument expressions carry the dangerous data.

A condition takes the call and returns the expressions to check (None: the sink does not
apply to this call). Receiver predicates decide whether `obj.method()` with an object of
unknown type is the API a `.method` sink means (a DB cursor's `execute`, a logger's `info`).
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable
from pathlib import Path

from secreview import lazyre
from secreview.python import redos
from secreview.python.commands import executed
from secreview.python.context import ModuleContext, argument, keyword
from secreview.python.taint import raw_templates, refresh
from secreview.python.taint.shapes import builds_text, short
from secreview.rules.support.bindings import assigned_values
from secreview.rules.support.cookies import attribute_off
from secreview.rules.support.regex import regex_of_call
from secreview.rules.support.yaml_loaders import loader_kind

Exprs = list[ast.expr] | None
TagOf = Callable[[ast.expr], str | None]  # what the engine knows a variable holds
ARGV = "<argv>"  # a list whose first element (the program) is a constant


def _truthy(node: ast.expr | None) -> bool:
    """True unless the value is a constant false (a variable may be True at run time)."""
    if node is None:
        return False
    return not (isinstance(node, ast.Constant) and not node.value)


def shell(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    """subprocess with shell=True: the whole command string is parsed by /bin/sh."""
    return default if _truthy(keyword(call, "shell")) else None


def program(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    """subprocess without a shell: only the program (first list element) is dangerous."""
    if _truthy(keyword(call, "shell")):
        return None  # the `shell` spec covers it
    command = argument(call, 0, "args")
    if command is None:
        return None
    if isinstance(command, (ast.List, ast.Tuple)):
        if not command.elts:
            return None
        first = command.elts[0]
        return [
            first.value if isinstance(first, ast.Starred) else first,
            *executed(command.elts),
        ]
    vector = joined_vector(command)
    if vector is not None:
        return program_of_vector(vector)
    if isinstance(command, (ast.ListComp, ast.Call)) and not _is_str_call(command):
        return None  # a built argument vector: element 0 is unknown, args are not a shell
    if _spliced_head(command):
        # ["prog", "run"] + args: the program is fixed; `["sudo"] + cmd` runs cmd's first
        return executed(_concatenated(command)) or None
    if tag_of(command) == ARGV:
        return None  # a variable holding ["prog", ...]: the program is fixed
    return [command]


def joined_vector(node: ast.expr) -> ast.expr | None:
    """The argument vector a command without a shell is made of: `" ".join(argv)` (Windows'
    CreateProcess splits the line back into argv[0] and its arguments; POSIX runs a program
    named by the whole line, which a tail cannot turn into another program), or a copy that
    keeps every element in place (`[a for a in argv]`, `list(argv)`, `tuple(argv)`)."""
    if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords:
        func, arg = node.func, node.args[0]
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "join"
            and isinstance(func.value, ast.Constant)
            and func.value.value == " "
        ):
            return arg
        if isinstance(func, ast.Name) and func.id in ("list", "tuple"):
            return arg
    if isinstance(node, ast.ListComp) and len(node.generators) == 1:
        loop = node.generators[0]
        same = isinstance(node.elt, ast.Name) and isinstance(loop.target, ast.Name)
        if same and node.elt.id == loop.target.id and not loop.ifs:  # type: ignore[union-attr, attr-defined]
            return loop.iter  # a filter may move an argument into the program's place
    return None


def program_of_vector(vector: ast.expr) -> Exprs:
    """The program of an argument vector: its first element, as written or as read back
    (`argv[0]`: what the engine tracks of a list's first element), and any script it gives
    a shell (`["sh", "-c", script]`)."""
    if isinstance(vector, (ast.List, ast.Tuple)):
        if not vector.elts:
            return None
        first = vector.elts[0]
        if isinstance(first, ast.Starred):
            return [first.value]
        return [first, *executed(vector.elts)]
    if isinstance(vector, ast.Name):
        head = ast.Subscript(value=vector, slice=ast.Constant(0), ctx=ast.Load())
        return [ast.copy_location(head, vector)]
    return [vector]  # built otherwise: the whole vector may hold the program


def program_in_context(
    call: ast.Call, default: list[ast.expr], tag_of: TagOf, ctx: ModuleContext
) -> Exprs:
    """`program`, with a command held in a variable: when every value assigned to it is an
    argument vector joined or copied (`line = " ".join(argv)` on Windows, `line = list(argv)`
    elsewhere), its program is the vector's first element. When every value is a list
    written with its program (`cmd = ["sudo", "-n", tool]`), what that program runs."""
    command = argument(call, 0, "args")
    if isinstance(command, ast.Name) and not _truthy(keyword(call, "shell")):
        values = assigned_values(command.id, command, ctx)
        vectors = [joined_vector(value) for value in values]
        found: list[ast.expr] = []
        if values and all(v is not None for v in vectors):
            for vector in vectors:
                found += program_of_vector(vector) or []  # type: ignore[arg-type]
            return found or None
        if values and all(_constant_head(v) or _spliced_head(v) for v in values):
            for value in values:
                found += executed(_concatenated(value))
            return (found or None) if tag_of(command) == ARGV else [*found, command]
    return program(call, default, tag_of)


def _operands(node: ast.expr) -> list[ast.expr]:
    """The lists added up in `["sudo"] + ["-n"] + cmd`, left to right."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [*_operands(node.left), *_operands(node.right)]
    return [node]


def _spliced_head(node: ast.expr) -> bool:
    """`["prog", ...] + more`: a sum of lists whose first is written with its program."""
    return isinstance(node, ast.BinOp) and _constant_head(_operands(node)[0])


def _concatenated(node: ast.expr) -> list[ast.expr]:
    """`["sudo", "-n"] + cmd` as the vector `["sudo", "-n", *cmd]`."""
    vector: list[ast.expr] = []
    for operand in _operands(node):
        if isinstance(operand, (ast.List, ast.Tuple)):
            vector += operand.elts
        else:
            vector.append(ast.copy_location(ast.Starred(value=operand, ctx=ast.Load()), operand))
    return vector


def is_argv(node: ast.AST) -> bool:
    """`["prog", arg]` or `["prog"] + args`: an argument vector with a fixed program."""
    return _constant_head(_operands(node)[0])  # type: ignore[arg-type]


def _constant_head(node: ast.expr) -> bool:
    return (
        isinstance(node, (ast.List, ast.Tuple))
        and bool(node.elts)
        and isinstance(node.elts[0], ast.Constant)
    )


def program_or_shell(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    """processutils.execute(*cmd, shell=...): the program, or every part with a shell."""
    if _truthy(keyword(call, "shell")):
        return [a.value if isinstance(a, ast.Starred) else a for a in call.args]
    if not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ast.Starred):
        value = first.value
        if isinstance(value, (ast.List, ast.Tuple)) and value.elts:
            return [value.elts[0], *executed(value.elts)]
        if _spliced_head(value):
            return executed(_concatenated(value)) or None  # `*(["sudo"] + cmd)`
        return None  # `*cmd` built elsewhere: program unknown, no shell
    return [first, *executed(call.args)]


def exec_program(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    """`os.execvp(file, argv)`, `os.spawnl(mode, path, arg0, ...)`: the program, and what
    the argument vector's program runs (`os.execvp("sh", ["sh", "-c", script])`)."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    start = 1 if name.startswith("spawn") else 0
    if len(call.args) <= start or any(isinstance(a, ast.Starred) for a in call.args[: start + 1]):
        return default or None
    program = call.args[start]
    variant = name.removeprefix("spawn").removeprefix("exec")
    vector: list[ast.expr] = []
    if variant.startswith("v") and len(call.args) > start + 1:
        given = call.args[start + 1]
        if isinstance(given, (ast.List, ast.Tuple)):
            vector = list(given.elts)
    elif variant.startswith("l"):
        vector = list(call.args[start + 1 :])
        if variant.endswith("e") and vector:
            vector = vector[:-1]  # the environment
    return [program, *executed(vector)]


def _is_str_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("format", "join", "replace", "strip", "lower", "upper")
    )


_SAFE_YAML_LOADERS = lazyre.compile(r"(^|\.)(C?SafeLoader|C?BaseLoader|SafeLoader)$")


def unsafe_yaml_loader(
    call: ast.Call, default: list[ast.expr], tag_of: TagOf, ctx: ModuleContext
) -> Exprs:
    """yaml.load without a safe Loader: one named safe, or a class of this module that
    subclasses one (`class ConfigLoader(yaml.SafeLoader)` adding constructors)."""
    loader = argument(call, 1, "Loader")
    if loader is not None:
        name = ast.unparse(loader)
        if _SAFE_YAML_LOADERS.search(name) or loader_kind(loader, ctx, frozenset()) == "safe":
            return None
    return default


def numpy_allow_pickle(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    return default if _truthy(keyword(call, "allow_pickle")) else None


def torch_unsafe_load(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    weights_only = keyword(call, "weights_only")
    if isinstance(weights_only, ast.Constant) and weights_only.value is True:
        return None
    return default


def no_extract_filter(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    """tarfile's filter="data"/"tar" refuses members that escape the target directory."""
    filt = keyword(call, "filter")
    if isinstance(filt, ast.Constant) and filt.value in ("data", "tar"):
        return None
    if filt is not None and not isinstance(filt, ast.Constant):
        return None  # a custom filter function checks members
    return default


def _lxml_unsafe_options(call: ast.Call, ctx: ModuleContext) -> bool:
    """Options that let a document reach files or URLs: resolve_entities=True (lxml 5.2 and
    later resolve internal entities only, by default) or no_network=False."""
    return ctx.constant_value(keyword(call, "resolve_entities")) is True or (
        ctx.constant_value(keyword(call, "no_network")) is False
    )


def lxml_resolving_parser(
    call: ast.Call, default: list[ast.expr], tag_of: TagOf, ctx: ModuleContext
) -> Exprs:
    """lxml loads external entities only when told to: options on the call itself
    (`iterparse(src, resolve_entities=True)`) or on the parser it is given, built here or
    in a variable assigned from an lxml call. A parser configured elsewhere, or none (the
    default parser: internal entities only, no network), is not reported."""
    if _lxml_unsafe_options(call, ctx):
        return default or None
    parser = argument(call, 1, "parser")
    if isinstance(parser, ast.Call):
        built: list[ast.expr] = [parser]
    elif isinstance(parser, ast.Name):
        built = assigned_values(parser.id, parser, ctx)
    else:
        return None
    for construction in built:
        if (
            isinstance(construction, ast.Call)
            and (ctx.resolve(construction.func) or "").startswith("lxml.")
            and _lxml_unsafe_options(construction, ctx)
        ):
            return default or None
    return None


def sax_external_entities(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    """Only reported when the call passes a parser (checked by the feature rule)."""
    return default if argument(call, 1, "parser") is not None or keyword(call, "handler") else None


def html_body(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    """An HTML body: an HTML content type is set, or the body is text built right here.

    A response built from a variable or a call (a serialiser's output, a rendered
    template) without a content type is usually JSON or already escaped: not reported.
    """
    for name in ("mimetype", "content_type"):
        value = keyword(call, name)
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return default if "html" in value.value else None
    return [e for e in default if _is_text(e, tag_of)] or None


def html_content_type(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    """A body sent as HTML only when the call says so (aiohttp's `text=` is text/plain,
    Starlette's `Response` has no media type unless given one)."""
    for name in ("content_type", "mimetype", "media_type"):
        value = keyword(call, name)
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return default if "html" in value.value else None
    headers = keyword(call, "headers")  # `headers={"Content-Type": "text/html"}`
    if isinstance(headers, ast.Dict):
        for key, value in zip(headers.keys, headers.values, strict=True):
            if (
                isinstance(key, ast.Constant)
                and str(key.value).lower() == "content-type"
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
            ):
                return default if "html" in value.value else None
    return None


def _is_text(node: ast.expr, tag_of: TagOf) -> bool:
    if isinstance(node, (ast.JoinedStr, ast.BinOp, ast.Subscript, ast.Attribute)):
        return True
    if isinstance(node, ast.Call):
        return _is_str_call(node)
    return tag_of(node) == TEXT


TEXT = "<str>"  # a variable holding text built from parts (f-string, concatenation, format)


def path_string(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    """FileResponse(open(path)) is covered by open(); only a path string is a sink here."""
    first = default[0] if default else None
    if isinstance(first, ast.Call):
        return None
    return default


def path_text(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    """`gzip.open(f"/spool/{name}.gz")`: a sink only for a file's name (`names_a_file`);
    the same functions also take an open file object (an upload's stream)."""
    return [e for e in default if names_a_file(e, tag_of)] or None


CONDITIONS: dict[str, Callable[[ast.Call, list[ast.expr], TagOf], Exprs]] = {
    "shell": shell,
    "program": program,
    "program_or_shell": program_or_shell,
    "numpy_allow_pickle": numpy_allow_pickle,
    "torch_unsafe_load": torch_unsafe_load,
    "no_extract_filter": no_extract_filter,
    "sax_external_entities": sax_external_entities,
    "html_body": html_body,
    "html_content_type": html_content_type,
    "path_string": path_string,
    "path_text": path_text,
}


def root_arguments(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    """processutils.execute(*cmd, run_as_root=True) without a shell: the arguments after the
    program, which root's command receives as options and paths (the program and shell=True
    are command-injection's)."""
    if _truthy(keyword(call, "shell")) or not _truthy(keyword(call, "run_as_root")):
        return None
    if not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ast.Starred):
        value = first.value
        if isinstance(value, (ast.List, ast.Tuple)):
            rest = [e.value if isinstance(e, ast.Starred) else e for e in value.elts[1:]]
        elif isinstance(value, ast.BinOp) and isinstance(value.left, (ast.List, ast.Tuple)):
            rest = [*value.left.elts[1:], value.right]  # *(["mount"] + options)
        else:
            rest = [value]  # a vector built elsewhere: its program is command-injection's
        return [*rest, *(a.value if isinstance(a, ast.Starred) else a for a in call.args[1:])]
    return [a.value if isinstance(a, ast.Starred) else a for a in call.args[1:]] or None


def argv_root_arguments(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    """neutron's utils.execute(cmd_list, run_as_root=True): the list's elements after the
    program."""
    if not _truthy(keyword(call, "run_as_root")):
        return None
    command = argument(call, 0, "cmd")
    if isinstance(command, (ast.List, ast.Tuple)):
        return [e.value if isinstance(e, ast.Starred) else e for e in command.elts[1:]] or None
    return [command] if command is not None else None


CONDITIONS["exec_program"] = exec_program
CONDITIONS["root_arguments"] = root_arguments
CONDITIONS["argv_root_arguments"] = argv_root_arguments


# --- conditions that read the module (constants, assignments elsewhere) ------------------
ContextCondition = Callable[[ast.Call, list[ast.expr], TagOf, ModuleContext], Exprs]


def redos_pattern(
    call: ast.Call, default: list[ast.expr], tag_of: TagOf, ctx: ModuleContext
) -> Exprs:
    """The regex the call runs, written in this module, backtracks exponentially."""
    use = regex_of_call(call, ctx)
    if use is None or redos.analyze(use.pattern, use.flags, full_match=use.full_match) is None:
        return None
    return default or None


CONTEXT_CONDITIONS: dict[str, ContextCondition] = {
    "redos_pattern": redos_pattern,
    "program": program_in_context,
}


def lxml_huge_tree(
    call: ast.Call, default: list[ast.expr], tag_of: TagOf, ctx: ModuleContext
) -> Exprs:
    """lxml drops its entity-expansion limits for parsers built with huge_tree=True:
    `iterparse(src, huge_tree=True)`, or a parser argument built so here or in a variable."""
    if ctx.constant_value(keyword(call, "huge_tree")) is True:
        return default or None
    parser = argument(call, 1, "parser")
    candidates = [parser] if parser is not None else []
    if isinstance(parser, ast.Name):
        candidates = assigned_values(parser.id, parser, ctx)
    for value in candidates:
        if isinstance(value, ast.Call) and ctx.constant_value(keyword(value, "huge_tree")) is True:
            return default or None
    return None


# Markup methods that give the text back as a plain str (entities decoded, tags dropped)
_MARKUP_TO_TEXT = frozenset({"unescape", "striptags"})


def markup_kept(
    call: ast.Call, default: list[ast.expr], tag_of: TagOf, ctx: ModuleContext
) -> Exprs:
    """`Markup(x)` marks x as safe HTML, unless the markup is at once turned back into
    plain text (`Markup(x).unescape()`, `.striptags()`): that str is escaped like any
    other when rendered, and reported where it is marked safe again."""
    parent = ctx.parent(call)
    if (
        isinstance(parent, ast.Attribute)
        and parent.attr in _MARKUP_TO_TEXT
        and isinstance(ctx.parent(parent), ast.Call)
    ):
        return None
    return default or None


def html_redirect(
    call: ast.Call, default: list[ast.expr], tag_of: TagOf, ctx: ModuleContext
) -> Exprs:
    """An HTML body whose text sends the browser on (a meta refresh, a script's
    `location = …`): the parts that start that URL (`refresh.html_targets`)."""
    return [t for e in default for t in refresh.html_targets(e, ctx)] or None


def header_value_redirect(
    call: ast.Call, default: list[ast.expr], tag_of: TagOf, ctx: ModuleContext
) -> Exprs:
    """`set_header("Location", url)`: the value, when the header named is `Location`; the
    URL's start in a `Refresh` header's value."""
    name = ctx.constant_value(argument(call, 0, "name"))
    if not isinstance(name, str):
        return None
    return _redirecting_value(name, default, call, ctx)


def headers_redirect(
    call: ast.Call, default: list[ast.expr], tag_of: TagOf, ctx: ModuleContext
) -> Exprs:
    """`Response(headers={"Location": url})`: the `Location` entry of a headers dict
    written there or in a variable of the same function."""
    out: list[ast.expr] = []
    for headers in default:
        candidates = [headers]
        if isinstance(headers, ast.Name):
            candidates = assigned_values(headers.id, headers, ctx)
        for value in candidates:
            if not isinstance(value, ast.Dict):
                continue
            for key, entry in zip(value.keys, value.values, strict=True):
                name = ctx.constant_value(key) if key is not None else None
                if isinstance(name, str):
                    out += _redirecting_value(name, [entry], call, ctx) or []
    return out or None


def _redirecting_value(
    name: str, values: list[ast.expr], call: ast.Call, ctx: ModuleContext
) -> Exprs:
    header = name.strip().lower()
    if header == "location":
        return (values or None) if refresh.sets_redirect_status(call, ctx) else None
    if header == "refresh":
        return [t for v in values for t in refresh.refresh_targets(v, ctx)] or None
    return None


_OPENERS = frozenset({"builtins.open", "io.open", "codecs.open", "aiofiles.open"})
# a template directory named in a path (`templates/`, `app.template_folder`), or a file
# name only template engines use
_TEMPLATE_DIR = lazyre.compile(r"(?:^|[/\\])templates?(?:[/\\]|$)", re.IGNORECASE)
_TEMPLATE_FILE = lazyre.compile(r"\.(?:j2|jinja2?|mako|tmpl|tpl|djhtml)$", re.IGNORECASE)
_TEMPLATE_WORD = lazyre.compile(r"templates?_?(?:folder|dir|dirs|directory|path|root)$", re.I)


def template_file(
    call: ast.Call, default: list[ast.expr], tag_of: TagOf, ctx: ModuleContext
) -> Exprs:
    """`out.write(x)` on a file opened for writing in a template directory, or
    `(Path(app.template_folder) / "banner.html").write_text(x)`: what is written there is
    template source the application renders later."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    receiver = func.value
    if func.attr == "write":
        opened = [
            value
            for value in (
                assigned_values(receiver.id, receiver, ctx)
                if isinstance(receiver, ast.Name)
                else [receiver]
            )
            if isinstance(value, ast.Call) and ctx.resolve(value.func) in _OPENERS
        ]
        paths = [argument(value, 0, "file") for value in opened if _writes(value, ctx)]
    else:
        paths = [receiver]
    if any(p is not None and _names_template(p, ctx, 0) for p in paths):
        return default or None
    return None


def _writes(call: ast.Call, ctx: ModuleContext) -> bool:
    mode = ctx.constant_value(argument(call, 1, "mode"))
    return isinstance(mode, str) and any(c in mode for c in "wax+")


def _names_template(node: ast.AST, ctx: ModuleContext, depth: int) -> bool:
    """A path built with a template directory or a template file name in it."""
    if depth > 3:
        return False
    for part in ast.walk(node):
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            if _TEMPLATE_DIR.search(part.value) or _TEMPLATE_FILE.search(part.value):
                return True
        elif isinstance(part, ast.Attribute) and _TEMPLATE_WORD.search(part.attr):
            return True
        elif isinstance(part, ast.Name):
            if _TEMPLATE_WORD.search(part.id):
                return True
            for value in assigned_values(part.id, part, ctx):
                if value is not part and _names_template(value, ctx, depth + 1):
                    return True
    return False


CONTEXT_CONDITIONS["template_file"] = template_file


def template_redirect(
    call: ast.Call, default: list[ast.expr], tag_of: TagOf, ctx: ModuleContext
) -> Exprs:
    """`render_template("leaving.html", target=url)`, `render(request, "x.html", {"next":
    url})`, `templates.TemplateResponse(request, "x.html", context)`: the context values
    the template places where a URL starts (`refresh.template_redirect_names`)."""
    template = _rendered_template(call, ctx)
    if template is None:
        return None
    module = Path(ctx.source.root) / ctx.source.path
    names = refresh.template_redirect_names(template, module)
    return (_context_values(call, names, ctx) or None) if names else None


def template_raw(
    call: ast.Call, default: list[ast.expr], tag_of: TagOf, ctx: ModuleContext
) -> Exprs:
    """`render_template("notice.html", banner=b)`, `render(request, "x.html", {"k": v})`,
    `TemplateResponse`, Tornado's `self.render`, aiohttp_jinja2: the context values the
    template file (or one it extends or includes) writes without escaping
    (`raw_templates.raw_in_file`: `{{ k|safe }}`, `{% autoescape off %}`)."""
    names = set(_raw_writes(call, ctx))
    return (_context_values(call, frozenset(names), ctx) or None) if names else None


def template_raw_note(call: ast.Call, values: list[ast.expr], ctx: ModuleContext) -> str:
    """Where the template writes the context values `values` (those of the call that carry
    data) as they are: `templates/notice.html:3 {{ banner|safe }}`."""
    writes = _raw_writes(call, ctx)
    places: list[str] = []
    for name, found in writes.items():
        if any(v in values for v in _context_values(call, frozenset({name}), ctx)):
            places += [_place(w, ctx) for w in found]
    if not places:
        return ""
    more = f" (and {len(places) - 2} more)" if len(places) > 2 else ""
    return "written unescaped at " + ", ".join(places[:2]) + more


def _place(write: raw_templates.RawWrite, ctx: ModuleContext) -> str:
    file = write.file
    if file is None:
        return f"the template's line {write.line} {write.text}"
    root = Path(ctx.source.root).resolve()
    resolved = file.resolve()
    shown = resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else file.name
    return f"{shown}:{write.line} {write.text}"


# templates named as text or data, which their views send as such (JSON, KML, mail)
_TEXT_TEMPLATE = lazyre.compile(
    r"\.(txt|text|json|kml|xml|csv|tsv|js|css|md|rst|ics|vcf|eml|ya?ml|ini|cfg|conf)$",
    re.IGNORECASE,
)


def _raw_writes(call: ast.Call, ctx: ModuleContext) -> dict[str, list[raw_templates.RawWrite]]:
    key = ("template-raw-writes", id(call))
    found = ctx.memo.get(key)
    if found is None:
        found = {}
        template = _rendered_template(call, ctx)
        if template is not None and not _TEXT_TEMPLATE.search(template):
            module = Path(ctx.source.root) / ctx.source.path
            for write in raw_templates.raw_in_file(template, module):
                found.setdefault(write.name, []).append(write)  # type: ignore[call-overload]
        ctx.memo[key] = found
    return found  # type: ignore[return-value]


def _rendered_template(call: ast.Call, ctx: ModuleContext) -> str | None:
    """The template name a render call gives (the first constant with a dot in it)."""
    return next(
        (
            value
            for node in [*call.args, *(kw.value for kw in call.keywords if kw.arg)]
            if isinstance(value := ctx.constant_value(node), str) and "." in value
        ),
        None,
    )


def _context_values(call: ast.Call, names: frozenset[str], ctx: ModuleContext) -> list[ast.expr]:
    """The values a render call puts into its template's context under `names`: keywords
    (`banner=b`), the entries of a dict written there or assigned to the variable given
    (positionally, as `context=`, or as `**context`)."""
    out = [kw.value for kw in call.keywords if kw.arg in names]
    given = [*call.args, *(kw.value for kw in call.keywords if kw.arg in ("context", None))]
    for node in given:
        dicts = assigned_values(node.id, node, ctx) if isinstance(node, ast.Name) else [node]
        for value in dicts:
            if isinstance(value, ast.Dict):
                out += [
                    entry
                    for key, entry in zip(value.keys, value.values, strict=True)
                    if key is not None and ctx.constant_value(key) in names
                ]
    return out


def _cookie_without(attribute: str) -> ContextCondition:
    def condition(
        call: ast.Call, default: list[ast.expr], tag_of: TagOf, ctx: ModuleContext
    ) -> Exprs:
        return (default or None) if attribute_off(call, attribute, ctx) else None  # type: ignore[arg-type]

    condition.__doc__ = f"`set_cookie(name, value)` without {attribute}: the value."
    return condition


CONTEXT_CONDITIONS["html_redirect"] = html_redirect
CONTEXT_CONDITIONS["cookie_without_secure"] = _cookie_without("secure")
CONTEXT_CONDITIONS["cookie_without_httponly"] = _cookie_without("httponly")
CONTEXT_CONDITIONS["cookie_without_samesite"] = _cookie_without("samesite")
CONTEXT_CONDITIONS["template_redirect"] = template_redirect
CONTEXT_CONDITIONS["template_raw"] = template_raw
# what a sink's note adds, given the arguments that carry data: where the harm is done when
# that is not in the call itself (the template file that writes a value raw)
SINK_NOTES: dict[str, Callable[[ast.Call, list[ast.expr], ModuleContext], str]] = {
    "template_raw": template_raw_note,
}
CONTEXT_CONDITIONS["header_value_redirect"] = header_value_redirect
CONTEXT_CONDITIONS["headers_redirect"] = headers_redirect
CONTEXT_CONDITIONS["lxml_huge_tree"] = lxml_huge_tree
CONTEXT_CONDITIONS["unsafe_yaml_loader"] = unsafe_yaml_loader
CONTEXT_CONDITIONS["markup_kept"] = markup_kept
CONTEXT_CONDITIONS["lxml_resolving_parser"] = lxml_resolving_parser


# --- receiver predicates: (receiver expression text, its type tag) -> bool --------------
_DB_NAME = lazyre.compile(
    r"(^|[._])(cur|cursor|conn|connection|con|db|database|session|engine|sql|"
    r"dbapi|c)$",
    re.IGNORECASE,
)
_DB_TAG = lazyre.compile(
    r"(sqlite3|psycopg2?|pymysql|MySQLdb|mysql\.connector|cx_Oracle|oracledb|"
    r"pyodbc|sqlalchemy|asyncpg|aiosqlite|aiomysql|aiopg|peewee|"
    r"\.cursor$|\.connect$|create_engine|sessionmaker|Session)"
)
_LOGGER_NAME = lazyre.compile(
    r"(^|[._])(log|logger|_log|_logger|LOG|LOGGER|logging)$", re.IGNORECASE
)


def _db(text: str, tag: str | None) -> bool:
    """A DB-API cursor or connection: by its type when that names a DB API, else by its
    name (an application's own `get_db()` helper returns a type the engine cannot see)."""
    if tag and _DB_TAG.search(tag):
        return True
    return (
        bool(_DB_NAME.search(text.removesuffix("()")))
        or text.endswith(".cursor()")
        or "connection" in text
    )


def _logger(text: str, tag: str | None) -> bool:
    if tag and ("getLogger" in tag or tag.startswith("logging")):
        return True
    return bool(_LOGGER_NAME.search(text))  # `current_app.logger`, `self.log`


def _django_manager(text: str, tag: str | None) -> bool:
    return text.endswith(".objects") or ".objects." in text or (tag or "").endswith("QuerySet")


_QUERY_ROOT = lazyre.compile(r"(^|\.)(query\(|select\(|session\.(query|execute|scalars)\()")
# a query narrowed by its builder's methods (`users.order_by(o).offset(n).limit(k)`, or a
# variable assigned one: `users = users.filter(...)`, tagged `….filter`)
_QUERY_BUILDERS = ("filter", "filter_by", "order_by", "offset", "limit", "outerjoin", "group_by")
_QUERY_CHAIN = lazyre.compile(rf"\.({'|'.join(_QUERY_BUILDERS)})\(")


def _orm_query(text: str, tag: str | None) -> bool:
    """A query, result or database handle: an SQLAlchemy query or statement chain
    (`db.session.query(Book).filter(...)`, `session.execute(stmt)`, a query variable
    narrowed by `.filter`/`.order_by`/`.limit`...), a cursor or
    connection (`cur.execute(...)`); by type, or by the shape of the chain."""
    if tag and (
        _DB_TAG.search(tag) or tag.endswith("Query") or tag.rpartition(".")[2] in _QUERY_BUILDERS
    ):
        return True
    return bool(_QUERY_ROOT.search(text) or _QUERY_CHAIN.search(text)) or _db(text, tag)


_LEGACY_QUERY = lazyre.compile(r"((^|\.)query\(|(^|\.)[A-Z]\w*\.query$)")


def _legacy_query(text: str, tag: str | None) -> bool:
    """An SQLAlchemy ORM Query, which runs when its rows are asked for (`.all()`):
    `db.session.query(Book)...`, Flask-SQLAlchemy's `Book.query...`; not a 2.0-style
    `select()`, whose text is reported where the statement is executed."""
    if tag and tag.endswith("Query") and "sqlalchemy" in tag.lower():
        return True
    return bool(_LEGACY_QUERY.search(text))


_FRAME_NAME = lazyre.compile(
    r"(^|[._])(df|frame|dataframe|data_frame|\w+_df|df_\w+)$", re.IGNORECASE
)


def _dataframe(text: str, tag: str | None) -> bool:
    """A pandas DataFrame: by its type (`pd.read_csv(...)`, `pd.DataFrame(...)`), else by a
    name that says so (`df`, `sales_df`, `self.frame`)."""
    if tag:
        return tag.startswith(("pandas.", "geopandas.", "modin.pandas."))
    return bool(_FRAME_NAME.search(text.removesuffix("()")))


def _django_query(text: str, tag: str | None) -> bool:
    """A Django manager or QuerySet (`Book.objects`, `Book.objects.filter(...)`)."""
    return ".objects" in text or text == "objects" or (tag or "").endswith(("QuerySet", "Manager"))


_SERVICE_CLIENT = lazyre.compile(r"^[a-z]+client\.")


def service_client(tag: str | None) -> bool:
    """A client library of another service's API (`cinderclient.client.Client`,
    `novaclient`, `glanceclient`...): its methods are calls to that service, and what they
    return is the service's answer, not the data they were sent (issue 15, point 7)."""
    return bool(tag) and bool(_SERVICE_CLIENT.match(tag))  # type: ignore[arg-type]


def _archive(text: str, tag: str | None) -> bool:
    return bool(tag) and any(t in tag for t in ("tarfile", "zipfile", "TarFile", "ZipFile"))  # type: ignore[operator]


def _tar_archive(text: str, tag: str | None) -> bool:
    """A TarFile: extracts '../' and absolute member names as given (zipfile strips them)."""
    return bool(tag) and ("tarfile" in tag or "TarFile" in tag)  # type: ignore[operator]


def _zip_archive(text: str, tag: str | None) -> bool:
    return bool(tag) and ("zipfile" in tag or "ZipFile" in tag)  # type: ignore[operator]


def _ldap3(text: str, tag: str | None) -> bool:
    return bool(tag) and tag.startswith("ldap3")  # type: ignore[union-attr]


def _ldap_connection(text: str, tag: str | None) -> bool:
    """An ldap3 Connection: by type, or by a name that says LDAP (`ldap_conn`, `self.ldap`)."""
    if tag:
        return tag.startswith("ldap3")
    return "ldap" in text.lower()


def _jinja_env(text: str, tag: str | None) -> bool:
    if "Sandboxed" in (tag or "") or "sandbox" in text.lower():
        return False  # a sandboxed environment is meant for untrusted templates
    return (bool(tag) and "jinja2" in tag) or text.endswith(("env", "environment", "jinja_env"))  # type: ignore[operator]


def _signer(text: str, tag: str | None) -> bool:
    """An itsdangerous serializer or a Django signer (not `json`, `pickle`, `yaml`)."""
    if tag:
        return "itsdangerous" in tag or "signing" in tag
    return text.lower().endswith(("serializer", "signer"))


def _mako_lookup(text: str, tag: str | None) -> bool:
    return (bool(tag) and "mako" in tag) or text.lower().endswith("lookup")  # type: ignore[operator]


def _xpath_evaluator(text: str, tag: str | None) -> bool:
    return bool(tag) and "XPathEvaluator" in tag  # type: ignore[operator]


def _response_headers(text: str, tag: str | None) -> bool:
    """`resp.headers` of a response being built, not the request's headers."""
    if not (text == "headers" or text.endswith(".headers")):
        return False
    owner = text.removesuffix("headers").rstrip(".")
    return owner.rsplit(".", 1)[-1] not in ("request", "req", "environ")


RECEIVERS: dict[str, Callable[[str, str | None], bool]] = {
    "any": lambda text, tag: True,
    "db": _db,
    "logger": _logger,
    "django_manager": _django_manager,
    "orm_query": _orm_query,
    "django_query": _django_query,
    "legacy_query": _legacy_query,
    "dataframe": _dataframe,
    "archive": _archive,
    "tar_archive": _tar_archive,
    "zip_archive": _zip_archive,
    "ldap3": _ldap3,
    "ldap_connection": _ldap_connection,
    "jinja_env": _jinja_env,
    "mako_lookup": _mako_lookup,
    "signer": _signer,
    "response_headers": _response_headers,
    "xpath_evaluator": _xpath_evaluator,
}


# --- sanitizer conditions: does this call neutralise its input? -------------------------
_LINE_BREAKS = frozenset({"\r", "\n"})


def _str_constant(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def doubles_quotes(call: ast.Call) -> bool:
    """`x.replace("'", "''")`: a single quote can no longer end an SQL string literal."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "replace"
        and len(call.args) >= 2
        and _str_constant(call.args[0]) == "'"
        and _str_constant(call.args[1]) == "''"
    )


def strips_crlf(call: ast.Call) -> bool:
    """`x.replace("\\r", "").replace("\\n", " ")` or `re.sub(r"[\\r\\n]", "", x)`: no line
    break survives, so the text cannot start a forged log entry or a new header."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "replace":
        removed = {
            old
            for old, new in _replacements(call)
            if old in _LINE_BREAKS and not _LINE_BREAKS & set(new)
        }
        return removed >= _LINE_BREAKS
    pattern, repl = _str_constant(argument(call, 0, "pattern")), argument(call, 1, "repl")
    replacement = _str_constant(repl)
    if pattern is None or replacement is None or _LINE_BREAKS & set(replacement):
        return False
    try:
        compiled = re.compile(pattern)
    except re.error:
        return False
    return all(compiled.search(ch) for ch in _LINE_BREAKS)


_ANGLES = frozenset({"<", ">"})


def escapes_html(call: ast.Call) -> bool:
    """`x.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")...`: no angle
    bracket survives, so the text cannot open a tag (a project's own `escape_html`)."""
    pairs = _replacements(call)
    if any(_ANGLES & set(new) for _, new in pairs):
        return False  # a replacement that writes a bracket back
    return {old for old, _ in pairs} >= _ANGLES


Fold = Callable[[ast.expr], object]  # the constant an expression folds to (`values.py`)

# path-traversal is cleared in two halves, which may come from different statements (a
# project's own file-name helper): no separator left, and no `..` left (see `summary.PARTS`)
SEPARATORS_GONE = "path-traversal/separators"
DOTS_GONE = "path-traversal/dots"
# a relative path (`not os.path.isabs(p)`, text placed after the program's own): with no
# `..` either, it cannot leave its directory (`summary.PARTS`)
RELATIVE = "path-traversal/relative"


def last_part_clears(call: ast.expr, index: object, fold: Fold) -> frozenset[str]:
    """A piece of a name split at its dots holds no dot, so no `..` (it may still hold a
    `/`): `name.rsplit(".", 1)[-1]`, `name.split(".")[0]`, any piece of a split without a
    limit, `name.rpartition(".")[2]`, `name.partition(".")[0]`."""
    if not isinstance(call, ast.Call) or call.keywords or not isinstance(index, int):
        return frozenset()
    func = call.func
    if not (isinstance(func, ast.Attribute) and call.args and fold(call.args[0]) == "."):
        return frozenset()
    no_dot = False
    if func.attr in ("split", "rsplit"):
        # without a limit every piece; with one, the piece on the side that is cut
        no_dot = len(call.args) == 1 or index == (0 if func.attr == "split" else -1)
    elif func.attr in ("partition", "rpartition") and len(call.args) == 1:
        no_dot = index in ((0, -3) if func.attr == "partition" else (2, -1))
    return frozenset({DOTS_GONE}) if no_dot else frozenset()


def placed_after_text(value: dict, fixed_before: bool) -> dict:
    """Data placed after the program's own text (`stem + "." + ext`, `f"ticket-{n}.{ext}"`)
    is relative there: if it holds no dot either (see `last_part_clears`, maybe in a
    caller), it can make no `..` component."""
    if not fixed_before or not value:
        return value
    return {label: flow._replace(cleared=flow.cleared | _RELATIVE) for label, flow in value.items()}


_RELATIVE = frozenset({RELATIVE})


def _replacements(call: ast.Call) -> list[tuple[str, str]]:
    """The (old, new) pairs of a chain of `.replace(old, new)` calls that replace every
    occurrence (no count), outermost last."""
    pairs: list[tuple[str, str]] = []
    node: ast.expr = call
    while (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "replace"
        and len(node.args) == 2
        and not node.keywords
    ):
        old, new = _str_constant(node.args[0]), _str_constant(node.args[1])
        if old is not None and new is not None:
            pairs.append((old, new))
        node = node.func.value
    return pairs[::-1]


def replace_clears(call: ast.Call, fold: Fold) -> frozenset[str]:
    """What a `.replace` chain takes out for a path: every `/` (a file name cannot leave its
    directory), every `..` (a component cannot climb); `replace("../", "", 1)` is neither
    (`....//` gives `../` back)."""
    kinds: set[str] = set()
    for old, new in _replacements(call):
        if old == "/" and "/" not in new and ".." not in new:
            kinds.add(SEPARATORS_GONE)
        if old == ".." and "." not in new and "/" not in new:
            kinds.add(DOTS_GONE)
    return frozenset(kinds)


def sub_clears(call: ast.Call, fold: Fold) -> frozenset[str]:
    """What `re.sub(pattern, repl, x)` (every match replaced) takes out: separators and
    `..` for a path; with an empty replacement of a negated class (`[^a-z0-9_]`), every
    character but the class's, which rules out the attacks that need others."""
    from secreview.python.taint.checks import charset_clears

    pattern, replacement = _str_constant(argument(call, 0, "pattern")), None
    repl = argument(call, 1, "repl")
    replacement = _str_constant(repl)
    if pattern is None or replacement is None or keyword(call, "count") or len(call.args) > 3:
        return frozenset()
    try:
        compiled = re.compile(pattern)
    except re.error:
        return frozenset()
    kinds: set[str] = set()
    if strips_crlf(call):
        kinds |= {"log-injection", "header-injection"}
    if compiled.search("/") and "/" not in replacement and ".." not in replacement:
        kinds.add(SEPARATORS_GONE)
    if compiled.fullmatch("..") and "." not in replacement and "/" not in replacement:
        kinds.add(DOTS_GONE)
    if not replacement and pattern.startswith("[^") and pattern.rstrip("+*").endswith("]"):
        kept = {chr(c) for c in range(32, 127) if not compiled.fullmatch(chr(c))}
        kept |= {"\n", "\r", "\t"} - {c for c in "\n\r\t" if compiled.fullmatch(c)}
        kinds |= charset_clears(kept)
    return frozenset(kinds)


def join_clears(call: ast.Call, fold: Fold) -> frozenset[str]:
    """`"".join(c for c in x if c in ALLOWED)`: only characters of a constant collection
    are kept, which rules out the attacks that need others."""
    from secreview.python.taint.checks import charset_clears

    func = call.func
    if not (
        isinstance(func, ast.Attribute)
        and isinstance(fold(func.value), str)
        and len(call.args) == 1
        and isinstance(call.args[0], (ast.GeneratorExp, ast.ListComp))
    ):
        return frozenset()
    generator = call.args[0]
    if len(generator.generators) != 1 or not isinstance(generator.elt, ast.Name):
        return frozenset()
    element = generator.elt.id
    for condition in generator.generators[0].ifs:
        if (
            isinstance(condition, ast.Compare)
            and isinstance(condition.left, ast.Name)
            and condition.left.id == element
            and len(condition.ops) == 1
            and isinstance(condition.ops[0], ast.In)
        ):
            allowed = fold(condition.comparators[0])
            if isinstance(allowed, (str, frozenset, tuple)) and all(
                isinstance(c, str) for c in allowed
            ):
                return charset_clears({c for item in allowed for c in item})
    return frozenset()


COMPUTED_CLEARS: dict[str, Callable[[ast.Call, Fold], frozenset[str]]] = {
    "replace_clears": replace_clears,
    "sub_clears": sub_clears,
    "join_clears": join_clears,
}


def _statement_method(call: ast.Call) -> bool:
    """A method called on a statement (`stmt.where(...)`, `select(T).where(...)`), not on
    `self` or one of its fields, whose methods of the same name are the tree's own."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return True  # `select(T)`: a function the spec names by its qualified name
    receiver = func.value
    if isinstance(receiver, ast.Attribute):
        receiver = receiver.value
    return not (isinstance(receiver, ast.Name) and receiver.id in ("self", "cls"))


def binds_values(call: ast.Call) -> bool:
    """`stmt.values(name=x)`, `col.in_(ids)`, `.filter_by(name=x)`: every argument becomes
    a bound parameter (not `mapping.values()`, which takes none)."""
    return _statement_method(call) and bool(call.args or call.keywords)


def binds_expressions(call: ast.Call) -> bool:
    """`select(T).where(T.name.in_(names))`, `.order_by(col.desc())`: the arguments are SQL
    expression objects whose values SQLAlchemy binds as parameters. Not when one is text
    built right here (`.where(f"name = '{x}'")`) or a bare variable that may hold text:
    SQLAlchemy before 1.4 ran a plain string there as SQL. Keywords are flags, or bound
    values (Django's `.filter(name=x)`)."""
    if not _statement_method(call):
        return False
    arguments = [a.value if isinstance(a, ast.Starred) else a for a in call.args]
    return not any(
        builds_text(a) or isinstance(a, (ast.Name, ast.Subscript, ast.JoinedStr, ast.BinOp))
        for a in arguments
    )


def sql_text_arguments(call: ast.Call, default: list[ast.expr], tag_of: TagOf) -> Exprs:
    """`session.query(T).filter("name = '%s'" % x)`, `.order_by(sort)`: a clause given as a
    plain string (text built at the call, or a variable that may hold text), which an
    SQLAlchemy Query before 1.4 ran as SQL; the other arguments are expression objects."""
    found = [
        a.value if isinstance(a, ast.Starred) else a
        for a in call.args
        if builds_text(a.value if isinstance(a, ast.Starred) else a)
        or isinstance(a, (ast.Name, ast.Subscript, ast.JoinedStr, ast.BinOp))
    ]
    return found or None


CONDITIONS["sql_text_arguments"] = sql_text_arguments


def django_row(call: ast.Call) -> bool:
    """`Invoice.objects.get(id=pk)`, `Order.objects.filter(...).latest("date")`: a row a
    Django manager or queryset fetches holds the database's data, which the key only chose
    (as `get_object_or_404` does)."""
    func = call.func
    return isinstance(func, ast.Attribute) and _django_manager(short(func.value), None)


# what builds or holds a file's name (a path), not an open file: type tags of their results
_NAME_TAGS = frozenset(
    {
        TEXT, "builtins.str", "os.fspath", "tempfile.mktemp", "pathlib.Path", "pathlib.PurePath",
        *(f"{m}.{f}" for m in ("os.path", "posixpath", "ntpath")
          for f in ("join", "abspath", "normpath", "realpath", "expanduser")),
    }
)  # fmt: skip


def opened_file(call: ast.Call) -> ast.expr | None:
    """What `gzip.open(x)`, `zipfile.ZipFile(x)`, `tarfile.open(x)` open: a file name or an
    open file object (an upload's stream), as the first argument or by keyword."""
    return argument(call, 0, "filename") or keyword(call, "file") or keyword(call, "name")


def names_a_file(node: ast.expr, tag_of: TagOf) -> bool:
    """A file's name, not an open file: text built here (a literal, an f-string,
    concatenation, `.format`), a path joined (`os.path.join`) or a variable holding one
    (`tag_of` gives a call's or a variable's type tag). What a file of that name holds is
    the file's: the name chose it, not what is in it."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, (ast.JoinedStr, ast.BinOp)) or builds_text(node) or _is_str_call(node):
        return True
    return isinstance(node, (ast.Name, ast.Call)) and tag_of(node) in _NAME_TAGS


SANITIZES: dict[str, Callable[[ast.Call], bool]] = {
    "strips_crlf": strips_crlf,
    "doubles_quotes": doubles_quotes,
    "escapes_html": escapes_html,
    "binds_values": binds_values,
    "binds_expressions": binds_expressions,
    "django_row": django_row,
}


def may_catch(catches: set[str] | tuple[str, ...], raised: set[str] | tuple[str, ...]) -> bool:
    """Whether an `except` naming the classes `catches` may catch an exception whose class
    (with its ancestors) is named in `raised`, as far as names tell: the same name, the
    same last name, or Python's own hierarchy (`except LookupError` catches a KeyError)."""
    if set(raised) & set(catches):
        return True
    if any(builtin_catches(c, n) for c in catches for n in raised):
        return True
    return bool({n.rsplit(".", 1)[-1] for n in raised} & {c.rsplit(".", 1)[-1] for c in catches})


def builtin_catches(handler: str, cls: str) -> bool:
    """`except LookupError` catches a KeyError: Python's own exception hierarchy."""
    base = getattr(builtins, handler.removeprefix("builtins."), None)
    raised = getattr(builtins, cls.removeprefix("builtins."), None)
    return (
        isinstance(base, type)
        and isinstance(raised, type)
        and issubclass(base, BaseException)
        and issubclass(raised, base)
    )


def _predictable_conditions() -> None:
    from secreview.python.taint import predictable

    CONTEXT_CONDITIONS["secret_cookie"] = predictable.secret_cookie
    CONTEXT_CONDITIONS["shared_tmp_path"] = predictable.shared_tmp_path


_predictable_conditions()


def _html_response_conditions() -> None:
    from secreview.python.taint import html_responses

    CONTEXT_CONDITIONS["wfile_html"] = html_responses.wfile_html  # type: ignore[assignment]
    CONTEXT_CONDITIONS["django_body"] = html_responses.django_body  # type: ignore[assignment]
    CONTEXT_CONDITIONS["handler_body"] = html_responses.handler_body  # type: ignore[assignment]
    CONTEXT_CONDITIONS["safe_filtered"] = html_responses.safe_filtered  # type: ignore[assignment]
    RECEIVERS["wfile"] = html_responses.wfile


_html_response_conditions()
