"""Which names hold secrets, which literals are not secrets, and where a value ends up.

The secret rules (hardcoded-password/-secret, insecure-random-for-security, secret-logged,
weak-hash-for-security, fast-password-hash) decide from names, as a reviewer does. A name
holds a secret when its *last* meaningful word says so: `db_password`, `auth_token`,
`api_key`, `session_id` do; `password_length`, `token_type`, `token_ttl`, `key_name`,
`secret_ref` do not (they end with the word that says what they are). Words like `key`,
`code`, `id` and `pass` count only after a qualifier (`api_key`, `reset_code`,
`session_id`, `db_pass`): a bare `key` is a dict key, `code` a status, `first_pass` a loop.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import Literal

from secreview import lazyre
from secreview.python.context import ModuleContext
from secreview.rules.support.bindings import assigned_values, call_name
from secreview.rules.support.names import words
from secreview.rules.support.webconfig import fallback, is_env_lookup

Kind = Literal["password", "secret", "key", "session", "otp", "nonce", "salt", "signature"]

_ALWAYS: dict[str, Kind] = {
    "password": "password",
    "passwd": "password",
    "pwd": "password",
    "passphrase": "password",
    "passcode": "password",
    "pw": "password",
    "secret": "secret",
    "secrets": "secret",
    "token": "secret",
    "tokens": "secret",
    "apikey": "secret",
    "credential": "secret",
    "credentials": "secret",
    "creds": "secret",
    "privkey": "key",
    "csrf": "secret",
    "xsrf": "secret",
    "sessionid": "session",
    "otp": "otp",
    "totp": "otp",
    "hotp": "otp",
    "nonce": "nonce",
    "salt": "salt",
    "signature": "signature",
}
# `<qualifier>_key`: which qualifiers make a key secret, and of which kind.
_KEY_QUALIFIERS: dict[str, Kind] = {
    **dict.fromkeys(("api", "access", "client", "app", "consumer", "license"), "secret"),
    **dict.fromkeys(("secret", "auth", "session", "master", "shared", "jwt"), "secret"),
    **dict.fromkeys(
        (
            "private",
            "encryption",
            "encrypt",
            "decryption",
            "crypt",
            "crypto",
            "cipher",
            "aes",
            "des",
            "signing",
            "sign",
            "hmac",
            "mac",
            "fernet",
            "symmetric",
            "wrapping",
            "kek",
            "dek",
        ),
        "key",
    ),
}
_CODE_QUALIFIERS = frozenset(
    {
        "verification",
        "verify",
        "reset",
        "confirm",
        "confirmation",
        "otp",
        "activation",
        "recovery",
        "backup",
        "invite",
        "invitation",
        "auth",
        "authorization",
        "mfa",
        "sms",
        "login",
        "security",
        "access",
    }
)
_ID_QUALIFIERS = frozenset({"session", "sess"})
_PASS_QUALIFIERS = frozenset(
    {
        "db",
        "user",
        "admin",
        "root",
        "login",
        "auth",
        "mysql",
        "sql",
        "ftp",
        "smtp",
        "mail",
        "proxy",
        "ldap",
        "bind",
        "rabbit",
        "redis",
        "ssh",
        "basic",
        "account",
        "default",
        "sudo",
        "vnc",
    }
)
# Trailing words that name a representation of the same value: `password_bytes`, `token_hex`.
_REPRESENTATIONS = frozenset(
    {"str", "string", "bytes", "b", "hex", "value", "val", "text", "raw", "plain"}
    | {"plaintext", "encoded", "b64", "base64", "utf8", "bin", "clear", "cleartext"}
)


@lru_cache(maxsize=1 << 16)  # a large project has tens of thousands of names
def secret_kind(name: str | None) -> Kind | None:
    """What secret a name holds, judged by its last meaningful word; None if none."""
    if not name:
        return None
    parts = words(name)
    while len(parts) > 1 and parts[-1] in _REPRESENTATIONS:
        parts.pop()
    if not parts:
        return None
    last = parts[-1]
    before = parts[-2] if len(parts) > 1 else ""
    if last in _ALWAYS:
        return _ALWAYS[last]
    if last in ("key", "keys"):
        return _KEY_QUALIFIERS.get(before)
    if last == "code" and before in _CODE_QUALIFIERS:
        return "otp"
    if last == "id" and before in _ID_QUALIFIERS:
        return "session"
    if last == "pass" and before in _PASS_QUALIFIERS:
        return "password"
    return None


_LABELS: dict[Kind, str] = {
    "password": "a password",
    "secret": "a secret",
    "key": "a key",
    "session": "a session id",
    "otp": "a one-time code",
    "nonce": "a nonce",
    "salt": "a salt",
    "signature": "a signature",
}


def describe(kind: Kind) -> str:
    """`"otp"` -> "a one-time code", for messages."""
    return _LABELS[kind]


def is_password_name(name: str | None) -> bool:
    return secret_kind(name) == "password"


# --- literals that are not secrets ---------------------------------------------------------
# Filled in later: `%(password)s`, `{password}`, `${DB_PASS}`, `<password>`, `{{ secret }}`.
_TEMPLATE = lazyre.compile(r"%\(\w+\)[sdr]|%[sd]|\{[\w.\[\]]*\}|\$\{?\w+\}?|<[^<>]+>|\{\{.*\}\}")
# Masks shown instead of a secret: `***`, `xxxx`, `REDACTED`, `<hidden>`.
# The word may be set off by punctuation: `__CENSORED__`, `[REDACTED]`, `**hidden**`.
_MASK = lazyre.compile(
    r"^(\*+|x+|X+|\.+|-+|#+|_+|\?+|•+)$|^[_*#\[(<{-]*(redacted|hidden|masked|censored"
    r"|obfuscated|removed|omitted|sanitized|sanitised|scrubbed|filtered|withheld|none|null"
    r"|n/?a)[_*#\])>}-]*$"
)
# The value a placeholder default is known by (every password list starts with them).
WELL_KNOWN = frozenset(
    {"changeme", "change_me", "change-me", "changeit", "admin", "password", "secret"}
    | {"default", "test", "guest", "root", "letmein", "123456", "12345678", "qwerty"}
)


def is_not_a_secret(value: str, name: str = "") -> bool:
    """Empty, a mask, a template, a label or sentence, a path, or the name itself."""
    text = value.strip()
    if not text or _MASK.match(text.lower()):
        return True
    if _TEMPLATE.search(text):
        return True
    if len(text.split()) >= 3 or text.endswith((":", "?")):
        return True  # a prompt or a message: "Enter password:", "Password for %s"
    if text.startswith(("/", "./", "../")) or "://" in text:
        return True  # a URL path or URL (credentials-in-url reads URLs)
    own = set(words(name)) if name else set()
    value_words = words(text)
    if "default" in own and is_well_known(text):
        return False  # DEFAULT_PASSWORD = "password" is a value, not a label
    if _IDENTIFIER.fullmatch(text) or _SNAKE_IDENTIFIER.fullmatch(text):
        return True  # "neutron:fip_external_mac", "invalidate_user_project_tokens": a key
    if own and _UPPER_SNAKE.fullmatch(text) and value_words[-1] == words(name)[-1]:
        return True  # DB_PASSWORD = "MYAPP_DB_PASSWORD": the variable or setting it is read from
    if own and words(name)[-1] == "key" and _SNAKE_WORDS.fullmatch(text):
        return True  # SESSION_KEY = "checkout_data": the key a value is stored under
    # "password" for PASSWORD, "X-Auth-Token" for AUTH_TOKEN: a field name, header or label;
    # "a password" for the key "password": a label in a message table
    articles = _ARTICLES if any(w in own for w in value_words) else frozenset()
    return bool(value_words) and all(
        w in own or w in _LABEL_WORDS or w in articles for w in value_words
    )


# Namespaced keys and long snake_case identifiers (`OS-OAUTH1:access_token`, `a.b.c`).
_IDENTIFIER = lazyre.compile(r"[A-Za-z][\w-]*(?:[:.][A-Za-z][\w-]*)+")
_SNAKE_IDENTIFIER = lazyre.compile(r"[a-z]+(?:_[a-z]+){2,}")
_SNAKE_WORDS = lazyre.compile(r"[a-z]+(?:_[a-z]+)+")
# The name of an environment variable or setting: `MYAPP_DB_PASSWORD`.
_UPPER_SNAKE = lazyre.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


def names_a_field(value: str) -> bool:
    """An identifier made of secret words: `"pass"`, `"userPassword"`, `"set-password"` —
    the name of a field or attribute (as in a mapping table), not a credential. Digits make
    it a value (`"password1"`)."""
    return bool(re.fullmatch(r"[A-Za-z_-]+", value)) and any(
        w in _ALWAYS or w in ("pass", "key") for w in words(value)
    )


def looks_like_token(value: str) -> bool:
    """Could this be an API key or token? Tokens are at least 8 characters without spaces
    and mix character classes (or are long); `"COLLATE"`, `"is not"`, `"_messages"`,
    `"set-password"` are lexer tokens and session keys, `"target=shelf-watch_files"` a label."""
    text = value.strip()
    if len(text) < 8 or any(c.isspace() for c in text) or text[0] in "_-":
        return False
    if names_a_field(text) or is_parameter_label(text):
        return False
    classes = sum(
        (
            any(c.islower() for c in text),
            any(c.isupper() for c in text),
            any(c.isdigit() for c in text),
            any(not c.isalnum() for c in text),
        )
    )
    return classes >= 2 or len(text) >= 16


# `name=value` pairs of lower-case words: a query string or a channel label.
_WORDS = r"[a-z]+(?:[-_.][a-z]+)*"
_PARAMETERS = lazyre.compile(rf"[a-z][a-z_]*={_WORDS}(?:[&;,][a-z][a-z_]*={_WORDS})*")


def is_parameter_label(value: str) -> bool:
    """`"target=shelf-watch_files"`: `name=value` pairs of lower-case words, written for a
    reader (a channel or query label), whatever the name it is assigned to. A machine-made
    token mixes digits and cases at random; a pair that names a secret
    (`"token=shelf-watch"`, `"password=…"`) holds one."""
    text = value.strip()
    return bool(_PARAMETERS.fullmatch(text)) and not any(
        w in _ALWAYS or w in ("pass", "key") for w in words(text)
    )


# Words of labels, header and field names that a secret-named constant may hold.
_LABEL_WORDS = frozenset(
    {"x", "auth", "api", "key", "bearer", "basic", "digest", "header", "field", "name"}
    | {"openstack", "subject", "user", "id", "new", "old", "confirm", "access", "refresh"}
    | {"reset", "type", "os", "client", "app", "service", "session", "private", "public"}
)


_ARTICLES = frozenset({"a", "an", "the", "your", "my", "this"})


def is_well_known(value: str) -> bool:
    return value.strip().lower() in WELL_KNOWN


# --- where a value goes ----------------------------------------------------------------------
# Calls that hand on their argument's content, so the destination is further up.
_PASSING_CALLS = frozenset(
    {"str", "bytes", "bytearray", "hex", "int", "repr", "format", "join", "encode", "decode"}
    | {"b64encode", "urlsafe_b64encode", "b32encode", "hexlify", "b2a_hex", "quote", "strip"}
    | {"hexdigest", "digest", "upper", "lower", "zfill", "rjust", "ljust", "replace", "tobytes"}
)


def destination_names(node: ast.AST, ctx: ModuleContext) -> list[str]:
    """The names a value is given where it lands: assignment targets, the keyword or dict
    key it is passed as, the function it is passed to or returned from.

    `token = "".join(random.choice(abc) for _ in range(8))` gives ["token"];
    `self._store_token(md5(x).hexdigest())` gives ["_store_token"]; `return hexlify(...)` in
    `def make_nonce()` gives ["make_nonce"]."""
    return destination(node, ctx)[1]


Landing = Literal["assign", "keyword", "dict", "return", "call", ""]


def destination(node: ast.AST, ctx: ModuleContext) -> tuple[Landing, list[str]]:
    """Where a value lands (see `destination_names`), and how: "assign", "keyword",
    "dict", "return", "call" (an argument of a function that is not content-passing)."""
    current = node
    for _ in range(12):
        parent = ctx.parent(current)
        if parent is None:
            return "", []
        if isinstance(parent, ast.Assign):
            return "assign", [n for t in parent.targets for n in target_names(t, ctx)]
        if isinstance(parent, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            return "assign", target_names(parent.target, ctx)
        if isinstance(parent, ast.keyword):
            return "keyword", [parent.arg] if parent.arg else []
        if isinstance(parent, ast.Dict):
            for key, value in zip(parent.keys, parent.values, strict=True):
                if value is current and key is not None:
                    label = ctx.constant_value(key)
                    return "dict", [label] if isinstance(label, str) else []
            return "", []
        if isinstance(parent, ast.Return):
            function = _enclosing_function(parent, ctx)
            return "return", [function.name] if function is not None else []
        if isinstance(parent, ast.Call):
            callee = call_name(parent)
            if current is parent.func or callee in _PASSING_CALLS:
                current = parent
                continue
            return "call", [callee] if callee else []
        if isinstance(parent, (ast.stmt, ast.comprehension, ast.Compare, ast.BoolOp)):
            return "", []  # a loop bound, a condition: the value is used, not kept
        current = parent  # BinOp, f-string, comprehension element, attribute, subscript...
    return "", []


def target_names(target: ast.AST, ctx: ModuleContext) -> list[str]:
    """`x`, `self.x`, `cfg["x"]`, and every name of a tuple target."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Attribute):
        return [target.attr]
    if isinstance(target, ast.Subscript):
        key = ctx.constant_value(target.slice)
        return [key] if isinstance(key, str) else []
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for e in target.elts for n in target_names(e, ctx)]
    return []


def value_names(node: ast.AST, ctx: ModuleContext, depth: int = 0) -> list[str]:
    """The names a value is read from: `password.encode()` -> ["password"],
    `salt + user.password` -> ["salt", "password"], `form["password"]` -> ["password"].

    Calls other than content-passing ones stop the search: `mask(password)` is not the
    password any more."""
    if depth > 8:
        return []
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.Subscript):
        key = ctx.constant_value(node.slice)
        if isinstance(key, str):
            return [key]
        if isinstance(node.slice, ast.Slice):
            return []  # `token[:8]`: a prefix, not the secret
        return value_names(node.value, ctx, depth + 1)
    if isinstance(node, ast.Call):
        callee = call_name(node)
        if callee in _PASSING_CALLS:
            arguments = [*node.args, *(k.value for k in node.keywords)]
            if isinstance(node.func, ast.Attribute):
                arguments.insert(0, node.func.value)
            return [n for a in arguments for n in value_names(a, ctx, depth + 1)]
        if isinstance(node.func, ast.Attribute) and callee == "get" and node.args:
            key = ctx.constant_value(node.args[0])  # `form.get("password")`
            return [key] if isinstance(key, str) else []
        return []
    if isinstance(node, ast.BinOp):
        return value_names(node.left, ctx, depth + 1) + value_names(node.right, ctx, depth + 1)
    if isinstance(node, ast.JoinedStr):
        return [
            n
            for v in node.values
            if isinstance(v, ast.FormattedValue)
            for n in value_names(v.value, ctx, depth + 1)
        ]
    if isinstance(node, (ast.Tuple, ast.List)):
        return [n for e in node.elts for n in value_names(e, ctx, depth + 1)]
    if isinstance(node, ast.Dict):  # `LOG.debug("%(user)s", {"user": u, "pw": password})`
        return [n for v in node.values for n in value_names(v, ctx, depth + 1)]
    if isinstance(node, ast.FormattedValue):
        return value_names(node.value, ctx, depth + 1)
    if isinstance(node, ast.Starred):
        return value_names(node.value, ctx, depth + 1)
    return []


def _enclosing_function(
    node: ast.AST, ctx: ModuleContext
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    current = ctx.parent(node)
    while current is not None:
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return current
        if isinstance(current, ast.Lambda):
            return None
        current = ctx.parent(current)
    return None


def enclosing_function_name(node: ast.AST, ctx: ModuleContext) -> str:
    function = _enclosing_function(node, ctx)
    return function.name if function is not None else ""


# --- environment lookups with a literal fallback ---------------------------------------------
def env_fallback(node: ast.AST | None, ctx: ModuleContext, depth: int = 0) -> str | bytes | None:
    """The literal an environment lookup falls back to when the variable is unset:
    `os.environ.get("KEY", "dev")`, `os.getenv("KEY") or "dev"`, `...get("KEY", "dev").encode()`,
    through a variable bound once; None if there is none (see `_webconfig.fallback`)."""
    if node is None or depth > 4:
        return None
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        if len(values) == 1 and values[0] is not node:
            return env_fallback(values[0], ctx, depth + 1)
        return None
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(func, ast.Attribute) and func.attr == "encode":
        return env_fallback(func.value, ctx, depth + 1)
    lookup = node
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        lookup = node.values[0]  # `os.getenv("KEY") or "dev"`
    if not is_env_lookup(lookup, ctx):
        return None
    value = fallback(node, ctx)
    return value if isinstance(value, (str, bytes)) and value.strip() else None
