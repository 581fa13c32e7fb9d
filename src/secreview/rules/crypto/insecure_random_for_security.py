"""Taint rule `insecure-random-for-security` (CWE-338): a predictable value (the random
module, the clock, uuid1, id, hash) followed to a use that needs a secret. Sources, sinks
and the sanitizers it survives in `taint/specs/predictable.py`; stores to fields, keys and
keywords named as secrets in `taint/predictable.py`.

The id is the pattern rule's it replaces (which judged by the names of the variables the
value landed in): suppressions and baselines that name it keep working."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="insecure-random-for-security",
        cwe=338,
        severity="high",
        confidence="medium",
        title="Predictable value used as a secret",
        why=(
            "The random module is a Mersenne Twister: after 624 outputs an observer can "
            "predict every past and future value, and its seed is guessable; the clock, "
            "uuid1(), id() and hash() are guessable outright, and hashing or formatting them "
            "does not change that. A session id, token, password, reset link, CSRF token, API "
            "key, or the key, IV, nonce or salt of a cipher made from one can be predicted; "
            "a predictable file name in /tmp can be created first by another local user."
        ),
        example=(
            "user.reset_token = ''.join(random.choice(string.ascii_letters) for _ in range(32))\n"
            "response.set_cookie('sid', hashlib.md5(str(time.time()).encode()).hexdigest())"
        ),
        fix=(
            "Use the secrets module: secrets.token_urlsafe(32), secrets.token_hex(16), "
            "secrets.choice(alphabet), secrets.randbelow(10**6); os.urandom(16) for keys, IVs "
            "and salts; tempfile.mkstemp()/NamedTemporaryFile() for temporary files. random "
            "stays fine for jitter, backoff, sampling, shuffling and display."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/338.html",
            "https://cwe.mitre.org/data/definitions/330.html",
            "https://docs.python.org/3/library/secrets.html",
        ),
        kind="taint",
    )
)
