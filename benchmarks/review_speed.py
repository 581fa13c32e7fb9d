"""Review speed and memory on real code bases, side by side with Bandit, in one run.

Downloads the source distributions from PyPI into a cache (never committed), reviews each
with secreview (taint analysis included) and with Bandit on the same files, and prints
wall time, lines/s, peak RSS of the whole process tree and the secreview/Bandit ratios.

    python benchmarks/review_speed.py                      # nova 34.0.0, --jobs 2
    python benchmarks/review_speed.py --package neutron==27.0.0 --jobs 1 --jobs 2
    python benchmarks/review_speed.py --no-bandit --package django==5.1

Figures are printed, never asserted: targets live in the issues, not in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", action="append", help="name==version from PyPI (repeatable)")
    parser.add_argument("--jobs", action="append", type=int, help="secreview --jobs (repeatable)")
    parser.add_argument("--no-bandit", action="store_true", help="skip the Bandit comparison")
    parser.add_argument("--warm", action="store_true", help="also time a second (warm) run")
    args = parser.parse_args()
    packages = args.package or ["nova==34.0.0"]
    job_counts = args.jobs or [2]
    bandit = shutil.which("bandit") or str(Path(sys.executable).with_name("bandit"))
    if not args.no_bandit and not Path(bandit).exists():
        print("installing bandit for the comparison …", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "bandit"], check=True)

    print(
        f"{'code base':<22}{'tool':<22}{'wall s':>9}{'lines/s':>11}{'peak MB':>9}{'findings':>10}"
    )
    for spec in packages:
        root = fetch(spec)
        package = spec.partition("==")[0]
        files, lines = python_lines(root / package if (root / package).is_dir() else root, True)
        target = package if (root / package).is_dir() else "."
        runs: list[Run] = []
        for jobs in job_counts:
            command = [
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
            ]
            runs.append(measure(f"secreview --jobs {jobs}", command, root, _secreview_findings))
            if args.warm:
                runs.append(measure(f"  warm, --jobs {jobs}", command, root, _secreview_findings))
        if not args.no_bandit:
            command = [bandit, "-r", target, "-f", "json", "-q", "-x", "*/tests/*"]
            runs.append(measure("bandit", command, root, _bandit_findings))
        for run in runs:
            rate = lines / run.seconds if run.seconds else 0
            print(
                f"{spec:<22}{run.tool:<22}{run.seconds:>9.2f}{rate:>11,.0f}"
                f"{run.peak_rss_mb:>9.0f}{run.findings:>10}"
            )
        print(f"{'':<22}{files:,} files, {lines:,} lines (test directories excluded)")
        bandit_run = next((r for r in runs if r.tool == "bandit"), None)
        if bandit_run:
            for run in runs:
                if run is not bandit_run:
                    print(
                        f"{'':<22}{run.tool.strip()}: {bandit_run.seconds / run.seconds:.1f}x "
                        "Bandit's throughput"
                    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
