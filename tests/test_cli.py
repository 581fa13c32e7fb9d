"""The command line, run in-process through `main()` and once as `python -m secreview`."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from secreview import __version__
from secreview.cli import main
from secreview.rules import FAMILIES, all_rules, rule_family, rule_module

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"

YAML_LOAD = "import yaml\n\nconfig = yaml.load(open('settings.yaml'))\n"  # high severity
CLEAN = "import json\n\n\ndef load(path):\n    return json.loads(open(path).read())\n"
NO_DEFECTS = "No security defects are detected in the code."


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory (a git root, so no config is found above it)."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def review_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["review", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def rule_ids(report: dict) -> list[str]:
    return [f["rule_id"] for f in report["findings"]]


# --- exit codes ------------------------------------------------------------------------------
def test_findings_exit_1_and_clean_exit_0(project: Path, capsys) -> None:
    write(project / "bad.py", YAML_LOAD)
    write(project / "good.py", CLEAN)
    assert main(["review", "bad.py"]) == 1
    out = capsys.readouterr().out
    assert "CWE-502" in out and "bad.py:3" in out
    assert main(["review", "good.py"]) == 0
    assert capsys.readouterr().out.strip() == NO_DEFECTS


def test_default_path_is_the_current_directory(project: Path, capsys) -> None:
    write(project / "pkg" / "bad.py", YAML_LOAD)
    code, report = review_json(capsys)
    assert code == 1
    assert [f["location"]["path"] for f in report["findings"]] == ["pkg/bad.py"]


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("low", 1), ("medium", 1), ("high", 1), ("critical", 0), ("never", 0)],
)
def test_fail_on(project: Path, capsys, fail_on: str, expected: int) -> None:
    write(project / "bad.py", YAML_LOAD)
    assert main(["review", "bad.py", "--fail-on", fail_on]) == expected
    assert "CWE-502" in capsys.readouterr().out  # the report is printed either way


def test_usage_errors_exit_2(project: Path, capsys) -> None:
    write(project / "bad.py", YAML_LOAD)
    assert main(["review", "bad.py", "--format", "xml"]) == 2
    assert main(["review", "bad.py", "--fail-on", "severe"]) == 2
    assert main(["review", "bad.py", "--jobs", "0"]) == 2
    assert main(["review", "bad.py", "--rules", ","]) == 2
    assert main([]) == 2
    assert capsys.readouterr().out == ""


def test_version(capsys) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"secreview {__version__}"


# --- nothing reviewable ----------------------------------------------------------------------
def test_no_python_file_exits_2_and_says_so(project: Path, capsys) -> None:
    write(project / "docs" / "notes.txt", "not python\n")
    assert main(["review", "docs"]) == 2
    captured = capsys.readouterr()
    assert "no Python file found" in captured.err
    assert captured.out == ""


def test_missing_path_exits_2_and_names_it(project: Path, capsys) -> None:
    assert main(["review", "nowhere"]) == 2
    err = capsys.readouterr().err
    assert "no Python file found" in err and "nowhere" in err


def test_everything_named_excluded_is_a_clean_run(project: Path, capsys) -> None:
    """pre-commit passes the changed files by name; an excluded one is not an error."""
    write(project / "gen" / "bad.py", YAML_LOAD)
    assert main(["review", "gen/bad.py", "--exclude", "gen/**"]) == 0
    assert "CWE-502" not in capsys.readouterr().out


def test_only_test_files_named_is_a_clean_run(project: Path, capsys) -> None:
    write(project / "tests" / "test_bad.py", YAML_LOAD)
    assert main(["review", "tests/test_bad.py"]) == 0
    assert "CWE-502" not in capsys.readouterr().out
    assert main(["review", "tests/test_bad.py", "--include-tests"]) == 1


# --- formats and output ---------------------------------------------------------------------
def test_json_report(project: Path, capsys) -> None:
    write(project / "bad.py", YAML_LOAD)
    code, report = review_json(capsys, "bad.py")
    assert code == 1
    assert "version" in report
    (item,) = report["findings"]
    assert item["rule_id"] == "unsafe-yaml-load" and item["cwe"] == 502
    assert item["location"]["path"] == "bad.py" and item["location"]["line"] == 3
    assert report["stats"]["files"] == 1


def test_output_file_and_quiet(project: Path, capsys) -> None:
    write(project / "bad.py", YAML_LOAD)
    assert main(["review", "bad.py", "--format", "sarif", "--output", "out.sarif"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "out.sarif" in captured.err  # a one-line summary says where the report went
    sarif = json.loads((project / "out.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"][0]["ruleId"] == "unsafe-yaml-load"

    assert main(["review", "bad.py", "--format", "markdown", "--output", "o.md", "--quiet"]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
    assert "CWE-502" in (project / "o.md").read_text(encoding="utf-8")


def test_unwritable_output_exits_2(project: Path, capsys) -> None:
    write(project / "bad.py", YAML_LOAD)
    assert main(["review", "bad.py", "--output", "missing-dir/out.txt"]) == 2
    assert "--output missing-dir/out.txt: the folder missing-dir does not exist" in (
        capsys.readouterr().err
    )


def test_diagnostics_are_in_the_report_and_other_files_still_reviewed(
    project: Path, capsys
) -> None:
    write(project / "broken.py", "def f(:\n    pass\n")
    write(project / "bad.py", YAML_LOAD)
    code, report = review_json(capsys, ".")
    assert code == 1
    assert rule_ids(report) == ["unsafe-yaml-load"]
    assert [d["path"] for d in report["diagnostics"]] == ["broken.py"]
    assert main(["review", ".", "--quiet"]) == 1
    captured = capsys.readouterr()
    assert "broken.py" in captured.out and captured.err == ""


# --- rule selection ------------------------------------------------------------------------
def test_rules_and_skip_rules(project: Path, capsys) -> None:
    write(project / "bad.py", YAML_LOAD + "import pickle\npickle.loads(open('x', 'rb').read())\n")
    assert rule_ids(review_json(capsys, "bad.py")[1]) == ["unsafe-yaml-load", "pickle-load"]
    code, report = review_json(capsys, "bad.py", "--rules", "pickle-load")
    assert (code, rule_ids(report)) == (1, ["pickle-load"])
    code, report = review_json(capsys, "bad.py", "--skip-rules", "pickle-load,unsafe-yaml-load")
    assert (code, rule_ids(report)) == (0, [])
    code, report = review_json(
        capsys, "bad.py", "--skip-rules", "pickle-load", "--skip-rules", "unsafe-yaml-load"
    )
    assert (code, rule_ids(report)) == (0, [])


@pytest.mark.parametrize("option", ["--rules", "--skip-rules"])
def test_unknown_rule_id_is_a_usage_error_with_suggestions(
    project: Path, capsys, option: str
) -> None:
    write(project / "bad.py", YAML_LOAD)
    assert main(["review", "bad.py", option, "unsafe-yaml-lod"]) == 2
    captured = capsys.readouterr()
    assert "unknown rule id 'unsafe-yaml-lod'" in captured.err
    assert "did you mean unsafe-yaml-load" in captured.err
    assert captured.out == ""
    assert main(["review", "bad.py", option, "yaml"]) == 2
    assert "unsafe-yaml-load" in capsys.readouterr().err


# --- configuration -------------------------------------------------------------------------
def test_pyproject_config_and_cli_override(project: Path, capsys) -> None:
    write(project / "pyproject.toml", '[tool.secreview]\nfail-on = "critical"\n')
    write(project / "src" / "bad.py", YAML_LOAD)
    assert main(["review", "src"]) == 0  # found from the path named, climbing up
    assert main(["review", "src", "--fail-on", "low"]) == 1
    capsys.readouterr()


def test_secreview_toml_rules_exclude_and_cli_override(project: Path, capsys) -> None:
    write(project / ".secreview.toml", 'skip-rules = ["unsafe-yaml-load"]\nexclude = ["gen/"]\n')
    write(project / "bad.py", YAML_LOAD)
    write(project / "gen" / "other.py", YAML_LOAD)
    code, report = review_json(capsys)
    assert (code, rule_ids(report)) == (0, [])
    assert report["stats"]["files"] == 1  # gen/ excluded
    code, report = review_json(capsys, "--rules", "unsafe-yaml-load")
    assert (code, [f["location"]["path"] for f in report["findings"]]) == (1, ["bad.py"])


def test_config_search_reads_pyproject_files_as_toml_would(tmp_path: Path) -> None:
    """The search skips parsing a pyproject.toml that cannot name [tool.secreview], and
    still finds the table however it is spelt, and stops at a repository's top folder
    unless its pyproject.toml is not TOML."""
    from secreview.config import find_config

    top = tmp_path / "repo"
    inner = top / "pkg" / "sub"
    inner.mkdir(parents=True)
    (top / ".git").mkdir()
    write(top / "pkg" / "pyproject.toml", "[project]\nname = 'pkg'\n")
    assert find_config(inner) is None  # no table below the top, none at it
    write(top / "pyproject.toml", '[tool."secr\\u0065view"]\nfail-on = "high"\n')
    assert find_config(inner) == top / "pyproject.toml"  # an escape spells the table
    write(top / "pyproject.toml", "[tool.other]\n")
    write(tmp_path / "pyproject.toml", "[tool.secreview]\n")
    assert find_config(inner) is None  # the top folder's file is TOML: the search stops
    write(top / "pyproject.toml", "not = [toml\n")
    assert find_config(inner) == tmp_path / "pyproject.toml"  # not TOML: it goes on up
    write(top / "pkg" / "pyproject.toml", "[tool]\nsecreview = {}\n")
    assert find_config(inner) == top / "pkg" / "pyproject.toml"


def test_a_plain_review_loads_no_config_parser_store_or_catalog(project: Path) -> None:
    """Start-up is most of a one-file review: with no config file, no store and nothing
    found, it imports neither tomllib, SQLite, triage nor the CWE catalog."""
    write(project / "app.py", CLEAN)
    code = (
        "import sys\n"
        "from secreview.cli import main\n"
        "code = main(['review', 'app.py', '--format', 'json', '--no-cache', '-q'])\n"
        "names = ('tomllib', 'sqlite3', 'secreview.triage', 'secreview.cwe')\n"
        "print(code, *[n for n in names if n in sys.modules], file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr.strip().splitlines()[-1] == "0", done.stderr


def test_cli_excludes_add_to_the_configs(project: Path, capsys) -> None:
    write(project / ".secreview.toml", 'exclude = ["gen/"]\n')
    write(project / "gen" / "a.py", YAML_LOAD)
    write(project / "lib" / "b.py", YAML_LOAD)
    write(project / "app" / "c.py", YAML_LOAD)
    code, report = review_json(capsys, "--exclude", "lib")
    assert code == 1
    assert [f["location"]["path"] for f in report["findings"]] == ["app/c.py"]


def test_explicit_config_file(project: Path, capsys) -> None:
    write(project / "ci" / "strict.toml", 'fail-on = "never"\n')
    write(project / "bad.py", YAML_LOAD)
    assert main(["review", "bad.py", "--config", "ci/strict.toml"]) == 0
    assert main(["review", "bad.py", "--config", "ci/absent.toml"]) == 2
    assert "config file not found" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("fail-on = [", "invalid TOML"),
        ("colour = true", "unknown setting 'colour'"),
        ('rules = ["no-such-rule"]', "unknown rule id 'no-such-rule'"),
    ],
)
def test_bad_config_exits_2(project: Path, capsys, config: str, message: str) -> None:
    write(project / ".secreview.toml", config + "\n")
    write(project / "bad.py", YAML_LOAD)
    assert main(["review", "bad.py"]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_nosec_flag(project: Path, capsys) -> None:
    write(project / "bad.py", "import yaml\nyaml.load(open('x'))  # nosec\n")
    assert main(["review", "bad.py"]) == 1
    assert main(["review", "bad.py", "--nosec"]) == 0
    capsys.readouterr()


def test_parallel_jobs_give_the_same_review(project: Path, capsys) -> None:
    for index in range(40):
        write(project / f"m{index:02}.py", YAML_LOAD if index % 3 == 0 else CLEAN)
    serial = review_json(capsys, "--jobs", "1")
    parallel = review_json(capsys, "--jobs", "2")
    assert serial[0] == parallel[0] == 1
    assert serial[1]["findings"] == parallel[1]["findings"]
    assert len(serial[1]["findings"]) == 14


# --- rules ---------------------------------------------------------------------------------
def test_rules_lists_every_rule(capsys) -> None:
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "CWE", "SEVERITY", "TITLE"]
    rules = all_rules()
    listed = {
        line.split()[0]: line for line in lines[1:] if line.split()[:1] in ([r] for r in rules)
    }
    assert listed.keys() == rules.keys()
    for rule_id, meta in rules.items():
        assert listed[rule_id].split()[:3] == [rule_id, f"CWE-{meta.cwe}", meta.severity]
        assert listed[rule_id].endswith(meta.title)
    # a section per family, each headed by its title and folder, every rule in its family's
    headings = [line for line in lines[1:] if line.endswith("/)")]
    assert headings == [f"{FAMILIES[f]} (rules/{f}/)" for f in FAMILIES]
    family = None
    for line in lines[1:]:
        if line.endswith("/)"):
            family = line.rsplit("rules/", 1)[1].rstrip("/)")
        elif line:
            assert rule_family(line.split()[0]) == family


def test_every_rule_module_is_in_a_family_folder_and_named_for_its_id() -> None:
    """A rule's doc and code are found from its id: `rules/<family>/<id with underscores>.py`."""
    root = REPO / "src" / "secreview"
    for rule_id in all_rules():
        assert (root / rule_module(rule_id)).is_file(), rule_id
    support = {p.stem for p in (root / "rules" / "support").glob("*.py")}
    assert not support & {r.replace("-", "_") for r in all_rules()}, "rules never sit in support/"


def test_no_rule_module_imports_another_rule_module() -> None:
    """What rules share lives in `rules/support/`: a rule changed or removed never changes
    another rule."""
    root = REPO / "src" / "secreview"
    modules = {rule_module(rule_id) for rule_id in all_rules()}
    dotted = {"secreview." + m.removesuffix(".py").replace("/", ".") for m in modules}
    for module in sorted(modules):
        tree = ast.parse((root / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for name in names:
                assert name not in dotted, f"{module} imports the rule module {name}"


def test_rules_explain(capsys) -> None:
    assert main(["rules", "explain", "unsafe-yaml-load"]) == 0
    out = capsys.readouterr().out
    meta = all_rules()["unsafe-yaml-load"]
    assert out.startswith(f"unsafe-yaml-load: {meta.title}")
    assert "Deserialization of Untrusted Data (CWE-502)" in out
    assert "Severity:   high (confidence high)" in out
    for heading in ("Why it is bad", "Example", "Use instead", "References"):
        assert heading in out
    assert meta.references[0] in out
    assert "yaml.load(request.data)" in out  # the example, verbatim


def test_rules_explain_unknown(capsys) -> None:
    assert main(["rules", "explain", "pickle"]) == 2
    err = capsys.readouterr().err
    assert "unknown rule id 'pickle'" in err and "pickle-load" in err


# --- the bundled examples ------------------------------------------------------------------
def test_vulnerable_example_app(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(REPO)
    code, report = review_json(capsys, "examples/vulnerable_app")
    assert code == 1
    found = {(f["rule_id"], f["location"]["path"].rsplit("/", 1)[-1]) for f in report["findings"]}
    expected = {
        ("command-injection", "shell.py"),
        ("sql-injection", "storage.py"),
        ("path-traversal", "services.py"),
        ("unsafe-deserialization", "services.py"),  # request body into yaml.load
        ("tls-verification-disabled", "services.py"),
        ("code-injection", "app.py"),
        ("unsafe-deserialization", "app.py"),  # cookie into pickle.loads
    }
    assert expected <= found
    # a pattern finding on a statement a flow of the same CWE reaches is folded into the flow
    assert not {("unsafe-yaml-load", "services.py"), ("pickle-load", "app.py")} & found
    injection = next(f for f in report["findings"] if f["rule_id"] == "command-injection")
    hops = [step["location"]["path"].rsplit("/", 1)[-1] for step in injection["trace"]]
    assert {"app.py", "services.py", "shell.py"} <= set(hops)
    # the correctly written code is not reported
    flagged = {(f["location"]["path"].rsplit("/", 1)[-1], f["snippet"]) for f in report["findings"]}
    assert not any("shlex.quote" in snippet or "safe_load" in snippet for _, snippet in flagged)
    assert not any(path == "storage.py" and "?" in snippet for path, snippet in flagged)
    assert report["diagnostics"] == []


def test_clean_example_module(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(REPO)
    assert main(["review", "examples/clean_module.py"]) == 0
    assert capsys.readouterr().out.strip() == NO_DEFECTS


def test_repository_config_keeps_examples_out_of_a_self_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """`secreview review .` here must not report the deliberate defects; naming them must."""
    copy = tmp_path / "repo"
    (copy / ".git").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", copy)
    shutil.copytree(EXAMPLES, copy / "examples")
    write(copy / "src" / "app.py", CLEAN)
    monkeypatch.chdir(copy)
    code, report = review_json(capsys, ".")
    assert (code, report["findings"], report["stats"]["files"]) == (0, [], 1)
    assert main(["review", "examples/vulnerable_app", "--quiet"]) == 1


# --- as a program ----------------------------------------------------------------------------
def test_python_dash_m(project: Path) -> None:
    write(project / "bad.py", YAML_LOAD)
    write(project / "broken.py", "x = (\n")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    completed = subprocess.run(
        [sys.executable, "-m", "secreview", "review", ".", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert completed.returncode == 1, completed.stderr
    report = json.loads(completed.stdout)
    assert rule_ids(report) == ["unsafe-yaml-load"]
    assert [d["path"] for d in report["diagnostics"]] == ["broken.py"]
    usage = subprocess.run(
        [sys.executable, "-m", "secreview", "review", "--fail-on", "sometimes"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert usage.returncode == 2 and "--fail-on" in usage.stderr


# --- the README -------------------------------------------------------------------------------
def test_readme_opens_with_two_one_line_commands() -> None:
    """.ci/run executes the first two fenced blocks verbatim; keep them where it looks."""
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ")
    blocks = [index for index, line in enumerate(lines) if line.startswith("```")][:4]
    assert [lines[i] for i in blocks] == ["```bash", "```"] * 2
    assert blocks[1] - blocks[0] == blocks[3] - blocks[2] == 2  # one line each
    first, second = lines[blocks[0] + 1], lines[blocks[2] + 1]
    assert first.endswith("secreview review examples/vulnerable_app")
    assert "python -m pytest" in second and "'.[test]'" in second


def test_readme_lists_every_rule() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [
        rule_id
        for rule_id, meta in all_rules().items()
        if not any(line.split()[:2] == [rule_id, f"CWE-{meta.cwe}"] for line in readme.splitlines())
    ]
    assert not missing, f"add to the README's rule table (`secreview rules` output): {missing}"


def test_no_verdict_when_no_file_could_be_analysed(tmp_path: Path, capsys) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n", encoding="utf-8")
    assert main(["review", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert NO_DEFECTS not in out and "No file could be analysed" in out
    (tmp_path / "fine.py").write_text("x = 1\n", encoding="utf-8")
    assert main(["review", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith(NO_DEFECTS)
    code, report = review_json(capsys, str(tmp_path))
    assert code == 0 and report["stats"]["failed"] == 1 and report["stats"]["files"] == 2
