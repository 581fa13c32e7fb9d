"""Rule metadata and the registry of every rule (pattern rules and taint sinks alike).

A rule's metadata lives next to its code; this module only collects it so the CLI,
reports and the LLM prompt can list rules without knowing where each one is defined.
"""

from __future__ import annotations

import importlib
import pkgutil
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


# Packages whose modules define rules; each module registers on import.
RULE_PACKAGES = ("secreview.python.rules", "secreview.python.taint.rules")


@cache
def load_rule_modules() -> None:
    for package_name in RULE_PACKAGES:
        try:
            package = importlib.import_module(package_name)
        except ModuleNotFoundError:
            continue
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            if not info.name.startswith("_"):
                importlib.import_module(f"{package_name}.{info.name}")


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
