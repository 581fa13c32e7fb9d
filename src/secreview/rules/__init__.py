"""The rule catalog: rule metadata, the registry of every rule, and the families.

Rules are arranged by family, one package each (`FAMILIES`), pattern and taint rules side by
side: `secreview/rules/<family>/<rule_id with underscores>.py` holds a rule's metadata and docs,
and for a pattern rule its code too (a taint rule's sources and sinks are data in
`secreview/python/taint/specs/`). What several rules share is in `secreview/rules/support/`,
never among the rules. This module only collects the metadata so the CLI, reports and the LLM
prompt can list rules without knowing where each one is defined.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from secreview.model import Confidence, Severity

# the packages of OpenStack services and their libraries: a fix for code that uses them
# names their ways (oslo.config options marked secret, castellan, keystoneauth)
OPENSTACK = (
    "oslo_config",
    "oslo_log",
    "oslo_utils",
    "oslo_concurrency",
    "oslo_privsep",
    "oslo_service",
    "oslo_db",
    "oslo_messaging",
    "keystoneauth1",
    "castellan",
    "nova",
    "neutron",
    "cinder",
    "glance",
    "keystone",
    "swift",
)


# Flask and the packages of its stack: a fix for code that uses them names Werkzeug's ways
FLASK = ("flask", "quart", "werkzeug", "flask_wtf", "flask_login", "flask_jwt_extended")


@dataclass(frozen=True, slots=True)
class FixText:
    """The fix in the words of one API: `apis` are qualified-name prefixes (`flask`,
    `urllib3`, `xml.etree`) of the frameworks and libraries it is written for, or method
    names (`.search_s`) only that API has."""

    apis: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class RuleMeta:
    id: str  # kebab-case, says what it finds
    cwe: int
    severity: Severity
    confidence: Confidence
    title: str
    why: str  # why it is bad, one or two sentences
    example: str  # a short bad example
    fix: str  # what to use instead
    references: tuple[str, ...] = ()
    # "project": decided on every module's facts at once (`secreview.python.access`)
    kind: Literal["pattern", "taint", "project"] = "pattern"
    fixable: bool = False  # a mechanical fix exists (used by review-system outputs)
    # `fix` in the words of each API the rule flags (see `secreview.python.fixtext`); `fix`
    # stays the text for code whose API cannot be told
    fix_by_api: tuple[FixText, ...] = ()
    # a taint rule whose `fix` names one framework's API: the fix for code whose API cannot
    # be told ("" when `fix` is already neutral)
    fix_unknown_api: str = ""


# The catalog's families, in the order `secreview rules` lists them: package name -> title.
FAMILIES: dict[str, str] = {
    "injection": "Injection",
    "web": "Web",
    "crypto": "Crypto and randomness",
    "secrets": "Secrets",
    "files": "Files and archives",
    "network": "Network and TLS",
    "deserialization": "Deserialization",
    "access_control": "Access control",
    "configuration": "Configuration",
}

# the rules that report a check on a flow that looks protective but is not (`taint/weak.py`):
# they have no sinks of their own, and need the engine to follow data to every sink
CHECK_RULES = (
    "weak-path-containment-check",
    "weak-url-check",
    "weak-regex-validator",
    "incomplete-block-list",
    "escaping-wrong-context",
    "conditional-check",
)

_FAMILY: dict[str, str] = {}  # rule id -> family package name


@cache
def load_rule_modules() -> None:
    """Import every rule module of every family; each registers its rule on import."""
    for family in FAMILIES:
        package = importlib.import_module(f"{__name__}.{family}")
        for name in _rule_module_names(package.__path__):
            before = set(_REGISTRY)
            importlib.import_module(f"{package.__name__}.{name}")
            for rule_id in set(_REGISTRY) - before:
                _FAMILY[rule_id] = family


def _rule_module_names(folders: Iterable[str]) -> list[str]:
    """A family's rule modules, sorted: its `.py` files but `_private` ones (read from the
    folder, a third of what `pkgutil.iter_modules` takes to say the same at start-up)."""
    names = {
        entry[: -len(".py")]
        for folder in folders
        for entry in os.listdir(folder)
        if entry.endswith(".py") and not entry.startswith("_")
    }
    return sorted(names)


_REGISTRY: dict[str, RuleMeta] = {}


def register_meta(meta: RuleMeta) -> RuleMeta:
    existing = _REGISTRY.get(meta.id)
    if existing is not None and existing != meta:
        raise ValueError(f"rule id {meta.id!r} is defined twice")
    _REGISTRY[meta.id] = meta
    return meta


def all_rules() -> dict[str, RuleMeta]:
    """Every rule, by id, sorted."""
    load_rule_modules()
    return dict(sorted(_REGISTRY.items()))


def get_rule(rule_id: str) -> RuleMeta | None:
    return all_rules().get(rule_id)


def rule_family(rule_id: str) -> str:
    """The family package a rule is defined in ("" for an unknown id)."""
    load_rule_modules()
    return _FAMILY.get(rule_id, "")


def rule_module(rule_id: str) -> str:
    """Where a rule is defined, as a path inside the package (`rules/<family>/<module>.py`)."""
    family = rule_family(rule_id)
    return f"rules/{family}/{rule_id.replace('-', '_')}.py" if family else ""
