"""Known credential formats: provider-issued keys recognisable by their shape.

These are the formats secret scanners (GitHub secret scanning, detect-secrets, gitleaks)
agree on: a fixed prefix and a random body. The random part must look random (Shannon
entropy) and must not say it is an example (`AKIAIOSFODNN7EXAMPLE` is AWS's documentation
key), so placeholders such as `ghp_xxxxxxxx...` stay quiet. detect-secrets (an optional
extra here) has similar plugins but scans through temporary files and adds keyword and
entropy plugins that are noisy on source code; these few patterns are all this needs.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from secreview import lazyre


@dataclass(frozen=True, slots=True)
class Format:
    name: str  # what it is, for the message
    pattern: re.Pattern[str]
    # literal text every match contains (one of): a cheap test before the pattern
    markers: tuple[str, ...]
    group: int = 1  # the group holding the random part
    min_entropy: float = 3.0  # bits per character of the random part
    severity: str = "high"


FORMATS: tuple[Format, ...] = (
    Format(
        "AWS access key id",
        lazyre.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)([A-Z0-9]{16})\b"),
        ("AKIA", "ASIA", "ABIA", "ACCA"),
    ),
    Format(
        "Azure storage account key",
        lazyre.compile(r"AccountKey=([A-Za-z0-9+/]{86}==)"),
        ("AccountKey=",),
        min_entropy=4.0,
    ),
    Format(
        "GitHub token",
        lazyre.compile(r"\bgh[pousr]_([A-Za-z0-9]{36,255})\b"),
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    ),
    Format("GitHub token", lazyre.compile(r"\bgithub_pat_([A-Za-z0-9_]{82})\b"), ("github_pat_",)),
    Format("GitLab token", lazyre.compile(r"\bglpat-([A-Za-z0-9_-]{20})\b"), ("glpat-",)),
    Format(
        "Slack token",
        lazyre.compile(r"\bxox[baprse]-([A-Za-z0-9-]{10,})"),
        ("xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-", "xoxe-"),
    ),
    Format(
        "Slack webhook URL",
        lazyre.compile(
            r"https://hooks\.slack\.com/services/T[A-Z0-9]{8,}/B[A-Z0-9]{8,}/([A-Za-z0-9]{24})"
        ),
        ("hooks.slack.com/services/",),
    ),
    Format("Google API key", lazyre.compile(r"\bAIza([0-9A-Za-z_-]{35})\b"), ("AIza",)),
    Format(
        "Stripe live key",
        lazyre.compile(r"\b(?:sk|rk)_live_([0-9A-Za-z]{24,})\b"),
        ("sk_live_", "rk_live_"),
    ),
    Format(
        "OpenAI API key",
        lazyre.compile(r"\bsk-(?:proj-)?([A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,})"),
        ("T3BlbkFJ",),  # "OpenAI" in base64, in every key; rarer than "sk-" (disk-, task-)
    ),
    Format(
        "SendGrid API key",
        lazyre.compile(r"\bSG\.([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})\b"),
        ("SG.",),
    ),
    Format("npm token", lazyre.compile(r"\bnpm_([A-Za-z0-9]{36})\b"), ("npm_",)),
    Format(
        "PyPI token",
        lazyre.compile(r"\bpypi-AgEIcHlwaS5vcmc([A-Za-z0-9_-]{50,})"),
        ("pypi-AgEIcHlwaS5vcmc",),
    ),
    Format(
        "private key",
        lazyre.compile(
            r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY(?: BLOCK)?-----"
            r"(?:\s|\\n)*((?:[A-Za-z0-9+/=:,-]|\s|\\n){64,})"
        ),
        ("PRIVATE KEY",),
        min_entropy=4.0,
    ),
    Format(
        "encrypted private key",
        lazyre.compile(
            r"-----BEGIN ENCRYPTED PRIVATE KEY-----(?:\s|\\n)*((?:[A-Za-z0-9+/=]|\s|\\n){64,})"
        ),
        ("ENCRYPTED PRIVATE KEY",),
        min_entropy=4.0,
        severity="medium",
    ),
)
# Cheap test before the patterns: every format contains one of these literally. (`in` on
# each is several times faster than one regex alternation over a whole file.)
MARKERS: tuple[str, ...] = tuple(dict.fromkeys(m for fmt in FORMATS for m in fmt.markers))


def may_contain(text: str) -> bool:
    """False when no format can match `text` (most files, most strings)."""
    return any(marker in text for marker in MARKERS)


_EXAMPLE = lazyre.compile(r"example|sample|dummy|fake|placeholder|x{6,}|0{8,}|your", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Match:
    format: Format
    start: int  # offset in the searched text
    end: int


def find(text: str) -> list[Match]:
    """Every credential of a known format in `text`."""
    if len(text) < 20 or not may_contain(text):
        return []  # every format is at least 20 characters long
    found: list[Match] = []
    for fmt in FORMATS:
        if not any(marker in text for marker in fmt.markers):
            continue  # the pattern cannot match
        for match in fmt.pattern.finditer(text):
            body = re.sub(r"\s|\\n", "", match.group(fmt.group))
            if _EXAMPLE.search(match.group(0)) or entropy(body) < fmt.min_entropy:
                continue
            found.append(Match(fmt, match.start(), match.end()))
    return found


def known_format(text: str) -> Format | None:
    matches = find(text)
    return matches[0].format if matches else None


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    if not text:
        return 0.0
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())
