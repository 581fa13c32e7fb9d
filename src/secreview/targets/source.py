"""Reading one target: bytes -> text per PEP 263, or a Diagnostic that says why not.

`load` runs in worker processes, where an exception would abort the whole pool, so it never
raises: every way a file can be bad (too large, binary, wrong encoding, unreadable) becomes
a Diagnostic and the run goes on with the other files.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import stat
import tokenize

from secreview import lazyre
from secreview.model import Diagnostic, SourceFile
from secreview.targets.walk import Target

BINARY_SAMPLE = 8192  # bytes looked at to tell binary from text
_CONTROL_LIMIT = 0.10  # real source code has almost no control bytes
_CONTROL = bytes(sorted(set(range(32)) - {9, 10, 11, 12, 13, 27})) + b"\x7f"
_COOKIE = lazyre.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_BLANK = lazyre.compile(rb"^[ \t\f]*(?:#|$)")
_NEWLINE = lazyre.compile(rb"\r\n|\r|\n")
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
# O_NONBLOCK: a FIFO swapped in after discovery must not hang a worker.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def load(target: Target, max_size: int) -> SourceFile | Diagnostic:
    """The decoded file, newlines normalised so line numbers match editors; never raises."""
    data = read_file(target, max_size)
    if isinstance(data, Diagnostic):
        return data
    return load_bytes(target, data)


def read_file(target: Target, max_size: int) -> bytes | Diagnostic:
    """`read_bytes` that never raises."""
    try:
        return read_bytes(target, max_size)
    except Exception as exc:  # a bug here must cost one file, not the run
        return Diagnostic(
            target.path, f"could not be loaded: {type(exc).__name__}: {exc}", "unreadable"
        )


def load_bytes(target: Target, data: bytes) -> SourceFile | Diagnostic:
    """`load` for bytes read elsewhere (the parent, which hashes them for the analysis
    cache, or a Ray driver shipping them to a cluster); never raises."""
    try:
        text = decode_source(data, target.path)
        if isinstance(text, Diagnostic):
            return text
        return SourceFile(path=target.path, text=text, root=target.root)
    except Exception as exc:  # a bug here must cost one file, not the run
        return Diagnostic(
            target.path, f"could not be loaded: {type(exc).__name__}: {exc}", "unreadable"
        )


def read_bytes(target: Target, max_size: int) -> bytes | Diagnostic:
    """At most `max_size` bytes of a regular file, checked by size before reading."""
    path = target.path
    try:
        fd = os.open(target.abspath, _OPEN_FLAGS)
    except FileNotFoundError:
        if os.path.islink(target.abspath):
            return Diagnostic(path, "broken symlink; skipped", "broken-symlink")
        return Diagnostic(path, "the file no longer exists; skipped", "missing")
    except IsADirectoryError:
        return Diagnostic(path, "is a directory, not a file; skipped", "unreadable")
    except PermissionError:
        return Diagnostic(path, "permission denied; skipped", "unreadable")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Diagnostic(path, "symlink loop; skipped", "symlink-loop")
        return Diagnostic(path, f"cannot open: {exc.strerror or exc}; skipped", "unreadable")
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd)
        if stat.S_ISDIR(mode.st_mode):
            return Diagnostic(path, "is a directory, not a file; skipped", "unreadable")
        if not stat.S_ISREG(mode.st_mode):
            return Diagnostic(
                path, "not a regular file (a device, FIFO or socket); skipped", "unreadable"
            )
        if mode.st_size > max_size:
            return _too_large(path, mode.st_size, max_size)
        try:
            data = handle.read(max_size + 1)
        except OSError as exc:
            return Diagnostic(path, f"cannot read: {exc.strerror or exc}; skipped", "unreadable")
    if len(data) > max_size:  # it grew after the size check
        return _too_large(path, len(data), max_size)
    return data


def _too_large(path: str, size: int, limit: int) -> Diagnostic:
    return Diagnostic(
        path,
        f"the file is {_size(size)} ({size:,} bytes), over the {_size(limit)} "
        f"({limit:,} bytes) max-file-size limit; skipped",
        "too-large",
    )


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MiB"
    if count >= 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count} bytes"


def decode_source(data: bytes, path: str) -> str | Diagnostic:
    """Text as Python would read it: PEP 263 cookie or UTF-8, BOM stripped, `\\n` newlines."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return Diagnostic(
                path,
                f"the file is {name}-encoded (it starts with a {name} byte-order mark); Python "
                "source must use an ASCII-compatible encoding such as UTF-8; skipped",
                "encoding",
            )
    binary = _binary_reason(data[:BINARY_SAMPLE])
    if binary:
        return Diagnostic(path, f"the file looks binary ({binary}); skipped", "binary")
    encoding = _declared_encoding(data, path)
    if isinstance(encoding, Diagnostic):
        return encoding
    start = 0
    if encoding == "utf-8-sig" and data.startswith(codecs.BOM_UTF8):
        encoding, start = "utf-8", len(codecs.BOM_UTF8)
    try:
        text = data[start:].decode(encoding)
    except LookupError:
        return Diagnostic(
            path,
            f"the coding declaration names {encoding!r}, which is not a text encoding; skipped",
            "encoding",
        )
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        line, column = _position(data, offset)
        return Diagnostic(
            path,
            f"cannot decode the file as {encoding}: byte 0x{data[offset]:02x} at line {line}, "
            f"column {column} (byte offset {offset}) is invalid ({exc.reason}); declare the "
            "file's encoding (PEP 263) or save it as UTF-8; skipped",
            "encoding",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _binary_reason(sample: bytes) -> str | None:
    nul = sample.find(b"\0")
    if nul >= 0:
        return f"NUL byte at offset {nul}"
    if sample:
        control = len(sample) - len(sample.translate(None, _CONTROL))
        if control > _CONTROL_LIMIT * len(sample):
            return f"{control} of its first {len(sample)} bytes are control characters"
    return None


def _declared_encoding(data: bytes, path: str) -> str | Diagnostic:
    """The encoding per PEP 263 (UTF-8 when nothing is declared), or why it is unusable."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        problem = exc.msg or str(exc)
        cookie = _cookie(data)
        missing = "invalid or missing encoding declaration" in problem
        if cookie and missing and _known(cookie[1]):
            return cookie[1]  # the declaration line is not UTF-8 itself; Python honours it
        if cookie and (missing or problem.startswith("unknown encoding")):
            line, name = cookie
            return Diagnostic(
                path,
                f"unknown encoding {name!r} in the coding declaration on line {line} (PEP 263); "
                "skipped",
                "encoding",
            )
        if problem.startswith("encoding problem") and cookie:
            line, name = cookie
            return Diagnostic(
                path,
                f"the file starts with a UTF-8 byte-order mark but line {line} declares "
                f"coding {name!r}; skipped",
                "encoding",
            )
        if missing:
            # not UTF-8 in the first two lines and no cookie: decoding will say where
            return "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        return Diagnostic(path, f"invalid encoding declaration: {problem}; skipped", "encoding")
    return encoding


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


def _cookie(data: bytes) -> tuple[int, str] | None:
    """(line, encoding name) of a PEP 263 declaration: line 1, or line 2 after a comment."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for number, line in enumerate(_NEWLINE.split(data, maxsplit=2)[:2], 1):
        found = _COOKIE.match(line)
        if found:
            return number, found.group(1).decode("ascii", "replace")
        if not _BLANK.match(line):
            break
    return None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and byte column of `offset`, counting `\\r\\n`, `\\r` and `\\n` as newlines."""
    before = data[:offset]
    line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
    column = offset - max(before.rfind(b"\n"), before.rfind(b"\r"))
    return line, column
