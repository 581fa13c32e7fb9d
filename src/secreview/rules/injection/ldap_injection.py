"""Taint rule `ldap-injection` (CWE-90): metadata here, sinks in `taint/specs/`."""

from secreview.rules import FixText, RuleMeta, register_meta

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
        fix_by_api=(
            FixText(
                ("ldap3",),
                "Escape values with `ldap3.utils.conv.escape_filter_chars(value)` before putting "
                "them into a search filter, and `ldap3.utils.dn.escape_rdn` into a DN.",
            ),
            FixText(
                ("ldap", ".search_s", ".search_st", ".search_ext_s", ".modify_s", ".delete_s"),
                "Build filters with `ldap.filter.filter_format('(uid=%s)', [value])` (or "
                "`ldap.filter.escape_filter_chars`), and DNs with `ldap.dn.escape_dn_chars`.",
            ),
        ),
        fix_unknown_api=(
            "Escape every value put into a search filter (RFC 4515: `*`, `(`, `)`, `\\`, NUL) "
            "or a DN (RFC 4514) with your LDAP library's escaping function."
        ),
        kind="taint",
    )
)
