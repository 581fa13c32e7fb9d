"""One review run: targets -> analysis (per file, then whole program) -> findings -> Review.

Per-file work runs in a process pool when there is enough of it; the whole-program taint
phase runs here, on the small per-function summaries the workers return.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from secreview import findings as findings_stage
from secreview.config import Config
from secreview.model import Diagnostic, Finding, Review, SourceFile, Stats
from secreview.python.analyzer import ModuleResult, RuleSet, analyze_source
from secreview.python.symbols import module_name_for
from secreview.python.taint import engine as taint_engine
from secreview.rules import all_rules
from secreview.targets import Discovery, Target, discover, load

ProgressCallback = Callable[[int, int], None]

# Below this many files a process pool costs more than it saves.
_MIN_FILES_PER_WORKER = 16


@dataclass(frozen=True, slots=True)
class _WorkerSettings:
    rules: tuple[str, ...] | None
    skip_rules: tuple[str, ...]
    max_file_size: int
    include_tests: bool
    nosec: bool
    taint_rules: frozenset[str]
    taint_parameters: bool
    package_dirs: frozenset[str]
    internal: frozenset[str] = frozenset()  # top-level packages/modules of the reviewed tree


_worker_cache: dict[_WorkerSettings, RuleSet] = {}


def _analyze_target(target: Target, settings: _WorkerSettings) -> ModuleResult:
    ruleset = _worker_cache.get(settings)
    if ruleset is None:
        ruleset = _worker_cache[settings] = RuleSet.select(settings.rules, settings.skip_rules)
    loaded = load(target, settings.max_file_size)
    if isinstance(loaded, Diagnostic):
        return ModuleResult(path=target.path, diagnostics=[loaded])
    return analyze_loaded(loaded, ruleset, settings)


def analyze_loaded(source: SourceFile, ruleset: RuleSet, settings: _WorkerSettings) -> ModuleResult:
    module = module_name_for(source.path, settings.package_dirs)
    summarize = None
    if settings.taint_rules:
        summarize = taint_engine.Summarizer(
            settings.taint_rules,
            internal=settings.internal,
            include_tests=settings.include_tests,
            taint_parameters=settings.taint_parameters,
        )
    result = analyze_source(
        source, ruleset, module=module, include_tests=settings.include_tests, taint=summarize
    )
    result.suppressions = findings_stage.parse_suppressions(source.text, nosec=settings.nosec)
    return result


def _run_all(
    targets: Sequence[Target],
    settings: _WorkerSettings,
    jobs: int,
    progress: ProgressCallback | None,
) -> Iterator[ModuleResult]:
    total = len(targets)
    workers = min(jobs, max(1, total // _MIN_FILES_PER_WORKER))
    if workers <= 1:
        for index, target in enumerate(targets, 1):
            yield _analyze_target(target, settings)
            if progress:
                progress(index, total)
        return
    chunk = max(1, min(64, total // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for index, result in enumerate(
            pool.map(_analyze_target, targets, [settings] * total, chunksize=chunk), 1
        ):
            yield result
            if progress:
                progress(index, total)


def run_review(
    paths: Sequence[str],
    config: Config,
    *,
    changed: dict[str, frozenset[int]] | None = None,
    progress: ProgressCallback | None = None,
) -> Review:
    """Review `paths`; `changed` (path -> changed lines) scopes findings to a diff."""
    started = time.perf_counter()
    discovery: Discovery = discover(paths, config)
    rules = all_rules()
    selected = {
        rule_id
        for rule_id in rules
        if (config.rules is None or rule_id in config.rules) and rule_id not in config.skip_rules
    }
    settings = _WorkerSettings(
        rules=config.rules,
        skip_rules=config.skip_rules,
        max_file_size=config.max_file_size,
        include_tests=config.include_tests,
        nosec=config.nosec,
        taint_rules=frozenset(r for r in selected if rules[r].kind == "taint"),
        taint_parameters=config.taint_parameters,
        package_dirs=discovery.package_dirs,
        internal=frozenset(
            module_name_for(t.path, discovery.package_dirs).split(".")[0] for t in discovery.targets
        ),
    )
    jobs = config.jobs or os.cpu_count() or 1
    results = list(_run_all(discovery.targets, settings, jobs, progress))
    return assemble(results, discovery, config, settings, changed, started)


def assemble(
    results: Iterable[ModuleResult],
    discovery: Discovery,
    config: Config,
    settings: _WorkerSettings,
    changed: dict[str, frozenset[int]] | None,
    started: float,
) -> Review:
    """Whole-program phase and the findings stage, on the per-file results."""
    results = list(results)
    all_findings: list[Finding] = [f for r in results for f in r.findings]
    diagnostics: list[Diagnostic] = list(discovery.diagnostics)
    diagnostics.extend(d for r in results for d in r.diagnostics)
    if settings.taint_rules:
        all_findings.extend(
            taint_engine.solve([r.summaries for r in results if r.summaries is not None])
        )
    suppressions = {r.path: r.suppressions for r in results if r.suppressions}
    kept, suppressed, notes = findings_stage.process(
        all_findings, suppressions, known_rules=set(all_rules()), changed=changed
    )
    diagnostics.extend(notes)
    reviewed = [r for r in results if not r.skipped]
    analysed = [r for r in reviewed if not any(d.kind != "suppression" for d in r.diagnostics)]
    stats = Stats(
        files=len(reviewed),
        lines=sum(r.lines for r in analysed),
        seconds=round(time.perf_counter() - started, 3),
        suppressed=suppressed,
    )
    return Review(
        findings=tuple(kept),
        diagnostics=tuple(sorted(diagnostics, key=lambda d: (d.path, d.message))),
        stats=stats,
        root=discovery.root,
    )
