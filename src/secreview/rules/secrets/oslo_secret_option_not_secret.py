"""oslo-secret-option-not-secret: configuration options holding secrets, logged in clear."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from secreview import lazyre
from secreview.python.context import ModuleContext, argument, has_kwargs_splat, keyword
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import constant_string
from secreview.rules.support.keyword_fix import set_keyword
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register

_OPTION_CLASSES = ("StrOpt", "Opt", "MultiStrOpt", "ListOpt", "URIOpt", "DictOpt")
_OPTIONS = frozenset(
    {f"oslo_config.cfg.{c}" for c in _OPTION_CLASSES}
    | {f"oslo_config.{c}" for c in _OPTION_CLASSES}
    # keystoneauth's plugin options take secret= too (password, token, ...)
    | {"keystoneauth1.loading.Opt", "keystoneauth1.loading.opts.Opt"}
)
# Last words that name the secret itself: `admin_password`, `auth_token`, `secret_key`.
_SECRET_WORDS = frozenset({"password", "passwd", "passphrase", "secret", "token", "credential"})
_SECRET_WORDS |= {"credentials", "psk"}
# `*_key` is key material unless the word before says otherwise (`public_key`, `key_name`
# ends with "name" and never gets here).
_NOT_SECRET_KEYS = frozenset({"public", "pub", "host", "ssh", "routing", "partition", "api"})
_NOT_SECRET_KEYS |= {"primary", "foreign", "sort", "cache", "dict", "hash", "index", "lookup"}
# Whole names that hold credentials though no word says so.
_SECRET_NAMES = frozenset({"transport_url"})


@register
class OsloSecretOptionNotSecret(Rule):
    meta = RuleMeta(
        id="oslo-secret-option-not-secret",
        cwe=532,
        severity="medium",
        confidence="high",
        title="Secret configuration option not marked secret=True",
        why=(
            "oslo.config prints every option's value when a service logs its configuration "
            "(CONF.log_opt_values at startup, in debug logs, in the Guru Meditation report) "
            "and masks only options declared secret=True; a password or key option without "
            "it lands in log files and log pipelines in clear text."
        ),
        example="cfg.StrOpt('admin_password', help='Password of the admin user')",
        fix="Declare the option with secret=True: cfg.StrOpt('admin_password', secret=True).",
        references=(
            "https://cwe.mitre.org/data/definitions/532.html",
            "https://docs.openstack.org/oslo.config/latest/reference/defining.html",
        ),
        fixable=True,
    )
    calls = _OPTIONS

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        option = constant_string(argument(call, 0, "name"), ctx)
        if option is None:
            return
        secret = keyword(call, "secret")
        if secret is not None:
            if ctx.constant_value(secret) is not False:
                return  # secret=True, or a value decided elsewhere
        elif has_kwargs_splat(call):
            return  # secret may come in **kwargs
        what = _option_kind(option)
        if what is None or _names_a_location(call, what, ctx):
            return
        cls = name.rsplit(".", 1)[-1]
        # the tree's reads of the option decide (`support/option_uses.py`): a key option
        # read only as a file name holds none; one no code reads, with nothing but its name
        # to say what it holds, is a hint
        yield Hit(
            call,
            f"{cls}('{option}') holds {what} but is not secret=True; oslo.config logs its value "
            "in clear text whenever the service logs its configuration.",
            confidence="medium" if what == "key material" else None,
            fixes=set_keyword(ctx, call, "secret", "True", "Mark the option secret=True"),
            option=option,
            named_only=not _help_says(call, what, ctx),
        )


# Help text saying the value is where a secret is, or which code handles it: `key_path`
# spelt `ssl_key` ("The path to the client key PEM file"), keystone's [auth] `password`
# ("Entry point for the password auth plugin").
_LOCATION_WORDS = lazyre.compile(r"\b(file|files|filename|path|directory|entry ?point)\b", re.I)
_HANDLER_WORDS = lazyre.compile(r"\b(pem|plugin|driver|backend)\b", re.I)


def _names_a_location(call: ast.Call, what: str, ctx: ModuleContext) -> bool:
    default = constant_string(keyword(call, "default"), ctx)
    if default and default.startswith(("/", "~/", "./")):
        return True
    text = _help_text(call)
    if not text:
        return False
    if _LOCATION_WORDS.search(text):
        return True
    return what in ("key material", "a token") and bool(_HANDLER_WORDS.search(text))


_KIND_WORDS = {
    "a password": lazyre.compile(r"\b(password|passphrase|passwd)s?\b", re.I),
    "a token": lazyre.compile(r"\btokens?\b", re.I),
    "key material": lazyre.compile(
        r"\b(private|secret|signing|encryption|hmac|shared) keys?\b", re.I
    ),
}
_SECRET_HELP = lazyre.compile(r"\b(secret|credentials?|password|passphrase)s?\b", re.I)


def _help_says(call: ast.Call, what: str, ctx: ModuleContext) -> bool:
    """The option's help text says what its name does (`help="Password of the DB user"`):
    evidence beyond the name."""
    text = _help_text(call)
    pattern = _KIND_WORDS.get(what, _SECRET_HELP)
    return bool(pattern.search(text) or _SECRET_HELP.search(text))


def _help_text(call: ast.Call) -> str:
    help_node = keyword(call, "help")
    if help_node is None:
        return ""
    return " ".join(
        n.value
        for n in ast.walk(help_node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    )


def _option_kind(option: str) -> str | None:
    """'a password', 'a token', 'key material', … for a secret option name, else None."""
    parts = words(option)
    if not parts:
        return None
    if option in _SECRET_NAMES:
        return "a URL with credentials"
    last = parts[-1]
    if last in _SECRET_WORDS:
        return f"a {last.removesuffix('s')}" if last != "passwd" else "a password"
    if last == "key" and len(parts) > 1 and parts[-2] not in _NOT_SECRET_KEYS:
        return "key material"
    return None
