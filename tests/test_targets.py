"""The targets stage: which files a review covers, under which root, and how they are read."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from secreview.config import Config
from secreview.model import Diagnostic, SourceFile
from secreview.python.symbols import module_name_for
from secreview.targets import (
    OUTPUT_DIRS,
    SKIP_DIRS,
    Discovery,
    Excludes,
    Target,
    discover,
    load,
    review_root,
)


def write(base: Path, rel: str, content: str | bytes = "x = 1\n") -> Path:
    path = base / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def found(discovery: Discovery) -> list[str]:
    return [t.path for t in discovery.targets]


def kinds(discovery: Discovery) -> dict[str, str]:
    return {d.path: d.kind for d in discovery.diagnostics}


# --- the review root ---------------------------------------------------------------------


def test_root_is_the_common_folder_of_the_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(tmp_path, "pkg/a.py")
    write(tmp_path, "b.py")
    monkeypatch.chdir(tmp_path)
    discovery = discover(["pkg", "b.py"], Config())
    assert discovery.root == str(tmp_path)
    assert found(discovery) == ["b.py", "pkg/a.py"]
    target = discovery.targets[1]
    assert target.abspath == str(tmp_path / "pkg" / "a.py")
    assert target.root == str(tmp_path)


def test_root_is_the_directory_itself_when_outside_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write(tmp_path, "proj/app/views.py")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    discovery = discover([str(tmp_path / "proj")], Config())
    assert discovery.root == str(tmp_path / "proj")
    assert found(discovery) == ["app/views.py"]


def test_root_is_deepest_common_parent_outside_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(tmp_path, "repo/one/a.py")
    write(tmp_path, "repo/two/deep/b.py")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    discovery = discover(
        [str(tmp_path / "repo/one"), str(tmp_path / "repo/two/deep/b.py")], Config()
    )
    assert discovery.root == str(tmp_path / "repo")
    assert found(discovery) == ["one/a.py", "two/deep/b.py"]


def test_root_of_a_single_file_outside_cwd_is_its_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    script = write(tmp_path, "proj/tool.py")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    discovery = discover([str(script)], Config())
    assert discovery.root == str(tmp_path / "proj")
    assert found(discovery) == ["tool.py"]


def test_review_root_ignores_nothing_but_needs_paths(tmp_path: Path):
    assert review_root([], str(tmp_path)) == str(tmp_path)
    assert review_root([str(tmp_path / "a")], str(tmp_path)) == str(tmp_path)


def test_no_paths_means_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(tmp_path, "a.py")
    monkeypatch.chdir(tmp_path)
    assert found(discover([], Config())) == ["a.py"]


# --- what a walk takes -------------------------------------------------------------------


def test_walk_takes_py_and_pyw_only_sorted(tmp_path: Path):
    for rel in ["z.py", "a/b.pyw", "a/c.py", "notes.txt", "m.pyc", "stub.pyi", "script"]:
        write(tmp_path, rel)
    discovery = discover([str(tmp_path)], Config())
    assert found(discovery) == ["a/b.pyw", "a/c.py", "z.py"]
    assert discovery.diagnostics == []


@pytest.mark.parametrize("name", [*sorted(SKIP_DIRS), "pkg.egg-info"])
def test_walk_skips_tool_and_vcs_directories(tmp_path: Path, name: str):
    write(tmp_path, f"{name}/inner/mod.py")
    write(tmp_path, "keep.py")
    assert found(discover([str(tmp_path)], Config())) == ["keep.py"]


@pytest.mark.parametrize("name", ["env", "whatever", ".direnv"])
def test_walk_skips_any_virtualenv_by_its_pyvenv_cfg(tmp_path: Path, name: str):
    write(tmp_path, f"{name}/pyvenv.cfg", "home = /usr/bin\n")
    write(tmp_path, f"{name}/lib/python3.13/thing.py")
    write(tmp_path, "keep.py")
    assert found(discover([str(tmp_path)], Config())) == ["keep.py"]


def test_walk_skips_conda_environments(tmp_path: Path):
    (tmp_path / "envs/dev/conda-meta").mkdir(parents=True)
    write(tmp_path, "envs/dev/lib/thing.py")
    assert found(discover([str(tmp_path)], Config())) == []


def test_env_directory_without_pyvenv_cfg_is_source(tmp_path: Path):
    write(tmp_path, "app/env/settings.py")
    assert found(discover([str(tmp_path)], Config())) == ["app/env/settings.py"]


@pytest.mark.parametrize("name", sorted(OUTPUT_DIRS))
def test_build_output_is_skipped_but_a_package_of_that_name_is_not(tmp_path: Path, name: str):
    write(tmp_path, f"{name}/lib/pkg/mod.py")
    write(tmp_path, f"src/{name}/__init__.py")
    write(tmp_path, f"src/{name}/main.py")
    assert found(discover([str(tmp_path)], Config())) == [
        f"src/{name}/__init__.py",
        f"src/{name}/main.py",
    ]


def test_explicitly_named_skipped_directory_is_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write(tmp_path, "build/gen.py")
    (tmp_path / ".git").mkdir()  # the root: the work tree
    monkeypatch.chdir(tmp_path)
    assert found(discover(["build"], Config())) == ["build/gen.py"]


def test_deep_tree_is_walked_without_recursion(tmp_path: Path):
    depth = sys.getrecursionlimit() + 200
    folder = tmp_path
    for _ in range(depth):  # os.makedirs would itself recurse too deeply
        folder = folder / "d"
        folder.mkdir()
    (folder / "deep.py").write_text("x = 1\n")
    rel = "/".join(["d"] * depth)
    discovery = discover([str(tmp_path)], Config())
    assert found(discovery) == [f"{rel}/deep.py"]


def test_unlistable_directory_is_a_diagnostic_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write(tmp_path, "locked/secret.py")
    write(tmp_path, "open/fine.py")
    real_scandir = os.scandir
    locked = str(tmp_path / "locked")

    def scandir(path):  # type: ignore[no-untyped-def]
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    discovery = discover([str(tmp_path)], Config())
    assert found(discovery) == ["open/fine.py"]
    [diag] = discovery.diagnostics
    assert (diag.path, diag.kind) == ("locked", "unreadable")
    assert "Permission denied" in diag.message


# --- explicitly named paths --------------------------------------------------------------


def test_missing_path_is_a_diagnostic_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write(tmp_path, "good.py")
    monkeypatch.chdir(tmp_path)
    discovery = discover(["nope.py", "good.py"], Config())
    assert found(discovery) == ["good.py"]
    assert kinds(discovery) == {"nope.py": "missing"}
    assert "nope.py" in discovery.diagnostics[0].message


def test_named_script_with_python_shebang_is_reviewed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write(tmp_path, "bin/manage", "#!/usr/bin/env python3\nimport os\n")
    write(tmp_path, "bin/tool", "#!/usr/bin/python3.12 -u\n")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    assert found(discover(["bin/manage", "bin/tool"], Config())) == ["bin/manage", "bin/tool"]


def test_named_file_that_is_not_python_is_a_diagnostic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write(tmp_path, "run.sh", "#!/bin/sh\necho python\n")
    write(tmp_path, "README.txt", "hello\n")
    monkeypatch.chdir(tmp_path)
    discovery = discover(["run.sh", "README.txt"], Config())
    assert found(discovery) == []
    assert kinds(discovery) == {"run.sh": "not-python", "README.txt": "not-python"}


def test_scripts_without_suffix_are_not_taken_by_a_walk(tmp_path: Path):
    write(tmp_path, "bin/manage", "#!/usr/bin/env python3\n")
    assert found(discover([str(tmp_path)], Config())) == []


def test_file_given_twice_or_inside_a_given_directory_is_one_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write(tmp_path, "pkg/a.py")
    monkeypatch.chdir(tmp_path)
    discovery = discover(
        ["pkg/a.py", "pkg", "./pkg/a.py", str(tmp_path / "pkg/a.py"), "."], Config()
    )
    assert found(discovery) == ["pkg/a.py"]


def test_fifo_named_like_python_is_not_opened(tmp_path: Path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(tmp_path / "pipe.py")
    write(tmp_path, "ok.py")
    discovery = discover([str(tmp_path)], Config())
    assert found(discovery) == ["ok.py"]
    assert kinds(discovery) == {"pipe.py": "unreadable"}
    # and a target that became a FIFO after discovery does not block the worker
    loaded = load(Target("pipe.py", str(tmp_path / "pipe.py"), str(tmp_path)), 1000)
    assert isinstance(loaded, Diagnostic) and loaded.kind == "unreadable"


# --- symlinks ----------------------------------------------------------------------------


def test_symlinked_file_inside_root_is_reviewed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    real = write(tmp_path, "shared/impl.py")
    (tmp_path / "app").mkdir()
    (tmp_path / "app/alias.py").symlink_to(real)
    (tmp_path / "app/relative.py").symlink_to("../shared/impl.py")
    # the real file is reviewed once, under its own path, not again through the links
    assert found(discover([str(tmp_path)], Config())) == ["shared/impl.py"]
    (tmp_path / ".git").mkdir()  # the work tree holds both folders
    monkeypatch.chdir(tmp_path / "app")
    discovery = discover(["."], Config())
    assert found(discovery) == ["app/alias.py"]
    assert discovery.diagnostics == []


def test_symlink_to_a_file_outside_the_root_is_skipped(tmp_path: Path):
    secret = write(tmp_path, "outside/id_rsa.py", "KEY = 'private'\n")
    write(tmp_path, "repo/ok.py")
    (tmp_path / "repo/creds.py").symlink_to(secret)
    discovery = discover([str(tmp_path / "repo")], Config())
    assert found(discovery) == ["ok.py"]
    assert kinds(discovery) == {"creds.py": "outside-root"}
    assert str(secret) in discovery.diagnostics[0].message


def test_named_symlink_to_a_file_outside_the_root_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    secret = write(tmp_path, "outside/passwd.py")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo/link.py").symlink_to(secret)
    monkeypatch.chdir(tmp_path / "repo")
    discovery = discover(["link.py"], Config())
    assert found(discovery) == []
    assert kinds(discovery) == {"link.py": "outside-root"}


def test_symlink_loop_is_reported_as_a_loop(tmp_path: Path):
    (tmp_path / "loop.py").symlink_to("loop.py")
    (tmp_path / "a.py").symlink_to("b.py")
    (tmp_path / "b.py").symlink_to("a.py")
    discovery = discover([str(tmp_path)], Config())
    assert found(discovery) == []
    assert kinds(discovery) == {
        "a.py": "symlink-loop",
        "b.py": "symlink-loop",
        "loop.py": "symlink-loop",
    }


def test_directory_symlinks_are_not_followed(tmp_path: Path):
    write(tmp_path, "pkg/mod.py")
    write(tmp_path, "other/extra.py")
    (tmp_path / "pkg/loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "pkg/more").symlink_to(tmp_path / "other", target_is_directory=True)
    (tmp_path / "pkg/dir_named.py").symlink_to(tmp_path / "other", target_is_directory=True)
    discovery = discover([str(tmp_path / "pkg")], Config())
    assert found(discovery) == ["mod.py"]
    assert discovery.diagnostics == []


def test_named_symlink_to_a_directory_is_walked(tmp_path: Path):
    write(tmp_path, "real/mod.py")
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    discovery = discover([str(tmp_path / "link")], Config())
    assert found(discovery) == ["mod.py"]
    assert discovery.targets[0].abspath == str(tmp_path / "link" / "mod.py")


# --- excludes ----------------------------------------------------------------------------

TREE = [
    "setup.py",
    "app/models.py",
    "app/api_pb2.py",
    "app/migrations/0001_initial.py",
    "app/migrations_helper.py",
    "app/generated/client.py",
    "app/generated/sub/deep.py",
    "generated/top.py",
    "src/a.py",
    "src/pkg/b.py",
    "tests/test_x.py",
    "tests/fixtures/bad.py",
    "tests/fixtures/more/worse.py",
    "other/tests/fixtures/kept.py",
    "mod1.py",
    "moda.py",
    "test_a.py",
    "test_ab.py",
    "build_x/out.py",
    "build_y.py",
    "docs/conf.py",
]


@pytest.mark.parametrize(
    ("pattern", "excluded"),
    [
        # a bare name matches a file or directory name at any depth
        ("*_pb2.py", {"app/api_pb2.py"}),
        ("migrations", {"app/migrations/0001_initial.py"}),
        # a trailing slash: directories only, at any depth
        ("migrations/", {"app/migrations/0001_initial.py"}),
        ("build_*/", {"build_x/out.py"}),
        # a slash anchors the pattern to the root; `**` spans directories
        ("tests/fixtures/**", {"tests/fixtures/bad.py", "tests/fixtures/more/worse.py"}),
        ("tests/fixtures", {"tests/fixtures/bad.py", "tests/fixtures/more/worse.py"}),
        ("**/generated/*.py", {"app/generated/client.py", "generated/top.py"}),
        ("app/**/*.py", {p for p in TREE if p.startswith("app/")}),
        ("/setup.py", {"setup.py"}),
        ("src/*.py", {"src/a.py"}),
        ("./docs/**", {"docs/conf.py"}),
        # single-character wildcards and classes
        ("test_?.py", {"test_a.py", "tests/test_x.py"}),
        ("mod[0-9].py", {"mod1.py"}),
        ("mod[!0-9].py", {"moda.py"}),
    ],
)
def test_exclude_pattern_forms(tmp_path: Path, pattern: str, excluded: set[str]):
    for rel in TREE:
        write(tmp_path, rel)
    discovery = discover([str(tmp_path)], Config(exclude=(pattern,)))
    assert set(found(discovery)) == set(TREE) - excluded
    assert discovery.diagnostics == []


def test_excluded_directory_is_not_even_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(tmp_path, "vendor/big/lib.py")
    write(tmp_path, "app.py")
    listed: list[str] = []
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        listed.append(os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    discovery = discover([str(tmp_path)], Config(exclude=("vendor/",)))
    assert found(discovery) == ["app.py"]
    assert not any("vendor" in p for p in listed)


def test_excludes_apply_to_named_files_and_their_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write(tmp_path, "tests/fixtures/bad.py")
    write(tmp_path, "app/migrations/0001.py")
    write(tmp_path, "app/views.py")
    monkeypatch.chdir(tmp_path)
    config = Config(exclude=("tests/fixtures/**", "migrations/"))
    discovery = discover(["tests/fixtures/bad.py", "app/migrations/0001.py", "app"], config)
    assert found(discovery) == ["app/views.py"]
    assert discovery.diagnostics == []
    assert discovery.excluded == ("tests/fixtures/bad.py", "app/migrations/0001.py")


def test_config_excludes_are_anchored_at_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write(tmp_path, "proj/pyproject.toml", "[tool.secreview]\n")
    write(tmp_path, "proj/src/gen/out.py")
    write(tmp_path, "proj/src/app.py")
    config = Config(exclude=("src/gen/**",), source=str(tmp_path / "proj/pyproject.toml"))
    # reviewing below the config file's directory
    assert found(discover([str(tmp_path / "proj/src")], config)) == ["app.py"]
    # and above it
    (tmp_path / "x").mkdir()
    assert found(discover([str(tmp_path / "proj"), str(tmp_path / "x")], config)) == [
        "proj/src/app.py"
    ]


def test_excludes_match_forms_directly():
    excludes = Excludes(["*.gen.py", "data/", "/top/**", "a/**/z.py", "[ab]/c.py"])
    assert excludes.match("x/y/file.gen.py", is_dir=False) == "*.gen.py"
    assert excludes.match("x/data", is_dir=True) == "data/"
    assert excludes.match("x/data", is_dir=False) is None  # a file called data
    assert excludes.match("top", is_dir=True) == "/top/**"
    assert excludes.match("sub/top/x.py", is_dir=False) is None  # anchored
    assert excludes.match("a/z.py", is_dir=False) == "a/**/z.py"
    assert excludes.match("a/b/c/z.py", is_dir=False) == "a/**/z.py"
    assert excludes.match("b/c.py", is_dir=False) == "[ab]/c.py"
    assert excludes.match("x/b/c.py", is_dir=False) is None
    assert excludes.match_path("x/data/y.py", is_dir=False) == "data/"
    assert not Excludes(["", "   "])


def test_star_and_class_do_not_cross_directories():
    excludes = Excludes(["src/*.py", "a[/]b.py", "lib/?/x.py"])
    assert excludes.match("src/pkg/mod.py", is_dir=False) is None
    assert excludes.match("a/b.py", is_dir=False) is None
    assert excludes.match("lib/q/x.py", is_dir=False) == "lib/?/x.py"
    assert excludes.match("lib/q/r/x.py", is_dir=False) is None


# --- package directories (for module names) -------------------------------------------


def test_package_dirs_give_importable_module_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(tmp_path, "src/pkg/__init__.py")
    write(tmp_path, "src/pkg/sub/__init__.py")
    write(tmp_path, "src/pkg/sub/mod.py")
    write(tmp_path, "scripts/tool.py")
    discovery = discover([str(tmp_path)], Config())
    assert discovery.package_dirs == frozenset({"src/pkg", "src/pkg/sub"})
    assert module_name_for("src/pkg/sub/mod.py", discovery.package_dirs) == "pkg.sub.mod"
    # a single named file still learns the packages around it: outside git, the root
    # climbs out of the packages holding it
    monkeypatch.chdir(tmp_path / "scripts")
    named = discover([str(tmp_path / "src/pkg/sub/mod.py")], Config())
    assert named.root == str(tmp_path / "src")
    assert named.package_dirs == frozenset({"pkg", "pkg/sub"})
    assert module_name_for(named.targets[0].path, named.package_dirs) == "pkg.sub.mod"


def test_excluded_init_still_marks_a_package(tmp_path: Path):
    write(tmp_path, "pkg/__init__.py")
    write(tmp_path, "pkg/mod.py")
    discovery = discover([str(tmp_path)], Config(exclude=("__init__.py",)))
    assert found(discovery) == ["pkg/mod.py"]
    assert discovery.package_dirs == frozenset({"pkg"})


# --- load: the good paths --------------------------------------------------------------


def target_for(path: Path) -> Target:
    return Target(path.name, str(path), str(path.parent))


def test_load_reads_utf8_and_keeps_path_and_root(tmp_path: Path):
    path = write(tmp_path, "m.py", "name = 'café'\n")
    loaded = load(target_for(path), 1000)
    assert loaded == SourceFile(path="m.py", text="name = 'café'\n", root=str(tmp_path))


def test_load_strips_utf8_bom(tmp_path: Path):
    path = write(tmp_path, "m.py", b"\xef\xbb\xbfx = 1\n")
    loaded = load(target_for(path), 1000)
    assert isinstance(loaded, SourceFile) and loaded.text == "x = 1\n"


@pytest.mark.parametrize(
    "cookie", ["# -*- coding: latin-1 -*-", "# vim: set fileencoding=iso-8859-15 :"]
)
def test_load_honours_pep263_cookie(tmp_path: Path, cookie: str):
    path = write(tmp_path, "m.py", f"{cookie}\ns = 'caf\xe9'\n".encode("latin-1"))
    loaded = load(target_for(path), 1000)
    assert isinstance(loaded, SourceFile)
    assert loaded.text.splitlines()[1] == "s = 'café'"


def test_load_honours_cookie_on_line_two_after_shebang(tmp_path: Path):
    data = "#!/usr/bin/env python\n# coding: cp1252\ns = '\u20ac'\n".encode("cp1252")
    loaded = load(target_for(write(tmp_path, "m.py", data)), 1000)
    assert isinstance(loaded, SourceFile) and "'\u20ac'" in loaded.text


def test_load_honours_cookie_on_a_line_that_is_not_utf8_itself(tmp_path: Path):
    path = write(tmp_path, "m.py", b"# coding: latin-1 -- caf\xe9\nx = '\xe9'\n")
    loaded = load(target_for(path), 1000)
    assert isinstance(loaded, SourceFile) and loaded.text.endswith("x = 'é'\n")


def test_load_normalises_newlines_so_line_numbers_match_editors(tmp_path: Path):
    path = write(tmp_path, "m.py", b"a = 1\r\nb = 2\rc = 3\n")
    loaded = load(target_for(path), 1000)
    assert isinstance(loaded, SourceFile)
    assert loaded.text == "a = 1\nb = 2\nc = 3\n"
    assert loaded.line_count == 3


def test_load_of_empty_file_is_an_empty_source(tmp_path: Path):
    loaded = load(target_for(write(tmp_path, "empty.py", "")), 10)
    assert isinstance(loaded, SourceFile) and loaded.text == ""


def test_load_of_file_exactly_at_the_limit_is_fine(tmp_path: Path):
    loaded = load(target_for(write(tmp_path, "m.py", "x" * 99 + "\n")), 100)
    assert isinstance(loaded, SourceFile)


def test_load_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write(tmp_path, "m.py")

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(os, "fdopen", broken)
    loaded = load(target_for(path), 1000)
    assert isinstance(loaded, Diagnostic)
    assert "RuntimeError" in loaded.message and "disk on fire" in loaded.message


def test_targets_survive_pickling_for_worker_processes(tmp_path: Path):
    import pickle

    write(tmp_path, "a.py")
    discovery = discover([str(tmp_path)], Config())
    assert pickle.loads(pickle.dumps(discovery.targets)) == discovery.targets
