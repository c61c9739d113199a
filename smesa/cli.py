"""The `smesa` command: check the data, export schemas, list the rules.

Exit codes: 0 no error (warnings allowed), 1 errors found (or the output could not be
written: a closed pipe, a full disk), 2 usage error. No input makes it print a
traceback: bad content is a finding, a bad call is a usage error, a file the system
refuses is one line naming it.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import errno
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


# The facts `smesa new` takes as options (smesa.tools.scaffold.QUESTIONS; a test keeps the two
# in step). Listed here so that building the parser imports nothing heavy: every command,
# `smesa check` included, builds it.
NEW_OPTIONS = (
    "admission_ref",
    "date",
    "economy",
    "head_en",
    "id",
    "joined",
    "member",
    "mode",
    "name_en",
    "name_zh",
    "title_en",
    "title_zh",
    "topics",
    "type",
    "year",
)


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
        "--lang",
        choices=("en", "zh"),
        default=None,
        help="language of messages and hints (default: from LANG; zh_* gives Chinese)",
    )

    schema = sub.add_parser("schema", help="write the JSON Schemas to schema/")
    schema.add_argument(
        "--check", action="store_true", help="exit 1 if schema/ differs from the models"
    )

    sub.add_parser("rules", help="list the rules with their ids and ToR clauses")

    new = sub.add_parser("new", help="start a new record file (case, member, meeting)")
    new.add_argument("kind", choices=("case", "member", "meeting"))
    for option in NEW_OPTIONS:
        new.add_argument("--" + option.replace("_", "-"), dest=option, default=None)

    fmt = sub.add_parser("fmt", help="normalise data files (never changes their values)")
    fmt.add_argument("files", nargs="*", type=Path, help="only these files (default: data/)")
    fmt.add_argument("--check", action="store_true", help="change nothing; exit 1 if needed")

    i18n = sub.add_parser("i18n", help="translation coverage, missing and stale texts")
    i18n.add_argument("files", nargs="*", type=Path, help="only these files (default: data/)")
    i18n.add_argument(
        "--public", action="store_true", help="only published records (drafts are counted)"
    )
    i18n.add_argument(
        "--stamp",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="record that the Chinese of these files matches their current English",
    )

    forms = sub.add_parser(
        "forms", help="write the GitHub issue forms of .github/ISSUE_TEMPLATE/ from data/"
    )
    forms.add_argument("--check", action="store_true", help="exit 1 if the forms differ from data/")

    intake = sub.add_parser(
        "intake", help="turn a submitted issue form into a record file, checked"
    )
    source = intake.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--event", type=Path, metavar="FILE", help="GitHub event payload ($GITHUB_EVENT_PATH)"
    )
    source.add_argument("--body-file", type=Path, metavar="FILE", help="the issue body")
    intake.add_argument("--kind", choices=("case", "member", "meeting"), default=None)
    intake.add_argument("--issue", type=int, default=None, help="issue number (for the texts)")
    intake.add_argument(
        "--comment", type=Path, metavar="FILE", help="write the reply to post on the issue"
    )
    intake.add_argument(
        "--pr-body", type=Path, metavar="FILE", help="write the pull request's description"
    )
    intake.add_argument(
        "--outputs", type=Path, metavar="FILE", help="append path=, errors= ($GITHUB_OUTPUT)"
    )
    intake.add_argument(
        "--today", type=_date, default=None, help="date to check against (default: today)"
    )

    build = sub.add_parser(
        "build", help="validate, build the site and publish it as site/ (atomically)"
    )
    build.add_argument(
        "--today", type=_date, default=None, help="date to check against (default: today)"
    )
    build.add_argument("--verbose", action="store_true", help="show MkDocs' progress")
    build.add_argument(
        "--preview",
        action="store_true",
        help="include drafts, submitted and approved records, each page marked as a preview "
        "(a pull request's preview; never to publish)",
    )

    report = sub.add_parser(
        "report", help="write the annual report of YEAR (CSV, PDF, Markdown, HTML, charts)"
    )
    report.add_argument("year", type=int, metavar="YEAR", help="a year of the term, e.g. 2025")
    report.add_argument(
        "--out", type=Path, default=None, help="output folder (default: reports/YEAR/)"
    )
    report.add_argument(
        "--today", type=_date, default=None, help="date the figures stop at (default: today)"
    )

    status = sub.add_parser(
        "status", help="governance dashboard: what is due, overdue and awaiting approval"
    )
    status.add_argument("--today", type=_date, default=None, help="as of (default: today)")
    status.add_argument("--format", choices=("text", "json"), default="text")

    links = sub.add_parser(
        "links", help="check the built site's internal links and third-party requests"
    )
    links.add_argument(
        "site", nargs="?", type=Path, default=None, help="built site folder (default: site/)"
    )
    links.add_argument(
        "--site-url", default=None, help="URL the site is served at (default: mkdocs.yml's)"
    )
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
    from smesa.check.gitdiff import ChangedLinesError
    from smesa.check.gitdiff import changed_lines as lines

    if ref.startswith("-"):  # git would read it as an option (--output=FILE writes a file)
        raise UsageError(f"--changed-since takes a git ref, not an option: {ref!r}")
    try:
        return lines(root, ref)
    except ChangedLinesError as error:
        raise UsageError(str(error)) from None


def _check(args: argparse.Namespace) -> int:
    return check(
        args.root,
        args.files,
        output=args.format,
        today=args.today,
        changed_since=args.changed_since,
        summary_file=args.summary,
        lang=args.lang,
    )


def check(
    root: Path,
    files: list[Path],
    *,
    output: str = "text",
    today: dt.date | None = None,
    changed_since: str | None = None,
    summary_file: Path | None = None,
    lang: str | None = None,
) -> int:
    """`smesa check`: print the findings on `files` (all when empty); the exit code."""
    from smesa.check import translate
    from smesa.check.engine import run_rules
    from smesa.check.output import FORMATS, Report, markdown
    from smesa.data.config import site_url
    from smesa.data.repository import DATA_DIR, load_repository

    if not (root / DATA_DIR).is_dir():
        raise UsageError(f"no {DATA_DIR}/ folder in {root.resolve()}: run from the repository root")
    wanted = _relative(root, files)
    summary = _open_summary(summary_file) if summary_file else None
    repo = load_repository(root, today)
    findings = run_rules(repo)
    checked = len(repo.sources) + len(repo.misplaced)
    if wanted:
        findings = [f for f in findings if f.path in wanted]
        checked = len(wanted)
    annotate = changed_lines(root, changed_since) if changed_since else None
    lang = lang or translate.language_from_environment()
    report = Report(translate.findings(findings, lang), checked, site_url(root), annotate, lang)
    out = sys.stdout
    for line in FORMATS[output](report):
        out.write(line + "\n")
    if summary is not None:
        try:
            with summary:
                summary.write(markdown(report))
        except OSError as error:  # write() names no file: name it
            raise OSError(error.errno, _reason(error), str(summary_file)) from None
    return EXIT_ERRORS if any(f.is_error for f in findings) else EXIT_OK


def _open_summary(path: Path):
    """The summary file, opened before the check runs, so that a path that cannot take
    it (a folder, a missing folder) is refused before any output."""
    try:
        return path.open("a", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write the summary to {path}: {_reason(error)}") from None


def _schema(args: argparse.Namespace) -> int:
    from smesa.data.schema import SCHEMA_DIR, stale_schemas, write_schemas

    if args.check:
        stale = stale_schemas(args.root)
        for name in stale:
            print(f"{SCHEMA_DIR}/{name}: differs from the models (run 'smesa schema')")
        return EXIT_ERRORS if stale else EXIT_OK
    changed = write_schemas(args.root)
    print(f"{len(changed)} schema file(s) written to {SCHEMA_DIR}/")
    return EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    from smesa.check.rules import RULES

    for rule in RULES:
        print(
            f"{rule.id}  {rule.alias:<28} {rule.severity:<7} {rule.clause.section:<10} {rule.title}"
        )
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import MkDocsException

    from smesa.data.repository import DATA_DIR
    from smesa.site.build import CONFIG_FILE, SITE_DIR, build_site

    root: Path = args.root
    for needed in (DATA_DIR, CONFIG_FILE):
        if not (root / needed).exists():
            raise UsageError(f"no {needed} in {root.resolve()}: run from the repository root")
    try:
        site = build_site(root, today=args.today, verbose=args.verbose, preview=args.preview)
    except MkDocsException as error:  # includes Abort; the details are printed above
        print(f"smesa: {error.format_message()}; {SITE_DIR}/ is unchanged", file=sys.stderr)
        return EXIT_ERRORS
    if args.preview:
        print(f"preview built in {site}: it shows unpublished records; do not publish it")
    else:
        print(f"site built and published to {site}")
    return EXIT_OK


def _ask(prompt: str, default: str | None) -> str:
    """The answer; asked again while empty where there is no default (EOFError once input
    ends): the defaults of later questions derive from such answers."""
    shown = f" [{default}]" if default else ""
    while True:
        try:
            answer = input(f"{prompt}{shown}: ").strip()
        except OSError:  # the terminal was closed (EIO): input ended too
            raise EOFError from None
        if answer or default is not None:
            return answer


def _data_files(root: Path, files: Sequence[Path]) -> list[str]:
    from smesa.data.repository import DATA_DIR, data_files

    if not (root / DATA_DIR).is_dir():
        raise UsageError(f"no {DATA_DIR}/ folder in {root.resolve()}: run from the repository root")
    if files:
        return sorted(_relative(root, files))
    return [rel for rel in data_files(root) if rel.endswith(".yml")]


def _new(args: argparse.Namespace) -> int:
    from smesa.data.repository import load_repository
    from smesa.tools.scaffold import QUESTIONS, ScaffoldError, collect, write

    root: Path = args.root
    given = {q.name: getattr(args, q.name) for q in QUESTIONS[args.kind]}
    interactive = sys.stdin is not None and sys.stdin.isatty()
    if not interactive:
        # Named here, before the defaults that derive from them are computed.
        missing = [
            q.name for q in QUESTIONS[args.kind] if given[q.name] is None and q.default({}) is None
        ]
        if missing:
            flags = ", ".join("--" + name.replace("_", "-") for name in missing)
            raise UsageError(f"missing {flags} (or run in a terminal to be asked)")
    repo = load_repository(root)
    try:
        facts = collect(
            args.kind,
            given,
            _ask if interactive else None,
            repo,
            lambda line: print(line, file=sys.stderr),
        )
        rel = write(root, args.kind, facts, repo)
    except ScaffoldError as error:
        raise UsageError(str(error)) from None
    except EOFError:
        raise UsageError("input ended before every question was answered") from None
    print(f"wrote {rel}")
    return check(root, [root / rel])


def _forms(args: argparse.Namespace) -> int:
    from smesa.tools.forms import FORMS_DIR, stale_forms, write_forms

    repo = _loaded(args, today=False)
    if args.check:
        stale = stale_forms(args.root, repo)
        for rel in stale:
            print(f"{rel}: differs from data/ (run 'smesa forms')")
        return EXIT_ERRORS if stale else EXIT_OK
    changed = write_forms(args.root, repo)
    print(f"{len(changed)} issue form(s) written to {FORMS_DIR}/")
    return EXIT_OK


def _intake(args: argparse.Namespace) -> int:
    """Exit 0 when the form was handled (a record written, or the reasons why not in
    --comment), so that the workflow posts the reply either way; 2 for a wrong call."""
    from smesa.check import translate
    from smesa.check.engine import count, run_rules
    from smesa.check.output import Report, markdown
    from smesa.data.config import secretariat_reference, site_url
    from smesa.data.repository import load_repository
    from smesa.tools import forms
    from smesa.tools.intake import IntakeError, body_from_event, intake

    root: Path = args.root
    _loaded(args, today=False)
    number = args.issue
    try:
        if args.event is not None:
            body, number = body_from_event(args.event)
            number = args.issue or number
        else:
            body = args.body_file.read_text("utf-8", errors="replace")
        result = intake(body, load_repository(root), root, args.kind)
        problems = result.problems
    except IntakeError as error:
        result, problems = None, [str(error)]
    issue = str(number) if number is not None else "?"
    if problems:
        listed = "\n".join(f"- {p}" for p in problems)
        for line in problems:
            print(f"smesa intake: {line}", file=sys.stderr)
        _write_text(args.comment, forms.message("refused", problems=listed))
        _append_outputs(args.outputs, path="", errors="0")
        return EXIT_OK
    assert result is not None
    target = root / result.path
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as out:  # never overwrites
        out.write(result.text)
    print(f"wrote {result.path}")
    repo = load_repository(root, args.today)
    findings = [f for f in run_rules(repo) if f.path == result.path]
    report = Report(findings, 1, site_url(root))
    errors, _ = count(findings)
    details = markdown(report)
    summary_zh = Report(findings, 1, lang="zh").summary()
    written = forms.message(
        "written", path=result.path, summary=report.summary(), summary_zh=summary_zh
    )
    for f in findings:
        if f.rule == "SM623" and f.message.endswith("with no admission record"):
            labels = {field.key: field.label for field in forms.fields("member")}
            written += "\n" + forms.message(
                "admission_needed",
                where=f"{f.path}:{f.line}:{f.column}",
                path=result.path,
                ref_label=labels["admission.ref"],
                date_label=labels["admission.date"],
                label=forms.accepted_label(),
                form=secretariat_reference(root).form,
            )
    # The findings in Chinese too, for contributors who read it better (as --lang zh).
    chinese = Report(translate.findings(findings, "zh"), 1, site_url(root), lang="zh")
    in_chinese = markdown(chinese) if findings else ""
    _write_text(args.comment, written + "\n" + details + ("\n" + in_chinese if in_chinese else ""))
    _write_text(
        args.pr_body,
        forms.message("pull_request", kind=result.kind, issue=issue, findings=details),
    )
    _append_outputs(args.outputs, path=result.path, errors=str(errors))
    for line in details.splitlines()[:1]:
        print(line)
    return EXIT_OK


def _write_text(path: Path | None, text: str) -> None:
    if path is not None:
        path.write_text(text, encoding="utf-8")


def _append_outputs(target: Path | None, **values: str) -> None:
    """`name=value` lines for $GITHUB_OUTPUT; values are paths and numbers we made,
    never text from the form (a newline there could set other outputs)."""
    if target is None:
        return
    with target.open("a", encoding="utf-8") as out:
        for name, value in values.items():
            assert "\n" not in value and "\r" not in value
            out.write(f"{name}={value}\n")


def _fmt(args: argparse.Namespace) -> int:
    from smesa.tools.fmt import rewrite

    root: Path = args.root
    outcomes = [rewrite(root, rel, check_only=args.check) for rel in _data_files(root, args.files)]
    changed = [o for o in outcomes if o.status == "changed"]
    refused = [o for o in outcomes if o.status == "refused"]
    verb = "would reformat" if args.check else "reformatted"
    for outcome in changed:
        moved = f" -> {outcome.renamed_to}" if outcome.renamed_to else ""
        print(f"{verb} {outcome.path}{moved}")
    for outcome in refused:
        print(f"{outcome.path}: not formatted: {outcome.detail}", file=sys.stderr)
    print(
        f"{len(changed)} {verb}, {len(outcomes) - len(changed) - len(refused)} unchanged, "
        f"{len(refused)} refused"
    )
    return EXIT_ERRORS if refused or (args.check and changed) else EXIT_OK


def _i18n(args: argparse.Namespace) -> int:
    from smesa.data.repository import dotted, load_repository
    from smesa.tools.translations import coverage, stamp, summary_counts

    root: Path = args.root
    if args.stamp:
        for rel in _data_files(root, args.stamp):
            outcome = stamp(root, rel)
            print(f"{rel}: {outcome.detail or outcome.status}")
        return EXIT_OK
    wanted = set(_data_files(root, args.files)) if args.files else None
    states = coverage(load_repository(root), public_only=args.public, paths=wanted)
    print(f"{'kind':<12} {'texts':>6} {'zh':>6} {'missing':>8} {'stale':>6} {'unverified':>11}")
    for folder, state in states.items():
        share = f"{100 * state.translated / state.texts:.0f}%" if state.texts else "-"
        print(
            f"{folder:<12} {state.texts:>6} {share:>6} {len(state.missing):>8} "
            f"{len(state.stale):>6} {state.unverified:>11}"
        )
    total = summary_counts(states)
    print(
        f"{'all':<12} {total['texts']:>6} "
        f"{(100 * total['translated'] / total['texts'] if total['texts'] else 0):>5.0f}% "
        f"{total['missing']:>8} {total['stale']:>6} {total['unverified']:>11}"
    )
    for state in states.values():
        for label, items in (("missing", state.missing), ("stale", state.stale)):
            for entry, path in items:
                line, column = entry.source.at((*path, "zh" if label == "stale" else "en"))
                print(f"{entry.source.path}:{line}:{column}: {label} {dotted(path)}.zh")
    return EXIT_OK


def _links(args: argparse.Namespace) -> int:
    from smesa.data.config import site_url
    from smesa.site.build import SITE_DIR
    from smesa.tools.linkcheck import check_site

    root: Path = args.root
    site: Path = args.site if args.site is not None else root / SITE_DIR
    if not (site / "index.html").is_file():
        raise UsageError(f"no built site in {site}: run 'smesa build' first")
    problems = check_site(site, args.site_url or site_url(root) or None)
    for problem in problems:
        print(f"{site.as_posix()}/{problem}")
    kinds = [problem.kind for problem in problems]
    print(
        f"{kinds.count('broken-link')} broken link(s), {kinds.count('missing-anchor')} missing "
        f"anchor(s), {kinds.count('third-party')} third-party request(s) in {site.as_posix()}/"
    )
    return EXIT_ERRORS if problems else EXIT_OK


def _loaded(args: argparse.Namespace, *, today: bool = True):
    from smesa.data.repository import DATA_DIR, load_repository

    root: Path = args.root
    if not (root / DATA_DIR).is_dir():
        raise UsageError(f"no {DATA_DIR}/ folder in {root.resolve()}: run from the repository root")
    repo = load_repository(root, args.today if today else None)
    if not repo.reference_ok:
        raise UsageError("data/reference/ does not load: run 'smesa check' and fix it first")
    return repo


def _report(args: argparse.Namespace) -> int:
    from smesa.check.engine import count, run_rules
    from smesa.check.output import Report, text
    from smesa.data.config import site_url
    from smesa.report.annual import ReportError, annual_report
    from smesa.report.outputs import write_report

    repo = _loaded(args)
    # As the site build does: a report is made from data that passes the check.
    findings = [f for f in run_rules(repo) if f.is_error]
    errors, _ = count(findings)
    if errors:
        files = len(repo.sources) + len(repo.misplaced)
        for line in text(Report(findings, files, site_url(args.root))):
            print(line, file=sys.stderr)
        print(f"smesa: no report written: {errors} error(s) in data/", file=sys.stderr)
        return EXIT_ERRORS
    try:
        report = annual_report(repo, args.year)
    except ReportError as error:
        raise UsageError(str(error)) from None
    out: Path = args.out if args.out is not None else args.root / "reports" / str(args.year)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out must be a folder, and {out} is a file")
    try:
        files = write_report(report, out)
    except ReportError as error:
        print(f"smesa: no report written: {error}", file=sys.stderr)
        return EXIT_ERRORS
    for line in (c.statement for c in report.missed):
        print(f"{args.year}: {line}")
    print(f"annual report {args.year}: {len(files)} file(s) written to {out}")
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    import json

    from smesa.tor.obligations import dashboard, format_text

    board = dashboard(_loaded(args))
    if args.format == "json":
        print(json.dumps(board.to_json(), indent=1, ensure_ascii=False))
    else:
        print(format_text(board))
    return EXIT_OK


COMMANDS = {
    "check": _check,
    "schema": _schema,
    "rules": _rules,
    "build": _build,
    "new": _new,
    "fmt": _fmt,
    "forms": _forms,
    "intake": _intake,
    "i18n": _i18n,
    "links": _links,
    "report": _report,
    "status": _status,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if sys.stdout is None:  # `smesa check >&-`: Python found no file 1
            raise UsageError("standard output is closed: redirect it to a file or /dev/null")
        return COMMANDS[args.command](args)
    except UsageError as error:
        _error(str(error))
        return EXIT_USAGE
    except BrokenPipeError:  # `smesa check | head`: the reader has gone, nothing to say
        return EXIT_ERRORS
    except OSError as error:  # the system refused a file: a full disk, a busy device
        _error(_os_error(error))
        return EXIT_ERRORS
    except KeyboardInterrupt:
        return 130


def _error(message: str) -> None:
    if sys.stderr is not None:
        print(f"smesa: error: {message}", file=sys.stderr)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _os_error(error: OSError) -> str:
    """`cannot write FILE: reason` for a full or read-only disk, else `FILE: reason`
    (without a file: what a write() refused was most likely the output)."""
    refused = error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS)
    path = error.filename2 if refused and error.filename2 is not None else error.filename
    if path is None:
        return f"cannot write the output: {_reason(error)}" if refused else _reason(error)
    where = os.fsdecode(path)
    return f"cannot write {where}: {_reason(error)}" if refused else f"{where}: {_reason(error)}"


def _standard_streams_held() -> None:
    """Hold every closed standard descriptor with /dev/null (as git does): else the next
    file opened takes its number, and whatever writes there writes into that file."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest free number: this one


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    """`\\uXXXX` for each character the encoding lacks (UTF-16 pairs beyond U+FFFF):
    readable in text, and the same string again inside JSON (`--format json`)."""
    assert isinstance(error, UnicodeEncodeError)
    units = error.object[error.start : error.end].encode("utf-16-be", "surrogatepass")
    escaped = "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2))
    return escaped, error.end


def _streams_tolerant() -> None:
    """Text a terminal's encoding cannot show (Chinese under PYTHONIOENCODING=ascii) is
    written escaped, never an error."""
    codecs.register_error("smesa-escape", _json_escape)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="smesa-escape")


def run() -> None:
    """Console entry point: exits without tearing down what the check loaded.

    Freeing millions of loaded objects one by one at exit takes longer than many rules;
    the operating system reclaims the memory at once (mypy does the same).
    """
    _standard_streams_held()
    _streams_tolerant()
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except BrokenPipeError:  # `smesa check | head`: the reader has gone
            code = code or EXIT_ERRORS
        except OSError as error:  # `smesa check > /dev/full`
            if stream is sys.stdout:
                _error(f"cannot write the output: {_reason(error)}")
            code = code or EXIT_ERRORS
    os._exit(code)


if __name__ == "__main__":
    run()
