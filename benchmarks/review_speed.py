"""Review speed and memory on real code bases, side by side with Bandit, in one run.

Downloads the source distributions from PyPI into a cache (never committed), reviews each
with secreview (taint analysis included) and with Bandit on the same files, and prints,
for each run, wall time, CPU seconds (user + system of the whole process tree), lines/s and
peak RSS, then the ratios the speed issue sets targets for:
- cold (an empty analysis cache) and warm (the same tree again, every file cached),
- secreview's CPU seconds against the *parse floor*: what CPython's `ast.parse` alone takes
  for the same files, in this process,
- the time a one-file review takes, start-up included (the code-review case),
- the share of functions the taint engine summarises deeply (`--no-demand` skips it: it
  reviews each of neutron, nova and keystone once more, in this process),
- with --scaling, throughput against size (100k, 300k, 600k lines) with 1 and 2 jobs;
- with --phases, the CPU seconds of each phase of one review (parsing, pattern rules, the
  taint summaries, the whole-program phase, ...): where the time goes, without a profiler.

    python benchmarks/review_speed.py                      # nova 34.0.0 + neutron 29.0.0
    python benchmarks/review_speed.py --include-tests --package neutron==29.0.0
    python benchmarks/review_speed.py --package neutron==29.0.0 --jobs 1 --jobs 2
    python benchmarks/review_speed.py --no-bandit --package django==5.1
    python benchmarks/review_speed.py --scaling --no-bandit --package nova==34.0.0
    python benchmarks/review_speed.py --only phases --include-tests --package neutron==29.0.0

Both tools review the same files: test directories are left out of both, or, with
`--include-tests`, reviewed by both (Bandit reviews tests unless told not to). Each run reads
and writes its own store under a temporary directory, so "cold" is really cold whatever
earlier runs left in the trees. Figures are printed, never asserted: the targets live in the
issues, not in tests; the machine's load (printed) decides how far to trust wall times,
CPU seconds drift much less.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(os.environ.get("SECREVIEW_BENCH_CACHE", Path.home() / ".cache" / "secreview-bench"))


@dataclass
class Run:
    tool: str
    seconds: float
    peak_rss_mb: float
    exit_code: int
    findings: int
    cpu_seconds: float = 0.0  # user + system of the process and every child it waited for


_PIP_DOWNLOAD = (sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-q")


def fetch(spec: str) -> Path:
    """The unpacked source tree of `name==version` (or the newest `name`), downloaded once
    into the cache as `<cache>/<name>-<version>`."""
    name, _, version = spec.partition("==")
    if version:
        for folder in CACHE.glob(f"*-{version}"):
            if folder.is_dir() and _archive_of(f"{folder.name}.tar.gz", name, version):
                return folder
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [*_PIP_DOWNLOAD, "-d", str(CACHE), spec],
        check=True,
    )
    archives = sorted(
        (a for a in CACHE.glob("*.tar.gz") if _archive_of(a.name, name, version)),
        key=lambda a: _version_key(a.name),
    )
    if not archives:
        raise SystemExit(f"no source archive for {spec} in {CACHE}")
    target = CACHE / archives[-1].name.removesuffix(".tar.gz")
    if not target.is_dir():
        with tarfile.open(archives[-1]) as archive:
            archive.extractall(CACHE, filter="data")
    return target


def _normal(name: str) -> str:
    """PEP 503 name normalisation: sdists are named `Django-5.1` or `oslo_config-9.0`."""
    return name.lower().replace("_", "-").replace(".", "-")


def _archive_of(archive: str, name: str, version: str) -> bool:
    project, _, release = archive.removesuffix(".tar.gz").rpartition("-")
    return _normal(project) == _normal(name) and (not version or release == version)


def _version_key(archive: str) -> tuple[int, ...]:
    """`nova-34.0.0.tar.gz` -> (34, 0, 0), for picking the newest downloaded release."""
    version = archive.removesuffix(".tar.gz").rpartition("-")[2]
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))


def python_files(root: Path, skip_tests: bool) -> list[Path]:
    return [
        path
        for path in sorted(root.rglob("*.py"))
        if not (skip_tests and "tests" in path.relative_to(root).parts)
    ]


def python_lines(root: Path, skip_tests: bool) -> tuple[int, int]:
    files = python_files(root, skip_tests)
    return len(files), sum(_count_lines(path) for path in files)


def visit_floor(files: list[Path]) -> float:
    """CPU seconds one `ast.NodeVisitor` that does nothing takes to visit every node of
    these files' trees (best of three, parsing excluded): what a single pass over the
    syntax tree costs in CPython, before any rule looks at a node."""
    trees = []
    for path in files:
        try:
            trees.append(ast.parse(path.read_bytes()))
        except (SyntaxError, ValueError):
            continue
    visitor = ast.NodeVisitor()
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for tree in trees:
            visitor.visit(tree)
        best = min(best, time.process_time() - started)
    return best


def parse_floor(files: list[Path]) -> float:
    """CPU seconds CPython's `ast.parse` takes for these files (best of three, reading
    excluded): the least any reviewer that parses every file must spend."""
    texts = [path.read_bytes() for path in files]
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for text in texts:
            try:
                ast.parse(text)
            except (SyntaxError, ValueError):
                continue
        best = min(best, time.process_time() - started)
    return best


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, ()))
        try:
            with open(f"/proc/{current}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(tool: str, command: list[str], cwd: Path, count) -> Run:
    """One run of `command`: wall time, peak RSS of its process tree (sampled), and its CPU
    seconds (the rusage of the children this process waited for grows by exactly the run's
    tree: worker processes are waited for by the review, the review by us)."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    cpu = _children_cpu() - cpu_before
    return Run(tool, seconds, peak / 1024, process.returncode, count(output), cpu)


def _secreview_findings(output: bytes) -> int:
    try:
        return len(json.loads(output)["findings"])
    except (ValueError, KeyError):
        return -1


def _bandit_findings(output: bytes) -> int:
    try:
        return len(json.loads(output)["results"])
    except (ValueError, KeyError):
        return -1


# Targets from the speed issue (printed next to the figures, never asserted).
TARGET_BANDIT_RATIO = 10.0  # Bandit's cold wall time over secreview's (default jobs)
TARGET_PARSE_RATIO = 2.5  # secreview's cold CPU seconds over the parse floor, at most
TARGET_WARM_SHARE = 0.05  # warm wall time as a share of cold
TARGET_ONE_FILE_S = 0.15
# "no higher than today": peak RSS (MB, whole process tree, cold, --jobs 2) of the engine
# the speed issue started from (commit 34c7990), measured by this script on a shared 2-CPU
# machine; the tree sums the parent and its workers
TODAY_PEAK_MB = {"nova==34.0.0": 350.0, "neutron==29.0.0 with tests": 523.0}
SCALING_SIZES = (100_000, 300_000, 600_000)
SCALING_CORPORA = ("nova==34.0.0", "neutron==29.0.0", "keystone==30.0.0")
DEMAND_CORPORA = ("neutron==29.0.0", "nova==34.0.0", "keystone==30.0.0")


RULES: list[str] = []  # --rules for every secreview run (empty: all rules)


def secreview_command(target: str, jobs: int | None, *extra: str) -> list[str]:
    """A review as a user runs it; `jobs` None leaves --jobs at its default (one per CPU)."""
    return [
        sys.executable,
        "-m",
        "secreview",
        "review",
        target,
        "--format",
        "json",
        "--fail-on",
        "never",
        "--quiet",
        *(("--jobs", str(jobs)) if jobs is not None else ()),
        *extra,
        *RULES,
    ]


def _verdict(ok: bool) -> str:
    return "meets the target" if ok else "MISSES the target"


def code_bases(args: argparse.Namespace, bandit: str) -> None:
    """Cold and warm reviews of each package, and Bandit on the same files."""
    tests = args.include_tests
    print(
        f"{'code base':<28}{'tool':<24}{'wall s':>8}{'CPU s':>8}{'lines/s':>10}"
        f"{'peak MB':>9}{'findings':>10}"
    )
    for spec in args.package or ["nova==34.0.0", "neutron==29.0.0"]:
        root = fetch(spec)
        package = spec.partition("==")[0]
        top = root / package if (root / package).is_dir() else root
        files = python_files(top, skip_tests=not tests)
        lines = sum(_count_lines(path) for path in files)
        target = package if (root / package).is_dir() else "."
        label = f"{spec} with tests" if tests else spec
        floor = parse_floor(files)
        visit = visit_floor(files)
        runs: list[Run] = []
        pairs: list[tuple[Run, Run]] = []
        for jobs in args.jobs or [None]:
            with tempfile.TemporaryDirectory(prefix="secreview-bench-") as folder:
                store = ["--store", str(Path(folder) / "store.sqlite3")]
                command = secreview_command(
                    target, jobs, *store, *(("--include-tests",) if tests else ())
                )
                name = f"secreview -j{jobs or os.cpu_count()}"
                cold = measure(f"{name} cold", command, root, _secreview_findings)
                warm = measure(f"{name} warm", command, root, _secreview_findings)
            runs += [cold, warm]
            pairs.append((cold, warm))
        bandit_run = None
        if not args.no_bandit:
            command = [bandit, "-r", target, "-f", "json", "-q"]
            if not tests:
                command += ["-x", "*/tests/*"]
            bandit_run = measure("bandit", command, root, _bandit_findings)
            runs.append(bandit_run)
        for run in runs:
            rate = lines / run.seconds if run.seconds else 0
            print(
                f"{label:<28}{run.tool:<24}{run.seconds:>8.2f}{run.cpu_seconds:>8.2f}"
                f"{rate:>10,.0f}{run.peak_rss_mb:>9.0f}{run.findings:>10}"
            )
        scope = "test code included" if tests else "test directories excluded"
        print(f"{'':<28}{len(files):,} files, {lines:,} lines ({scope})")
        print(f"{'':<28}parse floor: ast.parse takes {floor:.2f} CPU s for these files")
        print(
            f"{'':<28}one visit of every node by an ast.NodeVisitor that does nothing: "
            f"{visit:.2f} CPU s ({visit / floor:.2f}x the parse floor)"
        )
        for cold, warm in pairs:
            name = cold.tool.removesuffix(" cold")
            share = warm.seconds / cold.seconds
            over_floor = cold.cpu_seconds / floor
            peak = max(cold.peak_rss_mb, warm.peak_rss_mb)
            print(
                f"{'':<28}{name}: CPU is {over_floor:.1f}x the parse floor "
                f"({_verdict(over_floor <= TARGET_PARSE_RATIO)}: at most {TARGET_PARSE_RATIO}x)"
            )
            print(
                f"{'':<28}{name}: warm is {share:.1%} of cold "
                f"({_verdict(share <= TARGET_WARM_SHARE)}: at most {TARGET_WARM_SHARE:.0%})"
            )
            today = TODAY_PEAK_MB.get(label)
            note = (
                f" ({_verdict(peak <= today)}: no higher than {today:.0f} MB before issue 20)"
                if today
                else ""
            )
            print(f"{'':<28}{name}: peak {peak:.0f} MB{note}")
            if bandit_run:
                ratio = bandit_run.seconds / cold.seconds
                cpu_ratio = bandit_run.cpu_seconds / cold.cpu_seconds
                target_note = ""
                if name == f"secreview -j{os.cpu_count()}":
                    target_note = (
                        f" ({_verdict(ratio >= TARGET_BANDIT_RATIO)}: "
                        f"at least {TARGET_BANDIT_RATIO:.0f}x)"
                    )
                print(
                    f"{'':<28}{cold.tool}: {ratio:.1f}x faster than Bandit in wall time"
                    f"{target_note}, {cpu_ratio:.1f}x less CPU"
                )


def one_file(args: argparse.Namespace) -> None:
    """A one-file review's wall time, start-up included: best of five, no cache, as in a
    fresh checkout. A run that fails (an exit code, no JSON report) is an error, never a
    figure."""
    root = fetch((args.package or ["nova==34.0.0"])[0])
    package = root.name.rsplit("-", 1)[0]
    candidates = sorted(
        (p for p in (root / package).rglob("*.py") if "tests" not in p.parts),
        key=lambda p: p.stat().st_size,
    )
    sample = candidates[len(candidates) * 9 // 10]  # a large file, not the largest
    lines = _count_lines(sample)
    with tempfile.TemporaryDirectory(prefix="secreview-bench-") as folder:
        # a store of its own, never made (no cache): a fresh checkout's review, whatever
        # store earlier runs left in the tree (its triage decisions would be read)
        store = str(Path(folder) / "store.sqlite3")
        command = secreview_command(
            str(sample.relative_to(root)), 1, "--no-cache", "--store", store
        )
        runs = [measure("one file", command, root, _secreview_findings) for _ in range(5)]
    failed = [run for run in runs if run.exit_code != 0 or run.findings < 0]
    if failed:
        raise SystemExit(f"one-file review failed (exit code {failed[0].exit_code}): {command}")
    best = min(run.seconds for run in runs)
    cpu = min(run.cpu_seconds for run in runs)
    print(
        f"\none-file review ({sample.relative_to(root)}, {lines:,} lines): {best:.2f} s wall, "
        f"{cpu:.2f} CPU s, including start-up ({_verdict(best <= TARGET_ONE_FILE_S)}: "
        f"at most {TARGET_ONE_FILE_S} s)"
    )


# where a review's CPU goes: each phase's entry point, by module and name (`phases`)
PHASES = (
    ("parsing", "secreview.python.parse", "parse_module"),
    ("names and imports", "secreview.python.symbols", "build_symbols"),
    ("pattern rules", "secreview.python.analyzer", "_run_rules"),
    ("taint summaries, per function", "secreview.python.taint.engine", "Summarizer.__call__"),
    ("access-control facts", "secreview.python.access.views", "module_facts"),
    ("whole-program taint phase", "secreview.pipeline", "_solve"),
)


def phases(args: argparse.Namespace) -> None:
    """The CPU seconds of each phase of one review, in this process with one job and no
    cache (test code included with --include-tests): each phase's entry point is wrapped
    with a CPU clock. Lazily built shared indexes (a module's constants, its nodes by
    type) count in the phase that asks first; "the rest" is reading files, reports and
    the review's own bookkeeping."""
    import importlib

    from secreview import cli

    spent: dict[str, float] = dict.fromkeys((title for title, _, _ in PHASES), 0.0)
    depth = [0]

    def clocked(title: str, function):
        def run(*a, **k):
            if depth[0]:  # a phase inside another (a rule asking for symbols) counts there
                return function(*a, **k)
            depth[0] += 1
            started = time.process_time()
            try:
                return function(*a, **k)
            finally:
                spent[title] += time.process_time() - started
                depth[0] -= 1

        return run

    for title, module_name, name in PHASES:
        module = importlib.import_module(module_name)
        owner_name, _, attr = name.rpartition(".")
        owner = getattr(module, owner_name) if owner_name else module
        original = getattr(owner, attr)
        wrapped = clocked(title, original)
        setattr(owner, attr, wrapped)
        if not owner_name:  # `from module import name` elsewhere holds the original
            for other in list(sys.modules.values()):
                if getattr(other, "__name__", "").startswith("secreview") and (
                    getattr(other, attr, None) is original
                ):
                    setattr(other, attr, wrapped)
    spec = (args.package or ["neutron==29.0.0"])[0]
    root = fetch(spec)
    package = spec.partition("==")[0]
    target = str(root / package) if (root / package).is_dir() else str(root)
    command = ["review", target, "--jobs", "1", "--no-cache", "--quiet", "--format", "json"]
    command += ["--output", os.devnull, "--fail-on", "never", *RULES]
    if args.include_tests:
        command.append("--include-tests")
    started = time.process_time()
    cli.main(command)
    total = time.process_time() - started
    scope = "test code included" if args.include_tests else "test directories excluded"
    print(f"\nwhere the CPU goes: {spec} ({scope}), one job, no cache: {total:.1f} CPU s")
    for title, seconds in [*spent.items(), ("the rest", total - sum(spent.values()))]:
        print(f"  {title:<32}{seconds:>7.1f} CPU s {seconds / total:>6.1%}")


def demand() -> None:
    """The share of functions the taint engine summarises deeply, per corpus (its non-test
    code, summarised in this process as a review does), and the share an on-demand engine
    would still have to: with the data flow known exactly (`taint_demand.py`'s sound set, a
    lower bound), and from a pre-pass that matches callees by name."""
    import gc

    from taint_demand import Program, demand_sets, summaries

    print(
        f"\n{'functions summarised deeply':<28}{'functions':>10}{'deeply':>8}{'share':>7}"
        f"{'on demand (sound)':>19}{'(by name)':>11}"
    )
    for spec in DEMAND_CORPORA:
        root = fetch(spec)
        package = spec.partition("==")[0]
        gc.disable()
        try:
            program = Program(summaries(root / package))
        finally:
            gc.enable()
        functions = len(program.functions)
        deep = functions  # every function gets the full per-function passes today
        sets = demand_sets(program)
        sound, by_name = len(sets["sound"]), len(sets["by name"])
        print(
            f"{spec:<28}{functions:>10,}{deep:>8,}{deep / functions:>7.0%}"
            f"{sound / functions:>19.0%}{by_name / functions:>11.0%}"
        )
        del program


def scaling_tree(size: int) -> tuple[Path, int]:
    """A tree of about `size` lines sampled from the cached corpora (test code included):
    the same seeded shuffle for every size, so each tree holds the smaller ones, and every
    `__init__.py` so module names stay what they are in the real packages."""
    folder = CACHE / f"scaling-{size // 1000}k"
    files: list[tuple[Path, Path]] = []
    inits: list[tuple[Path, Path]] = []
    for spec in SCALING_CORPORA:
        root = fetch(spec)
        for path in sorted(root.rglob("*.py")):
            (inits if path.name == "__init__.py" else files).append((root, path))
    random.Random(0).shuffle(files)
    chosen, lines = list(inits), 0
    for entry in inits:
        lines += _count_lines(entry[1])
    for entry in files:
        if lines >= size:
            break
        chosen.append(entry)
        lines += _count_lines(entry[1])
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        for root, path in chosen:
            destination = folder / root.name / path.relative_to(root)
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, destination)
            except OSError:
                shutil.copyfile(path, destination)
        (folder / ".git").mkdir(exist_ok=True)  # a repository root: no config found above
        marker.write_text(f"{lines}\n", encoding="utf-8")
    return folder, lines


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def scaling(args: argparse.Namespace) -> None:
    print(f"\n{'scaling tree':<22}{'jobs':>6}{'wall s':>9}{'lines/s':>11}{'peak MB':>9}")
    rates: dict[int, list[float]] = {}
    for size in SCALING_SIZES:
        folder, lines = scaling_tree(size)
        for jobs in args.jobs or [1, 2]:
            command = secreview_command(".", jobs, "--no-cache", "--include-tests")
            run = measure(f"-j{jobs}", command, folder, _secreview_findings)
            rate = lines / run.seconds
            rates.setdefault(jobs, []).append(rate)
            print(
                f"{f'{lines:,} lines':<22}{jobs:>6}{run.seconds:>9.2f}{rate:>11,.0f}"
                f"{run.peak_rss_mb:>9.0f}"
            )
    for jobs, values in rates.items():
        spread = max(values) / min(values)
        print(
            f"-j{jobs}: throughput from the smallest to the largest tree "
            + " -> ".join(f"{v:,.0f}" for v in values)
            + f" lines/s (max/min {spread:.2f}; 1.00 is perfectly linear)"
        )
    if 1 in rates and 2 in rates:
        speedups = [two / one for one, two in zip(rates[1], rates[2], strict=True)]
        print("2 jobs vs 1: " + ", ".join(f"{s:.2f}x" for s in speedups))


def _compile_bytecode() -> None:
    """Both tools start as installed from wheels, with their bytecode compiled (pip does that
    on install; an editable install or PYTHONDONTWRITEBYTECODE=1 would otherwise make every
    run compile secreview's modules again, which is start-up time no user pays)."""
    import compileall

    import secreview

    for package in (Path(secreview.__file__).parent,):
        compileall.compile_dir(package, quiet=1, workers=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", action="append", help="name==version from PyPI (repeatable)")
    parser.add_argument("--jobs", action="append", type=int, help="secreview --jobs (repeatable)")
    parser.add_argument("--no-bandit", action="store_true", help="skip the Bandit comparison")
    parser.add_argument("--scaling", action="store_true", help="throughput at 100k/300k/600k")
    parser.add_argument(
        "--phases", action="store_true", help="the CPU seconds of each phase of one review"
    )
    parser.add_argument(
        "--only",
        choices=("code-bases", "one-file", "demand", "scaling", "phases"),
        help="run one part alone",
    )
    parser.add_argument(
        "--include-tests", action="store_true", help="both tools review test code too"
    )
    parser.add_argument(
        "--no-demand", action="store_true", help="skip the share of functions summarised deeply"
    )
    parser.add_argument("--rules", metavar="ID,...", help="secreview --rules for every run")
    args = parser.parse_args()
    if args.rules:
        RULES[:] = ["--rules", args.rules]
    bandit = shutil.which("bandit") or str(Path(sys.executable).with_name("bandit"))
    parts = {args.only} if args.only else {"code-bases", "one-file", "demand"}
    if args.no_demand:
        parts.discard("demand")
    if args.scaling:
        parts.add("scaling")
    if args.phases:
        parts.add("phases")
    if "code-bases" in parts and not args.no_bandit and not Path(bandit).exists():
        print("installing bandit for the comparison …", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "bandit"], check=True)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    _compile_bytecode()
    if "code-bases" in parts:
        code_bases(args, bandit)
    if "one-file" in parts:
        one_file(args)
    if "demand" in parts:
        demand()
    if "scaling" in parts:
        scaling(args)
    if "phases" in parts:
        phases(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
