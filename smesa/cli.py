"""The `smesa` command: check the data, export schemas, list the rules.

Exit codes: 0 no error (warnings allowed), 1 errors found, 2 usage error. No input
makes it print a traceback: bad content is a finding, a bad call is a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A call the command cannot carry out: reported in one line, exit 2."""


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value!r}") from None


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of 1 or more: {value!r}")
    return int(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smesa", description="APEC SME Service Alliance content tools."
    )
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="repository root (default: current folder)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="validate the data against the models and the ToR")
    check.add_argument("files", nargs="*", type=Path, help="report only on these files")
    check.add_argument("--format", choices=("text", "github", "json"), default="text")
    check.add_argument(
        "--today", type=_date, default=None, help="date to check against (default: today)"
    )
    check.add_argument(
        "--changed-since",
        metavar="REF",
        help="annotate (github format) only lines changed since the merge base with REF",
    )
    check.add_argument(
        "--summary",
        type=Path,
        metavar="FILE",
        help="also append the full report as Markdown to FILE (e.g. $GITHUB_STEP_SUMMARY)",
    )
    check.add_argument(
        "--jobs", type=_positive, default=None, help="processes for parsing (default: cores)"
    )

    schema = sub.add_parser("schema", help="write the JSON Schemas to schema/")
    schema.add_argument(
        "--check", action="store_true", help="exit 1 if schema/ differs from the models"
    )

    sub.add_parser("rules", help="list the rules with their ids and ToR clauses")

    build = sub.add_parser(
        "build", help="validate, build the site and publish it as site/ (atomically)"
    )
    build.add_argument(
        "--today", type=_date, default=None, help="date to check against (default: today)"
    )
    build.add_argument("--verbose", action="store_true", help="show MkDocs' progress")
    return parser


def _relative(root: Path, files: Sequence[Path]) -> set[str]:
    wanted = set()
    base = root.resolve()
    for file in files:
        resolved = file.resolve()
        if not resolved.is_file():
            raise UsageError(f"no such file: {file}")
        try:
            wanted.add(resolved.relative_to(base).as_posix())
        except ValueError:
            raise UsageError(f"{file} is outside the repository {root}") from None
    return wanted


def changed_lines(root: Path, ref: str) -> frozenset[tuple[str, int]]:
    """(path, line) of every line added or changed since the merge base with `ref`."""
    from smesa.gitdiff import ChangedLinesError
    from smesa.gitdiff import changed_lines as lines

    try:
        return lines(root, ref)
    except ChangedLinesError as error:
        raise UsageError(str(error)) from None


def _check(args: argparse.Namespace) -> int:
    from smesa.config import site_url
    from smesa.engine import run_rules
    from smesa.output import FORMATS, Report, markdown
    from smesa.repository import DATA_DIR, load_repository

    root: Path = args.root
    if not (root / DATA_DIR).is_dir():
        raise UsageError(f"no {DATA_DIR}/ folder in {root.resolve()}: run from the repository root")
    wanted = _relative(root, args.files)
    repo = load_repository(root, args.today, jobs=args.jobs)
    findings = run_rules(repo)
    files = len(repo.sources) + len(repo.misplaced)
    if wanted:
        findings = [f for f in findings if f.path in wanted]
        files = len(wanted)
    annotate = changed_lines(root, args.changed_since) if args.changed_since else None
    report = Report(findings, files, site_url(root), annotate)
    out = sys.stdout
    for line in FORMATS[args.format](report):
        out.write(line + "\n")
    if args.summary:
        with args.summary.open("a", encoding="utf-8") as summary:
            summary.write(markdown(report))
    return EXIT_ERRORS if any(f.is_error for f in findings) else EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from smesa.schema import SCHEMA_DIR, stale_schemas, write_schemas

    if args.check:
        stale = stale_schemas(args.root)
        for name in stale:
            print(f"{SCHEMA_DIR}/{name}: differs from the models (run 'smesa schema')")
        return EXIT_ERRORS if stale else EXIT_OK
    changed = write_schemas(args.root)
    print(f"{len(changed)} schema file(s) written to {SCHEMA_DIR}/")
    return EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    from smesa.rules.registry import rules

    for rule in rules():
        print(
            f"{rule.id}  {rule.alias:<28} {rule.severity:<7} {rule.clause.section:<10} {rule.title}"
        )
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import MkDocsException

    from smesa.repository import DATA_DIR
    from smesa.site.build import CONFIG_FILE, SITE_DIR, build_site

    root: Path = args.root
    for needed in (DATA_DIR, CONFIG_FILE):
        if not (root / needed).exists():
            raise UsageError(f"no {needed} in {root.resolve()}: run from the repository root")
    try:
        site = build_site(root, today=args.today, verbose=args.verbose)
    except MkDocsException as error:  # includes Abort; the details are printed above
        print(f"smesa: {error.format_message()}; {SITE_DIR}/ is unchanged", file=sys.stderr)
        return EXIT_ERRORS
    print(f"site built and published to {site}")
    return EXIT_OK


COMMANDS = {"check": _check, "schema": _schema, "rules": _rules, "build": _build}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(f"smesa: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """Console entry point: exits without tearing down what the check loaded.

    Freeing millions of loaded objects one by one at exit takes longer than many rules;
    the operating system reclaims the memory at once (mypy does the same).
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `smesa check | head`: the reader has gone, nothing to say
        pass
    os._exit(code)


if __name__ == "__main__":
    run()
