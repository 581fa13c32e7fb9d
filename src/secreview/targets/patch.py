"""Unified diffs (Gerrit's "download patch", GitHub's `.patch`/`.diff`, `git diff`, `diff -u`)
-> which lines of which files a change touched, and the files' text after it.

Parsing is `unidiff`'s (git headers, renames, new/deleted files, binary markers). Applying is
done here, strictly (context must match; a hunk may only move, as with `patch` at fuzz 0),
on an in-memory copy: the reviewed tree is never written to. A patch is either not yet in
the tree (it is applied to a copy) or already in it (it then reverse-applies cleanly); a
tree in neither state is an error, as is a malformed patch.

The patch may come from anyone, so every path in it is checked before it is used: no
absolute paths, no `..`, nothing that resolves (through a symlink) outside the review root.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from secreview.model import Diagnostic
from secreview.targets.walk import PYTHON_SUFFIXES


class PatchError(ValueError):
    """The patch is malformed, hostile, or does not fit the reviewed tree."""


@dataclass(frozen=True, slots=True)
class Hunk:
    old_start: int
    new_start: int
    ops: tuple[tuple[str, str], ...]  # (" " context | "-" removed | "+" added, line text)

    @property
    def old_lines(self) -> list[str]:
        return [text for op, text in self.ops if op != "+"]

    def reversed(self) -> Hunk:
        swap = {"+": "-", "-": "+", " ": " "}
        return Hunk(self.new_start, self.old_start, tuple((swap[op], t) for op, t in self.ops))


@dataclass(frozen=True, slots=True)
class FilePatch:
    """One file's part of a patch; old_path None = a new file, new_path None = deleted."""

    old_path: str | None
    new_path: str | None
    hunks: tuple[Hunk, ...] = ()
    binary: bool = False
    symlink: bool = False
    copy: bool = False  # `copy from`/`copy to`: the old file stays

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or ""

    def reversed(self) -> FilePatch:
        if self.copy:  # undoing a copy removes the copy; the original is untouched
            return FilePatch(self.new_path, None, tuple(h.reversed() for h in self.hunks))
        return replace(
            self,
            old_path=self.new_path,
            new_path=self.old_path,
            hunks=tuple(h.reversed() for h in self.hunks),
        )


# --- parsing ---------------------------------------------------------------------------------
def read_patch(path: str) -> list[FilePatch]:
    """Read and parse a patch file (plain, or base64 as Gerrit's download link gives it);
    `-` reads standard input."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
    except OSError as exc:
        raise PatchError(f"cannot read patch {path}: {exc.strerror or exc}") from None
    return parse_patch(data, name=path)


def parse_patch(data: bytes | str, name: str = "patch") -> list[FilePatch]:
    """The file patches of a unified diff, in order (a `git format-patch` series may touch
    one file several times); none for an empty patch; PatchError when it is not one."""
    from unidiff import PatchSet
    from unidiff.errors import UnidiffParseError

    # Lines end at "\n" alone, as git and `patch` read them: `str.splitlines` would also break
    # at form feeds and Unicode line separators inside a line of code. CRLF endings (a patch
    # saved on Windows) become LF, or the file names and mode lines would keep the "\r".
    text = _decode(data, name).replace("\r\n", "\n")
    if not text.strip() or _empty_commit(text):
        return []  # an empty change, as an empty `git diff` is: nothing to review, no error
    try:
        patch_set = PatchSet(io.StringIO(text))
    except UnidiffParseError as exc:
        raise PatchError(f"malformed patch {name}: {exc}") from None
    except (ValueError, IndexError, AttributeError) as exc:  # unidiff on odd input
        raise PatchError(f"malformed patch {name}: {exc}") from None
    files = [_convert(patched, name) for patched in patch_set]
    if not files:
        raise PatchError(f"malformed patch {name}: no file changes found (not a unified diff?)")
    return files


def _empty_commit(text: str) -> bool:
    """`git format-patch` of a commit that changes no file: its mail header, and no diff."""
    return (
        text.startswith("From ")
        and "\nSubject:" in text
        and not re.search(r"^(?:diff --git |--- |\+\+\+ |@@ )", text, re.MULTILINE)
    )


def _decode(data: bytes | str, name: str) -> str:
    if isinstance(data, str):
        return data
    stripped = data.strip()
    if stripped and re.fullmatch(rb"[A-Za-z0-9+/=\s]+", stripped):
        try:  # Gerrit's "Download patch" serves the patch base64-encoded
            decoded = base64.b64decode(b"".join(stripped.split()), validate=True)
        except (binascii.Error, ValueError):
            decoded = b""
        if b"\n--- " in b"\n" + decoded or b"diff --git " in decoded:
            data = decoded
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", "surrogateescape")  # keep going: paths are checked later


def _convert(patched: object, name: str) -> FilePatch:
    info = "".join(getattr(patched, "patch_info", None) or [])
    git = info.startswith("diff --git ") or "\ndiff --git " in info
    source = _unquote(patched.source_file or "")  # type: ignore[attr-defined]
    target = _unquote(patched.target_file or "")  # type: ignore[attr-defined]
    old = None if source == "/dev/null" else source
    new = None if target == "/dev/null" else target
    if old is None and new is None:
        raise PatchError(f"malformed patch {name}: a file diff names no file")
    old, new = _strip_prefix(old, new, git)
    hunks = []
    for hunk in patched:  # type: ignore[attr-defined]
        ops = []
        for line in hunk:
            if line.line_type in ("\\",):
                continue  # "\ No newline at end of file"
            op = "+" if line.is_added else "-" if line.is_removed else " "
            ops.append((op, line.value.rstrip("\n").rstrip("\r")))
        hunks.append(Hunk(hunk.source_start, hunk.target_start, tuple(ops)))
    modes = re.findall(
        r"^(?:new file mode|deleted file mode|new mode|index \S+) (\d+)$", info, re.M
    )
    return FilePatch(
        old_path=old,
        new_path=new,
        hunks=tuple(hunks),
        binary=bool(getattr(patched, "is_binary_file", False)),
        symlink="120000" in modes,
        copy=bool(re.search(r"^copy from ", info, re.M)),
    )


def _strip_prefix(old: str | None, new: str | None, git: bool) -> tuple[str | None, str | None]:
    """git's `a/` `b/` (or mnemonic) prefixes; for a plain `diff -ruN old new` the differing
    first folder (as `patch -p1` would)."""
    names = [p for p in (old, new) if p is not None]
    if git:
        return tuple(_drop_first(p) if p is not None else None for p in (old, new))  # type: ignore[return-value]
    if names and all("/" in p for p in names):
        firsts = {p.split("/", 1)[0] for p in names}
        if (len(names) == 2 and len(firsts) == 2) or firsts <= {"a", "b"}:
            return tuple(_drop_first(p) if p is not None else None for p in (old, new))  # type: ignore[return-value]
    return old, new


def _drop_first(path: str) -> str:
    return path.split("/", 1)[1] if "/" in path else path


_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def _unquote(path: str) -> str:
    """git's C-style quoting of unusual file names: `"caf\\303\\251.py"` -> `café.py`."""
    if len(path) < 2 or not (path.startswith('"') and path.endswith('"')):
        return path
    out = bytearray()
    body = path[1:-1]
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if re.fullmatch(r"[0-7]{3}", body[i + 1 : i + 4]):
                out.append(int(body[i + 1 : i + 4], 8) & 0xFF)
                i += 4
                continue
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
        out.extend(char.encode("utf-8", "surrogateescape"))
        i += 1
    return out.decode("utf-8", "surrogateescape")


# --- hostile paths ---------------------------------------------------------------------------
def safe_path(path: str, root: str) -> str:
    """`path` normalised (forward slashes, no `.`), or PatchError when it is absolute, climbs
    out with `..`, or resolves through a symlink to a place outside `root`."""
    if not path or "\0" in path:
        raise PatchError(f"refused: the patch names an empty or invalid path {path!r}")
    if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path):
        raise PatchError(f"refused: the patch names an absolute path: {path}")
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    if ".." in parts:
        raise PatchError(f"refused: the patch climbs out of the review root with '..': {path}")
    if not parts:
        raise PatchError(f"refused: the patch names no file: {path!r}")
    clean = "/".join(parts)
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(real_root, *parts))
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        raise PatchError(
            f"refused: {clean} resolves through a symlink to {real}, outside the review root"
        )
    return clean


def is_python(path: str | None) -> bool:
    return path is not None and path.endswith(PYTHON_SUFFIXES)


# --- applying --------------------------------------------------------------------------------
Lines = list[str]


@dataclass(slots=True)
class _State:
    """The files a patch touches, as it goes: text lines and which of them it changed."""

    load: Callable[[str], Lines | None]
    files: dict[str, Lines | None] = field(default_factory=dict)
    flags: dict[str, list[bool]] = field(default_factory=dict)
    exact: bool = True  # every hunk matched where its header says (after earlier shifts)

    def get(self, path: str) -> Lines | None:
        if path not in self.files:
            self.files[path] = self.load(path)
            if self.files[path] is not None:
                self.flags[path] = [False] * len(self.files[path])  # type: ignore[arg-type]
        return self.files[path]

    def put(self, path: str, lines: Lines | None, flags: list[bool] | None) -> None:
        self.files[path] = lines
        if lines is None:
            self.flags.pop(path, None)
        else:
            self.flags[path] = flags if flags is not None else [False] * len(lines)


def _apply(patches: Iterable[FilePatch], state: _State) -> None:
    """Apply in order; PatchError naming the first file that does not fit."""
    for patch in patches:
        if patch.binary or patch.symlink:
            continue  # no text to review (paths were checked when the patch was read)
        if patch.old_path is None:
            new = patch.new_path or ""
            if state.get(new) is not None:
                raise PatchError(f"{new}: the patch creates it, but it already exists")
            lines, flags = _hunks([], [], patch.hunks, new, state)
            state.put(new, lines, flags)
            continue
        current = state.get(patch.old_path)
        if current is None:
            raise PatchError(f"{patch.old_path}: the patch changes it, but it does not exist")
        lines, flags = _hunks(
            current, state.flags[patch.old_path], patch.hunks, patch.old_path, state
        )
        if patch.new_path is None:
            state.put(patch.old_path, None, None)
        elif patch.new_path != patch.old_path:
            if state.get(patch.new_path) is not None:
                raise PatchError(f"{patch.new_path}: the patch renames a file onto it")
            if not patch.copy:
                state.put(patch.old_path, None, None)
            state.put(patch.new_path, lines, flags)
        else:
            state.put(patch.old_path, lines, flags)


def _hunks(
    lines: Lines, flags: list[bool], hunks: Iterable[Hunk], path: str, state: _State
) -> tuple[Lines, list[bool]]:
    lines, flags = list(lines), list(flags)
    offset = 0
    floor = 0  # a hunk may not match above the previous one
    for number, hunk in enumerate(hunks, 1):
        source = hunk.old_lines
        nominal = hunk.old_start - 1 if source else hunk.old_start
        position = _find(lines, source, nominal + offset, floor)
        if position is None:
            raise PatchError(
                f"{path}: hunk {number} (at line {hunk.old_start}) does not match the file"
            )
        if position != max(nominal + offset, floor):
            state.exact = False
        new_lines: Lines = []
        new_flags: list[bool] = []
        index = position
        removed = False  # lines were removed just before the next one (see `changed_lines`)
        for op, text in hunk.ops:
            if op == "-":
                index += 1
                if not removed and new_flags:
                    new_flags[-1] = True
                elif not removed and position > 0:
                    flags[position - 1] = True
                removed = True
                continue
            if op == " ":
                new_lines.append(lines[index])
                new_flags.append(flags[index] or removed)
                index += 1
            else:
                new_lines.append(text)
                new_flags.append(True)
            removed = False
        lines[position : position + len(source)] = new_lines
        flags[position : position + len(source)] = new_flags
        after = position + len(new_lines)
        if removed and after < len(flags):
            flags[after] = True  # the hunk ends with a removal: the line after it
        offset = position + len(new_lines) - (nominal + len(source))
        floor = position + len(new_lines)
    return lines, flags


def _find(lines: Lines, block: Lines, start: int, floor: int) -> int | None:
    """Where `block` sits: at `start` if it does, else the nearest place at or below `floor`."""
    start = max(start, floor)
    limit = len(lines) - len(block)
    if limit < floor:
        return None
    for distance in range(max(limit, start) + 1):
        for candidate in (start + distance, start - distance) if distance else (start,):
            if floor <= candidate <= limit and _matches(lines, block, candidate):
                return candidate
    return None


def _matches(lines: Lines, block: Lines, at: int) -> bool:
    return all(lines[at + i].rstrip("\r") == text for i, text in enumerate(block))


# --- the result ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PatchResult:
    """What a patch means for the reviewed tree."""

    changed: dict[str, frozenset[int]]  # python file -> its changed (added) lines, 1-based
    applied: bool  # False: the tree already holds the change; True: `contents` must be used
    contents: dict[str, str | None]  # python file -> text after the patch (None: deleted)
    deleted: tuple[str, ...] = ()
    notes: tuple[Diagnostic, ...] = ()  # binary or symlink entries that were skipped


def resolve(patches: list[FilePatch], root: str) -> PatchResult:
    """Fit `patches` to the tree at `root`: applied to a copy, or found already applied.

    Hunks without context (`diff -U0`) can fit both ways; then the tree holding every added
    line exactly where the patch puts it means the patch is already in."""
    checked = [_checked(p, root) for p in patches]

    def load(path: str) -> Lines | None:
        return _read_lines(os.path.join(root, *path.split("/")))

    forward = _State(load)
    backward = _State(load)
    forward_error = _try(checked, forward)
    backward_error = _try([p.reversed() for p in reversed(checked)], backward)
    if forward_error and backward_error:
        raise PatchError(
            "the patch does not apply to the reviewed tree, nor is it already applied: "
            f"{forward_error}"
        )
    if forward_error is None and (backward_error is not None or not backward.exact):
        final, applied = forward, True
    else:
        base = dict(backward.files)
        final = _State(lambda path: base[path] if path in base else load(path))
        _apply(checked, final)  # cannot fail: reversing it just produced this base
        applied = False
    changed: dict[str, frozenset[int]] = {}
    contents: dict[str, str | None] = {}
    for path, lines in final.files.items():
        if not is_python(path):
            continue
        if lines is None:
            contents[path] = None
            continue
        lines_changed = frozenset(i + 1 for i, flag in enumerate(final.flags[path]) if flag)
        if lines_changed:
            changed[path] = lines_changed
        contents[path] = "\n".join(lines) + ("\n" if lines else "")
    deleted = tuple(sorted(p for p, text in contents.items() if text is None))
    notes = tuple(
        Diagnostic(p.path, f"{'binary' if p.binary else 'symlink'} change skipped", "patch")
        for p in checked
        if (p.binary or p.symlink) and (is_python(p.old_path) or is_python(p.new_path))
    )
    return PatchResult(changed, applied, contents, deleted, notes)


def _try(patches: list[FilePatch], state: _State) -> str | None:
    try:
        _apply(patches, state)
    except PatchError as exc:
        return str(exc)
    return None


def _checked(patch: FilePatch, root: str) -> FilePatch:
    old = safe_path(patch.old_path, root) if patch.old_path is not None else None
    new = safe_path(patch.new_path, root) if patch.new_path is not None else None
    if patch.symlink and new is not None:
        # a link the patch creates must not lead out of the tree either
        target = "".join(text for hunk in patch.hunks for op, text in hunk.ops if op == "+")
        if target:
            base = os.path.dirname(new)
            joined = os.path.normpath(os.path.join(base, target)) if base else target
            if os.path.isabs(target) or joined.split(os.sep)[0] == "..":
                raise PatchError(
                    f"refused: the patch makes {new} a symlink to {target}, outside the review root"
                )
            safe_path(joined.replace(os.sep, "/"), root)
    return replace(patch, old_path=old, new_path=new)


def _read_lines(path: str) -> Lines | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise PatchError(f"{path}: the patch names a directory") from None
    except OSError as exc:
        raise PatchError(f"cannot read {path}: {exc.strerror or exc}") from None
    text = data.decode("utf-8", "surrogateescape")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def changed_lines(patch: FilePatch) -> frozenset[int]:
    """The new-side lines a file patch changes: those it adds, and the two lines around each
    place it removes lines from. A removal changes what the code around it does (a deleted
    `name = shlex.quote(name)` makes the next line's command injectable), and a review of
    the change must see what that exposes."""
    lines: set[int] = set()
    for hunk in patch.hunks:
        # the number of the next new-side line; a hunk that only removes lines (`+4,0`)
        # gives the line before the removal
        number = hunk.new_start if any(op != "-" for op, _ in hunk.ops) else hunk.new_start + 1
        for op, _text in hunk.ops:
            if op == "+":
                lines.add(number)
            elif op == "-":
                lines.update((number - 1, number))
            if op != "-":
                number += 1
    return frozenset(line for line in lines if line >= 1)
