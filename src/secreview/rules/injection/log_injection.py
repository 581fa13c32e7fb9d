"""Taint rule `log-injection` (CWE-117): metadata here, sinks in `taint/specs/`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="log-injection",
        cwe=117,
        severity="low",
        confidence="medium",
        title="Untrusted input written to a log unneutralised",
        why=(
            "Attacker-controlled text is logged as is; line breaks in it forge log entries that "
            "mislead whoever reads or parses the log."
        ),
        example='log.info("login failed for %s", request.form["user"])',
        fix=(
            "Log `repr(value)` or the value with `\\r`/`\\n` removed, or use a "
            "structured (JSON) log "
            "formatter that escapes fields."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/117.html",
            "https://owasp.org/www-community/attacks/Log_Injection",
        ),
        kind="taint",
    )
)
