"""Predictable values at the uses that need a secret (`insecure-random-for-security`).

The sources, the call sinks and the sanitizers a predictable value survives are data in
`taint/specs/predictable.py`; this module holds what is not a call:
- `kept`: what a sanitizer's result still carries (a digest of a predictable value is
  predictable: only the predictable sources survive a sanitizer that computes its result
  from its arguments alone, and nothing else does, so attacker-data rules are unchanged);
- `store`: a value stored under a name that says it is a secret (an attribute, a dict or
  session key, a keyword argument), judged by the name of the *destination*
  (`user.reset_token = v`), never by the name of a variable the value passed through: a
  value called `token_delay` that ends in `time.sleep` is not a secret;
- the sink conditions `secret_cookie` (a cookie named as a session id or a token) and
  `shared_tmp_path` (a path in `/tmp` or `tempfile.gettempdir()`).

Weak digests (`weak-hash-for-security`, `taint/specs/weak_digest.py`) use the same hooks:
`weak_digest` mints one where MD5/SHA-1/CRC32 is called, `kept` carries it through
`.hexdigest()` and the like, `store` reports it under a destination named as a password
(hash), a session id or a signature, and `compared` where it is compared with request data
or with a value named as a token, signature, password or expected value.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from secreview.python.context import ModuleContext, argument, keyword
from secreview.python.taint.spec import SpecIndex
from secreview.python.taint.specs import weak_digest as weak
from secreview.python.taint.specs.predictable import KIND, RULE
from secreview.python.taint.summary import EMPTY, Param, Src, TVal
from secreview.rules.support.bindings import assigned_values
from secreview.rules.support.names import words
from secreview.rules.support.secrets import secret_kind

if TYPE_CHECKING:
    from collections.abc import Callable

# what the parts of a name a secret is stored under say, beyond `secret_kind`: a reset link
_LINK_WORDS = frozenset({"link", "url", "uri", "code"})
# cookie names that say the cookie identifies its bearer
_SESSION_COOKIE_WORDS = frozenset({"session", "sess", "sid", "auth", "remember", "login"})
_SHARED_TMP = ("/tmp/", "/var/tmp/", "/dev/shm/")


def secret_destination(name: str | None) -> str | None:
    """What secret a destination named `name` holds (`reset_token`, `api_key`, `csrf`,
    `password_reset_link`), None if its name says none (`token_expires`, `key`)."""
    if not name:
        return None
    kind = secret_kind(name)
    if kind is not None and kind != "signature":
        return kind
    parts = words(name)
    if "reset" in parts and parts[-1] in _LINK_WORDS:
        return "reset link"
    return None


def kept(spec: SpecIndex, qualified: str | None, method: str | None, value: TVal) -> TVal:
    """What survives a sanitizer that clears every sink kind: the predictable sources in
    `value`, when the sanitizer computes its result from its arguments alone."""
    if not value:
        return EMPTY
    derived = spec.derived
    if qualified in derived or (
        method is not None and qualified not in spec.sanitizers and f".{method}" in derived
    ):
        return {label: flow for label, flow in value.items() if _predictable(label)}
    return EMPTY


_KEPT_KINDS = frozenset({KIND, weak.KIND})


def _predictable(label: object) -> bool:
    return type(label) is Src and label.kind in _KEPT_KINDS  # type: ignore[attr-defined]


def weak_digest(analysis: Any, node: ast.Call, qualified: str | None) -> TVal:
    """The weak digest `hashlib.md5(x)`, `hashlib.new("sha1")`, `zlib.crc32(x)` makes (a
    source of its own kind), EMPTY for any other digest and with `usedforsecurity=False`."""
    if qualified not in weak.CONSTRUCTORS:
        return EMPTY
    algorithm = qualified.rsplit(".", 2)[-2] if qualified.endswith(".new") else ""
    if qualified == "hashlib.new":
        name = analysis.fold(argument(node, 0, "name"))
        if not isinstance(name, str) or name.lower() not in weak.WEAK_ALGORITHMS:
            return EMPTY
        algorithm = name
    if analysis.fold(keyword(node, "usedforsecurity")) is False:
        return EMPTY
    label = (algorithm or qualified.rsplit(".", 1)[1]).upper()
    return analysis.source(node, f"a {label} digest (weak)", weak.KIND, "high")


def _weak_part(taint: TVal) -> TVal:
    """What of `taint` may be a weak digest: its weak-digest sources and what the callers
    decide (parameters, call results), not other sources."""
    return {
        label: flow
        for label, flow in taint.items()
        if type(label) is not Src or label.kind == weak.KIND  # type: ignore[attr-defined]
    }


def store(sink: Callable[..., None], name: str | None, taint: TVal, node: ast.AST,
          note: str) -> None:  # fmt: skip
    """A value stored under `name` (a field, a key, a keyword): a sink when the name says
    the destination holds a secret."""
    if taint and secret_destination(name) is not None:
        sink(RULE, taint, node, note)
    if taint and name and weak_destination(name) is not None:
        part = _weak_part(taint)
        if part:
            sink(weak.RULE, part, node, note.replace("as a secret", f"as {weak_destination(name)}"))


# what the last words of a destination's name say it holds, where a weak digest is a defect
_HASH_WORDS = frozenset({"hash", "hashed", "digest", "crypted", "encrypted"})
_SESSION_ID_WORDS = frozenset({"sid", "sessionid", "session_id"})


def weak_destination(name: str) -> str | None:
    """`password`, `pwd_hash`, `hashed_password`, `session_id`, `sid`, `signature`: the
    destination holds a password hash, a session id or a signature; None for others
    (`cache_key`, `etag`, `checksum`, `path`)."""
    kind = secret_kind(name)
    if kind == "password":
        return "a password"
    if kind == "session":
        return "a session id"
    if kind == "signature":
        return "a signature"
    parts = words(name)
    if not parts:
        return None
    if parts[-1] in _SESSION_ID_WORDS or parts == ["session"]:
        return "a session id"
    if parts[-1] in ("sig", "sign"):
        return "a signature"
    if any(secret_kind(p) == "password" for p in parts) and (
        parts[-1] in _HASH_WORDS or parts[0] in _HASH_WORDS
    ):
        return "a password hash"
    return None


# the words that say a compared value is a credential, a signature or the checksum a
# download or upload is expected to have; not `checksum` alone: a digest compared with the
# one stored for the same content is change detection (a widget's cached script, a synced
# file), not a check against an attacker
_CHECK_WORDS = frozenset(
    {"token", "signature", "sig", "signed", "mac", "hmac", "password", "passwd", "pwd", "pw"}
    | {"expected", "secret", "apikey", "csrf", "xsrf", "otp", "auth", "verifier"}
)
# and those that say it is an ETag or a cache key (`If-None-Match`), whatever else it says
_QUIET_WORDS = frozenset({"etag", "etags", "cache", "cached", "match", "modified"})
_EQUALITY = (ast.Eq, ast.NotEq)


def compared(analysis: Any, node: ast.Compare, operands: list[ast.expr],
             parts: list[TVal]) -> None:  # fmt: skip
    """`md5(body).hexdigest() != expected_md5`, `user.password == md5(pw).hexdigest()`,
    `sign(body) == request.headers["X-Signature"]`: a weak digest compared with request data
    or with a value named as a credential, a signature or an expected value is the check
    itself; an ETag compared with `If-None-Match` or a cache key is not."""
    if weak.RULE not in analysis.mod.rules or not all(type(op) in _EQUALITY for op in node.ops):
        return
    weak_parts = [_weak_part(p) for p in parts]
    if not any(weak_parts):
        return
    said = [set(words(analysis.text(o))) for o in operands]
    if any(w & _QUIET_WORDS for w in said):
        return
    for i, part in enumerate(weak_parts):
        if not part:
            continue
        others = [j for j in range(len(operands)) if j != i]
        if any(
            said[j] & _CHECK_WORDS
            or any(type(label) is Src and label.kind == "http" for label in parts[j])
            for j in others
        ):
            note = f"{analysis.text(node)} (a digest compared as a check)"
            analysis.sink(weak.RULE, part, node, note)


def constructor_copy(function: str, taint: TVal) -> bool:
    """`self.api_token = api_token` in `__init__`: a parameter kept as given, whose callers'
    keyword (`User(api_token=v)`) is the store reported, once, where the value is chosen."""
    return function.endswith(".__init__") and all(type(label) is Param for label in taint)


def keywords(sink: Callable[..., None], call: ast.Call, kwargs: list) -> None:
    """`User(reset_token=v)`, `Token.objects.create(api_key=v)`: the keyword names where
    the callee stores the value."""
    for kw, (name, taint) in zip(call.keywords, kwargs, strict=False):
        if name is not None and taint:
            store(sink, name, taint, kw.value, f"{name}=… (stored as a secret)")


def entries(sink: Callable[..., None], names: list, values: list[ast.expr],
            parts: list[TVal]) -> None:  # fmt: skip
    """`{"api_key": v}`: a dict display's values, by the constant keys they are under."""
    for name, node, taint in zip(names, values, parts, strict=False):
        if isinstance(name, str) and taint:
            store(sink, name, taint, node, f"{{{name!r}: …}} (stored as a secret)")


# --- sink conditions -----------------------------------------------------------------------


def secret_cookie(
    call: ast.Call, default: list[ast.expr], tag_of: object, ctx: ModuleContext
) -> list[ast.expr] | None:
    """`response.set_cookie("sid", v)`: a cookie whose name says it identifies or
    authenticates its bearer, or carries a token (`remember_token`); not one whose name
    is not a constant here (`for k, v in prefs.items(): resp.set_cookie(k, v)`)."""
    name_node = argument(call, 0, "key") or keyword(call, "name")
    if name_node is None:
        return None
    name = ctx.constant_value(name_node)
    if not isinstance(name, str):
        return None
    if secret_destination(name) is not None or set(words(name)) & _SESSION_COOKIE_WORDS:
        return default or None
    return None


def shared_tmp_path(
    call: ast.Call, default: list[ast.expr], tag_of: object, ctx: ModuleContext
) -> list[ast.expr] | None:
    """A path in the shared temporary directory, built here or in a variable assigned one
    (`os.path.join(tempfile.gettempdir(), name)`, `f"/tmp/{name}"`)."""
    return [e for e in default if _in_shared_tmp(e, ctx, 0)] or None


def _in_shared_tmp(node: ast.expr, ctx: ModuleContext, depth: int) -> bool:
    if depth > 3:
        return False
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            if sub.value.startswith(_SHARED_TMP) or sub.value in ("/tmp", "/var/tmp"):
                return True
        elif isinstance(sub, ast.Call):
            if ctx.resolve(sub.func) in ("tempfile.gettempdir", "tempfile.gettempdirb"):
                return True
        elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            values = assigned_values(sub.id, sub, ctx)
            if any(_in_shared_tmp(v, ctx, depth + 1) for v in values if v is not node):
                return True
    return False
