"""Command line: parse arguments, load the config, run the pipeline, print a report.

Kept thin on purpose (every decision lives in a stage) and quick to start: the pipeline,
the rules and the reports are imported only by the command that needs them.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from secreview import __version__

if TYPE_CHECKING:
    from secreview.changes import ChangeSpec
    from secreview.config import Config
    from secreview.executors import Executor
    from secreview.model import Review
    from secreview.rules import RuleMeta

FORMATS = ("text", "json", "sarif", "markdown", "html", "gerrit", "github", "github-annotations")
FAIL_ON = ("low", "medium", "high", "critical", "never")

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_LLM_FAILED = 3  # the review ran, but the LLM pass asked for failed (the report says why)


class UsageError(Exception):
    """Bad options, bad config or nothing to review: reported on stderr, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="secreview",
        description="Security code review for Python: taint analysis and API-misuse rules.",
    )
    parser.add_argument("--version", action="version", version=f"secreview {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    review = commands.add_parser(
        "review",
        help="review Python files and directories",
        description="Review Python files and directories and print the security defects found.",
        epilog="Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage error, bad "
        "config or nothing reviewable, 3 the LLM pass asked for failed (the report holds the "
        "engine's review).",
    )
    review.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (.)")
    review.add_argument("--format", choices=FORMATS, default="text", help="report format (text)")
    review.add_argument("--output", type=_nonempty, metavar="FILE", help="write the report to FILE")
    review.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default=None,
        help="exit 1 when a finding is at or above this severity (low; config: fail-on)",
    )
    review.add_argument("--rules", action="append", metavar="ID,...", help="run only these rules")
    review.add_argument(
        "--skip-rules", action="append", metavar="ID,...", help="do not run these rules"
    )
    review.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip matching files/directories, added to the config's (repeatable)",
    )
    review.add_argument(
        "--config", type=_nonempty, metavar="FILE", help="pyproject.toml or .secreview.toml"
    )
    review.add_argument(
        "--include-tests", action="store_true", default=None, help="also review test code"
    )
    review.add_argument(
        "--nosec", action="store_true", default=None, help="honour Bandit's # nosec comments"
    )
    review.add_argument(
        "--taint-parameters",
        action="store_true",
        default=None,
        help="library mode: treat the parameters of public functions as attacker data",
    )
    review.add_argument(
        "--jobs", type=_positive_int, metavar="N", help="worker processes (one per CPU)"
    )
    review.add_argument(
        "--executor",
        choices=("local", "ray"),
        default="local",
        help="where per-file analysis runs: local processes, or Ray tasks (secreview[ray])",
    )
    review.add_argument(
        "--ray-address",
        type=_nonempty,
        metavar="ADDR",
        help="Ray cluster to use (default: RAY_ADDRESS/local)",
    )
    review.add_argument(
        "--no-cache", action="store_true", help="do not read or write the analysis cache"
    )
    review.add_argument(
        "--store",
        type=_nonempty,
        metavar="PATH",
        help="the store file (default <root>/.secreview/store.sqlite3)",
    )
    review.add_argument(
        "--root",
        type=_nonempty,
        metavar="DIR",
        help="the review root report paths are relative to, holding the store (default: the "
        "git work tree holding the paths, else their common folder)",
    )
    review.add_argument(
        "--per-repo",
        action="store_true",
        help="review each PATH as its own repository, one report each (--output DIR)",
    )
    change = review.add_mutually_exclusive_group()
    change.add_argument(
        "--diff",
        type=_nonempty,
        metavar="REV",
        help="report only what changed since REV (working tree included), or in A..B / A...B",
    )
    change.add_argument("--staged", action="store_true", help="report only what is staged")
    change.add_argument(
        "--patch",
        type=_nonempty,
        metavar="FILE",
        help="report only what a unified diff changes (- for stdin)",
    )
    review.add_argument(
        "--baseline",
        type=_nonempty,
        metavar="FILE",
        help="report only findings not in this baseline",
    )
    review.add_argument(
        "-q", "--quiet", action="store_true", help="print the report and nothing else"
    )
    review.add_argument("--verbose", action="store_true", help="more detail in the report")
    _add_workflow_commands(commands)
    _add_llm_options(review)
    _add_llm_check(commands)
    _add_audit_command(commands)

    rules = commands.add_parser(
        "rules", help="list the rules", description="List every rule, or explain one."
    )
    rules_commands = rules.add_subparsers(dest="rules_command", metavar="SUBCOMMAND")
    explain = rules_commands.add_parser(
        "explain", help="print a rule's documentation", description="Print a rule's doc."
    )
    explain.add_argument("rule_id", metavar="ID")
    return parser


def _nonempty(text: str) -> str:
    """A file, folder, revision or URL option given as "" is a mistake (an unset shell
    variable), never a request for the default: `--diff ""` must not review everything."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty value")
    return text


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


# Allocations between two automatic collections of the youngest objects, for the program
# (CPython's default is 2,000): what start-up allocates (modules, rules, specs, tables) lives
# to the end, so the ~17 collections 2,000 would trigger while it loads free nothing. The
# review itself runs without them (`pipeline._fewer_collections`).
PROGRAM_COLLECTION_THRESHOLD = 50_000


def run() -> NoReturn:
    """The `secreview` program (`python -m secreview`): `main` on the command line, then
    exit with its code. Garbage is collected rarely (`PROGRAM_COLLECTION_THRESHOLD`), and
    every object the run made is moved out of the collector's reach before the end
    (`gc.freeze`): the interpreter's last collection would otherwise trace each of them only
    for the process to end."""
    gc.set_threshold(PROGRAM_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `secreview` and `python -m secreview`; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error argparse reported
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    try:
        if args.command == "review":
            return _review(args)
        if args.command == "baseline":
            return _baseline(args)
        if args.command == "llm-check":
            return _llm_check(args)
        if args.command == "triage":
            return _triage(args)
        if args.command == "audit":
            return _audit(args)
        if args.command == "rules":
            if args.rules_command == "explain":
                return _explain(args.rule_id)
            return _list_rules()
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    except UsageError as exc:
        from secreview.reports._common import visible  # names from the tree: no escapes

        print(f"secreview: error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `secreview rules | head`: not an error worth a traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR


# --- review --------------------------------------------------------------------------------
def _review(args: argparse.Namespace) -> int:
    paths = args.paths or ["."]
    spec = _change_spec(args)
    if args.per_repo:
        if spec or args.baseline or args.root:
            raise UsageError(
                "--per-repo cannot be combined with --diff, --staged, --patch, --baseline or "
                "--root (each repository is its own root)"
            )
        return _review_repos(args, paths)
    _check_output(args.output)
    if getattr(args, "llm", None):
        _llm_preflight(args)
    root = _review_root(args, paths)
    config = _config(args, paths)
    known = _load_baseline(args.baseline)
    with _executor(args, config.jobs) as executor:
        if spec:
            review = _review_change(args, paths, config, executor, spec, root)
        else:
            review = _run(args, paths, config, executor, root=root)
    if review.stats.files == 0 and review.changed_lines is None:
        review = _nothing_reviewed(review, paths, config, root)
    review = _decisions(args, review, known)
    _emit(review, args)
    return _exit_code(review, config)


def _check_output(path: str | None, folder: bool = False) -> None:
    """Refuse, before any work, a report destination that cannot be written."""
    from secreview.outputs import OutputError, check_file, check_folder

    if path is None:
        return
    try:
        (check_folder if folder else check_file)(path)
    except OutputError as exc:
        raise UsageError(str(exc)) from None


def _review_root(args: argparse.Namespace, paths: Sequence[str]) -> str:
    """`--root`, checked to hold every path; else the git work tree holding the paths, or
    their common folder (`targets.review_root`): never simply the current directory. No
    paths (`secreview triage`) stand for the current directory."""
    from secreview.targets import review_root

    given = getattr(args, "root", None)
    if given is None:
        return review_root(list(paths) or ["."])
    root = os.path.abspath(given)
    if not os.path.isdir(root):
        raise UsageError(f"--root {given}: not a directory")
    real = os.path.realpath(root)
    outside = [
        p
        for p in paths
        if os.path.commonpath([real, os.path.realpath(p)]) != real
        and os.path.commonpath([root, os.path.abspath(p)]) != root
    ]
    if outside:
        raise UsageError(f"{', '.join(outside)}: outside the review root {given} (--root)")
    return root


def _run(
    args: argparse.Namespace,
    paths: Sequence[str],
    config: Config,
    executor: Executor,
    root: str | None = None,
    changed: dict[str, frozenset[int]] | None = None,
) -> Review:
    """The pipeline with the run options: progress bar, executor, cache."""
    from secreview.pipeline import run_review
    from secreview.progress import ReviewProgress

    if args.verbose and not args.quiet:
        print(f"secreview: config: {config.source or 'none found, defaults'}", file=sys.stderr)
    cache = False if args.no_cache or not config.cache else (args.store or True)
    with (
        ReviewProgress(sys.stderr)
        if not args.quiet and _interactive(sys.stderr)
        else contextlib.nullcontext()
    ) as progress:
        review = run_review(
            paths,
            config,
            progress=progress,
            executor=executor,
            cache=cache,
            root=root,
            changed=changed,
        )
    if getattr(args, "llm", None):
        review = _llm_pass(args, paths, config, review, changed)
    if args.verbose and not args.quiet:
        for name, value in review.stats.extra:
            print(f"secreview: {name}: {value}", file=sys.stderr)
    return review


def _executor(args: argparse.Namespace, jobs: int | None) -> Executor:
    from secreview.executors import ExecutorError, make_executor

    if args.ray_address and args.executor != "ray":
        raise UsageError("--ray-address needs --executor ray")
    try:
        return make_executor(
            args.executor, jobs=jobs, address=args.ray_address, quiet=bool(args.quiet)
        )
    except ExecutorError as exc:
        raise UsageError(str(exc)) from None


def _exit_code(review: Review, config: Config) -> int:
    from secreview.model import severity_rank
    from secreview.reports._common import verdict_unavailable

    if not review.findings and verdict_unavailable(review.stats):
        return EXIT_ERROR  # nothing could be analysed: no verdict, not a clean one
    if any(name == "llm_error" for name, _ in review.stats.extra):
        return EXIT_LLM_FAILED  # the report holds the engine's review only
    if config.fail_on == "never":
        return EXIT_CLEAN
    threshold = severity_rank(config.fail_on)
    failing = any(severity_rank(f.severity) >= threshold for f in review.findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _review_repos(args: argparse.Namespace, repos: Sequence[str]) -> int:
    """Each repository on its own (root, config, cache, report); one pool or Ray
    connection for all. A repository that fails is reported and the others go on."""
    from secreview import repos as per_repo

    problem = per_repo.check(repos, args.format, args.output)
    if problem:
        raise UsageError(problem)
    _check_output(args.output, folder=True)  # and make the folder
    names = per_repo.report_names(repos, args.format)
    worst = EXIT_CLEAN
    with _executor(args, args.jobs) as executor:
        for repo in repos:
            try:
                config = _config(args, [repo])
                review = _run(args, [repo], config, executor, root=repo)
                if review.stats.files == 0:
                    review = _nothing_reviewed(review, [repo], config)
                review = _decisions(args, review, None)  # each repository's own triage
            except UsageError as exc:
                print(f"secreview: error: {repo}: {exc}", file=sys.stderr)
                worst = EXIT_ERROR
                continue
            text = _report(review, args, to_stdout=not args.output)
            text += "" if text.endswith("\n") else "\n"
            if args.output:
                target = Path(args.output) / names[repo]
                try:
                    target.write_text(text, encoding="utf-8")
                except OSError as exc:
                    raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
                if not args.quiet:
                    print(
                        f"secreview: {repo}: {len(review.findings)} finding(s) in "
                        f"{review.stats.files} file(s); report written to {target}",
                        file=sys.stderr,
                    )
            else:
                sys.stdout.write(per_repo.header(repo, args.format) + text + "\n")
                sys.stdout.flush()
            if worst != EXIT_ERROR:
                worst = max(worst, _exit_code(review, config))
    return worst


def _config(args: argparse.Namespace, paths: Sequence[str]) -> Config:
    """The config file's settings with the command line's on top (the CLI wins)."""
    from secreview.config import ConfigError, find_config, load_config

    if args.config:
        source: Path | None = Path(args.config)
        if not source.is_file():
            raise UsageError(f"config file not found: {args.config}")
    else:
        source = find_config(_config_start(paths))
    try:
        config = load_config(source)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    where = f" in {config.source}" if config.source else ""
    _check_rule_ids(config.rules or (), f"'rules'{where}")
    _check_rule_ids(config.skip_rules, f"'skip-rules'{where}")
    rules = _split_ids(args.rules)
    skip = _split_ids(args.skip_rules)
    if rules == ():
        raise UsageError("--rules needs at least one rule id")
    _check_rule_ids(rules or (), "--rules")
    _check_rule_ids(skip or (), "--skip-rules")
    if rules is not None and skip is None:
        # rules named on the command line run even if the config skips them
        skip = tuple(r for r in config.skip_rules if r not in rules)
    return config.merged(
        exclude=config.exclude + tuple(args.exclude),
        rules=rules,
        skip_rules=skip,
        fail_on=args.fail_on,
        include_tests=args.include_tests,
        nosec=args.nosec,
        taint_parameters=args.taint_parameters,
        jobs=args.jobs,
    )


def _config_start(paths: Sequence[str]) -> Path:
    """Where to look for the config: the folder holding every path named (as the review
    root is chosen), so `secreview review src/app` finds the project's pyproject.toml."""
    existing = [os.path.abspath(p) for p in paths if os.path.exists(p)]
    if not existing:
        return Path.cwd()
    bases = [p if os.path.isdir(p) else os.path.dirname(p) for p in existing]
    try:
        return Path(os.path.commonpath(bases))
    except ValueError:  # different drives on Windows
        return Path.cwd()


def _split_ids(values: Sequence[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    ids = [part.strip() for value in values for part in value.split(",")]
    return tuple(dict.fromkeys(i for i in ids if i))


def _check_rule_ids(ids: Sequence[str], where: str) -> None:
    if not ids:
        return
    from secreview.rules import all_rules

    known = all_rules()
    unknown = [rule_id for rule_id in ids if rule_id not in known]
    if unknown:
        raise UsageError(
            "; ".join(f"unknown rule id {r!r} in {where}{_suggest(r, known)}" for r in unknown)
            + " (`secreview rules` lists them)"
        )


def _suggest(rule_id: str, known: Sequence[str]) -> str:
    """Close matches by spelling, then by containment (`yaml` -> `unsafe-yaml-load`)."""
    import difflib

    close = difflib.get_close_matches(rule_id, list(known), n=3, cutoff=0.6)
    close += [k for k in known if rule_id.lower() in k and k not in close][: 3 - len(close)]
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _nothing_reviewed(
    review: Review, paths: Sequence[str], config: Config, root: str | None = None
) -> Review:
    """No file was reviewed: a clean run when every file named is excluded or is test code
    (pre-commit passes exactly the changed files), a usage error when none was found."""
    from dataclasses import replace

    from secreview.targets import discover

    discovery = discover(paths, config, root)
    named = ", ".join(paths)
    if discovery.targets:
        return replace(
            review,
            scope_note=f"{len(discovery.targets)} test file(s) in {named} skipped; "
            "pass --include-tests to review test code",
        )
    if discovery.excluded and not discovery.diagnostics:
        return replace(review, scope_note=f"every path named is excluded: {named}")
    details = "".join(f"\n  {d.path}: {d.message}" for d in review.diagnostics)
    raise UsageError(f"nothing to review: no Python file found in {named}{details}")


def _emit(review: Review, args: argparse.Namespace) -> None:
    text = _report(review, args, to_stdout=not args.output)
    if not text.endswith("\n"):
        text += "\n"
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        if not args.quiet:
            print(
                f"secreview: {len(review.findings)} finding(s), {len(review.diagnostics)} "
                f"diagnostic(s) in {review.stats.files} file(s); {args.format} report "
                f"written to {args.output}",
                file=sys.stderr,
            )
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _report(review: Review, args: argparse.Namespace, *, to_stdout: bool) -> str:
    """The report text; a text report for a terminal is wrapped at its width and coloured
    by severity (unless NO_COLOR is set or TERM is dumb), never so for a pipe or a file."""
    from secreview.reports import render

    if args.format == "text" and to_stdout and _is_terminal(sys.stdout):
        import shutil

        from secreview.reports.text import render_terminal

        width = shutil.get_terminal_size((100, 24)).columns
        colour = not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        return render_terminal(review, verbose=args.verbose, width=width, colour=colour)
    return render(review, args.format, verbose=args.verbose)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd replacement stream
        return False


def _interactive(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("CI")


# --- changes, baselines, triage -----------------------------------------------------------
def _add_workflow_commands(commands: argparse._SubParsersAction) -> None:
    """`secreview baseline create` and `secreview triage`."""
    baseline = commands.add_parser(
        "baseline",
        help="record the current findings, so reviews report only new ones",
        description="Record the current findings; `review --baseline FILE` then hides them.",
    )
    actions = baseline.add_subparsers(dest="baseline_command", metavar="SUBCOMMAND")
    create = actions.add_parser(
        "create", help="review PATHs and write their findings as a baseline"
    )
    create.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (.)")
    create.add_argument(
        "--output",
        type=_nonempty,
        metavar="FILE",
        help="where to write it (<root>/secreview-baseline.json)",
    )
    create.add_argument(
        "--config", type=_nonempty, metavar="FILE", help="pyproject.toml or .secreview.toml"
    )
    create.add_argument("--exclude", action="append", default=[], metavar="GLOB")
    create.add_argument("--rules", action="append", metavar="ID,...")
    create.add_argument("--skip-rules", action="append", metavar="ID,...")
    create.add_argument("--include-tests", action="store_true", default=None)
    create.add_argument("--nosec", action="store_true", default=None)
    create.add_argument("--taint-parameters", action="store_true", default=None)
    create.add_argument("--jobs", type=_positive_int, metavar="N")
    create.add_argument("--no-cache", action="store_true")
    create.add_argument("--store", type=_nonempty, metavar="PATH")
    create.add_argument(
        "--root", type=_nonempty, metavar="DIR", help="the review root (see review --root)"
    )
    create.add_argument("-q", "--quiet", action="store_true")
    create.set_defaults(fail_on=None, verbose=False, executor="local", ray_address=None)

    triage = commands.add_parser(
        "triage",
        help="record a decision on a finding, or list the decisions",
        description="Record a decision on a finding (by fingerprint, or a unique prefix of "
        "one a review reported); later reviews hide it.",
    )
    triage.add_argument("fingerprint", nargs="?", metavar="FINGERPRINT")
    triage.add_argument("--status", choices=("false-positive", "accepted-risk", "fixed"))
    triage.add_argument("--note", default="", metavar="TEXT", help="why (kept with the decision)")
    triage.add_argument("--remove", action="store_true", help="drop the decision on FINGERPRINT")
    triage.add_argument(
        "--force",
        action="store_true",
        help="record a decision on a fingerprint no review using the store has reported",
    )
    triage.add_argument("--list", action="store_true", help="list the recorded decisions")
    triage.add_argument("--format", choices=("text", "json"), default="text")
    triage.add_argument(
        "--store",
        type=_nonempty,
        metavar="PATH",
        help="the store file (default <root>/.secreview/store.sqlite3)",
    )
    triage.add_argument(
        "--root",
        type=_nonempty,
        metavar="DIR",
        help="the review root whose store to use (default: the git work tree holding the "
        "current folder, else the current folder)",
    )


def _change_spec(args: argparse.Namespace) -> ChangeSpec | None:
    """What change to review; None for a whole-tree review, which then never imports the
    diff and patch machinery (start-up time counts when a review is served from the cache)."""
    if not (args.diff or args.staged or args.patch):
        return None
    from secreview.changes import ChangeSpec

    return ChangeSpec(diff=args.diff, staged=args.staged, patch=args.patch)


def _review_change(
    args: argparse.Namespace,
    paths: Sequence[str],
    config: Config,
    executor: Executor,
    spec: ChangeSpec,
    root: str,
) -> Review:
    from secreview.changes import ChangeError, review_change
    from secreview.store import default_path

    if not args.store:  # a scratch copy of the tree keeps using the real tree's store
        args.store = str(default_path(root))
    try:
        return review_change(
            paths,
            spec,
            lambda p, tree, changed: _run(args, p, config, executor, root=tree, changed=changed),
            root,
        )
    except ChangeError as exc:
        raise UsageError(str(exc)) from None


def _load_baseline(path: str | None) -> frozenset[str] | None:
    if path is None:
        return None
    from secreview.baseline import BaselineError, load

    try:
        return load(path)
    except BaselineError as exc:
        raise UsageError(str(exc)) from None


def _decisions(args: argparse.Namespace, review: Review, known: frozenset[str] | None) -> Review:
    """Hide what the baseline holds and what was triaged (the report says how many)."""
    from secreview import store

    if known is not None:
        from secreview import baseline

        review = baseline.subtract(review, known)
    path = args.store or store.default_path(review.root)
    if not os.path.lexists(path):  # no store, no decisions: `triage.hide` would read none
        return review
    from secreview import triage

    return triage.hide(review, path)


def _baseline(args: argparse.Namespace) -> int:
    from secreview import baseline

    if args.baseline_command != "create":
        raise UsageError("usage: secreview baseline create [PATH ...] [--output FILE]")
    paths = args.paths or ["."]
    root = _review_root(args, paths)
    _check_output(args.output or os.path.join(root, baseline.DEFAULT_NAME))
    config = _config(args, paths)
    with _executor(args, config.jobs) as executor:
        review = _run(args, paths, config, executor, root=root)
    if review.stats.files == 0:
        review = _nothing_reviewed(review, paths, config, root)
    output = args.output or os.path.join(review.root, baseline.DEFAULT_NAME)
    try:
        count = baseline.write(review, output)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    if not args.quiet:
        print(f"secreview: baseline of {count} finding(s) written to {output}", file=sys.stderr)
    return EXIT_CLEAN


def _triage(args: argparse.Namespace) -> int:
    import dataclasses
    import json

    from secreview import store, triage

    path = args.store or store.default_path(_review_root(args, []))
    try:
        if args.list:
            items = triage.decisions(path)
            if args.format == "json":
                data = [dataclasses.asdict(item) for item in items]
                sys.stdout.write(json.dumps(data, indent=2) + "\n")
            else:
                sys.stdout.write(triage.listing(items))
            return EXIT_CLEAN
        if not args.fingerprint:
            raise UsageError("name a FINGERPRINT (with --status or --remove), or pass --list")
        if args.remove:
            named = triage.resolve(path, args.fingerprint, table="triage") or args.fingerprint
            found = triage.remove(path, named)
            print(f"secreview: {'removed the' if found else 'no'} decision on {named}")
            return EXIT_CLEAN
        if not args.status:
            raise UsageError("--status is required: false-positive, accepted-risk or fixed")
        fingerprint = triage.known(path, args.fingerprint, force=args.force)
        decision = triage.record(path, fingerprint, args.status, args.note)
    except triage.TriageError as exc:
        raise UsageError(str(exc)) from None
    where = (
        f" ({decision.rule_id} at {decision.path}:{decision.line})"
        if decision.rule_id
        else " (not seen by a review using this store yet)"
    )
    print(f"secreview: {decision.fingerprint} recorded as {decision.status}{where} in {path}")
    return EXIT_CLEAN


# --- audit -------------------------------------------------------------------------------
def _add_audit_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = commands.add_parser(
        "audit",
        help="grade a security review's text (an LLM's or a person's)",
        description="Grade a review's claims (CWE ids and names, lines, quoted code) and its "
        "form; with --code, also run the engine on the file and list what the review missed.",
        epilog="Exit codes: 0 no problem found, 1 problems found, 2 usage error.",
    )
    audit.add_argument("review_file", metavar="REVIEW_FILE", help="the review (prose or JSON)")
    audit.add_argument("--code", metavar="FILE", help="the Python file the review is about")
    audit.add_argument("--format", choices=("text", "json"), default="text", help="(text)")


def _audit(args: argparse.Namespace) -> int:
    from secreview.audit import AuditError, audit_file
    from secreview.reports.audit import render

    try:
        audit = audit_file(args.review_file, args.code)
    except AuditError as exc:
        raise UsageError(str(exc)) from None
    width = 100
    if args.format == "text" and _is_terminal(sys.stdout):
        import shutil

        width = shutil.get_terminal_size((100, 24)).columns  # as the review report does
    sys.stdout.write(render(audit, args.format, width=width))
    sys.stdout.flush()
    return EXIT_CLEAN if audit.clean else EXIT_FINDINGS


# --- rules -------------------------------------------------------------------------------
def _list_rules() -> int:
    from secreview.rules import all_rules

    rules = list(all_rules().values())
    if sys.stdout.isatty():
        _rich_table(rules)
    else:
        sys.stdout.write(rules_table(rules))
    return EXIT_CLEAN


def _by_family(rules: Sequence[RuleMeta]) -> list[tuple[str, list[RuleMeta]]]:
    """The rules grouped as the catalog is: by family, in `FAMILIES` order, by id within."""
    from secreview.rules import FAMILIES, rule_family

    groups: dict[str, list[RuleMeta]] = {family: [] for family in FAMILIES}
    for rule in rules:
        groups.setdefault(rule_family(rule.id), []).append(rule)
    return [
        (f"{FAMILIES.get(family, 'Other')} (rules/{family}/)", sorted(members, key=lambda r: r.id))
        for family, members in groups.items()
        if members
    ]


def rules_table(rules: Sequence[RuleMeta]) -> str:
    """Plain aligned columns, a section per family (for pipes, files and the README)."""
    rows = [(r.id, f"CWE-{r.cwe}", r.severity, r.title) for r in rules]
    widths = [max(len(row[i]) for row in [("ID", "CWE", "SEVERITY"), *rows]) for i in range(3)]

    def line(row: tuple[str, ...]) -> str:
        cells = "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        return f"{cells}  {row[3]}\n"

    text = line(("ID", "CWE", "SEVERITY", "TITLE"))
    for heading, members in _by_family(rules):
        text += f"\n{heading}\n"
        text += "".join(line((r.id, f"CWE-{r.cwe}", r.severity, r.title)) for r in members)
    return text


def _rich_table(rules: Sequence[RuleMeta]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"secreview rules ({len(rules)})", title_justify="left")
    table.add_column("ID", style="bold", no_wrap=True)
    table.add_column("CWE", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Title")
    colours = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}
    for heading, members in _by_family(rules):
        table.add_row(f"[underline]{heading}[/]", style="not bold")
        for rule in members:
            severity = f"[{colours[rule.severity]}]{rule.severity}[/]"
            table.add_row(rule.id, f"CWE-{rule.cwe}", severity, rule.title)
        table.add_section()
    Console().print(table)


def _explain(rule_id: str) -> int:
    from secreview.rules import all_rules

    rules = all_rules()
    meta = rules.get(rule_id)
    if meta is None:
        raise UsageError(f"unknown rule id {rule_id!r}{_suggest(rule_id, list(rules))}")
    sys.stdout.write(explain_text(meta))
    return EXIT_CLEAN


def _family_line(rule_id: str) -> str:
    from secreview.rules import FAMILIES, rule_family, rule_module

    family = rule_family(rule_id)
    return f"{FAMILIES.get(family, 'Other')} (secreview/{rule_module(rule_id)})"


def explain_text(meta: RuleMeta) -> str:
    """A rule's full documentation, as `secreview rules explain ID` prints it."""
    import textwrap

    from secreview import cwe

    def para(text: str) -> str:
        return "\n".join(
            textwrap.fill(p, width=88, initial_indent="  ", subsequent_indent="  ")
            for p in text.split("\n")
        )

    kind = {
        "taint": "taint (source-to-sink data flow)",
        "project": "project (evidence across the project's views and modules)",
    }.get(meta.kind, "pattern (API misuse)")
    lines = [
        f"{meta.id}: {meta.title}",
        "",
        f"  CWE:        {cwe.label(meta.cwe)}",
        f"              {cwe.url(meta.cwe)}",
        f"  Severity:   {meta.severity} (confidence {meta.confidence})",
        f"  Kind:       {kind}",
        f"  Family:     {_family_line(meta.id)}",
        "",
        "Why it is bad",
        para(meta.why),
        "",
        "Example",
        textwrap.indent(meta.example.strip("\n"), "    "),
        "",
        "Use instead",
        para(meta.fix),
    ]
    from secreview.python.fixtext import variants

    for option in variants(meta):  # the words a finding in that API gets
        apis = ", ".join(api.lstrip(".") for api in option.apis)
        lines += ["", para(f"In code using {apis}: {option.text}")]
    if meta.references:
        lines += ["", "References", *(f"  - {ref}" for ref in meta.references)]
    return "\n".join(lines) + "\n"


# --- LLM review ------------------------------------------------------------------------------
def _add_llm_options(review: argparse.ArgumentParser) -> None:
    """`--llm URL --llm-model NAME ...`: the optional LLM pass (secreview[llm])."""
    group = review.add_argument_group(
        "LLM review (pip install 'secreview[llm]'; API key from SECREVIEW_LLM_API_KEY or "
        "OPENAI_API_KEY)"
    )
    group.add_argument(
        "--llm",
        type=_nonempty,
        metavar="URL",
        help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1",
    )
    group.add_argument(
        "--llm-model", type=_nonempty, metavar="NAME", help="model name the endpoint serves"
    )
    group.add_argument(
        "--llm-prompt",
        choices=("grounded", "cwe-list", "basic", "commit-cot"),
        default="grounded",
        help="prompt strategy (grounded: engine evidence + JSON answer)",
    )
    group.add_argument(
        "--llm-allow-secrets", action="store_true", help="send code without redacting secrets"
    )
    group.add_argument(
        "--llm-keep-unverified",
        action="store_true",
        help="keep claims that fail verification, with low confidence",
    )
    group.add_argument(
        "--llm-commit-message", metavar="TEXT|@FILE", help="commit message for commit-cot"
    )
    group.add_argument(
        "--llm-concurrency",
        type=_positive_int,
        default=4,
        metavar="N",
        help="parallel requests (4)",
    )
    group.add_argument(
        "--llm-timeout", type=float, default=120.0, metavar="S", help="seconds per request (120)"
    )
    group.add_argument(
        "--llm-retries", type=int, default=3, metavar="N", help="retries on 429/5xx/timeouts (3)"
    )
    group.add_argument(
        "--llm-chunk-lines",
        type=_positive_int,
        default=250,
        metavar="N",
        help="longer files are split by function into chunks of at most N lines (250)",
    )
    group.add_argument(
        "--llm-max-tokens",
        type=_positive_int,
        default=2048,
        metavar="N",
        help="answer length limit (2048)",
    )
    group.add_argument(
        "--llm-price", metavar="IN,OUT", help="USD per million prompt,completion tokens (cost)"
    )


def _add_llm_check(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "llm-check",
        help="check an LLM endpoint with one tiny request",
        description="Send one tiny request to an OpenAI-compatible endpoint and print what "
        "it answered (model, latency, tokens, JSON support).",
    )
    check.add_argument("--llm", type=_nonempty, metavar="URL", required=True, help="the endpoint")
    check.add_argument(
        "--llm-model", type=_nonempty, metavar="NAME", required=True, help="the model"
    )
    check.add_argument("--llm-timeout", type=float, default=60.0, metavar="S")


def _llm_pass(
    args: argparse.Namespace,
    paths: Sequence[str],
    config: Config,
    review: Review,
    changed: dict[str, frozenset[int]] | None,
) -> Review:
    from secreview.llm import LLMError
    from secreview.llm.command import run

    try:
        return run(review, paths, config, args, changed)
    except LLMError as exc:
        raise UsageError(f"LLM review: {exc}") from None


def _llm_preflight(args: argparse.Namespace) -> None:
    from secreview.llm import LLMError
    from secreview.llm.command import preflight

    try:
        preflight(args)
    except LLMError as exc:
        raise UsageError(f"LLM review: {exc}") from None


def _llm_check(args: argparse.Namespace) -> int:
    from secreview.llm import LLMError
    from secreview.llm.command import check

    try:
        return check(args)
    except LLMError as exc:
        raise UsageError(f"llm-check: {exc}") from None
