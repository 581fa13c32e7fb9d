"""The LLM pass when the endpoint misbehaves, and what leaves the machine (issue 19, points
14, 15 and 16), against the scripted chat-completions server of `llm_server.py`:

- a malformed answer (an HTTP 200 whose body is not JSON, or not a completion) costs that
  chunk a diagnostic, never the run; `llm-check` says so and exits 2;
- when every request fails, or the endpoint cannot be reached at all, the engine's review
  is still reported, with a diagnostic, and the exit code 3 says the LLM pass failed;
- every request body is redacted as a whole: a secret the code block hides must not come
  back through the engine evidence, and `curl -u user:password` is a secret."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from llm_server import FakeLLM, Reply, error, running

from secreview.cli import main
from secreview.llm.client import ChatClient, ClientSettings, RequestFailed
from secreview.llm.redact import redact

APP = '''\
"""Two views: one file per request, so one answer can fail alone."""
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/ping")
def ping():
    host = request.form["host"]
    return subprocess.run(f"ping -c 1 {host}", shell=True).stdout
'''
OTHER = """\
import os


def cwd():
    return os.getcwd()
"""


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SECREVIEW_LLM_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("CI", "true")


@pytest.fixture
def fake() -> FakeLLM:
    with running() as server:
        yield server


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / ".git").mkdir()
    (root / "app.py").write_text(APP, encoding="utf-8")
    (root / "other.py").write_text(OTHER, encoding="utf-8")
    return root


def review(project: Path, url: str, *extra: str) -> tuple[int, dict]:
    out = project.parent / "report.json"
    out.unlink(missing_ok=True)
    code = main(
        [
            "review",
            str(project),
            "--llm",
            url,
            "--llm-model",
            "test-model",
            "--llm-retries",
            "0",
            "--no-cache",
            "--format",
            "json",
            "--output",
            str(out),
            "-q",
            *extra,
        ]
    )
    return code, json.loads(out.read_text()) if out.exists() else {}


def engine(report: dict) -> list[tuple[str, int]]:
    return [
        (f["rule_id"], f["location"]["line"]) for f in report["findings"] if f["origin"] == "engine"
    ]


# --- point 15: one malformed answer --------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        b'{"choices": [',  # 200, application/json, not JSON
        b"[1, 2, 3]",  # JSON, not a completion
        b'{"choices": [{"message": {"content": "{}"}}], "usage": {"prompt_tokens": "many"}}',
    ],
)
def test_a_malformed_answer_fails_that_request_only(fake: FakeLLM, body: bytes) -> None:
    fake.push(Reply(body=body))
    client = ChatClient(ClientSettings(fake.url, "test-model", retries=0))
    with pytest.raises(RequestFailed, match="malformed answer"):
        client.complete([{"role": "user", "content": "hi"}])


def test_one_malformed_answer_is_a_diagnostic_and_the_report_is_kept(
    project: Path, fake: FakeLLM
) -> None:
    fake.responder = lambda request: (
        Reply(body=b'{"choices": [')
        if "`app.py`" in request["messages"][-1]["content"]
        else Reply('{"defects": []}')
    )
    code, report = review(project, fake.url)
    assert code == 1
    assert engine(report) == [("command-injection", 12)]
    [note] = [d for d in report["diagnostics"] if d["kind"] == "llm"]
    assert note["path"] == "app.py" and "malformed answer" in note["message"]
    assert report["llm"]["failed"] == 1 and report["llm"]["requests"] == 1


def test_llm_check_on_a_malformed_answer_exits_2(
    fake: FakeLLM, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(Reply(body=b"<html>not json"), Reply(body=b'{"choices": ['))
    assert main(["llm-check", "--llm", fake.url, "--llm-model", "test-model"]) == 2
    err = capsys.readouterr().err
    assert "malformed answer" in err and "Traceback" not in err


# --- point 16: the pass fails entirely -----------------------------------------------------
def test_every_request_failing_keeps_the_static_review_and_exits_3(
    project: Path, fake: FakeLLM
) -> None:
    fake.responder = lambda request: error(500, "model crashed")
    code, report = review(project, fake.url)
    assert code == 3
    assert engine(report) == [("command-injection", 12)]
    [note] = [d for d in report["diagnostics"] if d["kind"] == "llm" and not d["path"]]
    assert "LLM pass failed" in note["message"] and "500" in note["message"]
    assert "every LLM request failed" in report["llm"]["error"]


def test_every_request_timing_out_keeps_the_static_review(project: Path, fake: FakeLLM) -> None:
    fake.responder = lambda request: Reply(delay=1.0)
    code, report = review(project, fake.url, "--llm-timeout", "0.2")
    assert code == 3 and engine(report) == [("command-injection", 12)]


def test_an_unreachable_endpoint_keeps_the_static_review(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = review(project, "http://127.0.0.1:9/v1")
    assert code == 3 and engine(report) == [("command-injection", 12)]
    assert "cannot reach the LLM endpoint" in report["llm"]["error"]
    url = "http://127.0.0.1:9/v1"
    main(["review", str(project), "--llm", url, "--llm-model", "m", "--llm-retries", "0"])
    out = capsys.readouterr().out
    assert "command-injection" in out and "the LLM pass failed" in out


def test_fail_on_never_does_not_hide_a_failed_llm_pass(project: Path, fake: FakeLLM) -> None:
    fake.responder = lambda request: error(500, "model crashed")
    code, _ = review(project, fake.url, "--fail-on", "never")
    assert code == 3


def test_what_cannot_work_is_refused_before_the_review(
    project: Path, fake: FakeLLM, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import secreview.pipeline

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the review ran before the LLM options were checked")

    monkeypatch.setattr(secreview.pipeline, "run_review", refuse)
    monkeypatch.setitem(sys.modules, "openai", None)  # no SDK
    assert main(["review", str(project), "--llm", fake.url, "--llm-model", "m"]) == 2
    assert "pip install 'secreview[llm]'" in capsys.readouterr().err
    monkeypatch.delitem(sys.modules, "openai")
    assert main(["review", str(project), "--llm", "ftp://x", "--llm-model", "m"]) == 2
    assert "not an http(s) URL" in capsys.readouterr().err
    assert main(["review", str(project), "--llm", fake.url]) == 2
    assert "--llm-model" in capsys.readouterr().err


# --- point 14: one redaction step over the whole request body ------------------------------
LEAKY = """\
import requests
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.get("/fetch")
def fetch():
    url = request.args["url"]
    return requests.get(url, headers={"X-Api-Key": "AKIAIOSFODNN7EXAMPLE"}, timeout=5).text


@app.post("/mirror")
def mirror():
    target = request.form["target"]
    return subprocess.run(f"curl -u admin:Sup3r-S3cret-Pw {target}", shell=True).stdout
"""


def test_no_secret_leaves_the_machine_in_any_part_of_a_request(
    project: Path, fake: FakeLLM
) -> None:
    (project / "app.py").write_text(LEAKY, encoding="utf-8")
    fake.responder = lambda request: Reply('{"defects": []}')
    code, report = review(project, fake.url, "--llm-commit-message", "rotate AKIAIOSFODNN7EXAMPLE")
    assert code == 1
    assert {rule for rule, _ in engine(report)} >= {"ssrf", "command-injection"}
    sent = json.dumps(fake.requests)
    for secret in ("AKIAIOSFODNN7EXAMPLE", "Sup3r-S3cret-Pw", "AKIAIOSFODNN7EXAM", "Sup3r-S3"):
        assert secret not in sent, secret
    assert "Engine findings" in sent and "[REDACTED:" in sent


def test_the_commit_message_is_redacted_too(project: Path, fake: FakeLLM) -> None:
    fake.responder = lambda request: Reply("No security defects are detected in the code.")
    review(
        project,
        fake.url,
        "--llm-prompt",
        "commit-cot",
        "--llm-commit-message",
        "deploy with password=hunter2hunter2 and token ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    )
    sent = json.dumps(fake.requests)
    assert "hunter2hunter2" not in sent and "ghp_abcdefghij" not in sent


@pytest.mark.parametrize(
    "line, secret",
    [
        ('os.system("curl -u admin:Sup3r-S3cret-Pw https://example.com")', "Sup3r-S3cret-Pw"),
        ('run(["curl", "--user", "deploy:t0ps3cr3t!", url])', "t0ps3cr3t!"),
        ('cmd = "sshpass -p Pr0dPassw0rd ssh root@host"', "Pr0dPassw0rd"),
        ('cmd = "mysql -u root -pS3cretDbPw -e query"', "S3cretDbPw"),
        ('os.environ["X"] = "PGPASSWORD=Pg-Passw0rd-1 psql"', "Pg-Passw0rd-1"),
        ('headers = "Authorization: Basic YWRtaW46c2VjcmV0cGFzcw=="', "YWRtaW46c2VjcmV0cGFzcw=="),
    ],
)
def test_command_line_credentials_are_redacted(line: str, secret: str) -> None:
    redacted, found = redact(f"import os\n{line}\n")
    assert secret not in redacted and found
    assert redacted.count("\n") == 2


def test_placeholders_are_not_secrets() -> None:
    text = 'os.system(f"curl -u {user}:{password} $URL")\nos.system("curl -u $USER:$PASS x")\n'
    assert redact(text)[0] == text
