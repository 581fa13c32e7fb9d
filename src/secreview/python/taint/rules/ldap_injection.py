"""Taint rule `ldap-injection` (CWE-90): metadata here, sinks in `taint/specs/`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="ldap-injection",
        cwe=90,
        severity="high",
        confidence="medium",
        title="LDAP filter or DN built from untrusted input",
        why=(
            "Attacker-controlled text is spliced into an LDAP search filter or DN; "
            "`*`, `)` and `(` "
            "change the query, for example matching every user."
        ),
        example=(
            'uid = request.form["uid"]\nconn.search_s(BASE, ldap.SCOPE_SUBTREE, f"(uid={uid})")'
        ),
        fix=(
            "Escape values with `ldap.filter.escape_filter_chars()` / `ldap.dn.escape_dn_chars()` "
            "(python-ldap) or `ldap3.utils.conv.escape_filter_chars()`, or use "
            "`ldap.filter.filter_format()`."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/90.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Preventi"
            "on_Cheat_Sheet.html",
        ),
        kind="taint",
    )
)
