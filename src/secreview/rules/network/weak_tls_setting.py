"""weak-tls-setting: TLS settings that look as if they verify but do not (issue 17, shape 6).

`tls-verification-disabled` reports verification turned off in so many words (`verify=False`,
`CERT_NONE`). This rule reports settings whose reader believes they verify:

- a string setting (an environment variable, a ConfigParser value, `.get(key, 'true')`) used
  as a boolean: passed straight as `verify=` (requests reads a string as the path of a CA
  bundle: `'false'` fails, `''` turns verification off), as `insecure=` (`'false'` is a
  non-empty string, so true), negated (`verify=not skip`), or truth-tested in an `if` whose
  branch turns verification off when a non-empty string such as `'false'` or `'0'` is set, or
  when the setting is left unset;
- `ssl.CERT_OPTIONAL` (or `True`, which is it) as the verify mode of a server's socket: a
  client that sends no certificate is let in; on a client's socket it means CERT_REQUIRED and
  is no defect, so it is not reported there;
- `False` (or `0`) where a verify mode is expected (`cert_reqs=False`,
  `ctx.verify_mode = False`): that is CERT_NONE.

Quiet: a string compared (`== 'true'`, `in ('1', 'yes')`), converted (`strtobool`,
`getboolean`), a setting named for a CA bundle (`REQUESTS_CA_BUNDLE`, `ca_file`), a truth
test whose unverified branch is taken only when the setting is empty while it defaults to a
non-empty value (the operator cannot turn verification off by writing `'false'`: a usability
bug, not a security one), CERT_REQUIRED, and CERT_OPTIONAL on a client.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from secreview.python.context import ModuleContext, keyword, within
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import assigned_values, enclosing_function, scope_nodes
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register

# Keywords and attributes that take a verification flag (requests, httpx, aiohttp,
# elasticsearch, keystoneauth) and those whose truth turns verification off.
_VERIFY_FLAGS = frozenset({"verify", "verify_ssl", "ssl_verify", "verify_certs", "tls_verify"})
_INSECURE_FLAGS = frozenset({"insecure", "ssl_insecure", "tls_insecure", "skip_verify"})
# Words of a setting that is a verification switch, of one that is the switch's opposite,
# and of one that names a CA bundle or a certificate file (a path, rightly passed to verify=).
_FLAG_WORDS = frozenset(
    {"verify", "verification", "verified", "unverified", "noverify", "insecure"}
    | {"validate", "validation", "validated"}
)
_NEGATIVE_WORDS = frozenset({"insecure", "unverified", "noverify", "skip", "disable", "no"})
_PATH_WORDS = frozenset(
    {"ca", "cafile", "capath", "cacert", "bundle", "path", "file", "pem", "crt", "dir"}
    | {"directory", "location", "certfile", "cert", "certs"}
)
_BOOL_WORDS = frozenset({"", "true", "false", "yes", "no", "on", "off", "1", "0", "y", "n"})
_ENV_GETS = frozenset({"os.environ.get", "os.getenv", "os.environb.get"})
_ENVIRON = frozenset({"os.environ", "os.environb"})
_CONFIG_PARSERS = frozenset(
    {"configparser.ConfigParser", "configparser.RawConfigParser", "configparser.SafeConfigParser"}
)
_STRING_METHODS = frozenset({"lower", "upper", "strip", "lstrip", "rstrip", "casefold"})
_UNVERIFIED = frozenset({"ssl._create_unverified_context", "ssl._create_stdlib_context"})
_CERT_NONE = frozenset({"ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE"})
_CERT_OPTIONAL = frozenset({"ssl.CERT_OPTIONAL", "ssl.VerifyMode.CERT_OPTIONAL"})
_SERVER_NAMES = frozenset({"ssl.PROTOCOL_TLS_SERVER", "ssl.Purpose.CLIENT_AUTH"})
_UNSET = object()  # a setting read with no default: None when unset
_REQUIRED = object()  # os.environ[KEY]: no value unless set


def _fix(setting: _Setting) -> str:
    """The right form: the string made a boolean, defaulting to verifying."""
    default = "false" if setting.negative else "true"
    return (
        "Turn the string into a boolean before it decides, defaulting to verifying: "
        f"`os.environ.get('{setting.key}', '{default}').lower() in ('1', 'true', 'yes')`, "
        f"`parser.getboolean(section, '{setting.key}')` or `strtobool(...)`; a CA bundle "
        "goes to verify= from a setting named for it (`REQUESTS_CA_BUNDLE`)."
    )


@dataclass(frozen=True, slots=True)
class _Setting:
    """A string setting read: its key, the expression read and its default (or a marker)."""

    key: str
    default: object  # a str, _UNSET or _REQUIRED

    @property
    def negative(self) -> bool:
        return bool(_NEGATIVE_WORDS & set(words(self.key)))

    @property
    def defaults_empty(self) -> bool:
        return self.default is _UNSET or self.default == ""

    def shown(self) -> str:
        if isinstance(self.default, str):
            return f"'{self.key}' (default {self.default!r})"
        return f"'{self.key}'" + (" (no default)" if self.default is _UNSET else "")


@register
class WeakTlsSetting(Rule):
    meta = RuleMeta(
        id="weak-tls-setting",
        cwe=295,
        severity="high",
        confidence="medium",
        title="TLS setting that looks as if it verifies but does not",
        why=(
            "The code means to verify certificates but the setting does not say so: a string "
            "such as 'false' or '0' is true in Python (and to requests a string verify= is a "
            "CA bundle path, an empty one turning verification off), CERT_OPTIONAL lets a "
            "client without a certificate into a server, and False as a verify mode is "
            "CERT_NONE. Anyone on the network path can then impersonate the peer."
        ),
        example=(
            "requests.get(url, verify=os.environ.get('VERIFY_SSL', 'true'))\n"
            "if os.environ.get('SSL_INSECURE'):\n    session.verify = False\n"
            "server_ctx.verify_mode = ssl.CERT_OPTIONAL"
        ),
        fix=(
            "Convert a string setting to a boolean before it decides "
            "(`os.environ.get('VERIFY_SSL', 'true').lower() in ('1', 'true', 'yes')`, "
            "`parser.getboolean(...)`), default to verifying, pass a CA bundle from a setting "
            "named for it; use ssl.CERT_REQUIRED on a server that authenticates clients by "
            "certificate."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/295.html",
            "https://docs.python.org/3/library/ssl.html#ssl.SSLContext.verify_mode",
            "https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification",
        ),
    )
    nodes = (ast.Call, ast.Assign, ast.If, ast.IfExp)
    triggers = frozenset(
        {"verify", "insecure", "cert_reqs", "verify_mode", "cert_optional", "validat"}
    )
    triggers_ignore_case = True

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        if isinstance(node, ast.Call):
            yield from _keywords(node, ctx)
        elif isinstance(node, ast.Assign):
            yield from _assignment(node, ctx)
        else:
            assert isinstance(node, (ast.If, ast.IfExp))
            yield from _truth_test(node, ctx)


# --- string settings ---------------------------------------------------------------------


def _setting(node: ast.AST | None, ctx: ModuleContext, depth: int = 0) -> _Setting | None:
    """The string setting `node` holds, when it is one named as a verification switch."""
    found = _read(node, ctx, depth)
    if found is None:
        return None
    parts = set(words(found.key))
    if not parts & _FLAG_WORDS or parts & _PATH_WORDS:
        return None
    return found


def _read(node: ast.AST | None, ctx: ModuleContext, depth: int) -> _Setting | None:
    if node is None or depth > 3:
        return None
    if isinstance(node, ast.Subscript) and ctx.resolve(node.value) in _ENVIRON:
        key = ctx.constant_value(node.slice)
        return _Setting(key, _REQUIRED) if isinstance(key, str) else None
    if isinstance(node, ast.Name):
        return _name(node, ctx, depth)
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    func = node.func
    if func.attr in _STRING_METHODS and not node.args:
        return _read(func.value, ctx, depth + 1)
    name = ctx.resolve(func)
    args = [ctx.constant_value(a) for a in node.args]
    if name in _ENV_GETS and args and isinstance(args[0], str):
        default = keyword(node, "default")
        return _Setting(args[0], _default(node.args[1] if len(node.args) > 1 else default, ctx))
    if func.attr != "get" or not args:
        return None
    if _config_parser(func.value, ctx) and len(args) >= 2 and isinstance(args[1], str):
        return _Setting(args[1], _default(keyword(node, "fallback"), ctx))
    strings = len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], str)
    if strings and str(args[1]).lower() in _BOOL_WORDS:  # conf.get("verify_ssl", "true")
        return _Setting(str(args[0]), args[1])
    return None


def _default(node: ast.AST | None, ctx: ModuleContext) -> object:
    if node is None:
        return _UNSET
    value = ctx.constant_value(node)
    return value if isinstance(value, str) else (_UNSET if value is None else _REQUIRED)


def _name(node: ast.Name, ctx: ModuleContext, depth: int) -> _Setting | None:
    """A name bound once to a setting, or a parameter whose default reads one."""
    values = assigned_values(node.id, node, ctx)
    if len(values) == 1 and values[0] is not node:
        return _read(values[0], ctx, depth + 1)
    function = enclosing_function(node, ctx)
    if values or function is None or isinstance(function, ast.Lambda):
        return None
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaults = dict(
        zip(
            [a.arg for a in positional[len(positional) - len(args.defaults) :]],
            args.defaults,
            strict=True,
        )
    )
    defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d})
    default = defaults.get(node.id)
    return _read(default, ctx, depth + 1) if default is not None else None


def _config_parser(node: ast.AST, ctx: ModuleContext) -> bool:
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        return len(values) == 1 and _config_parser(values[0], ctx)
    return isinstance(node, ast.Call) and ctx.resolve(node.func) in _CONFIG_PARSERS


def _negated_setting(node: ast.AST, ctx: ModuleContext) -> _Setting | None:
    """`not skip`, `not os.environ.get('INSECURE')`: a string setting negated."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return _setting(node.operand, ctx)
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        if len(values) == 1 and values[0] is not node:
            return _negated_setting(values[0], ctx)
    return None


# --- where the setting goes ----------------------------------------------------------------


def _keywords(call: ast.Call, ctx: ModuleContext) -> Iterator[Hit]:
    for kw in call.keywords:
        if kw.arg in _VERIFY_FLAGS or kw.arg in _INSECURE_FLAGS:
            hit = _flag_value(call, kw.arg, kw.value, ctx)
            if hit is not None:
                yield hit
                return
        elif kw.arg in ("cert_reqs", "ssl_cert_reqs"):
            hit = _verify_mode(call, f"{kw.arg}=", kw.value, _server_side(call, ctx), ctx)
            if hit is not None:
                yield hit
                return


def _assignment(node: ast.Assign, ctx: ModuleContext) -> Iterator[Hit]:
    for target in node.targets:
        if not isinstance(target, ast.Attribute):
            continue
        if target.attr in _VERIFY_FLAGS or target.attr in _INSECURE_FLAGS:
            hit = _flag_value(node, f".{target.attr}", node.value, ctx, attribute=True)
        elif target.attr == "verify_mode":
            hit = _verify_mode(node, ".verify_mode = ", node.value, _server_side(node, ctx), ctx)
        else:
            continue
        if hit is not None:
            yield hit
            return


def _flag_value(
    at: ast.AST, flag: str, value: ast.expr, ctx: ModuleContext, attribute: bool = False
) -> Hit | None:
    """A string setting given straight to a verification flag, or negated into one."""
    name = flag.lstrip(".")
    where = f"`{flag} = `" if attribute else f"`{flag}=`"
    setting = _setting(value, ctx)
    if setting is not None:
        if name in _INSECURE_FLAGS:
            why = (
                f"{where} gets the string setting {setting.shown()}: any non-empty string, "
                "'false' and '0' included, is true, so setting it to 'false' turns "
                "verification off."
            )
            return Hit(at, why + " " + _fix(setting))
        why = (
            f"{where} gets the string setting {setting.shown()} as it is: requests reads a "
            "string verify= as the path of a CA bundle, so 'true' or 'false' names no file "
            "and every request fails, while an empty value turns verification off; a client "
            "that takes it as a flag finds 'false' true. " + _fix(setting)
        )
        return Hit(at, why, severity="medium")
    negated = _negated_setting(value, ctx)
    if negated is not None and name in _VERIFY_FLAGS and negated.negative:
        return Hit(
            at,
            f"{where} is `not` the string setting {negated.shown()}: any non-empty value, "
            "'false' and '0' included, is true, so setting it to 'false' turns verification "
            "off. " + _fix(negated),
        )
    return None


def _verify_mode(
    at: ast.AST, where: str, value: ast.expr, server: bool, ctx: ModuleContext
) -> Hit | None:
    """`False`/`0` (CERT_NONE) anywhere; CERT_OPTIONAL (or `True`, `1`) on a server."""
    constant = _mode_constant(value, ctx)
    if constant is not None and constant is not True and constant == 0:
        return Hit(
            at,
            f"{where}{ast.unparse(value)} is a boolean or number where a verify mode is "
            "expected: it is ssl.CERT_NONE (0), so no certificate is checked; anyone on "
            "the network path can impersonate the peer.",
        )
    optional = constant is True or constant == 1 or _is_optional(value, ctx)
    if optional and server:
        shown = ast.unparse(value)
        extra = "" if _is_optional(value, ctx) else f" ({shown} is CERT_OPTIONAL, 1)"
        return Hit(
            at,
            f"{where}{shown}{extra} on a server's socket asks clients for a certificate but "
            "lets in those that send none: a client certificate that authenticates is not "
            "required. Use ssl.CERT_REQUIRED.",
            severity="medium",
        )
    return None


def _mode_constant(value: ast.expr, ctx: ModuleContext) -> object:
    found = ctx.constant_value(value)
    if found is NotImplemented and isinstance(value, ast.Name):
        values = assigned_values(value.id, value, ctx)
        if len(values) == 1 and values[0] is not value:
            found = ctx.constant_value(values[0])
    return found if isinstance(found, (bool, int)) else None


def _is_optional(value: ast.expr, ctx: ModuleContext) -> bool:
    if isinstance(value, ast.Name):
        values = assigned_values(value.id, value, ctx)
        if len(values) == 1 and values[0] is not value:
            value = values[0]
    if ctx.resolve(value) in _CERT_OPTIONAL:
        return True
    text = ctx.constant_value(value)
    return isinstance(text, str) and text.upper() in ("CERT_OPTIONAL", "OPTIONAL")


def _server_side(node: ast.AST, ctx: ModuleContext) -> bool:
    """The socket is a server's: `server_side=True`, or the function makes a server's
    context (`ssl.PROTOCOL_TLS_SERVER`, `create_default_context(ssl.Purpose.CLIENT_AUTH)`)."""
    scope = enclosing_function(node, ctx)
    for item in scope_nodes(scope) if scope is not None else ast.walk(node):
        if isinstance(item, ast.keyword) and item.arg == "server_side":
            if ctx.constant_value(item.value) is True:
                return True
        elif isinstance(item, ast.Attribute) and ctx.resolve(item) in _SERVER_NAMES:
            return True
    return False


# --- truth tests ---------------------------------------------------------------------------


def _truth_test(node: ast.If | ast.IfExp, ctx: ModuleContext) -> Iterator[Hit]:
    """`if os.environ.get('INSECURE'):` turning verification off: reported when a
    non-empty value ('false', '0') turns it off, or when the setting, left unset, does."""
    if isinstance(node, ast.If) and not _may_turn_off(node, ctx):
        return  # neither branch turns verification off
    tested = _tested(node.test, ctx)
    if tested is None:
        return
    setting, positive = tested
    body_off = _turns_off(node.body, ctx)
    else_off = _turns_off(node.orelse, ctx)
    if body_off == else_off:
        return
    off_when_truthy = body_off == positive
    test = ast.unparse(node.test)
    if off_when_truthy:
        yield Hit(
            node.test,
            f"`{test}` truth-tests the string setting {setting.shown()}: any non-empty value, "
            "'false' and '0' included, is true, so writing 'false' turns verification off. "
            + _fix(setting),
        )
    elif setting.defaults_empty:
        yield Hit(
            node.test,
            f"`{test}` truth-tests the string setting {setting.shown()}, which defaults to "
            "empty: left unset, verification is off. " + _fix(setting),
        )


def _tested(test: ast.expr, ctx: ModuleContext) -> tuple[_Setting, bool] | None:
    """The string setting a test truth-tests, and whether the test is true when it is."""
    positive = True
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, positive = test.operand, not positive
    if isinstance(test, ast.Call) and ctx.resolve(test.func) == "builtins.bool" and test.args:
        test = test.args[0]
    setting = _setting(test, ctx)
    return None if setting is None else (setting, positive)


# what a statement that `_turns_off` verification names: a keyword or a target of
# `_VERIFY_FLAGS` (all hold "verify"), `ssl=`, `_INSECURE_FLAGS` ("insecure", "skip_verify"),
# `check_hostname`, or the last part of a name of `_CERT_NONE` or `_UNVERIFIED`
_OFF_WORDS = ("verify", "ssl", "insecure", "check_hostname", "CERT_NONE", "_create_")
_OFF_TEXT = re.compile("|".join(_OFF_WORDS))


def _may_turn_off(node: ast.If, ctx: ModuleContext) -> bool:
    """Whether a branch of the `if` may turn verification off: one of its lines names what
    `_turns_off` looks for (the lines that do are listed once per module). The test of
    every `if` of a module that says "verify" reads the bindings of its function."""
    lines = ctx.memo.get(_may_turn_off)
    if lines is None:
        lines = ctx.memo[_may_turn_off] = _off_lines(ctx)
    return lines is _EVERY_LINE or within(lines, node)  # type: ignore[arg-type]


_EVERY_LINE: list[int] = []


def _off_lines(ctx: ModuleContext) -> list[int]:
    """The lines of the module that name one of `_OFF_WORDS`; `_EVERY_LINE` where a name
    can stand for `ssl.CERT_NONE` without saying so (`from ssl import CERT_NONE as NONE`)
    or the parser may read a name other than written (non-ASCII text)."""
    targets = _CERT_NONE | _UNVERIFIED
    if any(a in targets for a in ctx.symbols.all_aliases()) or not ctx.source.text.isascii():
        return _EVERY_LINE
    text = ctx.source.text
    lines: list[int] = []
    line, at = 1, 0
    for found in _OFF_TEXT.finditer(text):  # one search of the text, counting lines on
        line += text.count("\n", at, found.start())
        at = found.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _turns_off(branch: ast.AST | list[ast.stmt], ctx: ModuleContext) -> bool:
    """Does the branch turn verification off (verify=False, CERT_NONE, check_hostname =
    False, an unverified context)?"""
    items = branch if isinstance(branch, list) else [branch]
    for item in items:
        for node in ast.walk(item):
            if isinstance(node, ast.Constant) and node.value is False and item is node:
                return True  # `True if s else False` given to a flag
            if isinstance(node, ast.keyword) and node.arg in _VERIFY_FLAGS | {"ssl"}:
                if ctx.constant_value(node.value) is False:
                    return True
            elif isinstance(node, ast.keyword) and node.arg in _INSECURE_FLAGS:
                if ctx.constant_value(node.value) is True:
                    return True
            elif isinstance(node, ast.Assign) and ctx.constant_value(node.value) is False:
                for target in node.targets:
                    name = target.attr if isinstance(target, ast.Attribute) else None
                    name = target.id if isinstance(target, ast.Name) else name
                    if name and (name in _VERIFY_FLAGS or name == "check_hostname"):
                        return True
            elif (
                isinstance(node, (ast.Attribute, ast.Name))
                and isinstance(node.ctx, ast.Load)
                and ctx.resolve(node) in _CERT_NONE | _UNVERIFIED
            ):
                return True
    return False
