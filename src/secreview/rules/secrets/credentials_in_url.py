"""credentials-in-url: connection strings and URLs with a password written into them."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from secreview import lazyre
from secreview.python.context import ModuleContext
from secreview.rules import RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.secrets import is_well_known

# scheme://user:password@host — the whole literal is one URL (no spaces: not a sentence).
_URL = lazyre.compile(
    r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<user>[^:/?#@\s]*):(?P<password>[^@/?#\s]+)@"
    r"(?P<host>[^/?#\s]*)"
)
_FIELD = "\x00"  # stands for an f-string's replacement field
# A password that is a placeholder: a format field, template variable, mask or its own name.
_PLACEHOLDER = lazyre.compile(
    r"^(\x00+|%\(\w+\)s|%s|\{\w*\}|\$\{?\w+\}?|<[^>]*>|\*+|x+|X+|\.\.\.|pass(word)?|passwd"
    r"|secret|changeme|PASSWORD|PASS|SECRET|\[?password\]?)$",
    re.IGNORECASE,
)
# Keyword arguments that describe or document a value rather than use it.
_DOC_KEYWORDS = frozenset({"help", "sample_default", "description", "example", "doc"})


@register
class CredentialsInUrl(Rule):
    meta = RuleMeta(
        id="credentials-in-url",
        cwe=798,
        severity="high",
        confidence="high",
        title="Password written into a URL or connection string",
        why=(
            "A password inside a URL (postgresql://app:s3cret@db/app) is in the source for "
            "everyone to read, and URLs are also logged, shown in tracebacks and error pages, "
            "stored in shell history and sent on in Referer headers."
        ),
        example='engine = create_engine("postgresql://app:s3cret@db.internal/app")',
        fix=(
            "Build the URL at run time from a secret the deployment provides (environment, "
            "oslo.config option with secret=True, a secret store), e.g. "
            "sqlalchemy.engine.URL.create(..., password=os.environ['DB_PASSWORD'])."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/798.html",
            "https://datatracker.ietf.org/doc/html/rfc3986#section-3.2.1",
        ),
    )
    nodes = (ast.Constant, ast.JoinedStr)
    triggers = frozenset({"://"})  # in one string (an f-string's literal parts are merged)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        if isinstance(node, ast.Constant):
            text = node.value
            if not isinstance(text, str) or "://" not in text or "@" not in text:
                return  # most strings: tested before anything costs more
            if isinstance(ctx.parent(node), ast.JoinedStr):
                return  # f-string parts are read with their string
        else:
            assert isinstance(node, ast.JoinedStr)
            text = "".join(
                v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else _FIELD
                for v in node.values
            )
            if "://" not in text or "@" not in text:
                return
        if _is_documentation(node, ctx):
            return
        match = _URL.match(text.strip())
        if match is None:
            return
        password = match.group("password")
        if _PLACEHOLDER.match(password) or _FIELD in password:
            return
        user = match.group("user")
        weak = password == user or is_well_known(password)
        yield Hit(
            node,
            f"This {match.group('scheme')} URL carries the password of "
            f"'{user or '(no user)'}' in the source"
            + (" (a well-known default)" if weak else "")
            + ": it is readable by anyone with the code and ends up in logs and tracebacks.",
            confidence="medium" if weak else None,
        )


def _is_documentation(node: ast.AST, ctx: ModuleContext) -> bool:
    """Docstrings and `help=` texts show example URLs; they are not used to connect."""
    parent = ctx.parent(node)
    if isinstance(parent, ast.keyword) and parent.arg in _DOC_KEYWORDS:
        return True
    return isinstance(parent, ast.Expr)  # a bare string statement: a docstring
