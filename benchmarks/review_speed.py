"""Review speed and memory on real code bases, side by side with Bandit, in one run.

Downloads the source distributions from PyPI into a cache (never committed), reviews each
with secreview (taint analysis included) and with Bandit on the same files, and prints
wall time, lines/s, peak RSS of the whole process tree and the secreview/Bandit ratios:
- cold (an empty analysis cache) and warm (the same tree again, every file cached),
- the time a one-file review takes, start-up included (what a pre-commit hook pays),
- with --scaling, throughput against size (100k, 300k, 600k lines) with 1 and 2 jobs.

    python benchmarks/review_speed.py                      # nova 34.0.0 + neutron 29.0.0
    python benchmarks/review_speed.py --package neutron==29.0.0 --jobs 1 --jobs 2
    python benchmarks/review_speed.py --no-bandit --package django==5.1
    python benchmarks/review_speed.py --scaling --no-bandit --package nova==34.0.0

Each run reads and writes its own store under a temporary directory, so "cold" is really
cold whatever earlier runs left in the trees. Figures are printed, never asserted: the
targets live in the issues, not in tests; the machine's load decides how far to trust them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
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


def python_lines(root: Path, skip_tests: bool) -> tuple[int, int]:
    files = lines = 0
    for path in root.rglob("*.py"):
        if skip_tests and "tests" in path.relative_to(root).parts:
            continue
        files += 1
        with path.open("rb") as handle:
            lines += sum(1 for _ in handle)
    return files, lines


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


def measure(tool: str, command: list[str], cwd: Path, count) -> Run:
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
    return Run(tool, seconds, peak / 1024, process.returncode, count(output))


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


# Targets from the issue (printed next to the figures, never asserted).
TARGET_BANDIT_RATIO = 10.0  # cold throughput with --jobs 2, times Bandit's
TARGET_PEAK_MB = 1536
TARGET_WARM_SHARE = 0.10  # warm wall time as a share of cold
TARGET_ONE_FILE_S = 1.0
SCALING_SIZES = (100_000, 300_000, 600_000)
SCALING_CORPORA = ("nova==34.0.0", "neutron==29.0.0", "keystone==30.0.0")


RULES: list[str] = []  # --rules for every secreview run (empty: all rules)


def secreview_command(target: str, jobs: int, *extra: str) -> list[str]:
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
        "--jobs",
        str(jobs),
        *extra,
        *RULES,
    ]


def _verdict(ok: bool) -> str:
    return "meets the target" if ok else "MISSES the target"


def code_bases(args: argparse.Namespace, bandit: str) -> None:
    """Cold and warm reviews of each package, and Bandit on the same files."""
    print(
        f"{'code base':<22}{'tool':<24}{'wall s':>9}{'lines/s':>11}{'peak MB':>9}{'findings':>10}"
    )
    for spec in args.package or ["nova==34.0.0", "neutron==29.0.0"]:
        root = fetch(spec)
        package = spec.partition("==")[0]
        files, lines = python_lines(root / package if (root / package).is_dir() else root, True)
        target = package if (root / package).is_dir() else "."
        runs: list[Run] = []
        pairs: list[tuple[Run, Run]] = []
        for jobs in args.jobs or [2]:
            with tempfile.TemporaryDirectory(prefix="secreview-bench-") as folder:
                store = ["--store", str(Path(folder) / "store.sqlite3")]
                command = secreview_command(target, jobs, *store)
                cold = measure(f"secreview -j{jobs} cold", command, root, _secreview_findings)
                warm = measure(f"secreview -j{jobs} warm", command, root, _secreview_findings)
            runs += [cold, warm]
            pairs.append((cold, warm))
        bandit_run = None
        if not args.no_bandit:
            command = [bandit, "-r", target, "-f", "json", "-q", "-x", "*/tests/*"]
            bandit_run = measure("bandit", command, root, _bandit_findings)
            runs.append(bandit_run)
        for run in runs:
            rate = lines / run.seconds if run.seconds else 0
            print(
                f"{spec:<22}{run.tool:<24}{run.seconds:>9.2f}{rate:>11,.0f}"
                f"{run.peak_rss_mb:>9.0f}{run.findings:>10}"
            )
        print(f"{'':<22}{files:,} files, {lines:,} lines (test directories excluded)")
        for cold, warm in pairs:
            share = warm.seconds / cold.seconds
            print(
                f"{'':<22}{cold.tool.removesuffix(' cold')}: warm is {share:.0%} of cold "
                f"({_verdict(share <= TARGET_WARM_SHARE)}: at most {TARGET_WARM_SHARE:.0%}); "
                f"peak {max(cold.peak_rss_mb, warm.peak_rss_mb):.0f} MB "
                f"({_verdict(max(cold.peak_rss_mb, warm.peak_rss_mb) <= TARGET_PEAK_MB)}: "
                f"at most {TARGET_PEAK_MB} MB)"
            )
            if bandit_run:
                ratio = bandit_run.seconds / cold.seconds
                target_note = ""
                if cold.tool.startswith("secreview -j2 "):
                    target_note = f" ({_verdict(ratio >= TARGET_BANDIT_RATIO)}: at least 10x)"
                print(f"{'':<22}{cold.tool}: {ratio:.1f}x Bandit's throughput{target_note}")


def one_file(args: argparse.Namespace) -> None:
    """A one-file review's wall time, start-up included: best of three, no cache."""
    root = fetch((args.package or ["nova==34.0.0"])[0])
    package = root.name.rsplit("-", 1)[0]
    candidates = sorted(
        (p for p in (root / package).rglob("*.py") if "tests" not in p.parts),
        key=lambda p: p.stat().st_size,
    )
    sample = candidates[len(candidates) * 9 // 10]  # a large file, not the largest
    lines = sum(1 for _ in sample.open("rb"))
    command = secreview_command(str(sample.relative_to(root)), 1, "--no-cache")
    best = min(measure("one file", command, root, _secreview_findings).seconds for _ in range(3))
    print(
        f"\none-file review ({sample.relative_to(root)}, {lines:,} lines): {best:.2f} s wall "
        f"including start-up ({_verdict(best < TARGET_ONE_FILE_S)}: under {TARGET_ONE_FILE_S} s)"
    )


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
        "--only", choices=("code-bases", "one-file", "scaling"), help="run one part alone"
    )
    parser.add_argument("--rules", metavar="ID,...", help="secreview --rules for every run")
    args = parser.parse_args()
    if args.rules:
        RULES[:] = ["--rules", args.rules]
    bandit = shutil.which("bandit") or str(Path(sys.executable).with_name("bandit"))
    parts = {args.only} if args.only else {"code-bases", "one-file"}
    if args.scaling:
        parts.add("scaling")
    if "code-bases" in parts and not args.no_bandit and not Path(bandit).exists():
        print("installing bandit for the comparison …", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "bandit"], check=True)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    _compile_bytecode()
    if "code-bases" in parts:
        code_bases(args, bandit)
    if "one-file" in parts:
        one_file(args)
    if "scaling" in parts:
        scaling(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
