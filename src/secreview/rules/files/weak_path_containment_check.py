"""Taint rule `weak-path-containment-check` (CWE-22): a check that looks as if it kept a path
inside a directory but lets a traversal through. Found by `taint/weak.py`, on the flows of
`path-traversal` sinks; the finding takes the sink's CWE and names the check's own weakness
as a related one (CWE-180, 187 or 184)."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="weak-path-containment-check",
        cwe=22,
        severity="high",
        confidence="high",
        title="Path check that a traversal passes",
        why=(
            "The path is checked before it is used, but the check compares text, not the "
            "resolved path's components: `base + '/../..'`, a sibling directory that shares "
            "the base's name as a prefix, or an absolute path passes it and the file read or "
            "written is outside the directory."
        ),
        example=(
            "path = os.path.join(BASE, request.args['name'])\n"
            "if not path.startswith(BASE):\n    abort(403)\nreturn open(path).read()"
        ),
        fix=(
            "Resolve the path, then compare whole components: `real = os.path.realpath(path)` "
            "and `os.path.commonpath([BASE, real]) == BASE` (or `Path(path).resolve()"
            ".is_relative_to(BASE)`); `werkzeug.utils.safe_join` and `secure_filename` do it "
            "for you."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/22.html",
            "https://owasp.org/www-community/attacks/Path_Traversal",
            "https://cwe.mitre.org/data/definitions/180.html",
        ),
        kind="taint",
    )
)
