"""Taint rule `path-traversal` (CWE-22): metadata here, sinks in `taint/specs/`."""

from secreview.rules import FixText, RuleMeta, register_meta
from secreview.rules.support.apis import DJANGO, FASTAPI, FLASK

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
        fix_by_api=(
            FixText(
                FLASK,
                "Serve stored files with `send_from_directory(base_dir, name)`, which refuses "
                "names that leave `base_dir`; reduce uploaded names with "
                "`werkzeug.utils.secure_filename`.",
            ),
            FixText(
                DJANGO,
                "Reduce the name to a basename (`os.path.basename`, `django.utils.text."
                "get_valid_filename`) or resolve the path and check it stays inside the base "
                "directory (`django.utils._os.safe_join(base, name)` raises when it does not); "
                "keep uploads in a `Storage`.",
            ),
            FixText(
                ("aiohttp",),
                "Serve a folder with `app.router.add_static('/files', base_dir)`, or resolve the "
                "path and check it stays inside the base directory "
                "(`Path(base, name).resolve().is_relative_to(base)`).",
            ),
            FixText(
                FASTAPI,
                "Mount the folder with `StaticFiles(directory=base_dir)`, or resolve the path and "
                "check it stays inside the base directory "
                "(`Path(base, name).resolve().is_relative_to(base)`) before `FileResponse`.",
            ),
        ),
        fix_unknown_api=(
            "Reduce the name to a basename (`os.path.basename`) or resolve the path and check it "
            "stays inside the base directory (`Path(base, name).resolve().is_relative_to(base)`)."
        ),
        kind="taint",
    )
)
