"""`secreview review --per-repo REPO ...`: many repositories in one job, one report each.

Each repository is reviewed as if on its own: its own review root (report paths are
relative to it), its own config file, and its own store (analysis cache) in
`<repo>/.secreview/`. The job shares the worker pool or Ray connection, so reviewing an
organisation's repositories overnight pays start-up once. With `--output DIR` each report
is written to `DIR/<repository name>.<extension>`; without it, text and Markdown reports
are printed one after another, each under a header naming its repository.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

EXTENSIONS = {"text": "txt", "json": "json", "sarif": "sarif", "markdown": "md", "html": "html"}
# formats whose reports cannot be concatenated on standard output
NEEDS_DIRECTORY = frozenset({"json", "sarif", "html"})


def check(repos: Sequence[str], report_format: str, output: str | None) -> str | None:
    """Why the repositories cannot be reviewed this way (a usage error), or None."""
    if not repos:
        return "--per-repo needs the repositories to review"
    missing = [repo for repo in repos if not os.path.isdir(repo)]
    if missing:
        return f"--per-repo reviews directories; not a directory: {', '.join(missing)}"
    if output is None and report_format in NEEDS_DIRECTORY:
        return (
            f"--per-repo --format {report_format} writes one report per repository: "
            "name a directory with --output DIR"
        )
    return None  # the output folder: `outputs.check_folder`


def report_names(repos: Sequence[str], report_format: str) -> dict[str, str]:
    """Repository -> report file name, from the folder's name; `name-2`, `name-3`... when
    two repositories share one (`org-a/api` and `org-b/api`)."""
    extension = EXTENSIONS.get(report_format, report_format)
    names: dict[str, str] = {}
    taken: set[str] = set()
    for repo in repos:
        base = os.path.basename(os.path.normpath(os.path.abspath(repo))) or "root"
        name, number = base, 1
        while name.lower() in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add(name.lower())
        names[repo] = f"{name}.{extension}"
    return names


def header(repo: str, report_format: str) -> str:
    """The line that introduces one repository's report on standard output."""
    if report_format == "markdown":
        return f"# {repo}\n\n"
    return f"== {repo} ==\n"
