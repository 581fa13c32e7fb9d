"""Command line: parse arguments, load the config, run the pipeline, print a report.

Kept thin on purpose (every decision lives in a stage) and quick to start: the pipeline,
the rules and the reports are imported only by the command that needs them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from secreview import __version__

if TYPE_CHECKING:
    from secreview.config import Config
    from secreview.model import Review
    from secreview.rules import RuleMeta

FORMATS = ("text", "json", "sarif", "markdown")
FAIL_ON = ("low", "medium", "high", "critical", "never")

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


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
        "config or nothing reviewable.",
    )
    review.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (.)")
    review.add_argument("--format", choices=FORMATS, default="text", help="report format (text)")
    review.add_argument("--output", metavar="FILE", help="write the report to FILE")
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
    review.add_argument("--config", metavar="FILE", help="pyproject.toml or .secreview.toml")
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
    review.add_argument("--jobs", type=_positive_int, metavar="N", help="worker processes")
    review.add_argument(
        "-q", "--quiet", action="store_true", help="print the report and nothing else"
    )
    review.add_argument("--verbose", action="store_true", help="more detail in the report")

    rules = commands.add_parser(
        "rules", help="list the rules", description="List every rule, or explain one."
    )
    rules_commands = rules.add_subparsers(dest="rules_command", metavar="SUBCOMMAND")
    explain = rules_commands.add_parser(
        "explain", help="print a rule's documentation", description="Print a rule's doc."
    )
    explain.add_argument("rule_id", metavar="ID")
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


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
        if args.command == "rules":
            if args.rules_command == "explain":
                return _explain(args.rule_id)
            return _list_rules()
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    except UsageError as exc:
        print(f"secreview: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `secreview rules | head`: not an error worth a traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR


# --- review --------------------------------------------------------------------------------
def _review(args: argparse.Namespace) -> int:
    from secreview.model import severity_rank
    from secreview.pipeline import run_review

    paths = args.paths or ["."]
    config = _config(args, paths)
    if args.verbose and not args.quiet:
        print(f"secreview: config: {config.source or 'none found, defaults'}", file=sys.stderr)
    progress = _Progress(sys.stderr) if not args.quiet and _interactive(sys.stderr) else None
    try:
        review = run_review(paths, config, progress=progress)
    finally:
        if progress:
            progress.clear()
    if review.stats.files == 0:
        review = _nothing_reviewed(review, paths, config)
    _emit(review, args)
    if config.fail_on == "never":
        return EXIT_CLEAN
    threshold = severity_rank(config.fail_on)
    failing = any(severity_rank(f.severity) >= threshold for f in review.findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


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


def _nothing_reviewed(review: Review, paths: Sequence[str], config: Config) -> Review:
    """No file was reviewed: a clean run when every file named is excluded or is test code
    (pre-commit passes exactly the changed files), a usage error when none was found."""
    from dataclasses import replace

    from secreview.targets import discover

    discovery = discover(paths, config)
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
    from secreview.reports import render

    text = render(review, args.format, verbose=args.verbose)
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


def _interactive(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("CI")


class _Progress:
    """`reviewed 120/3400 files` on one terminal line, redrawn at most every 1%."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.shown = -1
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if total >= 20 and percent != self.shown:
            self.shown = percent
            self.drawn = True
            self.stream.write(f"\rsecreview: reviewed {done}/{total} files")
            self.stream.flush()

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()


# --- rules -------------------------------------------------------------------------------
def _list_rules() -> int:
    from secreview.rules import all_rules

    rules = list(all_rules().values())
    if sys.stdout.isatty():
        _rich_table(rules)
    else:
        sys.stdout.write(rules_table(rules))
    return EXIT_CLEAN


def rules_table(rules: Sequence[RuleMeta]) -> str:
    """Plain aligned columns (for pipes, files and the README)."""
    rows = [("ID", "CWE", "SEVERITY", "TITLE")]
    rows += [(r.id, f"CWE-{r.cwe}", r.severity, r.title) for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + f"  {row[3]}\n"
        for row in rows
    )


def _rich_table(rules: Sequence[RuleMeta]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"secreview rules ({len(rules)})", title_justify="left")
    table.add_column("ID", style="bold", no_wrap=True)
    table.add_column("CWE", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Title")
    colours = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}
    for rule in rules:
        table.add_row(
            rule.id, f"CWE-{rule.cwe}", f"[{colours[rule.severity]}]{rule.severity}[/]", rule.title
        )
    Console().print(table)


def _explain(rule_id: str) -> int:
    from secreview.rules import all_rules

    rules = all_rules()
    meta = rules.get(rule_id)
    if meta is None:
        raise UsageError(f"unknown rule id {rule_id!r}{_suggest(rule_id, list(rules))}")
    sys.stdout.write(explain_text(meta))
    return EXIT_CLEAN


def explain_text(meta: RuleMeta) -> str:
    """A rule's full documentation, as `secreview rules explain ID` prints it."""
    import textwrap

    from secreview import cwe

    def para(text: str) -> str:
        return "\n".join(
            textwrap.fill(p, width=88, initial_indent="  ", subsequent_indent="  ")
            for p in text.split("\n")
        )

    kind = "taint (source-to-sink data flow)" if meta.kind == "taint" else "pattern (API misuse)"
    lines = [
        f"{meta.id}: {meta.title}",
        "",
        f"  CWE:        {cwe.label(meta.cwe)}",
        f"              {cwe.url(meta.cwe)}",
        f"  Severity:   {meta.severity} (confidence {meta.confidence})",
        f"  Kind:       {kind}",
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
    if meta.references:
        lines += ["", "References", *(f"  - {ref}" for ref in meta.references)]
    return "\n".join(lines) + "\n"
