"""Taint rule `path-traversal` (CWE-22): metadata here, sinks in `taint/specs/`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="path-traversal",
        cwe=22,
        severity="high",
        confidence="high",
        title="File path built from untrusted input",
        why=(
            "Attacker-controlled text names a file to read, write or delete; `../` sequences or "
            "absolute paths escape the intended directory."
        ),
        example='name = request.args["file"]\nreturn open(os.path.join(UPLOADS, name)).read()',
        fix=(
            "Reduce the name to a basename (`werkzeug.utils.secure_filename`, "
            "`os.path.basename`) or "
            "resolve the path and check it stays inside the base directory "
            "(`os.path.realpath(p).startswith(base + os.sep)`, `Path.is_relative_to`); Flask's "
            "`send_from_directory` does this for you."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/22.html",
            "https://owasp.org/www-community/attacks/Path_Traversal",
        ),
        kind="taint",
    )
)
