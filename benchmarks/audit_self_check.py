"""False alarms of `secreview audit` on reviews known to be right: secreview's own reports.

Each code base is reviewed once (whole program, so findings whose data crosses modules are
in); then, for every file with findings, the text and JSON reports of that file's findings are
graded by `audit` against the file, with those findings as the engine's. Every problem, and
every finding reported "missed", is a false alarm of the audit (of its extraction or its
checks), since each report says exactly what the engine found.

    python benchmarks/audit_self_check.py                          # nova 34.0.0
    python benchmarks/audit_self_check.py --package neutron==29.0.0 --package django==5.1

Sources are fetched as in review_speed.py (into ~/.cache/secreview-bench, never committed).
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_speed import fetch

from secreview.audit import audit_text
from secreview.config import Config
from secreview.model import Finding
from secreview.pipeline import run_review
from secreview.reports import render


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--package", action="append", help="name==version (nova==34.0.0)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    kinds: Counter[str] = Counter()
    reports = files = findings = missed = 0
    for spec in args.package or ["nova==34.0.0"]:
        tree = fetch(spec)
        started = time.perf_counter()
        review = run_review([str(tree)], Config(jobs=args.jobs), cache=False)
        reviewed = time.perf_counter() - started
        by_path: dict[str, list[Finding]] = defaultdict(list)
        for finding in review.findings:
            by_path[finding.location.path].append(finding)
        started = time.perf_counter()
        for path, found in sorted(by_path.items()):
            code = (Path(review.root) / path).read_text(encoding="utf-8", errors="replace")
            one = replace(review, findings=tuple(found), diagnostics=())
            files += 1
            findings += len(found)
            for fmt in ("text", "json"):
                audit = audit_text(render(one, fmt), code=code, findings=found)
                reports += 1
                missed += len(audit.missed)
                for problem in audit.problems:
                    kinds[problem.kind] += 1
                    print(f"{path} [{fmt}] {problem.kind}: {problem.detail[:160]}")
                for finding in audit.missed:
                    print(f"{path} [{fmt}] missed: line {finding.location.line} {finding.rule_id}")
        print(
            f"{spec}: reviewed in {reviewed:.1f} s, {len(by_path)} files with findings "
            f"audited in {time.perf_counter() - started:.1f} s"
        )
    print(
        f"\n{reports} reports audited ({files} files, {findings} findings): "
        f"{sum(kinds.values())} false problems {dict(kinds) or ''}, "
        f"{missed} findings wrongly reported missed"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
