"""Weak digests (CWE-327/328/916): where they are made, and the uses that need a strong one.

A *weak digest* is the output of MD5, SHA-1 or a CRC (`hashlib.md5(x).hexdigest()`,
`hashlib.new("sha1")`, `zlib.crc32(x)`, oslo's `secretutils.md5`, PyCryptodome's
`MD5.new`), unless the call says it is no security control (`usedforsecurity=False`). The
digest is minted where the call is (`taint/predictable.py`, `weak_digest`): these calls are
sanitizers for attacker data, and the digest is their result. It stays a weak digest through
`.hexdigest()`, `int()`, formatting and other digests of it (`DERIVED` in
`specs/predictable.py`); a keyed MAC (`hmac.new(key, digest)`) ends it.

Its source kind `weak-digest` is reported by one rule only, `weak-hash-for-security`, and
that rule reports nothing else but its pattern part (SHA-1/MD5 handed to a signing call).

The uses where a collision or a fast guess matters:
- a store whose destination is named as a password (hash), a session id or a signature
  (`user.password = …`, `session["sid"] = …`, `User(pwd_hash=…)`, `{"signature": …}`);
- a cookie named as a session id or a token;
- a comparison of the digest with request data or with a value named as a token,
  signature, password or expected value (`if md5(body).hexdigest() != expected_md5`,
  `user.password == md5(pw)`), and `compare_digest` of it;
these are in `taint/predictable.py`. A cache key, an ETag, a file name, a shard: none is
one of these uses, so none is reported, whatever the digest's variable is called.
"""

from secreview.python.taint.spec import Sanitizer, Sink

RULE = "weak-hash-for-security"
KIND = "weak-digest"

_F = frozenset

# constructors of weak digests; "hashlib.new" only with a weak algorithm's name
WEAK_ALGORITHMS = _F({"md2", "md4", "md5", "sha", "sha1", "md5-sha1", "md5_sha1"})
_PYCRYPTODOME = ("Crypto", "Cryptodome")
CONSTRUCTORS = _F(
    {"hashlib.md5", "hashlib.sha1", "hashlib.new", "zlib.crc32", "binascii.crc32"}
    | {"oslo_utils.secretutils.md5", "oslo_utils.secretutils.sha1"}
    | {f"{p}.Hash.{h}.new" for p in _PYCRYPTODOME for h in ("MD2", "MD4", "MD5", "SHA", "SHA1")}
)

# digests that are not sanitizers elsewhere (their hashlib equivalents are)
SANITIZERS = tuple(
    Sanitizer(name)
    for name in sorted(CONSTRUCTORS)
    if not name.startswith(("hashlib.", "zlib.", "binascii."))
)
# and, like the other digests, computed from their arguments alone (`specs/predictable.py`)
DERIVED = _F(s.name for s in SANITIZERS)

SOURCE_KIND_RULES = {KIND: _F({RULE})}
RULE_SOURCE_KINDS = {RULE: _F({KIND})}

_COOKIE_SETTERS = ("set_cookie", "set_secure_cookie", "set_signed_cookie")

SINKS = (
    # a cookie that identifies its bearer (by its name: `sid`, `remember_token`)
    *(Sink(f".{m}", RULE, (1, "value"), "secret_cookie") for m in _COOKIE_SETTERS),
    # a digest compared in constant time is a MAC, a token or a password check
    Sink("hmac.compare_digest", RULE, (0, 1, "a", "b")),
    Sink("secrets.compare_digest", RULE, (0, 1, "a", "b")),
)
