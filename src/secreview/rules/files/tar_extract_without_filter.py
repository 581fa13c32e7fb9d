"""tar-extract-without-filter: tar members written where their names say, unchecked."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, has_kwargs_splat, keyword
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import (
    constant_string,
    enclosing_function,
    producers,
    scope_nodes,
)
from secreview.rules.support.keyword_fix import set_keyword
from secreview.rules.support.pattern import Hit, Rule, register

_SAFE_FILTERS = frozenset({"data", "tar"})
# Calls that show the function inspects member paths itself before extracting.
_PATH_CHECKS = frozenset(
    {
        "os.path.realpath",
        "os.path.abspath",
        "os.path.normpath",
        "os.path.commonpath",
        "os.path.commonprefix",
        "tarfile.data_filter",
        "tarfile.tar_filter",
    }
)
_MEMBER_CHECK_METHODS = frozenset({"is_relative_to", "issym", "islnk", "isdev"})


@register
class TarExtractWithoutFilter(Rule):
    meta = RuleMeta(
        id="tar-extract-without-filter",
        cwe=22,
        severity="medium",
        confidence="high",
        title="Tar archive extracted without an extraction filter",
        why=(
            "Before Python 3.14, tarfile extracts members exactly as the archive names them: "
            "'../' components, absolute paths, symlinks and hard links pointing outside the "
            "target, device files and setuid bits all come through, so a crafted archive "
            "overwrites files anywhere the process can write."
        ),
        example="with tarfile.open(bundle) as tar:\n    tar.extractall(dest)",
        fix=(
            "Pass filter='data' (or 'tar' to keep Unix metadata) to extractall()/extract() "
            "and shutil.unpack_archive() (Python 3.12+, backported to 3.8.17/3.9.17/3.10.12/"
            "3.11.4), or check every member's resolved path and type before extracting."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/22.html",
            "https://docs.python.org/3/library/tarfile.html#tarfile-extraction-filter",
            "https://peps.python.org/pep-0706/",
        ),
        fixable=True,
    )
    calls = frozenset({"shutil.unpack_archive"})
    nodes = (ast.Call,)
    methods = frozenset({"extractall", "extract"})
    triggers = frozenset({"unpack_archive", "tarfile"})  # TarFile objects: tarfile.* made them

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        """shutil.unpack_archive uses tarfile for every format but zip."""
        if _has_safe_filter(call, ctx) or _module_sets_filter(ctx):
            return
        fmt = constant_string(argument(call, 2, "format"), ctx)
        filename = constant_string(argument(call, 0, "filename"), ctx) or ""
        if fmt == "zip" or (fmt is None and filename.lower().endswith(".zip")):
            return  # zipfile strips '..' and absolute paths itself
        if argument(call, 2, "format") is not None and fmt is None:
            return  # the format is chosen at run time: may well be zip
        yield Hit(
            call,
            "shutil.unpack_archive() without filter='data' extracts tar members as named: "
            "'../' paths, absolute paths and links can write outside the target directory.",
            confidence="medium" if fmt is None else None,
            fixes=set_keyword(ctx, call, "filter", '"data"', "Extract with filter='data'"),
        )

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in ("extractall", "extract"):
            return
        made_by = producers(func.value, ctx)
        if not any(p.startswith("tarfile.") for p in made_by):
            return  # not visibly a TarFile: zipfile and others are not this rule's business
        if _has_safe_filter(node, ctx) or _members_checked(node, ctx) or _module_sets_filter(ctx):
            return
        if keyword(node, "filter") is None and has_kwargs_splat(node):
            return  # filter= may come in **kwargs
        explicit = constant_string(keyword(node, "filter"), ctx)
        how = f"filter={explicit!r}" if explicit else "no filter"
        yield Hit(
            node,
            f"TarFile.{func.attr}() with {how} writes members where their names point: a "
            "crafted archive with '../' paths, absolute paths or links overwrites files "
            "outside the target directory.",
            fixes=set_keyword(ctx, node, "filter", '"data"', "Extract with filter='data'"),
        )


def _has_safe_filter(call: ast.Call, ctx: ModuleContext) -> bool:
    value = keyword(call, "filter")
    if value is None:
        return False
    text = constant_string(value, ctx)
    if text is not None:
        return text in _SAFE_FILTERS
    return ctx.constant_value(value) is NotImplemented  # a filter function decides


def _members_checked(call: ast.Call, ctx: ModuleContext) -> bool:
    """`members=` chosen by a function or condition, or member paths checked nearby."""
    members = keyword(call, "members")
    if members is not None:
        if isinstance(members, (ast.ListComp, ast.GeneratorExp)):
            if any(g.ifs for g in members.generators):
                return True
        elif not (isinstance(members, ast.Call) and _is_getmembers(members)):
            return True  # safe_members(tar), a filtered list built earlier
    function = enclosing_function(call, ctx)
    scope = function if function is not None else ctx.tree
    for node in scope_nodes(scope):
        if isinstance(node, ast.Call):
            if ctx.resolve(node.func) in _PATH_CHECKS:
                return True
            if isinstance(node.func, ast.Attribute) and node.func.attr in _MEMBER_CHECK_METHODS:
                return True
    return False


def _is_getmembers(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == "getmembers"


def _module_sets_filter(ctx: ModuleContext) -> bool:
    """`tar.extraction_filter = ...` / `tarfile.TarFile.extraction_filter = ...`."""
    cached = ctx.memo.get("sets-tar-filter")
    if cached is None:
        cached = ctx.memo["sets-tar-filter"] = any(
            isinstance(node, ast.Attribute)
            and node.attr == "extraction_filter"
            and isinstance(node.ctx, ast.Store)
            for node in ctx.nodes  # ast.walk(ctx.tree), already listed
        )
    return bool(cached)
