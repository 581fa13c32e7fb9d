"""What the CLI's `--llm` options and `secreview llm-check` do, so `cli.py` stays thin:
command-line values -> LLMOptions, the commit message for `commit-cot`, and the endpoint
check.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from secreview import lazyre
from secreview.config import Config
from secreview.llm.client import (
    API_KEY_VARIABLES,
    ChatClient,
    ClientSettings,
    LLMError,
    RequestFailed,
    api_key,
    normalise_url,
    shown_url,
)
from secreview.llm.review import LLMOptions, review_with_llm
from secreview.model import Review

_PRICE = lazyre.compile(r"^\s*(\d+(?:\.\d*)?)\s*[,/]\s*(\d+(?:\.\d*)?)\s*$")
_COMMIT_MESSAGE_LIMIT = 4000  # characters; a commit message is context, not the review


def parse_price(text: str | None) -> tuple[float, float] | None:
    """`0.15,0.60` (USD per million prompt, completion tokens) -> (0.15, 0.6)."""
    if text is None:
        return None
    match = _PRICE.match(text)
    if not match:
        raise LLMError(
            f"--llm-price wants INPUT,OUTPUT in USD per million tokens (e.g. 0.15,0.60): {text!r}"
        )
    return float(match.group(1)), float(match.group(2))


def options(args: argparse.Namespace, root: str) -> LLMOptions:
    """LLMOptions from the parsed command line (`root`: the review root, for git)."""
    if not args.llm_model:
        raise LLMError("--llm needs --llm-model NAME (e.g. gpt-4o-mini, qwen2.5-coder:7b)")
    normalise_url(args.llm)  # a malformed URL is a usage error before any work
    message = commit_message(args, root) if args.llm_prompt == "commit-cot" else None
    return LLMOptions(
        url=args.llm,
        model=args.llm_model,
        strategy=args.llm_prompt,
        allow_secrets=args.llm_allow_secrets,
        keep_unverified=args.llm_keep_unverified,
        concurrency=args.llm_concurrency,
        timeout=args.llm_timeout,
        retries=args.llm_retries,
        max_lines=args.llm_chunk_lines,
        max_tokens=args.llm_max_tokens,
        price=parse_price(args.llm_price),
        commit_message=message,
        cache=not args.no_cache,
        store_path=args.store,
    )


def preflight(args: argparse.Namespace) -> None:
    """What can be checked before any work: LLMError when the pass could not even start
    (no model, a bad URL or price, the SDK or the redaction library missing, an unreadable
    commit message file); a review of an hour must not end in that."""
    from secreview.llm.client import import_openai

    if not args.llm_model:
        raise LLMError("--llm needs --llm-model NAME (e.g. gpt-4o-mini, qwen2.5-coder:7b)")
    normalise_url(args.llm)
    parse_price(args.llm_price)
    import_openai()
    if not args.llm_allow_secrets:
        from secreview.llm.redact import NEEDS_DETECT_SECRETS

        try:
            import detect_secrets  # noqa: F401
        except ImportError:
            raise LLMError(NEEDS_DETECT_SECRETS) from None
    given = getattr(args, "llm_commit_message", None)
    if given and given.startswith("@") and not os.access(given[1:], os.R_OK):
        raise LLMError(f"cannot read the commit message file {given[1:]}")


def run(
    review: Review,
    paths: Sequence[str],
    config: Config,
    args: argparse.Namespace,
    changed: dict[str, frozenset[int]] | None = None,
) -> Review:
    """The LLM pass of `secreview review --llm`; LLMError when it cannot run."""
    settings = options(args, review.root)
    progress = None
    if not args.quiet and sys.stderr.isatty() and not os.environ.get("CI"):
        progress = _Progress(sys.stderr)
    try:
        return review_with_llm(review, paths, config, settings, progress=progress, changed=changed)
    finally:
        if progress is not None:
            progress.clear()


class _Progress:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if total:
            self.stream.write(f"\rsecreview: LLM review {done}/{total} chunks")
            self.stream.flush()
            self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()


# --- commit message ------------------------------------------------------------------------
def commit_message(args: argparse.Namespace, root: str) -> str | None:
    """For `commit-cot`: `--llm-commit-message TEXT` (or `@FILE`), else the message of the
    change reviewed: the patch's own header for `--patch`, the end commit of `--diff A..B`,
    HEAD for `--diff REV`; None when there is none (the prompt says so)."""
    given = getattr(args, "llm_commit_message", None)
    if given:
        if given.startswith("@"):
            try:
                return Path(given[1:]).read_text(encoding="utf-8")[:_COMMIT_MESSAGE_LIMIT]
            except OSError as exc:
                raise LLMError(f"cannot read {given[1:]}: {exc.strerror or exc}") from None
        return given[:_COMMIT_MESSAGE_LIMIT]
    patch = getattr(args, "patch", None)
    if patch == "-":
        return None  # standard input was the patch, and the change review has read it
    if patch:
        try:
            text = Path(patch).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return message_from_patch(text)
    diff = getattr(args, "diff", None)
    if diff:
        end = re.split(r"\.\.\.?", diff, maxsplit=1)[1] if ".." in diff else "HEAD"
        return _git_message(root, end or "HEAD")
    return None


def _git_message(root: str, rev: str) -> str | None:
    from secreview.targets import git

    try:
        top = git.toplevel(root)
        text = git.run(top, "log", "-1", "--format=%B", "--end-of-options", rev, "--")
    except git.GitError:
        return None
    message = text.decode("utf-8", "replace").strip()
    return message[:_COMMIT_MESSAGE_LIMIT] or None


def message_from_patch(text: str) -> str | None:
    """The commit message a patch carries: `git format-patch` (Subject: + body up to
    `---`) or `git show` (the indented lines after the commit header)."""
    head = re.split(r"^(?:diff --git |--- |Index: )", text, maxsplit=1, flags=re.MULTILINE)[0]
    lines = head.splitlines()
    subject = next((i for i, line in enumerate(lines) if line.startswith("Subject:")), None)
    if subject is not None:
        title = re.sub(r"^Subject:\s*(\[[^\]]*\]\s*)?", "", lines[subject])
        body: list[str] = []
        for line in lines[subject + 1 :]:
            if line.strip() == "---":
                break
            body.append(line)
        message = "\n".join([title, *body]).strip()
    elif lines and lines[0].startswith("commit "):
        start = lines.index("") + 1 if "" in lines else len(lines)  # after Author:, Date:
        message = "\n".join(line[4:] if line.startswith("    ") else "" for line in lines[start:])
        message = message.strip()
    else:
        message = head.strip()
    return message[:_COMMIT_MESSAGE_LIMIT] or None


# --- llm-check -----------------------------------------------------------------------------
_CHECK_PROMPT = 'Reply with exactly this JSON and nothing else: {"ok": true, "cwe": "CWE-78"}'


def check(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """`secreview llm-check`: one tiny request; prints what the endpoint did. 0 when it
    answered, 2 when it could not be used."""
    out = out or sys.stdout
    url = normalise_url(args.llm)
    key = api_key()
    print(f"endpoint:  {shown_url(url)}", file=out)
    print(f"model:     {args.llm_model}", file=out)
    where = next((v for v in API_KEY_VARIABLES if os.environ.get(v, "").strip()), None)
    print(
        f"api key:   {'from ' + where if key and where else 'none (fine for local servers)'}",
        file=out,
    )
    client = ChatClient(
        ClientSettings(url, args.llm_model, timeout=args.llm_timeout, retries=1, max_tokens=64)
    )
    started = time.perf_counter()
    try:
        completion = client.complete([{"role": "user", "content": _CHECK_PROMPT}], json_mode=True)
    except RequestFailed as exc:
        raise LLMError(f"the endpoint did not answer usably: {exc}") from None
    seconds = time.perf_counter() - started
    reply = " ".join(completion.text.split())
    print(f"answered:  in {seconds:.2f} s by model {completion.model or '(not named)'}", file=out)
    print(f"reply:     {reply[:200]!r}", file=out)
    print(
        f"tokens:    {completion.prompt_tokens} prompt, {completion.completion_tokens} "
        "completion" + ("" if completion.prompt_tokens else " (the server reports no usage)"),
        file=out,
    )
    json_ok = _is_expected_json(completion.text)
    print(
        "json:      "
        + (
            "follows the format asked for"
            if json_ok
            else "did not follow the format (the grounded prompt will fall back to reading prose)"
        ),
        file=out,
    )
    if completion.finish_reason:
        print(f"finish:    {completion.finish_reason}", file=out)
    return 0


def _is_expected_json(text: str) -> bool:
    from secreview.llm.parse import strip_reasoning

    body = strip_reasoning(text).strip().strip("`")
    body = body.removeprefix("json").strip()
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("ok") is True
