"""Reviewing a change: `--diff REV`, `--diff A..B`, `--diff A...B`, `--staged`, `--patch FILE`.

Whole files are analysed, and the whole tree under the review root for data flow, so a
changed line is judged in its full context; only findings whose flagged statement or any
trace step lies on a changed line are reported (`findings.process` does the scoping).

The tree analysed is the one the change describes: the working tree for `--diff REV`; the
commit B for `A..B` / `A...B` and the index for `--staged`, exported to a scratch folder
when the working tree differs; for `--patch`, the working tree if it already holds the
patch, else a scratch copy with the patch applied. The reviewed tree is never modified.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

from secreview.model import Diagnostic, Review
from secreview.targets import git
from secreview.targets.patch import (
    PatchError,
    changed_lines,
    is_python,
    parse_patch,
    read_patch,
    resolve,
)
from secreview.targets.walk import review_root

# (paths to review, review root, changed lines) -> Review: the CLI's pipeline call, so the
# executor, cache and progress options apply to change reviews too.
Runner = Callable[[Sequence[str], str, dict[str, frozenset[int]]], Review]


class ChangeError(Exception):
    """The change cannot be reviewed as asked (not a repository, unknown revision, malformed
    or hostile patch): a usage error, exit code 2."""


@dataclass(frozen=True, slots=True)
class ChangeSpec:
    """What the command line asked to review; exactly one is set."""

    diff: str | None = None  # REV, A..B or A...B
    staged: bool = False
    patch: str | None = None  # a unified diff file

    def __bool__(self) -> bool:
        return bool(self.diff or self.staged or self.patch)


@dataclass(slots=True)
class _Change:
    changed: dict[str, frozenset[int]]  # relative to the review root
    tree: str  # the folder to analyse: the review root, or its copy in the scratch folder
    description: str  # "changed since origin/master"
    notes: list[Diagnostic] = field(default_factory=list)


def root_of(paths: Sequence[str]) -> str:
    """The review root the paths give (as `targets.discover` chooses it)."""
    return review_root(list(paths) or ["."])


def review_change(
    paths: Sequence[str], spec: ChangeSpec, run: Runner, root: str | None = None
) -> Review:
    """Review what `spec` changed under the review root (`root`, else the one `paths`
    give). The whole tree under the root is context; the paths narrow which changes count
    and, as in a whole-tree review of them, which findings are reported."""
    paths = list(paths) or ["."]
    root = os.path.abspath(root) if root is not None else root_of(paths)
    with tempfile.TemporaryDirectory(prefix="secreview-change-") as scratch:
        try:
            if spec.patch:
                change = _from_patch(root, spec.patch, scratch)
            else:
                change = _from_git(root, spec, scratch)
        except (git.GitError, PatchError) as exc:
            raise ChangeError(str(exc)) from None
        prefixes = _prefixes(root, paths)
        changed = _under(change.changed, prefixes)
        review = run([change.tree], change.tree, changed) if changed else Review(root=root)
    # as in a whole-tree review of the same paths, only findings in them are reported
    findings = _under({f.location.path: f for f in review.findings}, prefixes)
    count = len(changed)
    note = f"{count} file{'' if count == 1 else 's'} {change.description}"
    return replace(
        review,
        findings=tuple(f for f in review.findings if f.location.path in findings),
        root=root,
        scope_note=note,
        changed_lines=changed,
        diagnostics=tuple(
            sorted([*review.diagnostics, *change.notes], key=lambda d: (d.path, d.message))
        ),
    )


# --- git ---------------------------------------------------------------------------------------
def _from_git(root: str, spec: ChangeSpec, scratch: str) -> _Change:
    top = git.toplevel(root)
    inside = os.path.relpath(os.path.realpath(root), top).replace(os.sep, "/")
    if inside == ".." or inside.startswith("../"):
        raise ChangeError(f"the review root {root} is not inside the repository {top}")
    prefix = "" if inside == "." else inside + "/"
    extra: dict[str, frozenset[int]] = {}
    export: Callable[[], None] | None = None  # how to get the tree to analyse, if not `root`
    if spec.staged:
        text = git.diff(top, git.head_or_empty(top), cached=True)
        description = "staged for commit"
        if git.differs(top):  # unstaged edits: analyse what is staged, not the working tree
            export = partial(git.export_index, top, scratch)
    elif spec.diff and ".." in spec.diff:
        three = "..." in spec.diff
        first, second = spec.diff.split("..." if three else "..", 1)
        old = git.commit(top, first or "HEAD")
        new = git.commit(top, second or "HEAD")
        text = git.diff(top, f"{old}...{new}" if three else old, *(() if three else (new,)))
        description = (
            f"on {second or 'HEAD'} since it forked from {first or 'HEAD'}"
            if three
            else f"changed from {first or 'HEAD'} to {second or 'HEAD'}"
        )
        if git.differs(top, new) or git.untracked(top):
            export = partial(git.export_commit, top, new, scratch)
    else:
        base = git.commit(top, spec.diff or "HEAD")
        text = git.diff(top, base)
        description = f"changed since {spec.diff}"
        for path in git.untracked(top):  # new files not added yet are part of the change
            if is_python(path):
                extra[path] = _all_lines(os.path.join(top, *path.split("/")))
    changed = {**_changed_lines(text), **{p: v for p, v in extra.items() if v}}
    changed = {p[len(prefix) :]: v for p, v in changed.items() if p.startswith(prefix)}
    tree = root
    if export is not None and changed:  # nothing changed: nothing to analyse, no export
        export()
        tree = _mirror(scratch, inside)
    return _Change(changed=changed, tree=tree, description=description)


def _changed_lines(diff_text: str) -> dict[str, frozenset[int]]:
    if not diff_text.strip():
        return {}
    changed: dict[str, frozenset[int]] = {}
    for patch in parse_patch(diff_text, name="git diff"):
        if patch.new_path is not None and is_python(patch.new_path):
            lines = changed_lines(patch)
            if lines:
                changed[patch.new_path] = changed.get(patch.new_path, frozenset()) | lines
    return changed


# an untracked file larger than this is not read for its line count (the review itself
# reports it as too large to analyse, at the configured limit of at most a few MB)
_MAX_UNTRACKED = 64 * 1024 * 1024


def _all_lines(path: str) -> frozenset[int]:
    """Every line of a new, untracked file, counted as the engine counts them (CR LF, CR
    and LF each end a line). Only regular files are read: a FIFO, a device or a link to
    one (`/dev/zero`) would never end."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_UNTRACKED:
            return frozenset()
        with open(path, "rb") as handle:
            data = handle.read(_MAX_UNTRACKED + 1)
    except OSError:
        return frozenset()
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    count = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    return frozenset(range(1, count + 1))


def _mirror(scratch: str, inside: str) -> str:
    """The review root's place in an exported tree (created if the export has no file
    there, so the review finds an empty folder rather than a missing one)."""
    folder = scratch if inside == "." else os.path.join(scratch, *inside.split("/"))
    os.makedirs(folder, exist_ok=True)
    return folder


# --- patch -------------------------------------------------------------------------------------
def _from_patch(root: str, patch_file: str, scratch: str) -> _Change:
    result = resolve(read_patch(patch_file), root)
    name = "the patch on standard input" if patch_file == "-" else os.path.basename(patch_file)
    tree = root
    if result.applied:
        tree = os.path.join(scratch, "tree")
        _copy_tree(root, tree, result.contents)
    return _Change(result.changed, tree, f"changed by {name}", list(result.notes))


def _copy_tree(root: str, dest: str, contents: Mapping[str, str | None]) -> None:
    """A copy of the python files under `root` with the patched files' new text."""
    from secreview.config import Config
    from secreview.targets import discover

    os.makedirs(dest, exist_ok=True)
    for target in discover([root], Config(), root).targets:
        if target.path in contents:
            continue
        copy = os.path.join(dest, *target.path.split("/"))
        os.makedirs(os.path.dirname(copy), exist_ok=True)
        shutil.copyfile(target.abspath, copy)
    for path, text in contents.items():
        if text is None:
            continue
        copy = os.path.join(dest, *path.split("/"))
        os.makedirs(os.path.dirname(copy), exist_ok=True)
        with open(copy, "w", encoding="utf-8", errors="surrogateescape", newline="") as handle:
            handle.write(text)


# --- scope -------------------------------------------------------------------------------------
def _prefixes(root: str, paths: Sequence[str]) -> list[str] | None:
    """The paths named, relative to the root; None when one of them is the root itself."""
    prefixes: list[str] = []
    for path in paths:
        rel = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
        if rel == ".":
            return None
        prefixes.append(rel)
    return prefixes


def _under[T](items: dict[str, T], prefixes: list[str] | None) -> dict[str, T]:
    """The entries whose path is under one of the prefixes (all of them for None)."""
    if prefixes is None:
        return dict(items)
    return {
        path: item
        for path, item in items.items()
        if any(path == prefix or path.startswith(prefix + "/") for prefix in prefixes)
    }
