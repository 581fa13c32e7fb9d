"""One review run: targets -> analysis (per file, then whole program) -> findings -> Review.

Per-file work runs through an executor (`executors.py`: this process, a local process
pool, or Ray tasks), skipping the files whose results the analysis cache (`cache.py`)
already holds; the whole-program taint phase runs here, on the small per-function
summaries the workers return, and is skipped too when no file changed.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from secreview import findings as findings_stage
from secreview import store as store_files
from secreview.cache import AnalysisCache, content_digest
from secreview.config import Config
from secreview.executors import Executor, LocalExecutor
from secreview.model import Diagnostic, Finding, Review, SourceFile, Stats
from secreview.python import fixtext
from secreview.python.access import project as access_rules
from secreview.python.analyzer import PARTIAL_KINDS, ModuleResult, RuleSet, analyze_source
from secreview.python.context import is_test_path
from secreview.python.seeding import demo_modules, imports_of_test_file
from secreview.python.symbols import module_name_for, tree_top_names
from secreview.rules import CHECK_RULES, all_rules
from secreview.targets import Discovery, Target, discover
from secreview.targets.source import load_bytes, read_file

ProgressCallback = Callable[[int, int], None]
# diagnostics that leave a file counted as analysed
_PARTIAL = frozenset({"suppression", *PARTIAL_KINDS})


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
    # workers pickle their summaries for the analysis cache (in parallel, not in the parent)
    pack_summaries: bool = False
    parent_pid: int = 0  # the process that runs the review (a worker in it keeps objects)

    def selected(self) -> frozenset[str]:
        """The ids of the rules this run reports."""
        return frozenset(
            rule_id
            for rule_id in all_rules()
            if (self.rules is None or rule_id in self.rules) and rule_id not in self.skip_rules
        )

    def cache_context(self) -> str:
        """Every setting but the rule selection that changes one file's result: part of its
        cache key (the path and module name, which `package_dirs` decides, are keyed per
        file). The selection is not: a result computed with more rules serves any run
        whose rules are among them (`AnalysisCache.get_files`)."""
        return repr(
            (
                self.include_tests,
                self.nosec,
                self.taint_parameters,
                tuple(sorted(self.internal)),
            )
        )


_worker_cache: dict[_WorkerSettings, RuleSet] = {}
# files and bytes analysed by this process since its last collection (`_fewer_collections`)
_since_collection = 0
_bytes_since_collection = 0
COLLECT_EVERY = 20
# ... or after this much source: the largest files come first, and the cycles twenty of
# them leave would otherwise stay until the twentieth (a worker's peak memory)
COLLECT_EVERY_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file a worker reads itself (it shares the reviewed tree's file system), in place
    of its bytes: what the driver read and hashed, so the worker can tell it has the same."""

    digest: str  # SHA-256 of the bytes the driver read


RESEND = "resend"  # a worker's diagnostic kind: the file it read was not the driver's


def _analyze_item(item: tuple[Target, bytes | FileRef], settings: _WorkerSettings) -> ModuleResult:
    """One file, in a worker process, a Ray task or here; never raises for bad input."""
    global _since_collection, _bytes_since_collection
    _since_collection += 1
    if (
        _since_collection >= COLLECT_EVERY or _bytes_since_collection >= COLLECT_EVERY_BYTES
    ) and not gc.isenabled():
        _since_collection = _bytes_since_collection = 0
        gc.collect(1)
    target, data = item
    if isinstance(data, FileRef):  # read here, and only if it is the file the driver read
        read = read_file(target, settings.max_file_size)
        if isinstance(read, Diagnostic) or content_digest(read) != data.digest:
            return ModuleResult(path=target.path, diagnostics=[Diagnostic(target.path, "", RESEND)])
        data = read
    _bytes_since_collection += len(data)
    ruleset = _worker_cache.get(settings)
    if ruleset is None:
        ruleset = _worker_cache[settings] = RuleSet.select(settings.rules, settings.skip_rules)
    loaded = load_bytes(target, data)
    if isinstance(loaded, Diagnostic):
        return ModuleResult(path=target.path, diagnostics=[loaded])
    result = analyze_loaded(loaded, ruleset, settings)
    if settings.pack_summaries and result.summaries is not None:
        # the cache's copy, made here in parallel rather than in the parent at the end;
        # from a worker process the summaries then travel only as these bytes
        result.packed_summaries = pickle.dumps(result.summaries, pickle.HIGHEST_PROTOCOL)
        if os.getpid() != settings.parent_pid:
            result.summaries = None  # `_run_all` unpacks them
    return result


def analyze_loaded(source: SourceFile, ruleset: RuleSet, settings: _WorkerSettings) -> ModuleResult:
    module = module_name_for(source.path, settings.package_dirs)
    summarize = None
    if settings.taint_rules:
        summarize = _taint_engine().Summarizer(
            settings.taint_rules,
            internal=settings.internal,
            include_tests=settings.include_tests,
            taint_parameters=settings.taint_parameters,
        )
    result = analyze_source(
        source, ruleset, module=module, include_tests=settings.include_tests, taint=summarize
    )
    if not result.skipped:  # a test module left out has no findings to suppress
        result.suppressions = findings_stage.parse_suppressions(source.text, nosec=settings.nosec)
    return result


@dataclass(slots=True)
class _PerFile:
    """The per-file phase's output, in target order."""

    results: list[ModuleResult]
    keys: list[str | None]  # cache keys (None: no cache, or the file could not be read)
    cached: list[int]  # indexes of results taken from the cache (their summaries not loaded)


def _run_all(
    targets: Sequence[Target],
    settings: _WorkerSettings,
    executor: Executor,
    progress: ProgressCallback | None,
    cache: AnalysisCache | None,
) -> _PerFile:
    """Read every file here (its bytes are hashed for the cache key and shipped to the
    workers, which then need no access to the tree), reuse cached results, and send the
    rest to the executor."""
    results: list[ModuleResult | None] = [None] * len(targets)
    keys: list[str | None] = [None] * len(targets)
    pending: list[int] = []
    items: list[tuple[Target, bytes]] = []
    skipped = 0
    for index, target in enumerate(targets):
        if not settings.include_tests and is_test_path(target.path):
            # left out, not parsed: only its import lines are read (`seeding.py`)
            results[index] = ModuleResult(
                path=target.path, skipped=True, seeding_imports=_test_imports(target, settings)
            )
            skipped += 1
            continue
        data = read_file(target, settings.max_file_size)
        if isinstance(data, Diagnostic):
            results[index] = ModuleResult(path=target.path, diagnostics=[data])
            continue
        if cache is not None:
            module = module_name_for(target.path, settings.package_dirs)
            keys[index] = cache.file_key(target.path, module, content_digest(data))
        pending.append(index)
        items.append((target, data))
    cached: list[int] = []
    if cache is not None and pending:
        hits = cache.get_files([keys[index] for index in pending])  # type: ignore[misc]
        if hits:
            still = [n for n, index in enumerate(pending) if keys[index] not in hits]
            cached = [index for index in pending if keys[index] in hits]
            selected = settings.selected()
            for index in cached:
                results[index] = _narrowed(hits[keys[index]], selected)  # type: ignore[index]
            pending = [pending[n] for n in still]
            items = [items[n] for n in still]
    # the progress counts the files reviewed, as the report's summary does: test files
    # left out are not among them
    total = len(targets) - skipped
    done = total - len(pending)
    # largest files first: the workers' last batches are then small ones, and none is left
    # alone with a big file at the end while the others idle
    order = sorted(range(len(items)), key=lambda n: -len(items[n][1]))
    pending = [pending[n] for n in order]
    items = [items[n] for n in order]
    sent = _by_reference(items, executor)
    fresh = executor.map(_analyze_item, sent, settings)
    if progress:
        progress(done, total)
    for position, (index, result) in enumerate(zip(pending, fresh, strict=True)):
        if result.diagnostics and result.diagnostics[0].kind == RESEND:
            # the worker found another file (or none) at that path: analyse the driver's
            result = _analyze_item(items[position], settings)
        if result.summaries is None and result.packed_summaries is not None:
            # our own worker's bytes, made moments ago: neither rule's concern here
            packed = result.packed_summaries
            result.summaries = pickle.loads(packed)  # secreview: ignore
        results[index] = result
        key = keys[index]
        if cache is not None and key is not None:
            cache.put_file(key, result)
        done += 1
        if progress:
            progress(done, total)
    return _PerFile(results, keys, cached)  # type: ignore[arg-type]


class _Tree:
    """What every module of the tree says, gathered once for `_standing`."""

    def __init__(self, results: list[ModuleResult]) -> None:
        self.results = results

    @cached_property
    def constants(self) -> frozenset[str]:
        return frozenset().union(*(getattr(r, "constants", frozenset()) for r in self.results))

    @cached_property
    def option_uses(self) -> tuple[set[str], set[str]]:
        """(options read as file names somewhere, options whose value is used somewhere)"""
        as_path: set[str] = set()
        as_value: set[str] = set()
        for r in self.results:
            path_reads, value_reads = getattr(r, "option_uses", ((), ()))
            as_path.update(path_reads)
            as_value.update(value_reads)
        return as_path, as_value


def _standing(result: ModuleResult, tree: _Tree) -> list[Finding]:
    """A file's pattern findings as the whole tree decides them: those that stood only
    unless names of other modules are constants go when they are (`subprocess.run(
    settings.COMMAND, shell=True)` with `COMMAND = "..."` in the tree's settings module);
    those about a configuration option go when every read of it in the tree is a file name,
    and are a low-confidence hint when the tree never reads it and its name is all the
    evidence (`Hit.option`)."""
    deferred = getattr(result, "deferred", ())
    about_options = getattr(result, "deferred_options", ())
    if not deferred and not about_options:
        return result.findings
    constants = tree.constants if deferred else frozenset()
    dropped = {index for index, names in deferred if all(n in constants for n in names)}
    findings = list(result.findings)
    if about_options:
        as_path, as_value = tree.option_uses
        for index, option, named_only in about_options:
            if option in as_path and option not in as_value:
                dropped.add(index)
            elif named_only and option not in as_path and option not in as_value:
                findings[index] = replace(findings[index], confidence="low")
    return [f for index, f in enumerate(findings) if index not in dropped]


def _test_imports(target: Target, settings: _WorkerSettings) -> tuple[tuple[str, bool], ...]:
    """What a test file left out of the review imports, for `seeding.demo_modules`."""
    data = read_file(target, settings.max_file_size)
    if isinstance(data, Diagnostic):
        return ()
    text = data.decode("utf-8", "replace")
    module = module_name_for(target.path, settings.package_dirs)
    names = imports_of_test_file(text, module, target.path.endswith("__init__.py"))
    return tuple((name, False) for name in names)


def _demo_only(results: list[ModuleResult], settings: _WorkerSettings) -> set[str]:
    """The paths of modules only test code or seeding commands import (`seeding.py`)."""
    if settings.include_tests:
        return set()
    modules: dict[str, tuple[bool, tuple[tuple[str, bool], ...]]] = {}
    paths: dict[str, str] = {}
    for result in results:
        module = module_name_for(result.path, settings.package_dirs)
        modules[module] = (result.skipped, getattr(result, "seeding_imports", ()))
        paths[module] = result.path
    return {paths[module] for module in demo_modules(modules)}


def _by_reference(
    items: list[tuple[Target, bytes]], executor: Executor
) -> list[tuple[Target, bytes | FileRef]]:
    """The work items as sent: the files' bytes, or, for an executor whose workers read the
    reviewed tree themselves (a Ray cluster on a shared file system), references checked by
    digest. A worker sent a reference returns the file's summaries, never its text, and a
    file it cannot read as the driver did is analysed here instead."""
    shares = getattr(executor, "shares_files", None)
    if not items or shares is None:
        return items  # type: ignore[return-value]
    target, data = items[0]
    if not shares(target, content_digest(data)):
        return items  # type: ignore[return-value]
    return [(target, FileRef(content_digest(data))) for target, data in items]


def _narrowed(result: ModuleResult, selected: frozenset[str]) -> ModuleResult:
    """A cached result computed with more rules than this run's: their findings, and the
    failures of rules this run does not run, are not this run's."""
    findings = [f for f in result.findings if f.rule_id in selected]
    diagnostics = [
        d
        for d in result.diagnostics
        if not (d.kind == PARTIAL_KINDS[0] and _failed_rule(d.message) not in selected)
    ]
    if len(findings) == len(result.findings) and len(diagnostics) == len(result.diagnostics):
        return result
    return replace(result, findings=findings, diagnostics=diagnostics)


def _failed_rule(message: str) -> str:
    """The rule a `rule-error` diagnostic names (`rule <id> failed at line ...`)."""
    return message.split(" ", 2)[1] if message.startswith("rule ") else ""


def _solve(
    phase: _PerFile,
    targets: Sequence[Target],
    settings: _WorkerSettings,
    executor: Executor,
    cache: AnalysisCache | None,
) -> list[Finding]:
    """The whole-program phase, or its cached findings when no file changed."""
    program_key = None
    if cache is not None:
        program_key = cache.program_key(key for key in phase.keys if key is not None)
        findings = cache.get_program(program_key)
        if findings is not None:
            return findings
    if phase.cached:
        assert cache is not None
        wanted = [phase.keys[index] for index in phase.cached]
        summaries = cache.get_summaries(wanted)  # type: ignore[arg-type]
        if summaries is not None:
            for index, key in zip(phase.cached, wanted, strict=True):
                phase.results[index].summaries = summaries[key]  # type: ignore[index]
        else:  # pruned by a concurrent run since the lookup: analyse those files again
            again = _run_all([targets[i] for i in phase.cached], settings, executor, None, None)
            for index, result in zip(phase.cached, again.results, strict=True):
                phase.results[index] = result
    findings = _taint_engine().solve(
        [r.summaries for r in phase.results if r.summaries is not None]  # type: ignore[misc]
    )
    if cache is not None and program_key is not None:
        cache.put_program(program_key, findings)
    return findings


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """The analysis allocates millions of AST nodes and small dicts but makes few reference
    cycles: automatic collections, which trace every young object again and again while a
    large tree is built and read, cost about 6 % of the per-file phase (11 % of parsing).
    They are off while a review runs; `_analyze_item` collects the young generations after
    every `COLLECT_EVERY` files instead, which bounds what cycles a file leaves. Forked
    workers inherit the setting; the caller's is restored afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _taint_engine():  # -> the engine module
    """The taint engine, imported on first use: a review served from the cache skips it."""
    from secreview.python.taint import engine

    return engine


def _open_cache(
    cache: bool | str | os.PathLike[str], root: str, settings: _WorkerSettings
) -> tuple[AnalysisCache | None, Diagnostic | None]:
    """The analysis cache, or None when off or unusable; a store planted as a symbolic
    link (which may point anywhere) is also a diagnostic, where an unwritable one (a
    read-only checkout) only turns the cache off."""
    if cache is False:
        return None, None
    path = store_files.default_path(root) if cache is True else Path(cache)
    try:
        store_files.refuse_links(path)
    except OSError as exc:
        try:
            shown = path.relative_to(root).as_posix()
        except ValueError:
            shown = str(path)
        return None, Diagnostic(shown, f"analysis cache not used: {exc}", "store")
    return AnalysisCache.open(path, settings.cache_context(), settings.selected()), None


def run_review(
    paths: Sequence[str],
    config: Config,
    *,
    changed: dict[str, frozenset[int]] | None = None,
    progress: ProgressCallback | None = None,
    executor: Executor | None = None,
    cache: bool | str | os.PathLike[str] = False,
    root: str | None = None,
) -> Review:
    """Review `paths`; `changed` (path -> changed lines) scopes findings to a diff.

    `executor` runs the per-file phase (default: a local pool of `config.jobs` workers,
    closed afterwards); `cache` is False (off), True (the store at the review root) or the
    store's path; `root` overrides the review root the report's paths are relative to.
    """
    started = time.perf_counter()
    discovery: Discovery = discover(paths, config, root)
    settings = worker_settings(discovery, config)
    analysis_cache, store_note = _open_cache(cache, discovery.root, settings)
    if analysis_cache is not None:
        settings = replace(settings, pack_summaries=True, parent_pid=os.getpid())
    runner = executor or LocalExecutor(config.jobs)
    with _fewer_collections():
        try:
            phase = _run_all(discovery.targets, settings, runner, progress, analysis_cache)
            taint_findings = None
            if settings.taint_rules:
                taint_findings = _solve(phase, discovery.targets, settings, runner, analysis_cache)
        finally:
            if executor is None:
                runner.close()
            if analysis_cache is not None:
                analysis_cache.close()
    review = assemble(phase.results, discovery, config, settings, changed, started, taint_findings)
    if store_note is not None:
        review = replace(review, diagnostics=(*review.diagnostics, store_note))
    if cache is not False:
        note = "off: the store cannot be opened or written"
        if analysis_cache is not None:
            note = f"{analysis_cache.hits} of {analysis_cache.hits + analysis_cache.misses} files"
        extra = (*review.stats.extra, ("cache", note))
        review = replace(review, stats=replace(review.stats, extra=extra))
    return review


def worker_settings(discovery: Discovery, config: Config) -> _WorkerSettings:
    """What every file's analysis needs to know of the run (also the benchmarks')."""
    rules = all_rules()
    selected = {
        rule_id
        for rule_id in rules
        if (config.rules is None or rule_id in config.rules) and rule_id not in config.skip_rules
    }
    return _WorkerSettings(
        rules=config.rules,
        skip_rules=config.skip_rules,
        max_file_size=config.max_file_size,
        include_tests=config.include_tests,
        nosec=config.nosec,
        taint_rules=_taint_rules(selected, rules),
        taint_parameters=config.taint_parameters,
        package_dirs=discovery.package_dirs,
        internal=tree_top_names([t.path for t in discovery.targets], discovery.package_dirs),
    )


def _taint_rules(selected: set[str], rules: dict) -> frozenset[str]:
    """The taint rules whose sinks the engine follows data to: the selected ones, and every
    sink when a rule about the checks on the way is selected (`weak-url-check` reports a
    check before a redirect or a request, whichever rule the sink has); and the pattern
    rules the specs give flows of a kind of their own (the cookie rules' credentials)."""
    from secreview.python.taint.spec import spec_index

    taint = {r for r, meta in rules.items() if meta.kind == "taint"}
    taint |= set(spec_index().rule_kinds) & set(rules)
    chosen = selected & taint
    if chosen & set(CHECK_RULES):
        chosen |= taint
    return frozenset(chosen)


def assemble(
    results: Iterable[ModuleResult],
    discovery: Discovery,
    config: Config,
    settings: _WorkerSettings,
    changed: dict[str, frozenset[int]] | None,
    started: float,
    taint_findings: list[Finding] | None = None,
) -> Review:
    """Whole-program phase (unless its `taint_findings` are given) and the findings stage,
    on the per-file results."""
    results = list(results)
    tree = _Tree(results)
    all_findings: list[Finding] = [f for r in results for f in _standing(r, tree)]
    diagnostics: list[Diagnostic] = list(discovery.diagnostics)
    diagnostics.extend(d for r in results for d in r.diagnostics)
    if taint_findings is None and settings.taint_rules:
        taint_findings = _taint_engine().solve(
            [r.summaries for r in results if r.summaries is not None]
        )
    if taint_findings:
        # each flow's fix in the words of its sink's API (the engine gives the rule's text)
        all_findings.extend(
            fixtext.for_flows(
                taint_findings,
                {r.path: r.imports for r in results},
                {r.path: r.aliases for r in results},
                {module_name_for(r.path, discovery.package_dirs): r.path for r in results},
            )
        )
    # the rules that decide on every module's views and policy defaults at once
    try:
        facts = [getattr(r, "access", None) for r in results]
        all_findings.extend(access_rules.findings(f for f in facts if f is not None))
    except Exception as exc:  # secreview's defect: the other findings stand
        message = f"access-control rules failed ({type(exc).__name__}: {exc})"
        diagnostics.append(Diagnostic("", message[:200], "analysis-error"))
    demo = _demo_only(results, settings)
    if demo:  # modules that only create demo or test data: test code, out of the review
        all_findings = [f for f in all_findings if f.location.path not in demo]
        for result in results:
            if result.path in demo:
                result.skipped = True
    suppressions = {r.path: r.suppressions for r in results if r.suppressions}
    kept, suppressed, notes = findings_stage.process(
        all_findings,
        suppressions,
        known_rules=set(all_rules()),
        changed=changed,
        selected=settings.selected(),
    )
    diagnostics.extend(notes)
    reviewed = [r for r in results if not r.skipped]
    analysed = [r for r in reviewed if not any(d.kind not in _PARTIAL for d in r.diagnostics)]
    stats = Stats(
        files=len(reviewed),
        lines=sum(r.lines for r in analysed),
        failed=len(reviewed) - len(analysed),
        seconds=round(time.perf_counter() - started, 3),
        suppressed=suppressed,
    )
    return Review(
        findings=tuple(kept),
        diagnostics=tuple(sorted(diagnostics, key=lambda d: (d.path, d.message))),
        stats=stats,
        root=discovery.root,
    )
