"""Sample findings the report tests share, one of each kind a report must show: a data-flow
finding with a trace and a fix, a pattern finding, an LLM finding with its verification, and a
low-severity one. A test that needs other places or text derives its own with
`dataclasses.replace`.

They use real rule ids (their metadata feeds SARIF rule help) plus one id no rule registers,
as an LLM finding may carry; paths include spaces, non-ASCII letters, a backtick and a pipe,
the characters that break URIs and Markdown tables.
"""

from __future__ import annotations

from secreview.model import Finding, Location, TraceStep, Verification

SPACED = "dir with space/ünïcode config.py"
ODD = "logs/we`ird|name.py"

COMMAND = Finding(
    rule_id="command-injection",
    cwe=78,
    title="OS command built from untrusted input",
    message="Flask request data (app/views.py:10) reaches `subprocess.run(cmd, shell=True)`.",
    severity="critical",
    confidence="high",
    location=Location("app/shell.py", 14, 5, 14, 38),
    snippet="subprocess.run(cmd, shell=True)",
    trace=(
        TraceStep(Location("app/views.py", 10, 12, 10, 24), "request.form['host'] (source)"),
        TraceStep(Location("app/views.py", 11, 5, 11, 20), "passed to ping(host)"),
        TraceStep(Location("app/shell.py", 14, 5, 14, 38), "subprocess.run(cmd) (sink)"),
    ),
    fix="Pass an argument list without a shell.",
    fingerprint="fp-command",
)
YAML = Finding(
    rule_id="unsafe-yaml-load",
    cwe=502,
    title="YAML loaded with a loader that constructs arbitrary objects",
    message="yaml.load with yaml.Loader builds any Python object the document names.",
    severity="high",
    confidence="high",
    location=Location(SPACED, 3, 10, 3, 45),
    snippet="config = yaml.load(stream, Loader=yaml.Loader)",
    fix="Use `yaml.safe_load(stream)`.",
    fingerprint="fp-yaml",
)
SECRET = Finding(
    rule_id="llm-hardcoded-credentials",  # registered by no rule
    cwe=798,
    title="Hard-coded password",
    message="The database password is a string literal <script>alert(1)</script> in the source.",
    severity="medium",
    confidence="low",
    location=Location("app/settings.py", 7),
    snippet='PASSWORD = "hunter2"',
    fix="Read it from the environment or a secret store.",
    origin="llm",
    verification=Verification("corroborated", "the literal is on line 7"),
    fingerprint="fp-secret",
)
LOG = Finding(
    rule_id="log-injection",
    cwe=117,
    title="Untrusted input written to a log unneutralised",
    message="A request header is logged as is; a newline in it forges log entries.",
    severity="low",
    confidence="medium",
    location=Location(ODD, 3, 1, 3, 30),
    snippet='log.info("```%s```", ua)  # a | b',
    trace=(TraceStep(Location(ODD, 2, 6, 2, 20), "request.headers (source)"),),
    fix="Strip CR and LF before logging.",
    fingerprint="fp-log",
)
