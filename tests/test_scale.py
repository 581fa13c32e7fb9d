"""Running at scale: parallel and Ray executors, the analysis cache, progress, many repos.

Every executor and every cache state must give the same review as one process without a
cache: these tests compare whole reviews (findings with traces, diagnostics, counts), on
trees whose data flows cross modules so the whole-program phase has work to do.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

from secreview import cache as cache_module
from secreview.cli import main
from secreview.config import Config
from secreview.executors import LocalExecutor, RayExecutor
from secreview.model import Review
from secreview.pipeline import run_review
from secreview.progress import ReviewProgress
from secreview.repos import report_names

MODULES = 40  # enough files for two workers (16 files per worker at least)


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def ring(modules: int = MODULES) -> dict[str, str]:
    """A package whose modules each read request data and hand it to the next module,
    which puts it into a shell command: one cross-module flow per module."""
    files = {"pkg/__init__.py": ""}
    for index in range(modules):
        following = f"m{(index + 1) % modules:02}"
        files[f"pkg/m{index:02}.py"] = f"""
            import os

            from flask import request

            from pkg import {following}


            def entry():
                {following}.step(request.args["q"])


            def step(value):
                os.system("echo " + value)
            """
    files["pkg/broken.py"] = "def broken(:\n"
    files["tests/test_pkg.py"] = "import os\nos.system(input())\n"  # skipped test code
    return files


CHAIN = {
    "app/__init__.py": "",
    "app/views.py": """
        from flask import request

        from app import services


        def check():
            return services.check_host(request.form["host"])
        """,
    "app/services.py": """
        from app import shell


        def check_host(host):
            return shell.ping(host)
        """,
    "app/shell.py": """
        import subprocess


        def ping(host):
            return subprocess.run(f"ping -c 1 {host}", shell=True)
        """,
}


def comparable(review: Review) -> tuple:
    """Everything a report shows except the run time and the cache note."""
    return (
        review.findings,
        review.diagnostics,
        replace(review.stats, seconds=0.0, extra=()),
        review.root,
    )


def cache_note(review: Review) -> str:
    return dict(review.stats.extra)["cache"]


@pytest.fixture(autouse=True)
def private_cache_key(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """The signing key in a temporary folder, never the developer's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))


# --- executors -------------------------------------------------------------------------------
def test_two_jobs_give_the_same_review_as_one(tmp_path: Path) -> None:
    write_tree(tmp_path, ring())
    serial = run_review([str(tmp_path)], Config(jobs=1))
    assert len([f for f in serial.findings if f.rule_id == "command-injection"]) == MODULES
    assert any(d.path == "pkg/broken.py" for d in serial.diagnostics)
    with LocalExecutor(2) as executor:
        parallel = run_review([str(tmp_path)], Config(), executor=executor)
        again = run_review([str(tmp_path)], Config(), executor=executor)  # pool reused
    assert comparable(parallel) == comparable(serial) == comparable(again)


def test_local_executor_keeps_input_order_and_small_runs_in_process() -> None:
    with LocalExecutor(2) as executor:
        assert list(executor.map(divmod, list(range(100)), 7)) == [divmod(i, 7) for i in range(100)]
        assert executor._pool is not None  # 100 items: a pool of two
    small = LocalExecutor(2)
    assert list(small.map(divmod, [1, 2, 3], 2)) == [(0, 1), (1, 0), (1, 1)]
    assert small._pool is None  # three items: not worth starting processes
    small.close()


# --- the analysis cache ----------------------------------------------------------------------
def test_warm_review_reuses_every_file_and_gives_the_same_review(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "tree", ring(20))
    store = tmp_path / "store.sqlite3"
    cold = run_review([str(tree)], Config(jobs=1), cache=store)
    warm = run_review([str(tree)], Config(jobs=1), cache=store)
    files = len([path for path in ring(20) if not path.startswith("tests/")])  # tests: not read
    assert cache_note(cold) == f"0 of {files} files"
    assert cache_note(warm) == f"{files} of {files} files"
    assert comparable(warm) == comparable(cold) == comparable(run_review([str(tree)], Config()))


def test_a_changed_file_is_analysed_again_and_the_program_solved_again(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "tree", CHAIN)
    store = tmp_path / "store.sqlite3"
    first = run_review([str(tree)], Config(jobs=1), cache=store)
    assert [f.rule_id for f in first.findings] == ["command-injection"]
    assert len(first.findings[0].trace) >= 3  # views -> services -> shell
    # the middle module now quotes the host: the flow, which no single file shows, is gone
    write_tree(
        tree,
        {
            "app/services.py": """
                import shlex

                from app import shell


                def check_host(host):
                    return shell.ping(shlex.quote(host))
                """
        },
    )
    second = run_review([str(tree)], Config(jobs=1), cache=store)
    assert cache_note(second) == "3 of 4 files"
    # only the pattern rule, which the data-flow finding had outranked, is left
    assert [f.rule_id for f in second.findings] == ["shell-true-non-constant"]
    assert comparable(second) == comparable(run_review([str(tree)], Config(jobs=1)))


def test_summaries_gone_since_the_lookup_are_recomputed(tmp_path: Path, monkeypatch) -> None:
    """A concurrent run may prune rows between the lookup and the solve: the files whose
    summaries are missing are analysed again, and the review is still complete."""
    tree = write_tree(tmp_path / "tree", CHAIN)
    store = tmp_path / "store.sqlite3"
    run_review([str(tree)], Config(jobs=1), cache=store)
    (tree / "app" / "views.py").write_text(
        (tree / "app" / "views.py").read_text(encoding="utf-8") + "\n# edited\n", "utf-8"
    )
    monkeypatch.setattr(cache_module.AnalysisCache, "get_summaries", lambda self, keys: None)
    review = run_review([str(tree)], Config(jobs=1), cache=store)
    assert cache_note(review) == "3 of 4 files"
    assert comparable(review) == comparable(run_review([str(tree)], Config(jobs=1)))
    assert [f.rule_id for f in review.findings] == ["command-injection"]


def test_settings_that_change_results_are_part_of_the_key(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "tree", CHAIN)
    store = tmp_path / "store.sqlite3"
    run_review([str(tree)], Config(jobs=1), cache=store)
    # a narrower rule selection is served from the whole rule set's results, narrowed
    only_yaml = run_review([str(tree)], Config(jobs=1, rules=("unsafe-yaml-load",)), cache=store)
    assert cache_note(only_yaml) == "4 of 4 files"
    assert only_yaml.findings == ()
    # results computed with fewer rules do not serve a run with more
    narrow = tmp_path / "narrow.sqlite3"
    run_review([str(tree)], Config(jobs=1, rules=("unsafe-yaml-load",)), cache=narrow)
    assert cache_note(run_review([str(tree)], Config(jobs=1), cache=narrow)) == "0 of 4 files"
    tests_too = run_review([str(tree)], Config(jobs=1, include_tests=True), cache=store)
    assert cache_note(tests_too) == "0 of 4 files"
    assert cache_note(run_review([str(tree)], Config(jobs=1), cache=store)) == "4 of 4 files"


def test_the_same_file_under_another_module_name_is_not_reused(tmp_path: Path) -> None:
    """Module names decide the summaries' function names: `app/x.py` in a package is
    `app.x`, outside one it is `x`; the key holds the module name."""
    tree = write_tree(tmp_path / "tree", CHAIN)
    store = tmp_path / "store.sqlite3"
    run_review([str(tree)], Config(jobs=1), cache=store)
    (tree / "app" / "__init__.py").unlink()
    review = run_review([str(tree)], Config(jobs=1), cache=store)
    assert cache_note(review) == "0 of 3 files"
    assert comparable(review) == comparable(run_review([str(tree)], Config(jobs=1)))


def test_a_tampered_entry_is_never_unpickled(tmp_path: Path, monkeypatch) -> None:
    """The store sits in the reviewed tree, which may be hostile: a blob that does not carry
    this user's signature is a miss, and pickle never sees it."""
    tree = write_tree(tmp_path / "tree", CHAIN)
    store = tmp_path / "store.sqlite3"
    run_review([str(tree)], Config(jobs=1), cache=store)
    conn = sqlite3.connect(store)
    rows = conn.execute("SELECT key, result FROM analysis_files").fetchall()
    for key, blob in rows:  # keep the signature, change the pickle after it
        conn.execute(
            "UPDATE analysis_files SET result = ? WHERE key = ?", (blob[:32] + b"\x80junk", key)
        )
    conn.commit()
    conn.close()
    unpickled: list[bytes] = []
    real_loads = cache_module.pickle.loads
    monkeypatch.setattr(
        cache_module.pickle, "loads", lambda data: unpickled.append(data) or real_loads(data)
    )
    review = run_review([str(tree)], Config(jobs=1), cache=store)
    assert cache_note(review) == "0 of 4 files"
    assert b"\x80junk" not in unpickled
    assert [f.rule_id for f in review.findings] == ["command-injection"]


def test_another_users_key_cannot_forge_entries(tmp_path: Path, monkeypatch) -> None:
    tree = write_tree(tmp_path / "tree", CHAIN)
    store = tmp_path / "store.sqlite3"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "attacker"))
    run_review([str(tree)], Config(jobs=1), cache=store)  # signed with the other key
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    assert cache_note(run_review([str(tree)], Config(jobs=1), cache=store)) == "0 of 4 files"
    key = tmp_path / "user" / "secreview" / "cache.key"
    assert key.stat().st_mode & 0o777 == 0o600


def test_an_unusable_store_turns_the_cache_off(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "tree", CHAIN)
    garbage = tmp_path / "store.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    review = run_review([str(tree)], Config(jobs=1), cache=garbage)
    assert cache_note(review).startswith("off")
    assert [f.rule_id for f in review.findings] == ["command-injection"]


def test_cli_cache_lives_in_the_store_and_no_cache_leaves_none(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    project = write_tree(tmp_path / "project", CHAIN)
    (project / ".git").mkdir()
    monkeypatch.chdir(project)
    monkeypatch.delenv("CI", raising=False)
    assert main(["review", "--no-cache", "--format", "json"]) == 1
    assert not (project / ".secreview").exists()
    cold = json.loads(capsys.readouterr().out)
    assert main(["review", "--format", "json", "--verbose"]) == 1
    assert "secreview: cache: 0 of 4 files" in capsys.readouterr().err
    assert (project / ".secreview" / "store.sqlite3").is_file()
    assert main(["review", "--format", "json", "--verbose"]) == 1
    captured = capsys.readouterr()
    assert "secreview: cache: 4 of 4 files" in captured.err
    assert json.loads(captured.out)["findings"] == cold["findings"]
    elsewhere = tmp_path / "elsewhere.sqlite3"
    assert main(["review", "--store", str(elsewhere), "-q"]) == 1
    assert elsewhere.is_file()


def test_cache_can_be_turned_off_in_the_config(tmp_path: Path, monkeypatch, capsys) -> None:
    project = write_tree(tmp_path / "project", CHAIN)
    (project / ".git").mkdir()
    (project / ".secreview.toml").write_text("cache = false\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["review", "-q"]) == 1
    assert not (project / ".secreview").exists()
    capsys.readouterr()


# --- progress --------------------------------------------------------------------------------
class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_appears_only_after_the_delay() -> None:
    stream = _Terminal()
    quick = ReviewProgress(stream, delay=30)
    quick(1, 10)
    quick(10, 10)
    quick.close()
    assert not quick.shown and stream.getvalue() == ""

    slow = ReviewProgress(stream, delay=0.01)
    slow(1, 10)
    deadline = time.monotonic() + 5
    while not slow.shown and time.monotonic() < deadline:
        time.sleep(0.01)
    slow(10, 10)
    slow.close()
    assert slow.shown
    assert "reviewing" in stream.getvalue()
    slow.close()  # idempotent


def test_no_progress_output_on_a_pipe(tmp_path: Path, monkeypatch, capsys) -> None:
    write_tree(tmp_path, ring(20))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("secreview.progress.DELAY", 0.0)
    assert main(["review", "--no-cache", "--jobs", "1"]) == 1
    assert capsys.readouterr().err == ""


# --- many repositories -----------------------------------------------------------------------
def test_report_names_are_unique_and_carry_the_format(tmp_path: Path) -> None:
    names = report_names([str(tmp_path / "a" / "api"), str(tmp_path / "b" / "api"), "."], "json")
    values = list(names.values())
    assert values[:2] == ["api.json", "api-2.json"]
    assert values[2] == f"{Path.cwd().name}.json"
    assert report_names(["x"], "markdown") == {"x": "x.md"}


def test_per_repo_writes_one_report_per_repository(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    write_tree(tmp_path / "web", CHAIN)
    write_tree(tmp_path / "lib", {"lib/__init__.py": "", "lib/safe.py": "import json\n"})
    (tmp_path / "web" / ".git").mkdir()
    (tmp_path / "lib" / ".git").mkdir()
    (tmp_path / "empty").mkdir()
    out = tmp_path / "reports"
    code = main(["review", "--per-repo", "web", "lib", "--format", "json", "--output", str(out)])
    assert code == 1
    web = json.loads((out / "web.json").read_text(encoding="utf-8"))
    lib = json.loads((out / "lib.json").read_text(encoding="utf-8"))
    assert [f["rule_id"] for f in web["findings"]] == ["command-injection"]
    assert web["findings"][0]["location"]["path"] == "app/shell.py"  # relative to the repo
    assert lib["findings"] == [] and lib["stats"]["files"] == 2
    assert (tmp_path / "web" / ".secreview" / "store.sqlite3").is_file()  # each its own store
    capsys.readouterr()

    # one broken repository does not stop the others; the exit code says something failed
    code = main(["review", "--per-repo", "empty", "web", "--format", "json", "--output", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    assert "empty: nothing to review" in captured.err
    assert (out / "web.json").is_file()


def test_per_repo_text_reports_follow_each_other(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path / "web", CHAIN)
    write_tree(tmp_path / "lib", {"lib.py": "import json\n"})
    assert main(["review", "--per-repo", "web", "lib", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert out.index("== web ==") < out.index("CWE-78") < out.index("== lib ==")
    assert "No security defects are detected in the code." in out.split("== lib ==")[1]


def test_per_repo_usage_errors(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path / "web", CHAIN)
    assert main(["review", "--per-repo", "web", "--format", "json"]) == 2
    assert "--output DIR" in capsys.readouterr().err
    assert main(["review", "--per-repo", "web/app/views.py"]) == 2
    assert "not a directory" in capsys.readouterr().err
    assert main(["review", "web", "--ray-address", "127.0.0.1:1"]) == 2
    assert "--executor ray" in capsys.readouterr().err


# --- Ray -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ray_cluster():
    """A local Ray instance for this module's tests (about five seconds to start)."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray
    ray.shutdown()


def test_ray_executor_gives_the_same_review_as_local_processes(tmp_path: Path, ray_cluster) -> None:
    write_tree(tmp_path, ring())
    write_tree(tmp_path, {f"chain/{p}": t for p, t in CHAIN.items()})
    local = run_review([str(tmp_path)], Config(jobs=1))
    with RayExecutor() as executor:
        assert executor.cpus() == 2
        distributed = run_review([str(tmp_path)], Config(), executor=executor)
    assert ray_cluster.is_initialized()  # the executor leaves a cluster it did not start
    assert comparable(distributed) == comparable(local)
    assert len(local.findings) == MODULES + 1


def test_cli_ray_executor(tmp_path: Path, monkeypatch, capsys, ray_cluster) -> None:
    write_tree(tmp_path, ring(20))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["review", "--format", "json", "--no-cache", "--jobs", "1"]) == 1
    local = json.loads(capsys.readouterr().out)
    assert main(["review", "--format", "json", "--no-cache", "--executor", "ray"]) == 1
    assert json.loads(capsys.readouterr().out)["findings"] == local["findings"]


def _fails_on_ray_workers(item: int, driver: int) -> int:
    if os.getpid() != driver:
        raise RuntimeError("this node cannot analyse files")
    return item * 2


def test_failed_ray_tasks_are_analysed_locally(ray_cluster, capsys) -> None:
    with RayExecutor() as executor:
        results = list(executor.map(_fails_on_ray_workers, list(range(50)), os.getpid()))
    assert results == [item * 2 for item in range(50)]
    assert executor.failed >= 1
    assert capsys.readouterr().err.count("a Ray task failed") == 1


# --- what is sent: references where workers read the tree themselves (issue 19, point 13) ----
class _SharingExecutor(LocalExecutor):
    """Workers that share the file system (as Ray on one machine does); it records what
    it was sent and lets a test change a file between the driver's read and a worker's."""

    def __init__(self, before_work=None) -> None:
        super().__init__(jobs=1)
        self.sent: list = []
        self.before_work = before_work

    def shares_files(self, target, digest) -> bool:
        return True

    def map(self, fn, items, common):
        self.sent = list(items)
        if self.before_work is not None:
            self.before_work()
        return super().map(fn, items, common)


def test_workers_that_read_the_tree_are_sent_references_not_source(tmp_path: Path) -> None:
    from secreview.pipeline import FileRef

    write_tree(tmp_path, CHAIN)
    local = run_review([str(tmp_path)], Config(jobs=1))
    executor = _SharingExecutor()
    shared = run_review([str(tmp_path)], Config(jobs=1), executor=executor)
    assert comparable(shared) == comparable(local)
    assert executor.sent and all(isinstance(data, FileRef) for _, data in executor.sent)
    # a file edited after the driver read it: the worker sees another digest, and the
    # driver analyses what it read (what the cache key and the report are about)
    shell = tmp_path / "app" / "shell.py"
    edited = _SharingExecutor(lambda: shell.write_text("import os\n"))
    again = run_review([str(tmp_path)], Config(jobs=1), executor=edited)
    assert comparable(again) == comparable(local)


def test_ray_workers_on_this_machine_read_the_files_themselves(
    tmp_path: Path, ray_cluster, monkeypatch
) -> None:
    from secreview.pipeline import FileRef

    write_tree(tmp_path, ring())
    local = run_review([str(tmp_path)], Config(jobs=1))
    sent: list = []
    original = RayExecutor.map

    def spy(self, fn, items, common):
        sent.extend(items)
        return original(self, fn, items, common)

    monkeypatch.setattr(RayExecutor, "map", spy)
    with RayExecutor() as executor:
        distributed = run_review([str(tmp_path)], Config(), executor=executor)
    assert comparable(distributed) == comparable(local)
    assert sent and all(isinstance(data, FileRef) for _, data in sent)
    # a cluster whose workers cannot read the tree gets the files' contents
    sent.clear()
    monkeypatch.setattr(RayExecutor, "shares_files", lambda self, target, digest: False)
    with RayExecutor() as executor:
        remote = run_review([str(tmp_path)], Config(), executor=executor)
    assert comparable(remote) == comparable(local)
    assert sent and all(isinstance(data, bytes) for _, data in sent)
