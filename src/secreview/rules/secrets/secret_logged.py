"""secret-logged: passwords, tokens and keys passed to a logger."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import OPENSTACK, FixText, RuleMeta
from secreview.rules.support.bindings import enclosing_function, producers
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.secrets import describe, secret_kind, value_names

_LEVELS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
)
_MODULE_FUNCTIONS = frozenset(f"logging.{level}" for level in _LEVELS)
_LOGGER_FACTORIES = frozenset(
    {"logging.getLogger", "logging.LoggerAdapter", "oslo_log.log.getLogger"}
    | {"oslo_log.log.KeywordArgumentAdapter", "structlog.get_logger", "structlog.getLogger"}
    | {"loguru.logger"}
)
_LOGGER_WORDS = frozenset({"log", "logger", "logging"})
# Keyword arguments of a logging call that are not logged text.
_NOT_LOGGED = frozenset({"exc_info", "stack_info", "stacklevel"})
# "credentials" may be secrets or, in policy engines, the caller's roles and ids.
_VAGUE = frozenset({"credential", "credentials", "creds"})
_LOGGED_KINDS = frozenset({"password", "secret", "key", "session", "otp"})


@register
class SecretLogged(Rule):
    meta = RuleMeta(
        id="secret-logged",
        cwe=532,
        severity="medium",
        confidence="medium",
        title="Secret written to a log",
        why=(
            "Logs are copied to aggregators, attached to bug reports and readable by far "
            "more people than the credential store; a password, token or key written there "
            "is disclosed to all of them and outlives its rotation."
        ),
        example=(
            'LOG.debug("Authenticating %s with %s", user, password)\n'
            'logger.info(f"token={auth_token}")'
        ),
        fix=(
            "Log that a credential was used, never its value: drop the argument, log an identifier "
            "(user name, key id), or mask it (`'***' + token[-4:]`)."
        ),
        fix_by_api=(
            FixText(
                OPENSTACK,
                (
                    "Log that a credential was used, never its value: drop the argument, log an "
                    "identifier, or mask it with `oslo_utils.strutils.mask_password()` / "
                    "`mask_dict_password()`."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/532.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude",
        ),
    )
    calls = _MODULE_FUNCTIONS
    nodes = (ast.Call,)
    methods = _LEVELS  # `check_node`: calls of a logger's level methods

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        yield from _logged_secrets(call, name.rsplit(".", 1)[1], ctx)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """`LOG.debug(...)`, `self.logger.info(...)` on logger objects."""
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in _LEVELS:
            return
        if ctx.resolve(func) in _MODULE_FUNCTIONS or not _is_logger(func.value, ctx):
            return
        yield from _logged_secrets(node, func.attr, ctx)


def _is_logger(node: ast.AST, ctx: ModuleContext) -> bool:
    """A logger object: made by a logger factory, or named like one (`LOG`, `self._logger`)."""
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
    if name and _LOGGER_WORDS & set(words(name)):
        return True
    return bool(producers(node, ctx) & _LOGGER_FACTORIES)


def _logged_secrets(call: ast.Call, level: str, ctx: ModuleContext) -> Iterable[Hit]:
    arguments = call.args[1:] if level == "log" else call.args
    values = [*arguments, *(k.value for k in call.keywords if k.arg not in _NOT_LOGGED)]
    for value in values:
        for name in value_names(value, ctx):
            kind = secret_kind(name)
            if kind in _LOGGED_KINDS and not _names_a_file(name, call, ctx):
                vague = bool(_VAGUE & set(words(name)))
                yield Hit(
                    call,
                    f"'{name}' ({describe(kind)}) is written to the log: everyone who can "
                    "read the logs gets it"
                    + (
                        " if it holds secrets (policy 'credentials' are roles and ids)"
                        if vague
                        else ""
                    )
                    + ". Log an identifier or a masked value instead.",
                    confidence="low" if vague else None,
                )
                return


# Calls whose first argument is a file's path.
_PATH_CALLS = frozenset(
    {"builtins.open", "io.open", "pathlib.Path", "os.open", "os.stat", "os.path.exists"}
    | {"os.path.isfile", "os.path.getsize", "os.path.abspath", "os.path.realpath"}
)


def _names_a_file(name: str, call: ast.Call, ctx: ModuleContext) -> bool:
    """`name` holds the path of a file, not its content: the module opens it as one
    (`with open(self.ssl_client_key, "rb")`), as an attribute anywhere in the module or as a
    variable in the logging function. Logging where a key is kept reveals no key."""
    paths = ctx.memo.get("secret-logged-paths")
    if paths is None:
        paths = ctx.memo["secret-logged-paths"] = _opened_paths(ctx)
    attributes, variables = paths  # type: ignore[misc]
    if name in attributes:
        return True
    function = enclosing_function(call, ctx)
    return (id(function), name) in variables


def _opened_paths(ctx: ModuleContext) -> tuple[set[str], set[tuple[int, str]]]:
    """Attribute names, and (function, variable) pairs, opened as files in the module."""
    attributes: set[str] = set()
    variables: set[tuple[int, str]] = set()
    for node in ctx.nodes_of(frozenset({ast.Call})):
        assert isinstance(node, ast.Call)
        if not node.args or ctx.resolve(node.func) not in _PATH_CALLS:
            continue
        path = node.args[0]
        if isinstance(path, ast.Attribute):
            attributes.add(path.attr)
        elif isinstance(path, ast.Name):
            variables.add((id(enclosing_function(node, ctx)), path.id))
    return attributes, variables
