"""Paths on the command line -> the Python files to review, relative to one review root.

Only names and file metadata are looked at here (plus the first line of an explicitly named
file without a Python suffix, for its shebang); reading and decoding happen in `load`, in
the worker processes.

Symlinks get care because the tree under review may be untrusted (a pull request): a
`secrets.py -> ~/.ssh/id_rsa` link must not put a private file into a report or an LLM
prompt, so files that resolve outside the review root are skipped with a Diagnostic, and
directory links are never followed during a walk (which also rules out cycles).
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field

from secreview import lazyre
from secreview.config import Config
from secreview.model import Diagnostic
from secreview.targets.excludes import Anchor, Excludes

PYTHON_SUFFIXES = (".py", ".pyw")

# Never reviewed when met during a walk: VCS data, tool caches, installed packages.
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".eggs",
        "site-packages",
        "dist-packages",
    }
)
# Build output, skipped unless it holds an `__init__.py`: then it is a source package that
# happens to be called so (pypa/build ships `src/build/`).
OUTPUT_DIRS = frozenset({"build", "dist"})
# A directory holding one of these is a Python environment (virtualenv, conda), whatever
# its name (`env`, `.direnv/python-3.12`, ...).
ENVIRONMENT_MARKERS = frozenset({"pyvenv.cfg", "conda-meta"})

_SHEBANG = lazyre.compile(rb"#![^\r\n]*\b(?:i?python|pypy)[0-9.]*\b")


@dataclass(frozen=True, slots=True)
class Target:
    """One file to review. `abspath` is what workers open; `path` is what reports show."""

    path: str  # relative to the review root, with forward slashes
    abspath: str
    root: str = "."  # the review root (absolute), carried into SourceFile.root


@dataclass(frozen=True, slots=True)
class Discovery:
    root: str
    targets: list[Target] = field(default_factory=list)  # sorted by path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    package_dirs: frozenset[str] = frozenset()  # review-relative dirs holding __init__.py
    # named paths the exclude globs dropped: lets the CLI tell "everything named is
    # excluded" (a clean run, e.g. under pre-commit) from "nothing reviewable"
    excluded: tuple[str, ...] = ()


def discover(paths: Sequence[str], config: Config, root: str | None = None) -> Discovery:
    """Walk `paths` (files or directories; none means the current directory). `root`
    overrides the review root (`--root`; `--per-repo` reviews each repository from its top)."""
    given = list(paths) or ["."]
    absolute = [os.path.abspath(p) for p in given]
    root = os.path.abspath(root) if root is not None else review_root(absolute)
    walker = _Walker(root, Excludes(config.exclude, _anchors(root, config.source)))
    for original, path in zip(given, absolute, strict=True):
        walker.add(original, path)
    return walker.result()


def review_root(paths: Sequence[str], cwd: str | None = None) -> str:
    """The git work tree holding the paths, else their deepest common directory (climbing
    out of any Python package it lies in, so module names stay the importable ones); never
    the current directory as such, so a review's paths, fingerprints and store are the same
    wherever it is started from.

    A directory stands for itself and a file for its parent: outside git,
    `secreview review /src/app` reports `views.py`, not `app/views.py` (unless `app` is a
    package). `cwd` (default: the current directory) stands in when no path exists.
    """
    existing = [os.path.abspath(p) for p in paths if os.path.lexists(p)]
    if not existing:
        return work_tree(cwd or os.getcwd()) or os.path.abspath(cwd or os.getcwd())
    bases = [p if os.path.isdir(p) else os.path.dirname(p) for p in existing]
    try:
        common = os.path.commonpath(bases)
    except ValueError:  # different drives on Windows: no common parent
        common = os.path.abspath(cwd or os.getcwd())
    return work_tree(common) or _above_packages(common)


def _above_packages(folder: str) -> str:
    """`folder`, or the first folder above it that is not a Python package: reviewing
    `src/pkg/sub/mod.py` alone names its module `pkg.sub.mod`, as reviewing `src` does."""
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return folder


def work_tree(folder: str) -> str | None:
    """The top of the git work tree holding `folder` (the nearest folder upwards with a
    `.git` directory, or the `.git` file of a worktree or submodule), or None. Read from
    the file system, not by running git: a review served from the cache starts in
    milliseconds."""
    current = os.path.abspath(folder)
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _within(path: str, base: str) -> bool:
    return path == base or path.startswith(base.rstrip(os.sep) + os.sep)


def _anchors(root: str, config_source: str | None) -> list[Anchor]:
    """Anchored excludes match relative to the review root and to the config's directory."""
    anchors = [Anchor()]
    if config_source:
        base = os.path.dirname(os.path.abspath(config_source))
        if root != base and _within(root, base):
            anchors.append(Anchor(add=_relative(root, base) + "/"))
        elif root != base and _within(base, root):
            anchors.append(Anchor(strip=_relative(base, root) + "/"))
    return anchors


def _relative(path: str, base: str) -> str:
    rel = os.path.relpath(path, base)
    return "" if rel == "." else rel.replace(os.sep, "/")


def _join(parent: str, name: str) -> str:
    return f"{parent}/{name}" if parent else name


class _Walker:
    """Collects targets and diagnostics; remembers what it has seen to drop duplicates."""

    def __init__(self, root: str, excludes: Excludes):
        self.root = root
        self.real_root = os.path.realpath(root)
        self.excludes = excludes
        self.allowed = [self.real_root]  # real directories symlinked files may point into
        self.targets: dict[str, tuple[Target, bool]] = {}  # real path -> (target, via link)
        self.diagnostics: list[Diagnostic] = []
        self.packages: dict[str, bool] = {}  # review-relative dir -> holds __init__.py
        self.walked: set[str] = set()  # real paths of directories already listed
        self.excluded: list[str] = []  # named paths dropped by the excludes

    # --- explicitly named paths ------------------------------------------------------
    def add(self, original: str, path: str) -> None:
        """One path from the command line: a directory to walk, or a file to review."""
        try:
            rel = _relative(path, self.root)
        except ValueError:  # another drive on Windows
            rel = original
        shown = rel or "."
        if not os.path.lexists(path):
            self._diag(shown, f"no such file or directory: {original}", "missing")
        elif not os.path.exists(path):
            self._dangling(shown, path)
        elif self.excludes.match_path(rel, is_dir=os.path.isdir(path)) is not None:
            # the project's excludes apply to named paths too: pre-commit and CI pass names
            self.excluded.append(shown)
        elif os.path.isdir(path):
            real = os.path.realpath(path)
            self.allowed.append(real)
            self._walk(path, rel, real)
        elif not os.path.isfile(path):
            self._diag(shown, "not a regular file (a device, FIFO or socket)", "unreadable")
        elif not self._inside(os.path.realpath(path)):
            self._diag(
                shown,
                f"resolves outside the review root to {os.path.realpath(path)}; skipped",
                "outside-root",
            )
        elif path.endswith(PYTHON_SUFFIXES) or _has_python_shebang(path):
            self._keep(rel, os.path.realpath(path), symlink=os.path.islink(path))
        else:
            self._diag(
                shown,
                "not a Python file (no .py suffix and no python shebang line); skipped",
                "not-python",
            )

    # --- directory walk ------------------------------------------------------------------
    def _walk(self, top: str, top_rel: str, top_real: str) -> None:
        """Iterative (an explicit stack), so deep trees cannot exhaust the recursion limit."""
        stack = [(top, top_rel, top_real)]
        while stack:
            folder, rel, real = stack.pop()
            if real in self.walked:
                continue
            self.walked.add(real)
            try:
                with os.scandir(folder) as listing:
                    entries = list(listing)
            except OSError as exc:
                self._diag(rel or ".", f"cannot list directory: {_reason(exc)}", "unreadable")
                continue
            names = {entry.name for entry in entries}
            if folder != top and names & ENVIRONMENT_MARKERS:
                continue
            if rel:
                self.packages[rel] = "__init__.py" in names
            for entry in entries:
                entry_rel = _join(rel, entry.name)
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if not self._skip_dir(entry, entry_rel):
                            stack.append((entry.path, entry_rel, os.path.join(real, entry.name)))
                    elif entry.name.endswith(PYTHON_SUFFIXES):
                        self._walked_file(entry, entry_rel, os.path.join(real, entry.name))
                except OSError as exc:
                    self._diag(entry_rel, f"cannot inspect: {_reason(exc)}", "unreadable")

    def _skip_dir(self, entry: os.DirEntry[str], rel: str) -> bool:
        name = entry.name
        if name in SKIP_DIRS or name.endswith(".egg-info"):
            return True
        if name in OUTPUT_DIRS and not os.path.isfile(os.path.join(entry.path, "__init__.py")):
            return True
        return self.excludes.match(rel, is_dir=True) is not None

    def _walked_file(self, entry: os.DirEntry[str], rel: str, real: str) -> None:
        if self.excludes.match(rel, is_dir=False) is not None:
            return
        if not entry.is_symlink():
            if entry.is_file(follow_symlinks=False):
                self._keep(rel, real, symlink=False)
            else:
                self._diag(rel, "not a regular file (a device, FIFO or socket)", "unreadable")
            return
        try:
            mode = os.stat(entry.path).st_mode
        except OSError as exc:
            if exc.errno not in (errno.ENOENT, errno.ELOOP):
                raise
            self._dangling(rel, entry.path)
            return
        if stat.S_ISDIR(mode):
            return  # a link to a directory with a .py name: directory links are not followed
        target = os.path.realpath(entry.path)
        if not self._inside(target):
            self._diag(
                rel,
                f"symlink resolves outside the review root to {target}; skipped",
                "outside-root",
            )
        elif stat.S_ISREG(mode):
            self._keep(rel, target, symlink=True)
        else:
            self._diag(rel, "not a regular file (a device, FIFO or socket)", "unreadable")

    # --- bookkeeping ---------------------------------------------------------------------
    def _inside(self, real: str) -> bool:
        return any(_within(real, base) for base in self.allowed)

    def _keep(self, rel: str, real: str, *, symlink: bool) -> None:
        """Add a file once: a file named twice, or linked to from elsewhere, is one target."""
        abspath = os.path.join(self.root, *rel.split("/"))
        previous = self.targets.get(real)
        # prefer the real file over links to it, then the first path in sorted order, so
        # the choice does not depend on the order the file system lists entries in
        if previous is not None and (previous[1], previous[0].path) <= (symlink, rel):
            return
        self.targets[real] = (Target(path=rel, abspath=abspath, root=self.root), symlink)

    def _dangling(self, shown: str, path: str) -> None:
        """A symbolic link that leads nowhere: a loop (it leads back to itself, directly or
        through others), or a broken link (its target does not exist)."""
        target = os.readlink(path)
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self._diag(shown, f"symlink loop: {target} leads back to it", "symlink-loop")
                return
        self._diag(shown, f"broken symlink to {target}", "broken-symlink")

    def _diag(self, path: str, message: str, kind: str) -> None:
        self.diagnostics.append(Diagnostic(path, message, kind))

    def result(self) -> Discovery:
        targets = sorted((t for t, _ in self.targets.values()), key=lambda t: t.path)
        return Discovery(
            root=self.root,
            targets=targets,
            diagnostics=sorted(set(self.diagnostics), key=lambda d: (d.path, d.message)),
            package_dirs=frozenset(self._package_dirs(targets)),
            excluded=tuple(dict.fromkeys(self.excluded)),
        )

    def _package_dirs(self, targets: Sequence[Target]) -> set[str]:
        """Packages around the targets: enough for `module_name_for` to climb to the top."""
        for target in targets:
            folder = posixpath.dirname(target.path)
            while folder:
                if folder not in self.packages:
                    init = os.path.join(self.root, *folder.split("/"), "__init__.py")
                    self.packages[folder] = os.path.isfile(init)
                if not self.packages[folder]:
                    break
                folder = posixpath.dirname(folder)
        return {folder for folder, is_package in self.packages.items() if is_package}


def _has_python_shebang(path: str) -> bool:
    """A script without a suffix (`bin/manage`) is Python when its `#!` line says so."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(256)
    except OSError:
        return True  # let `load` report why it cannot be read
    return _SHEBANG.match(head) is not None


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
