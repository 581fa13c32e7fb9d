"""Instructions the analysis executes, counted by valgrind: a speed figure that does not
move with the machine's load.

Wall-clock times on a shared 2-CPU machine drift by a third from run to run, which hides
the 2-10 % changes most optimisations make. This script runs the per-file phase (parse,
rules, taint summaries, pickling) and the whole-program solve on a fixed part of nova
34.0.0 inside `valgrind --tool=cachegrind` and prints millions of instructions, minus the
same run with no files (start-up and discovery). Compare two checkouts with it:

    python benchmarks/instruction_count.py                  # nova's api, compute, privsep
    python benchmarks/instruction_count.py --packages api   # a smaller part

Needs valgrind (Debian `valgrind`); takes about 40 s. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from review_speed import fetch

CORPUS = "nova==34.0.0"
PACKAGES = "api,compute,privsep"


def analyse(root: Path, packages: list[str]) -> None:
    """The measured work: what one worker and then the parent do for these files."""
    import gc

    from secreview import pipeline
    from secreview.config import Config
    from secreview.python.taint import engine
    from secreview.targets import discover
    from secreview.targets.source import read_file

    gc.disable()  # as during a review
    config = Config()
    discovery = discover([str(root)], config, None)
    settings = pipeline.worker_settings(discovery, config)
    prefixes = tuple(str(root / "nova" / p) + os.sep for p in packages)
    targets = [
        t
        for t in discovery.targets
        if t.abspath.startswith(prefixes) and not pipeline.is_test_path(t.path)
    ]
    results = [
        pickle.loads(pickle.dumps(pipeline._analyze_item((t, read_file(t, 1 << 30)), settings)))
        for t in targets
    ]
    flows = engine.solve([r.summaries for r in results if r.summaries is not None])
    lines = sum(r.lines for r in results)
    print(f"{len(targets)} files, {lines:,} lines, {len(flows)} flows", file=sys.stderr)


def count(packages: str) -> float:
    """Millions of instructions of one run of this script in `--inner` mode."""
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--inner",
        "--packages",
        packages,
    ]
    run = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}
    )
    match = re.search(r"I\s+refs:\s+([\d,]+)", run.stderr)
    if match is None:
        raise SystemExit(f"valgrind gave no count:\n{run.stderr[-2000:]}")
    for line in run.stderr.splitlines():
        if " files, " in line:
            print(f"  {line.strip()}")
    return int(match.group(1).replace(",", "")) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", default=PACKAGES, help="nova sub-packages, comma-separated")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = fetch(CORPUS)
    if args.inner:
        packages = [p for p in args.packages.split(",") if p]
        analyse(root, packages)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    empty = count("")
    full = count(args.packages)
    print(f"{CORPUS} {args.packages}: {full - empty:,.0f} M instructions")
    print(f"  (start-up and discovery, subtracted: {empty:,.0f} M)")


if __name__ == "__main__":
    main()
