"""When Ray pays off: its costs measured on this machine, and where a cluster would win.

On one machine Ray can only lose to local processes: the same CPUs do the same analysis,
plus Ray's start-up, a scheduling cost per task and the transfer of what each task is sent
(issue 19: nova took 12.9 s with Ray against 3.5 s locally). This measures those costs on a
synthetic tree of Flask modules, for the two things a review controls:

- tasks per worker: files go to Ray in batches, `RAY_BATCHES_PER_CPU` per CPU (4 by
  default); more tasks even out the load, each costs scheduling;
- data sent per task: the files' contents, or (when the workers read the reviewed tree
  themselves, as on this machine or a shared file system) only references, a digest each.

It prints the per-file phase's time for each, against local processes with the same CPUs,
then the fitted costs (start-up, seconds per task, seconds per MB sent) and the crossover:
the smallest review, in files of the measured size, that a cluster of N such machines
finishes sooner than this machine alone. `--record FILE` writes the figures as JSON
(benchmarks/results/ray_crossover.json is what the README quotes, and a test holds the
README to it).

    python benchmarks/ray_crossover.py                 # 96 files of each size, 2 CPUs
    python benchmarks/ray_crossover.py --files 400 --cpus 4 --record out.json

Needs `pip install -e '.[ray]'`. Figures are printed, never asserted: a shared machine's
load moves them by a third from run to run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from secreview import executors
from secreview.config import Config
from secreview.pipeline import run_review

MODULE = """\
import subprocess

from flask import Flask, request

app = Flask(__name__)


"""
VIEW = """
@app.get("/v{n}")
def view_{n}():
    host = request.args.get("host", "")
    parts = [host.strip() for _ in range({n} % 5 + 1)]
    command = "ping -c 1 " + " ".join(parts)
    if len(command) > 80:
        return subprocess.run(command, shell=True).stdout
    return command
"""


def tree(root: Path, files: int, views: int) -> int:
    """`files` modules of `views` views each; their total size in bytes."""
    root.mkdir(parents=True, exist_ok=True)
    (root / ".git").mkdir(exist_ok=True)
    total = 0
    for number in range(files):
        text = MODULE + "".join(VIEW.format(n=n) for n in range(views))
        (root / f"m{number:04}.py").write_text(text)
        total += len(text.encode())
    return total


def timed(paths: list[str], executor: object, repeats: int) -> float:
    """The median wall time of a review without cache (per-file and whole-program phases)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run_review(paths, Config(jobs=None), executor=executor, cache=False)  # type: ignore[arg-type]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=96, help="files per tree (96)")
    parser.add_argument("--cpus", type=int, default=2, help="CPUs for both executors (2)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure, median (3)")
    parser.add_argument("--record", metavar="FILE", help="write the figures as JSON")
    args = parser.parse_args()
    import ray

    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    started = time.perf_counter()
    ray.init(
        num_cpus=args.cpus, include_dashboard=False, log_to_driver=False, configure_logging=False
    )
    startup = time.perf_counter() - started
    rows = []
    with tempfile.TemporaryDirectory(prefix="secreview-ray-") as scratch:
        for label, views in (("small", 4), ("large", 60)):
            root = Path(scratch) / label
            size = tree(root, args.files, views)
            paths = [str(root)]
            with executors.LocalExecutor(args.cpus) as local:
                timed(paths, local, 1)  # start the pool and warm the imports
                local_seconds = timed(paths, local, args.repeats)
            for per_cpu in (1, 4, 16):
                executors.RAY_BATCHES_PER_CPU = per_cpu
                tasks = -(-args.files // max(1, -(-args.files // (args.cpus * per_cpu))))
                for mode in ("contents", "references"):
                    executor = executors.RayExecutor()
                    if mode == "contents":  # as for a cluster that cannot read the tree
                        executor.shares_files = lambda target, digest: False  # type: ignore[method-assign]
                    timed(paths, executor, 1)  # workers started and modules imported
                    seconds = timed(paths, executor, args.repeats)
                    sent = size if mode == "contents" else args.files * 96  # a digest a file
                    rows.append(
                        {
                            "files": label,
                            "file_kb": round(size / args.files / 1024, 1),
                            "tasks_per_worker": per_cpu,
                            "tasks": tasks,
                            "sent": mode,
                            "kb_per_task": round(sent / tasks / 1024, 1),
                            "local_s": round(local_seconds, 2),
                            "ray_s": round(seconds, 2),
                        }
                    )
                    print(
                        f"{label:>5} files ({rows[-1]['file_kb']:>5} KB)  "
                        f"{per_cpu:>2} tasks/worker ({tasks:>3} tasks)  "
                        f"{mode:<10} {rows[-1]['kb_per_task']:>7} KB/task  "
                        f"local {local_seconds:5.2f} s  ray {seconds:5.2f} s  "
                        f"({seconds / local_seconds:.1f}x)",
                        flush=True,
                    )
    costs = _costs(ray, args.cpus)
    ray.shutdown()
    large = [r for r in rows if r["files"] == "large"]
    per_file = large[0]["local_s"] * args.cpus / args.files  # CPU seconds a large file
    fit = {
        "startup_s": round(startup, 1),
        "per_task_ms": round(costs["per_task"] * 1000, 2),
        "per_mb_ms": round(costs["per_mb"] * 1000, 1),
        "per_file_ms": round(per_file * 1000, 1),
        "file_kb": large[0]["file_kb"],
        "crossover_files": {
            sent: {
                str(nodes): _crossover(per_file, mb, costs, startup, args.cpus, nodes)
                for nodes in (2, 4, 8)
            }
            for sent, mb in (("references", 0.0), ("contents", large[0]["file_kb"] / 1024))
        },
    }
    print(
        f"\nRay: start-up {fit['startup_s']} s, {fit['per_task_ms']} ms a task, "
        f"{fit['per_mb_ms']} ms a MB sent; the analysis: {fit['per_file_ms']} ms of CPU a "
        f"file of {fit['file_kb']} KB."
    )
    for sent, by_nodes in fit["crossover_files"].items():
        for nodes, count in by_nodes.items():
            print(
                f"{nodes} machines of {args.cpus} CPUs beat one from {count:,} such files "
                f"({sent} sent)"
            )
    if args.record:
        record = {"cpus": args.cpus, "files": args.files, "rows": rows, "fit": fit}
        Path(args.record).write_text(json.dumps(record, indent=2) + "\n")
    return 0


def _costs(ray: object, cpus: int) -> dict[str, float]:
    """Ray's own costs, apart from any analysis: a task that does nothing (seconds of one
    CPU a task), and the transfer of a payload (seconds a MB), measured with empty tasks."""

    def nothing(payload: object = None) -> int:
        return 0

    remote = ray.remote(nothing)  # type: ignore[attr-defined]
    ray.get([remote.remote() for _ in range(cpus * 8)])  # type: ignore[attr-defined]
    count = 400
    started = time.perf_counter()
    ray.get([remote.remote() for _ in range(count)])  # type: ignore[attr-defined]
    per_task = (time.perf_counter() - started) * cpus / count
    payload = b"x" * (1024 * 1024)
    started = time.perf_counter()
    ray.get([remote.remote(payload) for _ in range(40)])  # type: ignore[attr-defined]
    per_mb = max(0.0, (time.perf_counter() - started - 40 * per_task / cpus) / 40)
    return {"per_task": per_task, "per_mb": per_mb}


def _crossover(
    per_file: float, sent_mb: float, costs: dict[str, float], startup: float, cpus: int, nodes: int
) -> int:
    """The fewest files (of this size) that `nodes` machines of `cpus` CPUs review sooner
    with Ray than one machine with local processes: where the time the cluster saves,
    per_file * (1/cpus - 1/(nodes*cpus)) a file, passes Ray's start-up, its cost per task
    (at most a task a file, spread over the cluster) and the transfer of `sent_mb` a file
    (the driver sends them one after another). 0: never, at these costs."""
    saved = per_file * (1 / cpus - 1 / (nodes * cpus))
    cost = costs["per_task"] / (nodes * cpus) + costs["per_mb"] * sent_mb
    if saved <= cost:
        return 0
    return int(startup / (saved - cost)) + 1


if __name__ == "__main__":
    raise SystemExit(main())
