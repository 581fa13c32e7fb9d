"""Fix texts in the words of the API a finding is in: a Flask app's hard-coded key is fixed
with `app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]`, a Django settings module's
with `DJANGO_SECRET_KEY`; a urllib3 pool gets `cert_reqs`, a requests call `verify=`.

A rule lists its variants (`RuleMeta.fix_by_api`, each a `FixText` naming the qualified-name
prefixes it is for); its plain `fix` stays the text for code whose API cannot be told. A
finding's evidence comes in tiers, most telling first: the API flagged (the call's qualified
name, or the framework a rule names in its Hit), then the modules the file imports; for a
data flow, the sink's call, the sink file's imports, those of the files the data passes
through, then those of the reviewed modules the sink file imports (a `directory` module
wrapping python-ldap). The first tier with a match decides, and within it the rule's order.
A taint rule whose engine text names one framework's API has a neutral text
(`RuleMeta.fix_unknown_api`) for code whose API cannot be told.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from secreview import lazyre
from secreview.model import Finding
from secreview.rules import FixText, RuleMeta, get_rule

_CALLEE = lazyre.compile(r"\s*([A-Za-z_][\w.]*)\s*\(")


def variants(meta: RuleMeta) -> tuple[FixText, ...]:
    return meta.fix_by_api


def choose(meta: RuleMeta, evidence: Sequence[Iterable[str]], default: str | None = None) -> str:
    """The fix text for a finding of `meta` with this evidence (tiers of qualified names);
    `default` (else the rule's `fix`) when none matches."""
    options = variants(meta)
    if not options:
        return default or meta.fix
    for tier in evidence:
        names = [name for name in tier if name]
        if not names:
            continue
        for option in options:
            if any(_within(name, api) for api in option.apis for name in names):
                return option.text
    return default or meta.fix


def _within(name: str, api: str) -> bool:
    """`name` is `api` or below it; an `api` of `.method` matches any call of that method
    (`conn.search_s`: python-ldap's, whatever `conn` is)."""
    if api.startswith("."):
        return name.endswith(api)
    return name == api or name.startswith(api + ".")


def for_flows(
    findings: Iterable[Finding],
    imports: Mapping[str, frozenset[str]],
    aliases: Mapping[str, Mapping[str, str]],
    modules: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Data-flow findings with the fix text of their sink's API (`imports` and `aliases`: the
    reviewed files' imported modules and module-level import names, by path; `modules`: the
    reviewed files' paths by module name)."""
    modules = modules or {}
    out: list[Finding] = []
    for finding in findings:
        meta = get_rule(finding.rule_id)
        if meta is None or not finding.trace or not variants(meta):
            out.append(finding)
            continue
        sink = finding.location.path
        callee = _callee(finding.trace[-1].note, aliases.get(sink, {}))
        passed = [step.location.path for step in finding.trace]
        wrapped = [modules[m] for m in imports.get(sink, ()) if m in modules]
        tiers = [
            [callee],
            imports.get(sink, ()),
            [name for path in dict.fromkeys(passed) for name in imports.get(path, ())],
            [name for path in wrapped for name in imports.get(path, ())],
        ]
        text = choose(meta, tiers, meta.fix_unknown_api or None)
        out.append(finding if text == finding.fix else replace(finding, fix=text))
    return out


def _callee(note: str, aliases: Mapping[str, str]) -> str:
    """`yaml.load(body, ...) (sink)` -> `yaml.load`, its first name resolved by the file's
    imports (`redirect(...)` -> `flask.redirect`); "" when the note starts with no call."""
    match = _CALLEE.match(note)
    if match is None:
        return ""
    head, _, rest = match.group(1).partition(".")
    qualified = aliases.get(head, head)
    return f"{qualified}.{rest}" if rest else qualified
