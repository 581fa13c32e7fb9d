"""How much of a code base a demand-driven taint phase could skip: the measurement behind
issue 3's throughput note.

A demand-driven engine would summarise only the functions attacker data can reach, after a
cheap pre-pass. This script computes, from the full summaries of a code base, the sets such
an engine would have to summarise:

- *seeds*: functions that read a source or are request handlers;
- *forward*: the seeds and every function they call, directly or not (arguments);
- *sound*: forward, plus the callers of functions that may hand data back to them (what
  they return, raise, or write into their arguments' objects holds anything but their own
  parameters: a source, a field, a global, a call's result; or a callee's exception may
  leave them), plus the readers of fields and globals those functions write. This is the
  set with the data flow known exactly, which no pre-pass has: a lower bound.
- *by name*: the same closure over a call graph that matches callees by their last name, as
  a pre-pass without the engine's types must: what such a pre-pass would keep at least.

(Issue 3's estimate added callers only for results holding a source, a field or a global;
a function returning its callee's result, `return fetch(url)`, hands data back too, and
leaving its callers out loses their findings.)

It prints each set's share of the functions, and the share of files holding one (those a
second pass would parse again). Figures are printed, never asserted.

    python benchmarks/taint_demand.py                        # nova 34.0.0
    python benchmarks/taint_demand.py --package neutron==29.0.0 --include-tests
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from review_speed import fetch

from secreview import pipeline
from secreview.config import Config
from secreview.python.taint.solve import Program
from secreview.python.taint.summary import FieldRead, FunctionSummary, Param, Src
from secreview.targets import discover
from secreview.targets.source import read_file


def summaries(root: Path, tests: bool = False) -> list:
    """Every module summary of the tree's code (tests only with `tests`), as a review
    makes them."""
    config = Config(include_tests=tests)
    discovery = discover([str(root)], config, None)
    settings = pipeline.worker_settings(discovery, config)
    out = []
    for target in discovery.targets:
        if not tests and pipeline.is_test_path(target.path):
            continue
        result = pipeline._analyze_item((target, read_file(target, 1 << 30)), settings)
        if result.summaries is not None:
            out.append(result.summaries)
    return out


def _labels(function: FunctionSummary) -> set:
    values = [function.returns, *(function.return_parts or ())]
    values += [event.taint for event in function.sinks]
    values += [*function.field_writes.values(), *function.global_writes.values()]
    for call in function.calls:
        if call is not None:
            values += [*call.args, *(v for _, v in call.kwargs), call.star, call.receiver or {}]
    return {label for value in values for label in value}


def hands_back(function: FunctionSummary) -> bool:
    """Its callers may get data from it: what it returns, raises or writes into its
    arguments' objects holds more than its own parameters, or a callee's exception leaves
    it."""
    values = [function.returns, *(function.return_parts or ())]
    values += [*(function.return_keys or {}).values(), *function.raises.values()]
    values += [*function.param_writes.values()]
    values += [v for keys in function.param_key_writes.values() for v in keys.values()]
    return bool(function.escapes) or any(
        type(label) is not Param for value in values for label in value
    )


def call_graph(program: Program, by_name: bool) -> tuple[dict, dict]:
    """Callees and callers of every function: resolved as the engine does, or matched by
    the callee's last name only."""
    functions = program.functions
    named: dict[str, list[str]] = defaultdict(list)
    for name in functions:
        named[name.rsplit(".", 1)[-1]].append(name)
    callees: dict[str, set[str]] = defaultdict(set)
    callers: dict[str, set[str]] = defaultdict(set)
    for function in functions.values():
        for call in function.calls:
            for name in call.callees if call is not None else ():
                found = (
                    named.get(name.rsplit(".", 1)[-1], [])
                    if by_name
                    else [callee.qualname for callee, _ in program.lookup(name)]
                )
                for callee in found:
                    callees[function.qualname].add(callee)
                    callers[callee].add(function.qualname)
    return callees, callers


def closure(program: Program, seeds: set[str], backward: bool, by_name: bool = False) -> set[str]:
    functions = program.functions
    callees, callers = call_graph(program, by_name)
    readers: dict[tuple, set[str]] = defaultdict(set)
    for function in functions.values():
        for label in function.reads:
            key = (
                ("F", label.cls, label.attr) if isinstance(label, FieldRead) else ("G", label.name)
            )
            readers[key].add(function.qualname)
    found = set(seeds)
    work = list(found)
    while work:
        function = functions[work.pop()]
        more = set(callees[function.qualname])
        if backward and hands_back(function):
            more |= callers[function.qualname]
        if backward:
            for cls, attr, _ in function.field_writes:
                more |= readers[("F", cls, attr)]
            for name in function.global_writes:
                more |= readers[("G", name)]
        for name in more - found:
            found.add(name)
            work.append(name)
    return found


def demand_sets(program: Program) -> dict[str, set[str]]:
    """The qualified names in each set: seeds, forward and sound (see the docstring)."""
    seeds = {
        name
        for name, function in program.functions.items()
        if function.handler
        or function.param_sources
        or function.url_params
        or any(isinstance(label, Src) for label in _labels(function))
    }
    return {
        "seeds": seeds,
        "forward": closure(program, seeds, backward=False),
        "sound": closure(program, seeds, backward=True),
        "by name": closure(program, seeds, backward=True, by_name=True),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package", default="nova==34.0.0", help="name==version from PyPI")
    parser.add_argument("--include-tests", action="store_true", help="test code too")
    args = parser.parse_args()
    gc.disable()  # as during a review
    program = Program(summaries(fetch(args.package), args.include_tests))
    functions = program.functions
    files = {function.path for function in functions.values()}
    print(f"{args.package}: {len(functions):,} functions in {len(files):,} files")
    for title, chosen in demand_sets(program).items():
        held = {functions[name].path for name in chosen}
        print(
            f"  {title:8} {len(chosen):6,} functions ({len(chosen) / len(functions):4.0%})"
            f" in {len(held):5,} files ({len(held) / len(files):4.0%})"
        )


if __name__ == "__main__":
    main()
