"""Predictable values (CWE-330/338): where they come from, and the uses that need a secret.

A *predictable* value is one an attacker can work out: the `random` module's functions and a
`random.Random` instance's methods (a Mersenne Twister: a few outputs give away every other,
and its seed is guessable), the clock through `uuid.uuid1()` (the clock
and the host's MAC address), `id()` and `hash()` (addresses and hashes of values the
attacker may know). `random.SystemRandom`, `secrets`, `os.urandom` and `uuid.uuid4` are not.

Its source kind `predictable` is reported by one rule only, `insecure-random-for-security`,
and that rule reports nothing else (`SOURCE_KIND_RULES`, `RULE_SOURCE_KINDS`): the engine
carries a predictable value as it carries request data (across assignments, string
building, calls, returns, fields and modules), and attacker-data rules never see it.

Sanitizers clear *attacker* data: `int(x)`, `hashlib.sha256(x)` give a value whose
characters the attacker does not choose. They do not make a predictable value unpredictable:
a digest or a number made from one is as guessable as what went in. `DERIVED` names the
sanitizers whose result is computed from their argument alone; through them a predictable
value stays predictable (`taint/predictable.py`). A keyed MAC (`hmac.new(key, msg)`) or a
key derivation with a password is not one of them: its secret input makes it unpredictable.

The sinks are the uses that need an unpredictable value:
- a cookie whose name says it identifies or authenticates its bearer, or carries a token;
- a password handed to the APIs that set or hash one (`user.set_password(p)`);
- the key, IV, nonce or salt of a cryptographic API;
- a file name in the shared temporary directory (`/tmp`, `tempfile.gettempdir()`), which
  another local user can create first;
- a store whose *destination* is named as a secret: an attribute, a dict key, the
  server-side session's key or a keyword argument named like a token, password, API key,
  secret, OTP, CSRF token, nonce, salt or reset link (`user.reset_token = v`,
  `session["csrf_token"] = v`, `Token.objects.create(key=…)` is not: a bare `key` names a
  dict key). These are in `taint/predictable.py`, since they are stores, not calls.
"""

from secreview.python.taint.spec import Sink, Source

RULE = "insecure-random-for-security"
KIND = "predictable"

_F = frozenset

_RANDOM_FUNCTIONS = (
    "random", "randint", "randrange", "choice", "choices", "sample", "getrandbits",
    "randbytes", "uniform", "triangular", "gauss", "normalvariate", "shuffle",
)  # fmt: skip
_NUMPY_FUNCTIONS = ("randint", "choice", "bytes", "random", "rand", "random_sample")
_GENERATOR_METHODS = ("integers", "bytes", "choice", "random")

_RANDOM = "output of the random module (predictable)"

SOURCES = (
    *(Source(f"random.{f}", KIND, _RANDOM, call=True) for f in _RANDOM_FUNCTIONS),
    *(Source(f"random.Random.{f}", KIND, _RANDOM, call=True) for f in _RANDOM_FUNCTIONS),
    *(Source(f"numpy.random.{f}", KIND, _RANDOM, call=True) for f in _NUMPY_FUNCTIONS),
    *(
        Source(f"numpy.random.{g}.{m}", KIND, _RANDOM, call=True)
        for g in ("RandomState", "default_rng", "Generator")
        for m in (*_NUMPY_FUNCTIONS, *_GENERATOR_METHODS)
    ),
    # not the clock (`time.time()`, `datetime.now()`): timestamps go into nearly every
    # record, claim and OTP counter, mixed with the secret that protects them (a JWT's `iat`,
    # a TOTP's time step), and the engine does not see the secret part of those (on
    # privacyidea it gave 23 false positives and no true one): see the README's limits
    Source("uuid.uuid1", KIND, "uuid1() (the clock and the host's MAC address)", call=True),
    Source("builtins.id", KIND, "id() (a memory address)", call=True),
    Source("builtins.hash", KIND, "hash() (not a secret)", call=True),
)

# only this rule reports predictable values, and it reports nothing else
SOURCE_KIND_RULES = {KIND: _F({RULE})}
RULE_SOURCE_KINDS = {RULE: _F({KIND})}

# sanitizers (for attacker data) whose result is computed from their arguments alone: a
# predictable value stays predictable through them (`hashlib.md5(str(time.time()))`)
DERIVED = _F(
    {
        *(
            f"hashlib.{name}"
            for name in (
                "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224",
                "sha3_256", "sha3_384", "sha3_512", "blake2b", "blake2s", "shake_128",
                "shake_256", "new",
            )
        ),
        ".hexdigest", ".digest", "zlib.crc32", "zlib.adler32", "binascii.crc32",
        "uuid.uuid3", "uuid.uuid5", "uuid.UUID",
        *(f"builtins.{f}" for f in ("int", "float", "abs", "round", "hex", "oct", "bin")),
    }
)  # fmt: skip

_COOKIE_SETTERS = ("set_cookie", "set_secure_cookie", "set_signed_cookie")
_KEY_ARGS = (0, "key")

SINKS = (
    # a cookie that identifies its bearer (by its name: `sid`, `remember_token`)
    *(Sink(f".{m}", RULE, (1, "value"), "secret_cookie") for m in _COOKIE_SETTERS),
    # passwords set or hashed
    Sink(".set_password", RULE, (0, "raw_password", "password")),
    Sink("django.contrib.auth.hashers.make_password", RULE, (0, "password")),
    Sink("werkzeug.security.generate_password_hash", RULE, (0, "password")),
    Sink(".hash_password", RULE, (0, "password")),
    # keys, IVs, nonces and salts of cryptographic APIs
    *(
        Sink(f"cryptography.hazmat.primitives.ciphers.algorithms.{a}", RULE, _KEY_ARGS)
        for a in ("AES", "AES128", "AES256", "ChaCha20", "Camellia", "TripleDES", "SM4")
    ),
    Sink("cryptography.hazmat.primitives.ciphers.algorithms.ChaCha20", RULE, (1, "nonce")),
    *(
        Sink(f"cryptography.hazmat.primitives.ciphers.modes.{m}", RULE, (0, a))
        for m, a in (
            ("CBC", "initialization_vector"),
            ("CFB", "initialization_vector"),
            ("OFB", "initialization_vector"),
            ("CFB8", "initialization_vector"),
            ("CTR", "nonce"),
            ("GCM", "initialization_vector"),
            ("XTS", "tweak"),
        )
    ),
    *(
        Sink(f"cryptography.hazmat.primitives.ciphers.aead.{c}", RULE, _KEY_ARGS)
        for c in ("AESGCM", "AESCCM", "AESOCB3", "AESSIV", "ChaCha20Poly1305", "AESGCMSIV")
    ),
    *(
        Sink(f"cryptography.hazmat.primitives.ciphers.aead.{c}.encrypt", RULE, (0, "nonce"))
        for c in ("AESGCM", "AESCCM", "AESOCB3", "ChaCha20Poly1305", "AESGCMSIV")
    ),
    Sink("cryptography.fernet.Fernet", RULE, _KEY_ARGS),
    Sink("hashlib.pbkdf2_hmac", RULE, (2, "salt")),
    Sink("hashlib.scrypt", RULE, ("salt",)),
    Sink("hmac.new", RULE, _KEY_ARGS),
    Sink("hmac.digest", RULE, _KEY_ARGS),
    Sink("jwt.encode", RULE, (1, "key")),
    Sink("crypt.crypt", RULE, (1, "salt")),
    *(Sink(f"Crypto.Cipher.{c}.new", RULE, (0, "key", "iv", "nonce")) for c in ("AES", "DES3")),
    *(Sink(f"Cryptodome.Cipher.{c}.new", RULE, (0, "key", "iv", "nonce")) for c in ("AES",)),
    # a file name in the shared temporary directory: another local user can create it first
    Sink("builtins.open", RULE, (0, "file"), "shared_tmp_path"),
    Sink("os.open", RULE, (0, "path"), "shared_tmp_path"),
    Sink("os.mkdir", RULE, (0, "path"), "shared_tmp_path"),
    Sink("os.makedirs", RULE, (0, "name"), "shared_tmp_path"),
)
