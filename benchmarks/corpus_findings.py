"""Findings on real code bases, kept per label, diffed between labels, judged for precision.

Every engine change is measured the same way: review the corpora before and after, diff the
findings, read every new high or critical one. This script does the bookkeeping:

    python benchmarks/corpus_findings.py snapshot before            # every corpus below
    python benchmarks/corpus_findings.py snapshot after --corpus calibreweb
    python benchmarks/corpus_findings.py diff before after          # added / removed findings
    python benchmarks/corpus_findings.py diff before after --exact  # ... and any field changed
    python benchmarks/corpus_findings.py stats after                # per KLOC, by severity
    python benchmarks/corpus_findings.py precision after            # against benchmarks/judged/

Snapshots live in the benchmark cache (never committed); judgements live in
`benchmarks/judged/<corpus>.jsonl`, one finding a line: `rule`, `path`, `line`, `verdict`
("true" or "false") and `reason`. A finding is matched to its judgement by rule, path and
line (the code does not change between snapshots: the corpora are pinned releases).
`precision` judges every high/critical finding of a corpus, or a fixed-seed sample of 40 where
there are more, and lists the ones still to judge. Figures are printed, never asserted.
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
from review_speed import CACHE, fetch

HERE = Path(__file__).parent
JUDGED = HERE / "judged"
SNAPSHOTS = CACHE / "findings"

# name -> (PyPI spec, the folder reviewed, relative to the unpacked release)
CORPORA: dict[str, tuple[str, str]] = {
    "keystone": ("keystone==30.0.0", "keystone"),
    "nova": ("nova==34.0.0", "nova"),
    "neutron": ("neutron==29.0.0", "neutron"),
    "django": ("django==5.1", "django"),
    # real web applications (Flask, Django): the precision corpora
    "calibreweb": ("calibreweb==0.6.27", "src/calibreweb"),
    "django-oscar": ("django-oscar==3.2.4", "src/oscar"),
    "pretix": ("pretix==2026.8.0", "src/pretix"),
    "privacyidea": ("privacyidea==3.14", "privacyidea"),
    # the three Flask applications a new user tried (issue 15's report)
    "flaskbb": ("flaskbb==2.2.0", "flaskbb"),
    "ihatemoney": ("ihatemoney==7.2.1", "ihatemoney"),
    "searx": ("searx==0.17.0", "searx"),
}
APPLICATIONS = ("calibreweb", "pretix", "privacyidea", "flaskbb", "ihatemoney", "searx")
SAMPLE = 40  # judged per application at most (a fixed-seed sample beyond that)
SEED = 15
HIGH = ("high", "critical")
MEDIUM_UP = ("medium", "high", "critical")

Key = tuple[str, str, int]  # rule, path, line


def review(name: str, jobs: int, extra: list[str]) -> dict:
    spec, folder = CORPORA[name]
    root = fetch(spec)
    command = [sys.executable, "-m", "secreview", "review", folder, "--format", "json"]
    command += ["--fail-on", "never", "--quiet", "--no-cache", "--jobs", str(jobs), *extra]
    command += ["--root", "."]  # paths relative to the release, as the judgements name them
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"secreview failed on {name}: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def snapshot(label: str, names: list[str], jobs: int, extra: list[str]) -> None:
    folder = SNAPSHOTS / label
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        report = review(name, jobs, extra)
        (folder / f"{name}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
        counts = Counter(f["severity"] for f in report["findings"])
        print(f"{name:<14}{len(report['findings']):>5} findings  {dict(sorted(counts.items()))}")


def load(label: str, name: str) -> dict | None:
    path = SNAPSHOTS / label / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def key(finding: dict) -> Key:
    return finding["rule_id"], finding["location"]["path"], finding["location"]["line"]


def describe(finding: dict) -> str:
    where = f"{finding['location']['path']}:{finding['location']['line']}"
    return f"{finding['severity']:<9}{finding['rule_id']:<28}{where}  {finding['snippet'][:70]!r}"


def diff(before: str, after: str, names: list[str], exact: bool = False) -> None:
    """Added, removed and re-rated findings; with `exact`, also every finding whose text,
    trace or fix changed (a speed change must leave the findings identical)."""
    for name in names:
        old, new = load(before, name), load(after, name)
        if old is None or new is None:
            print(f"== {name}: no snapshot for {before if old is None else after}")
            continue
        old_keys = {key(f): f for f in old["findings"]}
        new_keys = {key(f): f for f in new["findings"]}
        added = [new_keys[k] for k in sorted(new_keys.keys() - old_keys.keys())]
        removed = [old_keys[k] for k in sorted(old_keys.keys() - new_keys.keys())]
        moved = [
            (old_keys[k], new_keys[k])
            for k in sorted(old_keys.keys() & new_keys.keys())
            if old_keys[k]["severity"] != new_keys[k]["severity"]
        ]
        print(
            f"== {name}: {len(old_keys)} -> {len(new_keys)} (+{len(added)} -{len(removed)}"
            + (f" ~{len(moved)}" if moved else "")
            + ")"
        )
        for finding in added:
            print(f"  + {describe(finding)}")
        for finding in removed:
            print(f"  - {describe(finding)}")
        for before_finding, finding in moved:
            print(f"  ~ {before_finding['severity']} -> {describe(finding)}")
        if exact:
            changed = [
                new_keys[k]
                for k in sorted(old_keys.keys() & new_keys.keys())
                if old_keys[k] != new_keys[k]
            ]
            print(f"   {len(changed)} finding(s) differ in some field")
            for finding in changed:
                print(f"  ! {describe(finding)}")


def stats(label: str, names: list[str]) -> None:
    print(f"{'corpus':<14}{'KLOC':>7}{'all':>6}{'med+':>6}{'high+':>6}{'med+/KLOC':>11}")
    for name in names:
        report = load(label, name)
        if report is None:
            continue
        kloc = report["stats"]["lines"] / 1000
        findings = report["findings"]
        medium = sum(f["severity"] in MEDIUM_UP for f in findings)
        high = sum(f["severity"] in HIGH for f in findings)
        print(f"{name:<14}{kloc:>7.1f}{len(findings):>6}{medium:>6}{high:>6}{medium / kloc:>11.3f}")


def judgements(name: str) -> dict[Key, dict]:
    path = JUDGED / f"{name}.jsonl"
    if not path.exists():
        return {}
    out: dict[Key, dict] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            out[(item["rule"], item["path"], item["line"])] = item
    return out


def sample(findings: list[dict]) -> list[dict]:
    """Every high/critical finding, or a fixed-seed sample of SAMPLE when there are more."""
    high = sorted((f for f in findings if f["severity"] in HIGH), key=key)
    if len(high) <= SAMPLE:
        return high
    return sorted(random.Random(SEED).sample(high, SAMPLE), key=key)


def precision(label: str, names: list[str]) -> None:
    for name in names:
        report = load(label, name)
        if report is None:
            print(f"== {name}: no snapshot {label}")
            continue
        judged = judgements(name)
        chosen = sample(report["findings"])
        verdicts = Counter(judged[key(f)]["verdict"] for f in chosen if key(f) in judged)
        todo = [f for f in chosen if key(f) not in judged]
        total = verdicts["true"] + verdicts["false"]
        share = f"{verdicts['true'] / total:.0%}" if total else "n/a"
        high = sum(f["severity"] in HIGH for f in report["findings"])
        print(
            f"== {name}: {high} high/critical, {len(chosen)} judged sample: "
            f"{verdicts['true']} true, {verdicts['false']} false, precision {share}"
            + (f", {len(todo)} not judged yet" if todo else "")
        )
        for finding in todo:
            print(f"  ? {describe(finding)}")
        found = {key(f) for f in report["findings"]}
        lost = [k for k, item in judged.items() if item["verdict"] == "true" and k not in found]
        for rule, path, line in sorted(lost):
            print(f"  LOST true finding: {rule} {path}:{line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    take = sub.add_parser("snapshot", help="review the corpora and keep the findings as LABEL")
    take.add_argument("label")
    take.add_argument("--jobs", type=int, default=2)
    take.add_argument("--extra", action="append", default=[], help="more review options")
    compare = sub.add_parser("diff", help="findings added and removed from BEFORE to AFTER")
    compare.add_argument("before")
    compare.add_argument("after")
    compare.add_argument(
        "--exact", action="store_true", help="also compare every field (message, trace, fix)"
    )
    for name in ("stats", "precision"):
        sub.add_parser(name).add_argument("label")
    for command in sub.choices.values():
        command.add_argument("--corpus", action="append", choices=sorted(CORPORA))
    args = parser.parse_args()
    names = args.corpus or list(CORPORA)
    if args.command == "snapshot":
        snapshot(args.label, names, args.jobs, args.extra)
    elif args.command == "diff":
        diff(args.before, args.after, names, args.exact)
    elif args.command == "stats":
        stats(args.label, names)
    else:
        precision(args.label, args.corpus or list(APPLICATIONS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
