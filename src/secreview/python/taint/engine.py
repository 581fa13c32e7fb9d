"""Entry points the pipeline calls: summarise a module (per file), solve the program."""

from __future__ import annotations

from secreview.model import Finding, Location, TraceStep
from secreview.python.analyzer import fingerprint
from secreview.python.context import ModuleContext
from secreview.python.taint.solve import Flowpath, solve_program
from secreview.python.taint.spec import spec_index
from secreview.python.taint.summarize import ModuleAnalysis
from secreview.python.taint.summary import WEAK, ModuleSummary, clip, failing_steps
from secreview.rules import get_rule


class Summarizer:
    """Phase 1 for one module; picklable so worker processes can build their own."""

    def __init__(
        self,
        rules: frozenset[str],
        *,
        internal: frozenset[str] = frozenset(),
        include_tests: bool = False,
        taint_parameters: bool = False,
    ):
        self.rules = rules
        self.internal = internal
        self.include_tests = include_tests
        self.taint_parameters = taint_parameters

    def __call__(self, ctx: ModuleContext) -> ModuleSummary | None:
        if ctx.is_test_module and not self.include_tests:
            return None
        analysis = ModuleAnalysis(
            ctx, spec_index(), self.rules, self.internal, self.taint_parameters
        )
        return analysis.run()


def solve(summaries: list[ModuleSummary]) -> list[Finding]:
    """Phases 2 and 3: every source-to-sink flow of the program, once per sink, and each
    check on such a flow that looks protective but is not (its own finding, at the check)."""
    findings: list[Finding] = []
    for path in solve_program(summaries):
        finding = to_finding(path)
        findings.append(finding)
        findings.extend(failing_check_findings(path, finding))
    return findings


def failing_check_findings(path: Flowpath, flow_finding: Finding) -> list[Finding]:
    """The checks every path of this flow passed that do not protect its sink (`WEAK` in
    `Flow.cleared`, their steps in the trace): one finding each, at the check, with the
    sink's CWE and severity and the flow's trace."""
    rule = path.event.rule
    if WEAK + rule not in path.flow.cleared:
        return []
    out: list[Finding] = []
    seen: set[tuple[str, int, str]] = set()
    for step in failing_steps(flow_finding.trace, rule):
        check = step.check
        assert check is not None
        where = step.location
        if (where.path, where.line, check.rule) in seen:
            continue
        seen.add((where.path, where.line, check.rule))
        meta = get_rule(check.rule)
        if meta is None:
            continue
        code = step.note.removesuffix(" (check)")
        passing = check.input_for(rule)
        example = f" `{check.subject}` = `{passing[1]}` passes it." if passing is not None else ""
        sink = path.event
        message = (
            f"`{code}` does not keep {path.source.description} from `{sink.note}` "
            f"({_place(sink.location, where)}): {check.why}.{example}"
        )
        out.append(
            Finding(
                rule_id=meta.id,
                cwe=flow_finding.cwe,
                title=meta.title,
                message=message,
                severity=flow_finding.severity,
                confidence=flow_finding.confidence,
                location=where,
                snippet=code,
                trace=flow_finding.trace,
                fix=check.fix,
                origin="engine",
                fingerprint=fingerprint(meta.id, where.path, code, ""),
                region=(where.line, where.end_line or where.line),
                related_cwe=(check.related_cwe,) if check.related_cwe else (),
            )
        )
    return out


def _place(where: Location, here: Location) -> str:
    """`where` as seen from `here`: `line 12`, or `views.py:12` in another file."""
    return f"line {where.line}" if where.path == here.path else f"{where.path}:{where.line}"


_CONFIDENCE_DOWN = {"high": "medium", "medium": "low", "low": "low"}
_SEVERITY_DOWN = {"critical": "high", "high": "medium", "medium": "low", "low": "low"}


def to_finding(path: Flowpath) -> Finding:
    event, source, flow = path.event, path.source, path.flow
    meta = get_rule(event.rule)
    assert meta is not None, f"taint rule {event.rule} has no metadata"
    trace = clip((*flow.trace, TraceStep(event.location, f"{event.note} (sink)")))
    confidence = event.confidence or meta.confidence
    platform = ""
    if event.condition:
        confidence = _CONFIDENCE_DOWN[confidence]  # the server may never take this path
        platform = f" Reachable only when `{event.condition}` (another platform)."
    if source.confidence == "low" or confidence == "low":
        confidence = "low"
    elif source.confidence == "medium" or confidence == "medium":
        confidence = "medium"
    severity = meta.severity
    if source.kind in ("cli", "env", "parameter"):
        # a local user (of a privileged tool: `privilege.py`) or the operator, not a remote
        # attacker, controls it
        severity = _SEVERITY_DOWN[severity]
        if source.kind == "env":
            # and whoever sets the environment already runs code as the program's user
            severity = _SEVERITY_DOWN[severity]
    admin = ""
    if path.admin is not None:
        severity = _SEVERITY_DOWN[severity]  # the attacker must be an administrator already
        admin = f" Only administrators reach it ({path.admin}): one severity step lower."
    where = source.location
    origin = (
        "here"
        if where.path == event.location.path and where.line == event.location.line
        else (
            f"{where.path}:{where.line}"
            if where.path != event.location.path
            else f"line {where.line}"
        )
    )
    message = (
        f"{_capital(source.description)} ({origin}) reaches `{event.note}`. {meta.why}"
        f"{admin}{platform}"
    )
    return Finding(
        rule_id=meta.id,
        cwe=meta.cwe,
        title=meta.title,
        message=message,
        severity=severity,
        confidence=confidence,  # type: ignore[arg-type]
        location=event.location,
        snippet=event.snippet,
        trace=trace,
        fix=meta.fix,
        origin="engine",
        fingerprint=fingerprint(meta.id, event.location.path, event.snippet, event.scope),
        scope=event.scope,
        region=event.region,
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
