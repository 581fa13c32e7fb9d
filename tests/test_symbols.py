"""Symbol tables: what a name stands for, where it is used."""

from __future__ import annotations

import ast
import textwrap

from tests._context import module_context

SOURCE = textwrap.dedent(
    """
    import json
    from . import helpers

    def run(cmd):
        return cmd

    def shell(cmd):
        from os import system as run
        import subprocess
        run(cmd)
        def inner():
            from shlex import quote as run
            return run(cmd)
        return subprocess

    class Loader:
        from yaml import load

    def later():
        run("x")
        subprocess.call("x")
        load("x")
        helpers.go()
    """
)


def _calls(text: str) -> dict[tuple[int, str], str | None]:
    ctx = module_context(text, "pkg/mod.py", "pkg.mod")
    return {
        (node.lineno, ast.unparse(node.func)): ctx.symbols.resolve(node.func)
        for node in ast.walk(ctx.tree)
        if isinstance(node, ast.Call)
    }


def test_an_import_in_a_function_binds_its_name_in_that_function_only() -> None:
    calls = _calls(SOURCE)
    assert calls[(11, "run")] == "os.system"
    assert calls[(14, "run")] == "shlex.quote"  # the nested function's own import wins
    assert calls[(21, "run")] == "pkg.mod.run"  # the module's function, not os.system
    assert calls[(22, "subprocess.call")] is None
    assert calls[(23, "load")] is None  # a class body's import is the class's attribute
    assert calls[(24, "helpers.go")] == "pkg.helpers.go"


def test_module_level_imports_inside_blocks_stay_module_wide() -> None:
    calls = _calls(
        textwrap.dedent(
            """
            try:
                import simplejson as json
            except ImportError:
                import json

            def dump(value):
                return json.dumps(value)
            """
        )
    )
    assert calls[(8, "json.dumps")] in ("simplejson.dumps", "json.dumps")


def test_every_import_counts_for_framework_detection() -> None:
    ctx = module_context(SOURCE, "pkg/mod.py", "pkg.mod")
    assert ctx.symbols.imports("os") and ctx.symbols.imports("yaml")
    assert "os.system" in set(ctx.symbols.all_aliases())
    assert "os.system" not in ctx.symbols.aliases.values()


def test_namespace_names_climb_directories_without_init_only() -> None:
    from secreview.python.symbols import namespace_names, tree_top_names

    assert namespace_names("services/reports/archive.py", "archive", {}) == [
        "services.reports.archive",
        "reports.archive",
    ]
    # a regular package inside a namespace package (`company` has no __init__.py)
    assert namespace_names("src/company/product/api.py", "product.api", {}) == [
        "src.company.product.api",
        "company.product.api",
    ]
    # a namespace package inside a regular package: below the package's own name
    packages = {"src/app": "app", "src/app/cps": "app.cps"}
    assert namespace_names("src/app/cps/providers/amazon.py", "amazon", packages) == [
        "app.cps.providers.amazon"
    ]
    assert namespace_names("product/__init__.py", "product", {}) == []
    assert namespace_names("my-tools/run.py", "run", {}) == []  # not a package name
    dirs = frozenset({"src/company/product", "lib", "lib/cps"})
    paths = ["src/company/product/api.py", "json/tool.py", "lib/cps/extra/feed.py"]
    tops = tree_top_names(paths, dirs)
    # not the standard library's json, nor `cps`, a package of `lib`
    assert tops == {"product", "src", "company", "tool", "feed", "lib"}
