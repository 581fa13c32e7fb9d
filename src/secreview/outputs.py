"""Where reports are written, checked before any work starts: a report file that cannot be
written must be found out in a second, not after a review of an hour.

`check_file` is for one report (`--output FILE`, `baseline create --output FILE`),
`check_folder` for `--per-repo --output DIR`, which writes one report per repository and
must never quietly turn `single.sarif` into a folder. Neither leaves anything behind but
the folder `check_folder` is asked for.
"""

from __future__ import annotations

import os

# Names that say "a report file": `--per-repo --output` wants a folder.
REPORT_SUFFIXES = frozenset(
    {".txt", ".json", ".sarif", ".md", ".markdown", ".html", ".htm", ".xml", ".csv"}
)


class OutputError(ValueError):
    """The report cannot be written there: a usage error, exit code 2."""


def check_file(path: str, option: str = "--output") -> None:
    """Raise OutputError unless a report can be written to `path`: its folder exists and
    is writable, and it is not itself a folder. An existing file is opened for appending
    (which changes nothing); a new one is created and removed again."""
    if not path:
        raise OutputError(f"{option}: empty file name")
    absolute = os.path.abspath(path)
    folder = os.path.dirname(absolute)
    if os.path.isdir(absolute):
        raise OutputError(f"{option} {path}: is a folder; name a file")
    _check_parent(path, folder, option)
    try:
        if os.path.lexists(absolute):
            with open(absolute, "ab"):
                pass
        else:
            os.close(os.open(absolute, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            os.unlink(absolute)
    except (OSError, ValueError) as exc:
        raise OutputError(f"{option} {path}: cannot write: {_reason(exc)}") from None


def check_folder(path: str, option: str = "--output") -> None:
    """Raise OutputError unless one report per repository can be written into the folder
    `path`, which is created if needed: not an existing file, not a report's file name
    (`single.sarif`) unless such a folder exists already, and writable."""
    if not path:
        raise OutputError(f"{option}: empty folder name")
    absolute = os.path.abspath(path)
    if os.path.lexists(absolute) and not os.path.isdir(absolute):
        raise OutputError(
            f"{option} {path}: is a file; --per-repo writes one report per repository into "
            "a folder: name a folder"
        )
    suffix = os.path.splitext(absolute.rstrip(os.sep))[1].lower()
    if not os.path.isdir(absolute) and suffix in REPORT_SUFFIXES:
        raise OutputError(
            f"{option} {path}: looks like a report file; --per-repo writes one report per "
            f"repository into a folder: name a folder (e.g. reports/)"
        )
    try:
        os.makedirs(absolute, exist_ok=True)
        import secrets  # here only: `random` is start-up time for every review

        probe = os.path.join(absolute, f".secreview-probe-{secrets.token_hex(4)}")
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        os.unlink(probe)
    except (OSError, ValueError) as exc:
        raise OutputError(f"{option} {path}: cannot write into it: {_reason(exc)}") from None


def _check_parent(path: str, folder: str, option: str) -> None:
    """The folder a report goes into must exist already (a typo must not make folders)."""
    if os.path.isdir(folder):
        return
    if os.path.lexists(folder):
        raise OutputError(f"{option} {path}: {_shown(folder)} is not a folder")
    raise OutputError(f"{option} {path}: the folder {_shown(folder)} does not exist")


def _shown(folder: str) -> str:
    relative = os.path.relpath(folder)
    return relative if not relative.startswith("..") else folder


def _reason(exc: Exception) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
