"""python-ldap and ldap3: search filters and DNs built from input."""

from secreview.python.taint.spec import Sanitizer, Sink

_F = frozenset

SINKS = (
    *(
        Sink(f".{m}", "ldap-injection", (0, 2, "base", "filterstr"), receiver="any")
        for m in ("search_s", "search_st", "search_ext", "search_ext_s")
    ),
    *(
        Sink(
            f".{m}",
            "ldap-injection",
            (0, 1, "search_base", "search_filter"),
            receiver="ldap_connection",
        )
        for m in ("search", "paged_search")
    ),
    # ldap3 operations on a DN (typed connections only: `.add`/`.delete` are common names)
    *(
        Sink(f".{m}", "ldap-injection", (0, "dn"), receiver="ldap3")
        for m in ("add", "delete", "modify", "modify_dn", "compare")
    ),
    *(
        Sink(f".{m}", "ldap-injection", (0, "dn", "who"), receiver="any")
        for m in ("simple_bind_s", "modify_s", "delete_s", "add_s", "rename_s", "compare_s")
    ),
)

SANITIZERS = (
    Sanitizer("ldap.filter.escape_filter_chars", _F({"ldap-injection"})),
    Sanitizer("ldap.filter.filter_format", _F({"ldap-injection"})),
    Sanitizer("ldap.dn.escape_dn_chars", _F({"ldap-injection"})),
    Sanitizer("ldap3.utils.conv.escape_filter_chars", _F({"ldap-injection"})),
    Sanitizer("ldap3.utils.dn.escape_rdn", _F({"ldap-injection"})),
)
