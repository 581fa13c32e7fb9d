"""Secrets in the reviewed code are replaced before anything is sent to a model.

Detection is Yelp's `detect-secrets` (part of the `secreview[llm]` extra): its plugins
(cloud keys, tokens, private keys, passwords in assignments, high-entropy strings) and its
false-positive filters, run over the file as it will be sent. Each secret's text becomes
`[REDACTED:<kind>]` on its own line; a private key block is blanked to its END marker. Line
numbers never change, so the model's line numbers still point at the real file.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass

from secreview.llm.client import LLMError

_BEGIN = re.compile(r"-----BEGIN[A-Z ]*PRIVATE KEY(?: BLOCK)?-----")
_END = re.compile(r"-----END[A-Z ]*PRIVATE KEY(?: BLOCK)?-----")
# what may stand between the markers: base64, PEM headers, quotes and escapes, indentation
_KEY_BODY = re.compile(r"""^[\sA-Za-z0-9+/=\"'\\,:().-]*$""")
_KEY_MAX_LINES = 200


@dataclass(frozen=True, slots=True)
class Redaction:
    line: int
    kind: str  # detect-secrets' name: "AWS Access Key", "Secret Keyword", ...


def _scan(text: str, suffix: str) -> list[tuple[int, str, str]]:
    """(line, kind, secret text) for every secret detect-secrets finds in `text`."""
    try:
        from detect_secrets.core.scan import scan_file
        from detect_secrets.settings import default_settings
    except ImportError:
        raise LLMError(
            "redacting secrets before sending code to a model needs detect-secrets: "
            "pip install 'secreview[llm]' (or pass --llm-allow-secrets to send code as is)"
        ) from None
    # detect-secrets reads files (its keyword rules depend on the file type): give it one
    with tempfile.TemporaryDirectory(prefix="secreview-redact-") as folder:
        path = os.path.join(folder, f"code{suffix}")
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        with default_settings():
            return [
                (secret.line_number, secret.type, secret.secret_value or "")
                for secret in scan_file(path)
            ]


def redact(text: str, path: str = "code.py") -> tuple[str, list[Redaction]]:
    """`text` with every secret replaced (same number of lines), and what was replaced."""
    suffix = os.path.splitext(path)[1] or ".py"
    found = _scan(text, suffix)
    if not found:
        return text, []
    lines = text.split("\n")
    redactions: list[Redaction] = []
    # longest first, so a token is replaced whole before a shorter secret inside it
    for number, kind, secret in sorted(found, key=lambda f: -len(f[2])):
        if not 0 < number <= len(lines):
            continue
        marker = f"[REDACTED:{kind}]"
        if kind == "Private Key":
            continue  # whole blocks, below
        if secret and secret in lines[number - 1]:
            lines[number - 1] = lines[number - 1].replace(secret, marker)
            redactions.append(Redaction(number, kind))
        elif secret and "[REDACTED:" not in lines[number - 1]:
            redactions.append(Redaction(number, kind))
            lines[number - 1] = _blank_strings(lines[number - 1], marker)
    redactions.extend(_redact_private_keys(lines))
    text = "\n".join(lines)
    redactions.sort(key=lambda r: (r.line, r.kind))
    return text, list(dict.fromkeys(redactions))


_STRING = re.compile(r"""(?P<q>["'])(?:\\.|(?!(?P=q)).)*(?P=q)""")


def _blank_strings(line: str, marker: str) -> str:
    """A secret detect-secrets reports in another form than it appears (decoded, split):
    blank every string literal on its line."""
    return _STRING.sub(lambda m: f"{m.group('q')}{marker}{m.group('q')}", line)


def _redact_private_keys(lines: list[str]) -> list[Redaction]:
    """Blank PEM private key blocks in place: from BEGIN to END when only key material lies
    between them (on one line or many), else the BEGIN line's rest."""
    marker = "[REDACTED:Private Key]"
    found: list[Redaction] = []
    for index, line in enumerate(lines):
        begin = _BEGIN.search(line)
        if begin is None:
            continue
        found.append(Redaction(index + 1, "Private Key"))
        end = _END.search(line, begin.end())
        if end is not None:
            lines[index] = line[: begin.start()] + marker + line[end.end() :]
            continue
        lines[index] = line[: begin.start()] + marker + _closing(line[begin.end() :])
        for later in range(index + 1, min(len(lines), index + _KEY_MAX_LINES)):
            end = _END.search(lines[later])
            if end is not None:
                for blank in range(index + 1, later):
                    lines[blank] = ""
                lines[later] = lines[later][end.end() :]
                lines[index] = line[: begin.start()] + marker
                break
            if not _KEY_BODY.match(lines[later]):
                break
    return found


def _closing(rest: str) -> str:
    """What follows the key on its line once the key text is gone: the closing quote and
    code after it, without base64 that may follow the marker on the same line."""
    match = re.search(r"""["')]""", rest)
    return rest[match.start() :] if match else ""
