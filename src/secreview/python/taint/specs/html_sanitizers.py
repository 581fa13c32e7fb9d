"""HTML sanitisers: allow-list cleaners whose output keeps only harmless tags, attributes
and URL schemes, so it may be marked safe and rendered as markup."""

from secreview.python.taint.spec import Sanitizer

_XSS = frozenset({"xss"})

SANITIZERS = (
    Sanitizer("nh3.clean", _XSS),
    Sanitizer("bleach.clean", _XSS),
    Sanitizer("bleach.Cleaner.clean", _XSS),
    Sanitizer("bleach.sanitizer.Cleaner.clean", _XSS),
    # `bleach.linkify` is no sanitiser: it turns URLs into links and keeps every other tag
    *(
        Sanitizer(f"{module}.{name}", _XSS)
        for module in ("lxml.html.clean", "lxml_html_clean")
        for name in ("clean_html", "Cleaner.clean_html")
    ),
    Sanitizer("html_sanitizer.Sanitizer.sanitize", _XSS),
    Sanitizer("jinja2.escape", _XSS),
    Sanitizer("jinja2.utils.escape", _XSS),
)
