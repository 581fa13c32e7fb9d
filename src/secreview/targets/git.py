"""The git CLI, for `--diff` and `--staged`: which lines changed, and the tree to analyse.

git runs as a subprocess with an argument list (never a shell string), with the options
that keep its output parseable whatever the user's config says (no colour, no external
diff tool, fixed `a/` `b/` prefixes, paths unquoted), `GIT_OPTIONAL_LOCKS=0` so reading
never rewrites the index, `core.fsmonitor` off so a repository's config cannot make a
diff run a program, and `--end-of-options` so a revision cannot pass as an option.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
from collections.abc import Sequence

from secreview.targets.walk import PYTHON_SUFFIXES

PYTHON_PATHSPECS = tuple(f"*{suffix}" for suffix in PYTHON_SUFFIXES)

_DIFF_OPTIONS = (
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-relative",
    "--find-renames",
    "--unified=0",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "--ignore-submodules",
)


class GitError(RuntimeError):
    """git is missing, the path is not in a repository, or a revision is unknown."""


def run(top: str, *args: str, stdin: bytes | None = None) -> bytes:
    """`git -C top ARGS`; its stdout, or GitError with git's own message."""
    done = _git(top, args, stdin)
    if done.returncode != 0:
        raise GitError(_message(done.stderr, f"git {args[0]} failed"))
    return done.stdout


def _command(top: str, args: Sequence[str]) -> list[str]:
    return ["git", "-C", top, "-c", "core.quotepath=false", "-c", "core.fsmonitor=false", *args]


def _env() -> dict[str, str]:
    return dict(os.environ, GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", LC_ALL="C")


def _git(top: str, args: Sequence[str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            _command(top, args), input=stdin, capture_output=True, env=_env(), check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed (needed for --diff and --staged)") from None


def _message(stderr: bytes, default: str) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else default


def toplevel(path: str) -> str:
    """The repository's top folder, for a path inside it."""
    folder = path if os.path.isdir(path) else os.path.dirname(path) or "."
    try:
        out = run(folder, "rev-parse", "--show-toplevel")
    except GitError:
        raise GitError(f"not inside a git repository: {path}") from None
    return os.path.realpath(out.decode("utf-8", "surrogateescape").strip())


def commit(top: str, rev: str) -> str:
    """The commit a revision names (`origin/master`, `HEAD~2`, a tag), as a full id."""
    if not rev or rev.startswith("-"):
        raise GitError(f"not a revision: {rev!r}")
    try:
        out = run(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except GitError:
        raise GitError(f"unknown revision: {rev}") from None
    return out.decode().strip()


def head_or_empty(top: str) -> str:
    """HEAD, or the empty tree in a repository with no commit yet (its first commit)."""
    try:
        return commit(top, "HEAD")
    except GitError:
        return run(top, "hash-object", "-t", "tree", "--stdin", stdin=b"").decode().strip()


def diff(top: str, *revs: str, cached: bool = False, pathspecs: Sequence[str] = ()) -> str:
    """`git diff` of python files, zero context lines: every hunk line is a changed line."""
    args = ["diff", *_DIFF_OPTIONS]
    if cached:
        args.append("--cached")
    args += ["--end-of-options", *revs, "--", *(pathspecs or PYTHON_PATHSPECS)]
    return run(top, *args).decode("utf-8", "surrogateescape")


def differs(top: str, *revs: str, cached: bool = False) -> bool:
    """Do tracked python files differ (working tree vs `revs`, or index vs `revs`)?"""
    args = ["diff", "--quiet", "--no-ext-diff", "--ignore-submodules"]
    if cached:
        args.append("--cached")
    done = _git(top, [*args, "--end-of-options", *revs, "--", *PYTHON_PATHSPECS])
    if done.returncode not in (0, 1):
        raise GitError(_message(done.stderr, "git diff failed"))
    return done.returncode == 1


def untracked(top: str) -> list[str]:
    """Python files git does not track and does not ignore (new files not yet added)."""
    out = run(top, "ls-files", "-z", "--others", "--exclude-standard", "--", *PYTHON_PATHSPECS)
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


def export_commit(top: str, sha: str, dest: str) -> None:
    """The python files of commit `sha` into `dest` (`git archive`, read as a stream; the
    other files are skipped as they stream by). Links and anything that would land outside
    `dest` are never written (tarfile's "data" filter)."""
    command = _command(top, ["archive", "--format=tar", "--end-of-options", sha])
    problem = None
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env()
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        try:
            with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
                for member in archive:
                    if member.isfile() and member.name.endswith(PYTHON_SUFFIXES):
                        archive.extract(member, dest, filter="data")
        except (tarfile.TarError, OSError) as exc:
            problem = str(exc)
        process.stdout.close()  # unblocks git if the archive was not read to the end
        error = process.stderr.read()
    if process.returncode != 0:
        raise GitError(_message(error, f"git archive {sha} failed"))
    if problem is not None:
        raise GitError(f"cannot read the files of {sha}: {problem}")


def export_index(top: str, dest: str) -> None:
    """The staged (index) version of every python file into `dest` (`git checkout-index`
    with a prefix writes only there; the index itself is not touched)."""
    listed = run(top, "ls-files", "-z", "--cached", "--", *PYTHON_PATHSPECS)
    prefix = os.path.join(os.path.abspath(dest), "")
    run(top, "checkout-index", "-z", "--stdin", f"--prefix={prefix}", stdin=listed)
