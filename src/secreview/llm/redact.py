"""Secrets are replaced before anything is sent to a model.

Detection is Yelp's `detect-secrets` (part of the `secreview[llm]` extra): its plugins
(cloud keys, tokens, private keys, passwords in assignments, high-entropy strings) and its
false-positive filters, run over the file as it will be sent; plus credentials written on
a command line, which it does not know (`curl -u admin:<password>`, `sshpass -p`, `mysql
-p<password>`, `PGPASSWORD=`, an `Authorization: Basic` header). Each secret's text becomes
`[REDACTED:<kind>]` on its own line; a private key block is blanked to its END marker. Line
numbers never change, so the model's line numbers still point at the real file.

A file's code is not all a request holds: the engine's evidence quotes its lines (a
finding's message, a data path's notes, cut short with `…`), and a commit message is the
author's text. So every request goes through one `Redactor` as a whole, body and all: it
replaces every secret found in any reviewed file (and the beginnings of them that a cut
quotation leaves), then scans the body itself.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass

from secreview import lazyre
from secreview.llm.client import LLMError

_BEGIN = lazyre.compile(r"-----BEGIN[A-Z ]*PRIVATE KEY(?: BLOCK)?-----")
_END = lazyre.compile(r"-----END[A-Z ]*PRIVATE KEY(?: BLOCK)?-----")
# what may stand between the markers: base64, PEM headers, quotes and escapes, indentation
_KEY_BODY = lazyre.compile(r"""^[\sA-Za-z0-9+/=\"'\\,:().-]*$""")
_KEY_MAX_LINES = 200


@dataclass(frozen=True, slots=True)
class Redaction:
    line: int
    kind: str  # detect-secrets' name: "AWS Access Key", "Secret Keyword", ...


_COMMAND_LINE_KIND = "Command-line Credential"
# A credential written on a command line, in code or a string: the group is the secret.
_COMMAND_LINE = [
    # curl/wget -u user:password, --user user:password, --proxy-user (also as list items)
    lazyre.compile(
        r"""(?:^|[\s"'\[,(])(?:-u|--user|--proxy-user|--http-user)["',\s=]+[^\s:"',]+:([^\s"',\])]+)"""
    ),
    lazyre.compile(r"""--(?:http-|db-|ldap-)?pass(?:word|wd)?[=\s]+["']?([^\s"']+)"""),
    lazyre.compile(r"""\bsshpass\s+-p\s*["']?([^\s"']+)"""),
    lazyre.compile(r"""\bmysql(?:dump|admin)?\b[^\n"']*?\s-p([^\s"']+)"""),
    lazyre.compile(r"""\b(?:PGPASSWORD|MYSQL_PWD|REDISCLI_AUTH)=["']?([^\s"']+)"""),
    lazyre.compile(r"""\bAuthorization:\s*(?:Basic|Bearer|Token)\s+([A-Za-z0-9+/=._~-]{8,})"""),
]
# What is written in place of a secret (a template, a variable, a prompt): not a secret.
_PLACEHOLDER = lazyre.compile(r"""^(?:[$%{<]|\*+$|x+$|\.\.\.|-)""", re.IGNORECASE)


def _command_line(text: str) -> list[tuple[int, str, str]]:
    """(line, kind, secret) for credentials on command lines written in `text`."""
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        for pattern in _COMMAND_LINE:
            for match in pattern.finditer(line):
                secret = match.group(1)
                if len(secret) >= 4 and not _PLACEHOLDER.match(secret):
                    found.append((number, _COMMAND_LINE_KIND, secret))
    return found


def _scan(text: str, suffix: str) -> list[tuple[int, str, str]]:
    """(line, kind, secret text) for every secret in `text`: detect-secrets' findings and
    credentials on command lines."""
    return _detect_secrets(text, suffix) + _command_line(text)


NEEDS_DETECT_SECRETS = (
    "redacting secrets before sending code to a model needs detect-secrets: "
    "pip install 'secreview[llm]' (or pass --llm-allow-secrets to send code as is)"
)


def _detect_secrets(text: str, suffix: str) -> list[tuple[int, str, str]]:
    """(line, kind, secret text) for every secret detect-secrets finds in `text`."""
    try:
        from detect_secrets.core.scan import scan_file
        from detect_secrets.settings import default_settings
    except ImportError:
        raise LLMError(NEEDS_DETECT_SECRETS) from None
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
    redacted, redactions, _ = _redact(text, path)
    return redacted, redactions


def _redact(text: str, path: str) -> tuple[str, list[Redaction], dict[str, str]]:
    """`redact`, and the secrets' texts (secret -> kind) for the requests' `Redactor`."""
    suffix = os.path.splitext(path)[1] or ".py"
    found = _scan(text, suffix)
    if not found:
        return text, [], {}
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
            # the whole token: detect-secrets reports some by their prefix alone (a GitHub
            # token's `ghp`), and the rest of the token is the secret
            whole = re.compile(re.escape(secret) + _TOKEN_TAIL)
            lines[number - 1] = whole.sub(marker, lines[number - 1])
            redactions.append(Redaction(number, kind))
        elif secret and "[REDACTED:" not in lines[number - 1]:
            redactions.append(Redaction(number, kind))
            lines[number - 1] = _blank_strings(lines[number - 1], marker)
    redactions.extend(_redact_private_keys(lines))
    text = "\n".join(lines)
    redactions.sort(key=lambda r: (r.line, r.kind))
    values = {secret: kind for _, kind, secret in found if len(secret) >= _MIN_SECRET}
    return text, list(dict.fromkeys(redactions)), values


_MIN_SECRET = 6  # shorter "secrets" would blank ordinary words all over a request
_TOKEN_TAIL = r"[A-Za-z0-9_\-+/=.~]*"
# In prose (a commit message), `password=...`, `token: ...`: the value is a secret.
_PROSE_KEYWORD = lazyre.compile(
    r"""(?i)\b(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|credentials?)\b"""
    r"""\s*[=:]\s*["']?([^\s"',;]+)"""
)
_CUT = "…"  # how the engine cuts a long quotation of the code


class Redactor:
    """The one redaction step every request to a model goes through, as a whole: the
    files' code (`file`), and then the full messages (`messages`), engine evidence and
    commit message included. Used by the run's main thread only."""

    def __init__(self) -> None:
        self.secrets: dict[str, str] = {}  # secret text -> kind, from every file so far
        self.redacted = 0  # secrets replaced, in files and in request bodies

    def file(self, text: str, path: str) -> tuple[str, list[Redaction]]:
        """The file's text with its secrets replaced (remembered for the requests)."""
        redacted, redactions, values = _redact(text, path)
        self.secrets.update(values)
        self.redacted += len(redactions)
        return redacted, redactions

    def text(self, text: str) -> str:
        """`text` without any secret of the files, whole or cut short, nor any secret a
        scan of `text` itself finds."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            if secret in text:
                self.redacted += text.count(secret)
                whole = re.compile(re.escape(secret) + _TOKEN_TAIL)
                text = whole.sub(f"[REDACTED:{self.secrets[secret]}]", text)
            if _CUT in text:
                text = _cut_secret(text, secret, f"[REDACTED:{self.secrets[secret]}]")
        redacted, redactions, values = _redact(text, "request.txt")
        self.redacted += len(redactions)
        self.secrets.update(values)
        return redacted

    def prose(self, text: str) -> str:
        """Author's text (a commit message): `text`, and every `password=...` or `token:
        ...` in it, whatever the value looks like."""
        found = {
            m.group(1)
            for m in _PROSE_KEYWORD.finditer(text)
            if len(m.group(1)) >= 4 and not _PLACEHOLDER.match(m.group(1))
        }
        for secret in sorted(found, key=len, reverse=True):
            self.redacted += text.count(secret)
            text = text.replace(secret, "[REDACTED:Secret Keyword]")
        return self.text(text)

    def messages(self, messages: list[dict[str, str]]) -> list[dict[str, str]]:
        """Chat messages as they may be sent: every content through `text`."""
        return [{**message, "content": self.text(message["content"])} for message in messages]


def _cut_secret(text: str, secret: str, marker: str) -> str:
    """`text` without the beginning of `secret` that ends a quotation cut short."""
    for length in range(len(secret) - 1, 3, -1):
        head = secret[:length] + _CUT
        if head in text:
            return text.replace(head, marker + _CUT)
    return text


_STRING = lazyre.compile(r"""(?P<q>["'])(?:\\.|(?!(?P=q)).)*(?P=q)""")


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
