"""Fix texts in the words of the API a finding is in: a Flask app's hard-coded key is fixed
with `app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]`, a Django settings module's
with `DJANGO_SECRET_KEY`; a urllib3 pool gets `cert_reqs`, a requests call `verify=`.

A rule lists its variants (`RuleMeta.fix_by_api`, each a `FixText` naming the qualified-name
prefixes it is for); its plain `fix` stays the text for code whose API cannot be told. A
finding's evidence comes in tiers, most telling first: the API flagged (the call's qualified
name, or the framework a rule names in its Hit), then the modules the file imports; for a
data flow, the sink's call, the sink file's imports, those of the files the data passes
through, then those of the reviewed modules the sink file imports (a `directory` module
wrapping python-ldap). The first tier with a match decides, and within it the rule's order.
A taint rule whose engine text names one framework's API has a neutral text here
(`TAINT_DEFAULT_FIX`) for code whose API cannot be told.

The taint rules' variants are kept here (`TAINT_FIX_TEXTS`) rather than beside their metadata
in `taint/rules/`, which is being rewritten; they move there when it lands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from secreview.model import Finding
from secreview.rules import FixText, RuleMeta, get_rule

_CALLEE = re.compile(r"\s*([A-Za-z_][\w.]*)\s*\(")


def variants(meta: RuleMeta) -> tuple[FixText, ...]:
    return meta.fix_by_api or TAINT_FIX_TEXTS.get(meta.id, ())


def choose(meta: RuleMeta, evidence: Sequence[Iterable[str]], default: str | None = None) -> str:
    """The fix text for a finding of `meta` with this evidence (tiers of qualified names);
    `default` (else the rule's `fix`) when none matches."""
    options = variants(meta)
    if not options:
        return default or meta.fix
    for tier in evidence:
        names = [name for name in tier if name]
        if not names:
            continue
        for option in options:
            if any(_within(name, api) for api in option.apis for name in names):
                return option.text
    return default or meta.fix


def _within(name: str, api: str) -> bool:
    """`name` is `api` or below it; an `api` of `.method` matches any call of that method
    (`conn.search_s`: python-ldap's, whatever `conn` is)."""
    if api.startswith("."):
        return name.endswith(api)
    return name == api or name.startswith(api + ".")


def for_flows(
    findings: Iterable[Finding],
    imports: Mapping[str, frozenset[str]],
    aliases: Mapping[str, Mapping[str, str]],
    modules: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Data-flow findings with the fix text of their sink's API (`imports` and `aliases`: the
    reviewed files' imported modules and module-level import names, by path; `modules`: the
    reviewed files' paths by module name)."""
    modules = modules or {}
    out: list[Finding] = []
    for finding in findings:
        meta = get_rule(finding.rule_id)
        if meta is None or not finding.trace or not variants(meta):
            out.append(finding)
            continue
        sink = finding.location.path
        callee = _callee(finding.trace[-1].note, aliases.get(sink, {}))
        passed = [step.location.path for step in finding.trace]
        wrapped = [modules[m] for m in imports.get(sink, ()) if m in modules]
        tiers = [
            [callee],
            imports.get(sink, ()),
            [name for path in dict.fromkeys(passed) for name in imports.get(path, ())],
            [name for path in wrapped for name in imports.get(path, ())],
        ]
        text = choose(meta, tiers, TAINT_DEFAULT_FIX.get(meta.id))
        out.append(finding if text == finding.fix else replace(finding, fix=text))
    return out


def _callee(note: str, aliases: Mapping[str, str]) -> str:
    """`yaml.load(body, ...) (sink)` -> `yaml.load`, its first name resolved by the file's
    imports (`redirect(...)` -> `flask.redirect`); "" when the note starts with no call."""
    match = _CALLEE.match(note)
    if match is None:
        return ""
    head, _, rest = match.group(1).partition(".")
    qualified = aliases.get(head, head)
    return f"{qualified}.{rest}" if rest else qualified


# --- the taint rules' variants --------------------------------------------------------------
_FLASK = ("flask", "quart", "werkzeug")
_DJANGO = ("django", "rest_framework")
_FASTAPI = ("fastapi", "starlette")

TAINT_DEFAULT_FIX: dict[str, str] = {
    "sql-injection": (
        "Pass the values as bound parameters of the query (the driver's placeholders, or "
        "your ORM's filters) instead of building the statement text from them."
    ),
    "open-redirect": (
        "Redirect only to relative paths or allow-listed hosts: parse the target "
        "(`urllib.parse.urlsplit`) and accept it only without a host, or with one from the "
        "allow-list; otherwise redirect to a fixed page."
    ),
    "xss": (
        "Escape the value (`html.escape()`) before writing it into HTML, or render it "
        "through an autoescaping template; never mark input as safe markup."
    ),
    "template-injection": (
        "Keep the template text constant and pass input as a template variable; for "
        "templates users must write, use a sandboxed environment."
    ),
    "path-traversal": (
        "Reduce the name to a basename (`os.path.basename`) or resolve the path and check it "
        "stays inside the base directory (`Path(base, name).resolve().is_relative_to(base)`)."
    ),
    "ldap-injection": (
        "Escape every value put into a search filter (RFC 4515: `*`, `(`, `)`, `\\`, NUL) "
        "or a DN (RFC 4514) with your LDAP library's escaping function."
    ),
    "xxe": (
        "Parse untrusted XML with defusedxml, or with a parser that resolves no external "
        "entities and makes no network access."
    ),
    "xml-entity-expansion": (
        "Parse documents from outside with defusedxml, which refuses entity declarations, "
        "and limit the input size first."
    ),
}

TAINT_FIX_TEXTS: dict[str, tuple[FixText, ...]] = {
    "sql-injection": (
        FixText(
            ("sqlite3",),
            "Pass the values as parameters with sqlite3's `?` placeholders: "
            '`connection.execute("SELECT id FROM notes WHERE title LIKE ?", (f"%{term}%",))`; '
            "never build the statement text from input.",
        ),
        FixText(
            ("psycopg2", "psycopg", "pymysql", "MySQLdb", "mysql"),
            "Pass the values as parameters with the driver's `%s` placeholders: "
            '`cursor.execute("SELECT id FROM users WHERE name = %s", (name,))`; for names '
            "(tables, columns) use `psycopg2.sql.Identifier` or an allow-list.",
        ),
        FixText(
            ("sqlalchemy", "flask_sqlalchemy"),
            'Bind the values: `session.execute(text("SELECT id FROM users WHERE name = '
            ':name"), {"name": name})`, or build the query with SQLAlchemy\'s expression '
            "language (`select(User).where(User.name == name)`).",
        ),
        FixText(
            _DJANGO,
            "Use the Django ORM (`User.objects.filter(name=name)`), or pass the values as "
            'parameters to raw SQL: `User.objects.raw("SELECT * FROM app_user WHERE name = %s", '
            "[name])`, `cursor.execute(sql, [name])`; never format them into `extra()` or "
            "`RawSQL` text.",
        ),
        FixText(
            ("oslo_db",),
            "Build the query with SQLAlchemy's expression language or bind the values "
            '(`text("... WHERE name = :name").bindparams(name=name)`) instead of formatting '
            "them into the statement.",
        ),
    ),
    "open-redirect": (
        FixText(
            _FLASK,
            "Redirect to your own endpoints with `redirect(url_for('index'))`; for a `next` "
            "parameter, accept only a relative path (`urlsplit(target).netloc == ''` and no "
            "leading `//`) or a host from an allow-list.",
        ),
        FixText(
            _DJANGO,
            "Check the target with `url_has_allowed_host_and_scheme(url, "
            "allowed_hosts={request.get_host()}, require_https=request.is_secure())` before "
            "`redirect()`, and fall back to a fixed URL "
            "(`resolve_url(settings.LOGIN_REDIRECT_URL)`).",
        ),
        FixText(
            _FASTAPI,
            "Redirect to your own routes (`request.url_for('home')`); for a `next` parameter "
            "accept only a relative path (`urlsplit(target).netloc == ''` and no leading `//`) "
            "or a host from an allow-list before `RedirectResponse(target)`.",
        ),
        FixText(
            ("aiohttp", "tornado", "falcon", "pyramid", "webob", "pecan", "bottle"),
            "Accept only a relative path (`urlsplit(target).netloc == ''` and no leading "
            "`//`) or a host from an allow-list before redirecting; otherwise redirect to a "
            "fixed page.",
        ),
    ),
    "xss": (
        FixText(
            _FLASK,
            "Render through a template (`render_template('page.html', name=name)`, which "
            "autoescapes), or escape with `markupsafe.escape(name)` before building HTML; "
            "never wrap input in `Markup`.",
        ),
        FixText(
            _DJANGO,
            "Render through a template (`render(request, 'page.html', {'name': name})`, "
            "which autoescapes), or build the HTML with `format_html('<b>{}</b>', name)`; "
            "never wrap input in `mark_safe`.",
        ),
        FixText(
            _FASTAPI,
            "Return `HTMLResponse` only with escaped text (`html.escape(name)`), or render a "
            "Jinja2 template with autoescaping (`Jinja2Templates`).",
        ),
        FixText(
            ("aiohttp", "tornado", "falcon", "pyramid", "webob", "pecan", "bottle", "cherrypy"),
            "Escape the value with `html.escape()` before writing it into HTML, or render it "
            "through an autoescaping template.",
        ),
    ),
    "template-injection": (
        FixText(
            _FLASK,
            "Keep the template constant and pass input as variables: "
            "`render_template_string('Hello {{ name }}', name=name)`, or a template file with "
            "`render_template`.",
        ),
        FixText(
            _DJANGO,
            "Keep the template constant (a template file, or `Template('Hello {{ name }}')`) "
            "and pass input in the context: `template.render(Context({'name': name}))`.",
        ),
        FixText(
            ("jinja2",),
            "Keep the template constant and pass input as variables: "
            "`env.from_string('Hello {{ name }}').render(name=name)`; for templates users "
            "must write, use `jinja2.sandbox.SandboxedEnvironment`.",
        ),
        FixText(
            ("mako",),
            "Keep the template constant and pass input as variables: "
            "`Template('Hello ${name | h}').render(name=name)`.",
        ),
    ),
    "path-traversal": (
        FixText(
            _FLASK,
            "Serve stored files with `send_from_directory(base_dir, name)`, which refuses names "
            "that leave `base_dir`; reduce uploaded names with `werkzeug.utils.secure_filename`.",
        ),
        FixText(
            _DJANGO,
            "Reduce the name to a basename (`os.path.basename`, `django.utils.text."
            "get_valid_filename`) or resolve the path and check it stays inside the base "
            "directory (`django.utils._os.safe_join(base, name)` raises when it does not); "
            "keep uploads in a `Storage`.",
        ),
        FixText(
            ("aiohttp",),
            "Serve a folder with `app.router.add_static('/files', base_dir)`, or resolve the "
            "path and check it stays inside the base directory "
            "(`Path(base, name).resolve().is_relative_to(base)`).",
        ),
        FixText(
            _FASTAPI,
            "Mount the folder with `StaticFiles(directory=base_dir)`, or resolve the path and "
            "check it stays inside the base directory "
            "(`Path(base, name).resolve().is_relative_to(base)`) before `FileResponse`.",
        ),
    ),
    "code-injection": (
        FixText(
            ("pandas",),
            "Keep the expression constant and refer to values as `@name` "
            '(`df.query("region == @region")`), or filter with a boolean mask '
            "(`df[df[column] == value]`, with `column` from an allow-list).",
        ),
        FixText(
            ("numexpr",),
            "Keep the expression constant and pass the values in `local_dict`; an "
            "expression chosen by the user must come from an allow-list.",
        ),
        FixText(
            ("sympy",),
            "Build expressions from `sympy.Symbol(name)` and operators, or parse with "
            "`parse_expr(text, local_dict={...}, global_dict={})` only after checking the text "
            "against a grammar of your own; `sympify` runs `eval` on its input.",
        ),
        FixText(
            ("PIL",),
            "Use `ImageMath.lambda_eval(lambda args: ..., a=a, b=b)` with a function written "
            "in the source; never evaluate an expression from the user.",
        ),
    ),
    "unsafe-deserialization": (
        FixText(
            ("torch",),
            "Load with `torch.load(f, weights_only=True)` (the default from PyTorch 2.6), or "
            "exchange weights as safetensors (`safetensors.torch.load_file`).",
        ),
        FixText(
            ("yaml",),
            "Load with `yaml.safe_load(data)` (or `Loader=yaml.SafeLoader`): it builds only "
            "plain data, whatever tags the document holds.",
        ),
        FixText(
            ("pickle", "_pickle", "cPickle", "dill", "cloudpickle", "joblib", "shelve"),
            "Exchange data as JSON (`json.loads`); when bytes must come back to you, sign them "
            "(`hmac.compare_digest` on an HMAC, or `itsdangerous`) and verify before "
            "unpickling, or restrict `pickle.Unpickler.find_class` to known classes.",
        ),
        FixText(
            ("jsonpickle",),
            "Decode with `json.loads` into plain data and build your objects yourself; "
            "`jsonpickle.decode` instantiates any class the document names.",
        ),
        FixText(
            ("marshal",),
            "Exchange data as JSON (`json.loads`); `marshal` is for Python's own trusted "
            "bytecode, never for data from outside.",
        ),
    ),
    "xxe": (
        FixText(
            ("lxml",),
            "Parse with `defusedxml.lxml.fromstring(data)`, or with an lxml parser built as "
            "`etree.XMLParser(resolve_entities=False, no_network=True)`.",
        ),
        FixText(
            ("xml",),
            "Parse untrusted XML with defusedxml (`defusedxml.ElementTree.fromstring`, "
            "`defusedxml.minidom.parseString`, `defusedxml.sax`), which refuses external "
            "entities.",
        ),
    ),
    "xml-entity-expansion": (
        FixText(
            ("lxml",),
            "Parse with `defusedxml.lxml` or an lxml parser without `huge_tree=True` and with "
            "`resolve_entities=False`; limit the input size first.",
        ),
        FixText(
            ("xml",),
            "Parse documents from outside with defusedxml (`defusedxml.ElementTree.fromstring`,"
            " `defusedxml.minidom.parseString`), which refuses entity declarations.",
        ),
    ),
    "ldap-injection": (
        FixText(
            ("ldap3",),
            "Escape values with `ldap3.utils.conv.escape_filter_chars(value)` before putting "
            "them into a search filter, and `ldap3.utils.dn.escape_rdn` into a DN.",
        ),
        FixText(
            ("ldap", ".search_s", ".search_st", ".search_ext_s", ".modify_s", ".delete_s"),
            "Build filters with `ldap.filter.filter_format('(uid=%s)', [value])` (or "
            "`ldap.filter.escape_filter_chars`), and DNs with `ldap.dn.escape_dn_chars`.",
        ),
    ),
    "command-injection": (
        FixText(
            ("os.system", "os.popen", "commands", "subprocess.getoutput"),
            "Replace the shell call with `subprocess.run([program, arg, ...])`, an argument "
            "list no shell parses; validate values against an allow-list, or quote each "
            "with `shlex.quote()` if a shell is unavoidable.",
        ),
        FixText(
            ("asyncio",),
            "Use `asyncio.create_subprocess_exec(program, arg, ...)` with an argument list "
            "instead of `create_subprocess_shell`, or quote each value with `shlex.quote()`.",
        ),
        FixText(
            ("subprocess",),
            'Pass an argument list without a shell (`subprocess.run(["ping", "-c", "1", host])`'
            "), validate the value against an allow-list, or quote it with `shlex.quote()` "
            "when a shell is unavoidable.",
        ),
    ),
}
