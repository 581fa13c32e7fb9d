"""Taint rule `weak-regex-validator` (CWE-20): a regular expression used to validate a value
that an attack passes (`re.match` without an end anchor, `re.search`, `^`/`$` under
re.MULTILINE, classes that admit the sink's special characters). Found by `taint/weak.py`;
the finding takes the sink's CWE and names CWE-20 as the check's weakness."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="weak-regex-validator",
        cwe=20,
        severity="high",
        confidence="high",
        title="Regex validation that attack text passes",
        why=(
            "The value is validated with a regular expression that does not constrain all of "
            "it: `re.match(r'[a-z]+', x)` accepts `abc; rm -rf /`, `re.search` accepts any "
            "value containing a match, and a class such as `[\\w./]` admits `../`."
        ),
        example=(
            "host = request.args['host']\n"
            "if not re.match(r'[a-z0-9.-]+', host):\n    abort(400)\n"
            "os.system('ping -c1 ' + host)"
        ),
        fix=(
            "Match the whole value with a class that admits none of the sink's special "
            "characters: `re.fullmatch(r'[A-Za-z0-9_-]+', value)` (or end the pattern with `\\Z`"
            ", not `$`)."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/20.html",
            "https://docs.python.org/3/library/re.html#re.fullmatch",
            "https://cwe.mitre.org/data/definitions/625.html",
        ),
        kind="taint",
    )
)
