"""The LLM pass over a finished engine review: chunk, redact, prompt, ask (cached, in
parallel), parse, verify, and merge the surviving claims into the Review.

The engine's findings are never touched: the model can add verified findings (origin
`llm`), nothing else, so no text in the reviewed code can talk the review out of a defect
the engine found. Claims that fail verification are listed in `Review.rejected`, or kept
with low confidence under `--llm-keep-unverified`.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass, field, replace
from pathlib import Path

from secreview import findings as findings_stage
from secreview import store
from secreview.claims import SourceLines
from secreview.config import Config
from secreview.llm import prompts
from secreview.llm.cache import ResponseCache, prompt_hash
from secreview.llm.chunks import DEFAULT_MAX_LINES, Chunk, split
from secreview.llm.client import ChatClient, ClientSettings, Completion, LLMError, RequestFailed
from secreview.llm.parse import parse_answer
from secreview.llm.redact import Redactor
from secreview.llm.sites import Site, find_sites
from secreview.llm.verify import Verdict, enclosing_scope, verify
from secreview.model import (
    Confidence,
    Diagnostic,
    Finding,
    Location,
    Review,
    Severity,
    SourceFile,
    Stats,
    Verification,
    severity_rank,
)
from secreview.python.analyzer import fingerprint
from secreview.python.context import is_test_path
from secreview.python.parse import parse_module, shrink_literals
from secreview.reports._common import cwe_name

RULE_ID = "llm-review"
_STATUS_ORDER = {"corroborated": 0, "grounded": 1, "rejected": 2}

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class LLMOptions:
    url: str
    model: str
    strategy: str = prompts.DEFAULT_STRATEGY
    allow_secrets: bool = False
    keep_unverified: bool = False
    concurrency: int = 4
    timeout: float = 120.0
    retries: int = 3
    backoff: float = 1.0
    max_lines: int = DEFAULT_MAX_LINES
    max_tokens: int = 2048
    temperature: float = 0.0
    seed: int | None = None
    price: tuple[float, float] | None = None  # USD per million prompt / completion tokens
    commit_message: str | None = None
    cache: bool = True
    store_path: str | None = None  # default: <root>/.secreview/store.sqlite3

    def client_settings(self) -> ClientSettings:
        return ClientSettings(
            url=self.url,
            model=self.model,
            timeout=self.timeout,
            retries=self.retries,
            backoff=self.backoff,
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            seed=self.seed,
        )


@dataclass(slots=True)
class _File:
    source: SourceFile
    tree: ast.Module | None
    lines: SourceLines  # the original text: what claims are checked against
    sent: list[str]  # the text as sent (secrets redacted), split on newlines
    sites: list[Site]


@dataclass(slots=True)
class _Job:
    file: _File
    chunk: Chunk
    messages: list[dict[str, str]]
    phash: str


@dataclass(slots=True)
class _Tally:
    requests: int = 0
    cached: int = 0
    failed: int = 0
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    redacted: int = 0
    unparsed: int = 0
    verdicts: list[Verdict] = field(default_factory=list)


def review_with_llm(
    review: Review,
    paths: Sequence[str],
    config: Config,
    options: LLMOptions,
    *,
    client: ChatClient | None = None,
    progress: ProgressCallback | None = None,
    changed: dict[str, frozenset[int]] | None = None,
) -> Review:
    """`review` plus the verified findings of an LLM pass over the same files; `changed`
    (or `review.changed_lines`) limits it to the chunks a change touches.

    Raises LLMError when the pass cannot start (no SDK, a bad option). When it starts but
    fails (the endpoint unreachable or refusing, every request failing), the engine's
    review is returned with a diagnostic and an `llm_error` in its stats, which the CLI
    turns into exit code 3: the static review is never lost, and never passed off as one
    with an LLM pass. One request that fails, or whose answer is unusable, costs only its
    chunk (a diagnostic).
    """
    started = time.perf_counter()
    if changed is not None:
        review = replace(review, changed_lines=changed)
    if options.strategy not in prompts.STRATEGIES:
        raise LLMError(f"unknown --llm-prompt {options.strategy!r}")
    client = client or ChatClient(options.client_settings())
    tally = _Tally()
    diagnostics: list[Diagnostic] = []
    redactor = None if options.allow_secrets else Redactor()
    if redactor is not None and options.commit_message:
        options = replace(options, commit_message=redactor.prose(options.commit_message))
    files = _load_files(review, paths, config, options, redactor)
    jobs = [job for file in files for job in _jobs(file, review, options, redactor)]
    if redactor is not None:
        tally.redacted = redactor.redacted
    cache = _open_cache(review, options)
    try:
        answers = _ask(jobs, client, cache, options, tally, diagnostics, progress)
    except LLMError as exc:  # unreachable, refusing the key, not knowing the model
        return _failed(review, options, tally, diagnostics, str(exc), started)
    finally:
        if cache is not None:
            cache.close()
    if jobs and tally.failed == len(jobs):
        reason = next((d.message for d in diagnostics if d.kind == "llm"), "")
        why = f"every LLM request failed ({len(jobs)}); the first: {reason}"
        return _failed(review, options, tally, diagnostics, why, started)
    for job, completion in answers:
        try:
            _judge(job, completion, review.findings, options, tally, diagnostics)
        except Exception as exc:  # an answer that breaks the reader: that chunk's problem
            tally.unparsed += 1
            diagnostics.append(_diagnostic(job, f"LLM answer unusable ({_describe(exc)})"))
    verdicts = _dedupe(tally.verdicts)
    kept, rejected, suppressed = _findings(verdicts, files, review, config, options)
    stats = _stats(review.stats, options, tally, verdicts, suppressed, started)
    merged = sorted([*review.findings, *kept], key=_report_order)
    notes = sorted([*review.diagnostics, *diagnostics], key=lambda d: (d.path, d.message))
    return replace(
        review,
        findings=tuple(merged),
        diagnostics=tuple(notes),
        stats=stats,
        rejected=tuple(rejected),
    )


def _failed(
    review: Review,
    options: LLMOptions,
    tally: _Tally,
    diagnostics: list[Diagnostic],
    reason: str,
    started: float,
) -> Review:
    """The engine's review, saying the LLM pass asked for failed and why."""
    note = Diagnostic(
        "",
        f"the LLM pass failed, so this report holds the engine's review only: {reason}",
        kind="llm",
    )
    stats = _stats(review.stats, options, tally, [], 0, started)
    stats = replace(stats, extra=(*stats.extra, ("llm_error", reason)))
    notes = sorted([*review.diagnostics, *diagnostics, note], key=lambda d: (d.path, d.message))
    return replace(review, diagnostics=tuple(notes), stats=stats)


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _report_order(finding: Finding) -> tuple:
    """The findings stage's order (severity, place); an LLM finding after the engine's."""
    loc = finding.location
    origin = finding.origin != "engine"
    return (-severity_rank(finding.severity), loc.path, loc.line, origin, finding.rule_id)


# --- inputs --------------------------------------------------------------------------------
def _load_files(
    review: Review,
    paths: Sequence[str],
    config: Config,
    options: LLMOptions,
    redactor: Redactor | None,
) -> list[_File]:
    """The reviewed files again (the pipeline keeps no text), as the engine saw them."""
    from secreview.targets import discover, load

    discovery = discover(paths, config, review.root if review.root != "." else None)
    changed = review.changed_lines
    files: list[_File] = []
    for target in discovery.targets:
        if not config.include_tests and is_test_path(target.path):
            continue
        if changed is not None and not changed.get(target.path):
            continue
        loaded = load(target, config.max_file_size)
        if isinstance(loaded, Diagnostic):
            continue  # already a diagnostic of the engine's review
        tree = parse_module(shrink_literals(loaded.text)[0], loaded.path)
        if not isinstance(tree, ast.Module):
            continue  # does not parse: no claim about it could be checked
        text = loaded.text
        if redactor is not None:
            text, _ = redactor.file(text, loaded.path)
        files.append(
            _File(
                source=loaded,
                tree=tree,
                lines=SourceLines(loaded.text),
                sent=text.split("\n"),
                sites=find_sites(tree, loaded.path),
            )
        )
    return files


def _jobs(
    file: _File, review: Review, options: LLMOptions, redactor: Redactor | None
) -> list[_Job]:
    """One request per chunk of the file, each redacted as a whole (its evidence quotes
    the code, and the commit message is the author's text)."""
    changed = (review.changed_lines or {}).get(file.source.path)
    jobs: list[_Job] = []
    for chunk in split(file.source.path, file.source.text, file.tree, options.max_lines):
        if changed is not None and not any(n in changed for n in chunk.lines):
            continue
        prompt = prompts.build(
            options.strategy,
            chunk,
            file.sent,
            findings=review.findings,
            sites=file.sites,
            commit_message=options.commit_message,
        )
        messages = prompt.messages()
        if redactor is not None:
            messages = redactor.messages(messages)
        parameters = {
            "strategy": options.strategy,
            "temperature": options.temperature,
            "max_tokens": options.max_tokens,
            "seed": options.seed,
            "json": options.strategy in prompts.JSON_STRATEGIES,
            # two servers may serve different models under one name ("llama3" on Ollama
            # and on a colleague's vLLM): an answer is kept for the endpoint that gave it
            "endpoint": options.url.rstrip("/"),
        }
        jobs.append(_Job(file, chunk, messages, prompt_hash(messages, parameters)))
    return jobs


def _open_cache(review: Review, options: LLMOptions) -> ResponseCache | None:
    if not options.cache:
        return None
    path = options.store_path or store.default_path(review.root)
    return ResponseCache.open(Path(path))


# --- asking --------------------------------------------------------------------------------
def _ask(
    jobs: list[_Job],
    client: ChatClient,
    cache: ResponseCache | None,
    options: LLMOptions,
    tally: _Tally,
    diagnostics: list[Diagnostic],
    progress: ProgressCallback | None,
) -> list[tuple[_Job, Completion]]:
    """Answers in job order: cached ones at once, the rest from a bounded thread pool. An
    LLMError from any request stops the pass (after the requests in flight end)."""
    answers: dict[int, Completion] = {}
    pending: dict[Future[Completion], int] = {}
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
        for index, job in enumerate(jobs):
            hit = cache.get(options.model, job.phash) if cache is not None else None
            if hit is not None:
                answers[index] = hit
                tally.cached += 1
                done += 1
                continue
            json_mode = options.strategy in prompts.JSON_STRATEGIES
            schema = prompts.answer_schema() if options.strategy == "grounded" else None
            future = pool.submit(client.complete, job.messages, json_mode=json_mode, schema=schema)
            pending[future] = index
        if progress:
            progress(done, len(jobs))
        fatal: LLMError | None = None
        remaining = set(pending)
        while remaining:
            finished, remaining = wait_for(remaining, return_when="FIRST_COMPLETED")
            for future in finished:
                index = pending[future]
                job = jobs[index]
                done += 1
                try:
                    completion = future.result()
                except LLMError as exc:
                    fatal = fatal or exc
                    for other in remaining:
                        other.cancel()
                    continue
                except RequestFailed as exc:
                    tally.failed += 1
                    diagnostics.append(_diagnostic(job, f"not reviewed by the LLM: {exc}"))
                    continue
                except Exception as exc:  # anything else one request raises is its own
                    tally.failed += 1
                    message = f"not reviewed by the LLM: {_describe(exc)}"
                    diagnostics.append(_diagnostic(job, message))
                    continue
                tally.requests += 1
                tally.retries += completion.retries
                tally.prompt_tokens += completion.prompt_tokens
                tally.completion_tokens += completion.completion_tokens
                answers[index] = completion
                if cache is not None and completion.finish_reason != "length":
                    cache.put(options.model, job.phash, completion)
            if progress:
                progress(done, len(jobs))
        if fatal is not None:
            raise fatal
    return [(jobs[i], answers[i]) for i in sorted(answers)]


def _diagnostic(job: _Job, message: str) -> Diagnostic:
    chunk = job.chunk
    return Diagnostic(chunk.path, f"lines {chunk.first}-{chunk.last}: {message}", kind="llm")


# --- judging -------------------------------------------------------------------------------
def _judge(
    job: _Job,
    completion: Completion,
    engine: Sequence[Finding],
    options: LLMOptions,
    tally: _Tally,
    diagnostics: list[Diagnostic],
) -> None:
    file, chunk = job.file, job.chunk
    expect_json = options.strategy in prompts.JSON_STRATEGIES
    answer = parse_answer(completion.text, chunk.path, expect_json=expect_json)
    if completion.finish_reason == "length":
        diagnostics.append(_diagnostic(job, "the LLM answer was cut off at --llm-max-tokens"))
    if answer.notes:
        tally.unparsed += not answer.claims
        message = f"LLM answer: {'; '.join(answer.notes)}"
        if not answer.claims:
            start = " ".join(completion.text.split())[:100]
            message += f" (it began: {start!r})"
        diagnostics.append(_diagnostic(job, message))
    shown = set(chunk.shown())
    for claim in answer.claims:
        verdict = verify(claim, chunk.path, file.lines, file.sites, engine)
        if verdict.status != "rejected" and claim.line not in shown:
            # right by accident: the model was never shown that line
            verdict = Verdict(
                verdict.claim,
                "rejected",
                f"line {claim.line} was not in the code shown to the model "
                f"(lines {chunk.first}-{chunk.last})",
            )
        tally.verdicts.append(verdict)


def _dedupe(verdicts: list[Verdict]) -> list[Verdict]:
    """One verdict per (file, line, CWE): overlapping chunks and repeated claims say the
    same thing; the best-supported one stays."""
    best: dict[tuple[str, int | None, int | None, str], Verdict] = {}
    for verdict in verdicts:
        claim = verdict.claim
        text = "" if verdict.status != "rejected" else verdict.reason
        key = (claim.path or "", claim.line, claim.cwe, text)
        current = best.get(key)
        if current is None or _STATUS_ORDER[verdict.status] < _STATUS_ORDER[current.status]:
            best[key] = verdict
    accepted = {(k[0], k[1], k[2]) for k, v in best.items() if v.status != "rejected"}
    return [
        v for k, v in best.items() if v.status != "rejected" or (k[0], k[1], k[2]) not in accepted
    ]


# --- findings ------------------------------------------------------------------------------
def _findings(
    verdicts: list[Verdict],
    files: list[_File],
    review: Review,
    config: Config,
    options: LLMOptions,
) -> tuple[list[Finding], list[Finding], int]:
    """(findings to add, rejected claims, how many were suppressed by comments)."""
    by_path = {f.source.path: f for f in files}
    accepted: list[Finding] = []
    rejected: list[Finding] = []
    for verdict in verdicts:
        file = by_path.get(verdict.claim.path or "")
        finding = _finding(verdict, file)
        if verdict.status == "rejected":
            rejected.append(finding)
            if options.keep_unverified:
                accepted.append(replace(finding, confidence="low"))
        else:
            accepted.append(finding)
    suppressions = {
        path: findings_stage.parse_suppressions(file.source.text, nosec=config.nosec)
        for path, file in by_path.items()
    }
    kept, suppressed, _notes = findings_stage.process(
        accepted, suppressions, known_rules={RULE_ID}, changed=review.changed_lines
    )
    rejected.sort(key=lambda f: (f.location.path, f.location.line, f.cwe))
    return kept, rejected, suppressed


def _finding(verdict: Verdict, file: _File | None) -> Finding:
    claim = verdict.claim
    path = claim.path or ""
    line = claim.line or 1
    end = claim.end_line if claim.end_line and claim.end_line >= line else line
    cwe_id = claim.cwe or 0
    snippet = file.lines.line(line).strip() if file is not None else ""
    scope = enclosing_scope(file.tree, line) if file is not None else ""
    # a title is one line in every report (the model may put line breaks in it)
    title = " ".join(claim.title.split()) or cwe_name(cwe_id)
    title = title or "Security defect reported by the LLM review"
    message = claim.explanation or claim.title or claim.raw[:300]
    column = 1
    engine = verdict.engine
    if engine is not None and (engine.location.path, engine.location.line) == (path, line):
        column = engine.location.column  # listed right after the finding it confirms
    return Finding(
        rule_id=RULE_ID,
        cwe=cwe_id,
        title=title,
        message=message,
        severity=_severity(verdict),
        confidence=_confidence(verdict),
        location=Location(path, line, column, end_line=end),
        snippet=snippet,
        fix=claim.fix,
        origin="llm",
        verification=Verification(verdict.status, verdict.reason),
        fingerprint=fingerprint(f"{RULE_ID}/CWE-{cwe_id}", path, snippet, scope),
        scope=scope,
        region=(line, end),
    )


def _severity(verdict: Verdict) -> Severity:
    """The corroborating finding's severity, or the grounding sink rule's; medium else."""
    if verdict.engine is not None:
        return verdict.engine.severity
    if verdict.site is not None and verdict.site.rules:
        from secreview.rules import get_rule

        ranks = [m.severity for r in verdict.site.rules if (m := get_rule(r)) is not None]
        if ranks:
            return max(ranks, key=severity_rank)
    return "medium"


def _confidence(verdict: Verdict) -> Confidence:
    """Corroborated claims are as sure as the engine; a grounded one is at most medium (the
    sink is there, the flow is the model's word); a rejected one is low."""
    claimed = verdict.claim.confidence if verdict.claim.confidence in ("low", "medium") else None
    if verdict.status == "corroborated":
        return "high"
    if verdict.status == "grounded":
        return claimed or "medium"  # type: ignore[return-value]
    return "low"


# --- stats ---------------------------------------------------------------------------------
def _stats(
    stats: Stats,
    options: LLMOptions,
    tally: _Tally,
    verdicts: list[Verdict],
    suppressed: int,
    started: float,
) -> Stats:
    counts = {s: sum(v.status == s for v in verdicts) for s in _STATUS_ORDER}
    extra = [
        ("llm_model", options.model),
        ("llm_prompt", options.strategy),
        ("llm_requests", str(tally.requests)),
        ("llm_cached", str(tally.cached)),
        ("llm_failed", str(tally.failed)),
        ("llm_retries", str(tally.retries)),
        ("llm_prompt_tokens", str(tally.prompt_tokens)),
        ("llm_completion_tokens", str(tally.completion_tokens)),
    ]
    if options.price is not None:
        cost = (
            tally.prompt_tokens * options.price[0] + tally.completion_tokens * options.price[1]
        ) / 1_000_000
        extra.append(("llm_cost_usd", f"{cost:.4f}"))
    extra += [
        ("llm_claims", str(len(verdicts))),
        ("llm_corroborated", str(counts["corroborated"])),
        ("llm_grounded", str(counts["grounded"])),
        ("llm_rejected", str(counts["rejected"])),
        ("llm_unparsed_answers", str(tally.unparsed)),
        ("llm_redacted_secrets", "off" if options.allow_secrets else str(tally.redacted)),
        ("llm_seconds", f"{time.perf_counter() - started:.2f}"),
    ]
    return replace(
        stats,
        suppressed=stats.suppressed + suppressed,
        seconds=round(stats.seconds + time.perf_counter() - started, 3),
        extra=(*stats.extra, *extra),
    )
