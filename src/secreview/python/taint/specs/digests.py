"""Values computed from attacker data that cannot carry it: digests, checksums, UUIDs.

A hash digest, a checksum or a name-based UUID is a fixed-length string of hex digits (or
a number) whatever went in: the attacker chooses which one, not what characters it holds,
so it is safe for every sink kind (a file named by `md5(upload.filename).hexdigest()`).
"""

from secreview.python.taint.spec import Sanitizer

_ALGORITHMS = (
    "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256",
    "sha3_384", "sha3_512", "blake2b", "blake2s", "shake_128", "shake_256", "new",
    "file_digest", "pbkdf2_hmac", "scrypt",
)  # fmt: skip

SANITIZERS = (
    *(Sanitizer(f"hashlib.{name}") for name in _ALGORITHMS),
    Sanitizer("hmac.new"),
    Sanitizer("hmac.digest"),
    Sanitizer("zlib.crc32"),
    Sanitizer("zlib.adler32"),
    Sanitizer("binascii.crc32"),
    Sanitizer("uuid.uuid1"),
    Sanitizer("uuid.uuid3"),
    Sanitizer("uuid.uuid4"),
    Sanitizer("uuid.uuid5"),
    # a digest object's output, whatever built it (`h = hashlib.new(alg); h.update(x)`)
    Sanitizer(".hexdigest"),
    Sanitizer(".digest"),
)
