"""Noise check: findings per 1,000 lines, by rule, on real OpenStack code bases.

A rule that fires often on mature, reviewed code is either finding a real systemic problem or
crying wolf; the issue's bar is 0.5 findings/KLOC per rule unless a sample shows they are real.
This script prints the table and, with --sample RULE, ten findings of that rule to judge by hand.

    python benchmarks/rule_noise.py                         # nova 34.0.0, neutron, keystone
    python benchmarks/rule_noise.py --rules weak-hash-for-security,insecure-temp-file
    python benchmarks/rule_noise.py --sample bind-all-interfaces

Figures are printed, never asserted. Corpora are cached by review_speed.fetch (never committed).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from review_speed import fetch

CORPORA = ("nova==34.0.0", "neutron", "keystone")
LIMIT = 0.5  # findings per KLOC


def review(root: Path, package: str, rules: str | None, jobs: int) -> dict:
    target = package if (root / package).is_dir() else "."
    command = [sys.executable, "-m", "secreview", "review", target, "--format", "json"]
    command += ["--fail-on", "never", "--quiet", "--jobs", str(jobs)]
    if rules:
        command += ["--rules", rules]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"secreview failed on {root}: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", action="append", help="name[==version] (repeatable)")
    parser.add_argument("--rules", help="only these rule ids (comma-separated)")
    parser.add_argument("--sample", metavar="RULE", help="print 10 random findings of RULE")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    specs = args.package or list(CORPORA)
    per_corpus: dict[str, tuple[int, Counter[str]]] = {}
    samples: list[tuple[str, dict]] = []
    for spec in specs:
        root = fetch(spec)
        report = review(root, spec.partition("==")[0], args.rules, args.jobs)
        counts = Counter(f["rule_id"] for f in report["findings"])
        per_corpus[root.name] = (report["stats"]["lines"], counts)
        samples += [(root.name, f) for f in report["findings"] if f["rule_id"] == args.sample]

    names = list(per_corpus)
    rules = sorted({rule for _, counts in per_corpus.values() for rule in counts})
    width = max([len(r) for r in rules] + [28])
    print(f"{'rule':<{width}}" + "".join(f"{n:>24}" for n in names))
    print(f"{'lines reviewed':<{width}}" + "".join(f"{per_corpus[n][0]:>24,}" for n in names))
    over = []
    for rule in rules:
        cells = []
        for name in names:
            lines, counts = per_corpus[name]
            density = counts[rule] * 1000 / max(lines, 1)
            flag = " !" if density > LIMIT else "  "
            if density > LIMIT:
                over.append((rule, name))
            cells.append(f"{counts[rule]:>8} {density:>9.3f}/KLOC{flag}")
        print(f"{rule:<{width}}" + "".join(f"{c:>24}" for c in cells))
    if not rules:
        print("(no findings)")
    print(f"\n{len(over)} rule/corpus pair(s) above {LIMIT}/KLOC" + (": " if over else ""))
    for rule, name in over:
        print(f"  {rule} on {name}")

    if args.sample:
        print(f"\n10 random findings of {args.sample} (seed 0):")
        for name, finding in random.Random(0).sample(samples, min(10, len(samples))):
            where = finding["location"]
            print(f"- {name}/{where['path']}:{where['line']}: {finding['snippet'].strip()[:120]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
