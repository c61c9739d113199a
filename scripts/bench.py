"""Benchmarks (not tests): print numbers for `make bench`.

check: a synthetic repository of 10,000 records (cases, members, meetings) made from
the sample data, valid as a real one would be: each copied case and meeting cites an
SMEWG document of its own (serials 100-999 of SMEWG60 and SMEWG61, the sessions the
sample data records: 400 meetings, 1,400 cases, the rest members). Copies sharing one
approval made the benchmark time 7,000 SM622 warnings, each a second parse of its file.
Prints the wall time of `smesa check` (a real process, as CI runs it), the time to
merely parse the same files with PyYAML's C loader, and their ratio. Targets: under 2 s
and a ratio under 1.5.

site: a synthetic repository of 300 members and 600 cases (the sample data plus copies
of its active members and published cases, renumbered, all valid and in both languages)
with the site sources (mkdocs.yml, hand-written content/, overrides/, hooks/); prints
- the full build: `smesa build` (validation, generation, MkDocs, Pagefind) from a clean
  checkout, i.e. without generated pages, as CI builds;
- MkDocs alone on the Markdown that build generated, with the smesa hook removed from a
  copy of mkdocs.yml, then Pagefind's command line on its output (`pagefind --site`,
  which builds the same index the full build builds in parts: Pagefind is in both);
- their ratio (target < 1.15), of the medians and of the best runs: the two builds run
  in turns, five times each by default, because a shared machine's speed varies by half
  from one minute to the next (the best run is the least disturbed one);
- the home page weight (target < 150 KB) and the bytes of the first search on the search
  page (target < 250 KB), both measured in headless Chromium: every response the page
  loads (HTML, CSS, JS, images, Pagefind's index, fragments and WebAssembly), each body
  counted as gzip -6 compresses it or as it is when that is smaller (Pagefind's files
  are gzip-compressed already). KB = 1,000 bytes.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SMESA = [sys.executable, "-m", "smesa.cli"]
TODAY = "2026-11-26"
sys.path.insert(0, str(ROOT / "tests"))


def _template(path: str) -> str:
    return (ROOT / path).read_text("utf-8")


# SMEWG documents for the copies, each cited once: (session, date of its decisions) with
# the serials the sample data leaves free. A meeting (held 2025-09-16) needs SMEWG60's.
SESSIONS = [("SMEWG60", "2025-05-13"), ("SMEWG61", "2025-10-21")]
SERIALS = range(100, 1000)
MAX_APPROVED = len(SESSIONS) * len(SERIALS)
MAX_MEETINGS = 400
_OWN_APPROVAL = re.compile(r"^(approval:\n  smewg:\n    date: ).*\n(    ref: ).*$", re.M)


def _documents() -> Iterator[tuple[str, str]]:
    """(date, reference) of SMEWG documents nobody else cites, in session order."""
    for session, date in SESSIONS:
        for serial in SERIALS:
            yield date, f"{date[:4]}/{session}/{serial:03d}"


def make_check_repository(target: Path, members: int, cases: int, meetings: int) -> int:
    """The sample data plus synthetic copies of its records; returns the record count."""
    shutil.copytree(ROOT / "data", target / "data")
    shipped = sum(1 for _ in (target / "data").rglob("*.yml"))
    member_src = _template("data/members/yongjiang-sme-service-centre.yml")
    case_src = _template("data/cases/2025/yongjiang-sme-financing-fast-track.yml")
    meeting_src = _template("data/meetings/plenary-2025.yml")
    for i in range(members):
        name = f"member-{i:05d}"
        text = member_src.replace("id: yongjiang-sme-service-centre", f"id: {name}")
        (target / "data" / "members" / f"{name}.yml").write_text(text, "utf-8")
    documents = _documents()
    for i in range(meetings):
        name = f"meeting-{i:05d}"
        date, ref = next(documents)
        text = meeting_src.replace("id: plenary-2025", f"id: {name}")
        text = _OWN_APPROVAL.sub(rf"\g<1>{date}\n\g<2>{ref}", text)
        (target / "data" / "meetings" / f"{name}.yml").write_text(text, "utf-8")
    for i in range(cases):
        name = f"case-{i:05d}"
        member = f"member-{i % members:05d}"
        date, ref = next(documents)
        published = "2025-06-18" if date < "2025-06-18" else "2025-11-03"
        text = (
            case_src.replace("id: yongjiang-sme-financing-fast-track", f"id: {name}")
            .replace("member: yongjiang-sme-service-centre", f"member: {member}")
            .replace("date: 2025-05-13", f"date: {date}")
            .replace("ref: 2025/SMEWG60/011", f"ref: {ref}")
            .replace("published: 2025-06-18", f"published: {published}")
        )
        (target / "data" / "cases" / "2025" / f"{name}.yml").write_text(text, "utf-8")
    return shipped + members + cases + meetings


def time_check(root: Path, runs: int) -> tuple[float, str]:
    times, last = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [*SMESA, "check", "--today", TODAY],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
        last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    return statistics.median(times), last


def time_parse(root: Path, runs: int) -> float:
    files = sorted((root / "data").rglob("*.yml"))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for path in files:
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_check(records: int, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="smesa-bench-") as tmp:
        root = Path(tmp)
        meetings = min(MAX_MEETINGS, records // 10)
        cases = min(MAX_APPROVED - meetings, records // 2)
        shipped = sum(1 for _ in (ROOT / "data").rglob("*.yml"))
        members = records - cases - meetings - shipped
        count = make_check_repository(root, members, cases, meetings)
        size = sum(p.stat().st_size for p in (root / "data").rglob("*.yml"))
        check_s, summary = time_check(root, runs)
        parse_s = time_parse(root, runs)
        print(f"check benchmark: {count:,} records, {size / 1e6:.1f} MB of YAML")
        print(f"  smesa check (wall, median of {runs}): {check_s:.2f} s  [{summary}]")
        print(f"  PyYAML CSafeLoader parse only:       {parse_s:.2f} s")
        print(f"  ratio check / parse:                 {check_s / parse_s:.2f}")
        print("  targets: check < 2 s, ratio < 1.5")


# -- site ------------------------------------------------------------------------------

SITE_TARGETS = {"ratio": 1.15, "home_kb": 150, "search_kb": 250}


def _renumber(record: dict, text_keys: tuple[str, ...], suffix: str) -> None:
    """Make the texts under `text_keys` unique; keep their translation fingerprints valid."""
    from smesa.data.texts import fingerprint

    for key in text_keys:
        text = record[key]
        text["en"] = f"{text['en']} {suffix}"
        text["zh"] = f"{text['zh']} {suffix}"
        if "zh_source" in text:
            text["zh_source"] = fingerprint(text["en"])


def _records(folder: Path, keep) -> list[tuple[Path, dict]]:
    found = [(p, yaml.safe_load(p.read_text("utf-8"))) for p in sorted(folder.rglob("*.yml"))]
    return [(p, r) for p, r in found if keep(r)]


def make_site_repository(target: Path, members: int, cases: int) -> tuple[int, int]:
    """The site sources and sample data plus renumbered copies of its active members and
    published cases; returns the member and published case counts."""
    from browser.local_site import copy_site_sources

    copy_site_sources(ROOT, target)
    data = target / "data"
    member_src = _records(data / "members", lambda r: r["status"] == "active")
    case_src = _records(data / "cases", lambda r: r["status"] == "published")
    shipped_members = len(list((data / "members").glob("*.yml")))
    new_members = max(0, members - shipped_members)
    for i in range(new_members):
        record = copy.deepcopy(member_src[i % len(member_src)][1])
        record["id"] = f"member-{i:04d}"
        _renumber(record, ("name",), f"{i:04d}")
        _write_yaml(data / "members" / f"{record['id']}.yml", record)
    serials: dict[str, Iterator[int]] = {}
    for i in range(max(0, cases - len(case_src))):
        source, original = case_src[i % len(case_src)]
        record = copy.deepcopy(original)
        record["id"] = f"case-{i:04d}"
        if new_members:
            record["member"] = f"member-{i % new_members:04d}"
        _renumber(record, ("title",), f"{i:04d}")
        _own_document(record, serials)
        _write_yaml(source.parent / f"{record['id']}.yml", record)
    published = len(_records(data / "cases", lambda r: r["status"] == "published"))
    return len(list((data / "members").glob("*.yml"))), published


def _own_document(record: dict, serials: dict[str, Iterator[int]]) -> None:
    """Give a copied case an SMEWG document of its own, of the session and date its
    original's approval names (one reference shared by two outputs is SM622)."""
    smewg = (record.get("approval") or {}).get("smewg")
    if not smewg:
        return
    year, session, _ = str(smewg["ref"]).split("/")
    serial = next(serials.setdefault(session, iter(SERIALS)))
    smewg["ref"] = f"{year}/{session}/{serial:03d}"


def _write_yaml(path: Path, record: dict) -> None:
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")


def without_hook(config: Path) -> Path:
    """A copy of mkdocs.yml without the `hooks:` section (the smesa hook)."""
    lines, skipping = [], False
    for line in config.read_text("utf-8").splitlines(keepends=True):
        if line.startswith("hooks:"):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "-")) or not line.strip()):
            continue
        skipping = False
        lines.append(line)
    copy_path = config.with_name("mkdocs-nohook.yml")
    copy_path.write_text("".join(lines), "utf-8")
    if "hooks/" in copy_path.read_text("utf-8"):
        raise SystemExit(f"{config}: could not remove the hooks section")
    return copy_path


def remove_generated(root: Path) -> None:
    """Delete the generated pages and charts, as in a fresh checkout (they are git-ignored)."""
    from smesa.site.generate import MANIFEST

    content = root / "content"
    manifest = content / MANIFEST
    if manifest.is_file():
        for rel in json.loads(manifest.read_text("utf-8")):
            (content / rel).unlink(missing_ok=True)
        manifest.unlink()


def _run(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-4000:]}")
    return elapsed


def _children_cpu() -> float:
    """CPU seconds (user and system) of every child process ended so far, theirs too."""
    import resource  # not on Windows, whose builds run inline anyway

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_site_builds(
    root: Path, runs: int
) -> tuple[list[float], list[float], list[float], list[float], Path]:
    """Wall times of the full build and of MkDocs + Pagefind without the hook, run in
    turns, each first every other time (so that a slow spell of a shared machine, or the
    disk still writing out the previous build, hits both alike), and the CPU time of
    each. The first turn builds first: the bare build needs the Markdown it generates."""
    from smesa.site import pagefind

    bare_config = without_hook(root / "mkdocs.yml")
    bare_site = root / "site-nohook"

    def full_build() -> float:
        remove_generated(root)
        shutil.rmtree(root / "site", ignore_errors=True)
        os.sync()
        return _run([*SMESA, "build", "--today", TODAY], root)

    def bare_build() -> float:
        shutil.rmtree(bare_site, ignore_errors=True)
        os.sync()
        mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(bare_config)]
        return _run([*mkdocs, "-d", str(bare_site)], root) + _run(pagefind.command(bare_site), root)

    def timed(build: Callable[[], float], walls: list[float], cpus: list[float]) -> None:
        cpu = _children_cpu()
        walls.append(build())
        cpus.append(_children_cpu() - cpu)

    full, bare, full_cpu, bare_cpu = [], [], [], []
    for turn in range(runs):
        if turn % 2:
            timed(bare_build, bare, bare_cpu)
            timed(full_build, full, full_cpu)
        else:
            timed(full_build, full, full_cpu)
            timed(bare_build, bare, bare_cpu)
    return full, bare, full_cpu, bare_cpu, root / "site"


def compressed_size(body: bytes) -> int:
    """What a server sends: gzip -6, unless the body is already compressed."""
    return min(len(body), len(gzip.compress(body, compresslevel=6)))


def page_transfer(site: Path, path: str, query: str | None = None) -> dict[str, tuple[int, int]]:
    """Responses Chromium gets loading `path` (and, with `query`, running one search in the
    Pagefind UI): resource type -> (count, compressed bytes)."""
    from browser.local_site import launch_chromium, serve
    from playwright.sync_api import sync_playwright

    sizes: dict[str, tuple[int, int]] = {}
    with serve(site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context()
        responses = []
        # A lambda: Playwright cannot register a bound builtin such as list.append.
        context.on("response", lambda response: responses.append(response))  # noqa: PLW0108
        page = context.new_page()
        page.goto(base + path, wait_until="networkidle")
        if query is not None:
            page.fill(".pagefind-ui__search-input", query)
            page.wait_for_selector(".pagefind-ui__result-link")
            page.wait_for_load_state("networkidle")
        for response in responses:
            if not response.url.startswith(base + "/"):
                raise SystemExit(f"third-party request: {response.url}")
            kind = response.request.resource_type
            if kind == "fetch" and "/pagefind/" in response.url:
                kind = "pagefind data"  # index, fragments, WebAssembly
            count, total = sizes.get(kind, (0, 0))
            sizes[kind] = (count + 1, total + compressed_size(response.body()))
        browser.close()
    return sizes


def _kb(size: int) -> str:
    return f"{size / 1000:.1f} KB"


def _print_transfer(title: str, sizes: dict[str, tuple[int, int]], target: int) -> None:
    total = sum(size for _, size in sizes.values())
    requests = sum(count for count, _ in sizes.values())
    print(f"  {title}: {_kb(total)} in {requests} requests   (target < {target} KB)")
    for kind, (count, size) in sorted(sizes.items(), key=lambda item: -item[1][1]):
        print(f"      {kind:<15} {count:>3} requests  {_kb(size):>10}")


def bench_site(members: int, cases: int, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="smesa-bench-site-") as tmp:
        root = Path(tmp)
        member_count, case_count = make_site_repository(root, members, cases)
        full, bare, full_cpu, bare_cpu, site = time_site_builds(root, runs)
        pages = sum(1 for _ in site.rglob("*.html"))
        print(
            f"site benchmark: {member_count} members, {case_count} published cases, "
            f"{pages:,} HTML pages (both languages), {runs} runs of each build in turns"
        )
        full_s, bare_s = statistics.median(full), statistics.median(bare)
        for title, median, best in (
            ("full build (smesa build)", full_s, min(full)),
            ("MkDocs without the hook + Pagefind", bare_s, min(bare)),
        ):
            print(f"  {title + ':':<37}median {median:6.2f} s, best {best:6.2f} s")
        turns = statistics.median(f / b for f, b in zip(full, bare, strict=True))
        print(
            f"  ratio full / without hook:           median {full_s / bare_s:6.2f},   "
            f"best {min(full) / min(bare):6.2f},   median of the turns {turns:6.2f}"
            f"   (target < {SITE_TARGETS['ratio']})"
        )
        print(
            "  each run (full / without hook): "
            + ", ".join(f"{f:.1f}/{b:.1f}" for f, b in zip(full, bare, strict=True))
        )
        print(
            f"  CPU time, every process:             median {statistics.median(full_cpu):6.1f} s"
            f" against {statistics.median(bare_cpu):.1f} s (the work the hook adds, which the"
            " second core mostly absorbs)"
        )
        _print_transfer("home page /", page_transfer(site, "/"), SITE_TARGETS["home_kb"])
        for path, query in (("/search/", "export"), ("/zh/search/", "出口")):
            sizes = page_transfer(site, path, query)
            _print_transfer(f"first search {path} {query!r}", sizes, SITE_TARGETS["search_kb"])


PARTS = ("check", "site")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "parts", nargs="*", metavar="PART", help=f"{' or '.join(PARTS)} (default: all)"
    )
    parser.add_argument("--records", type=int, default=10_000, help="check: records")
    parser.add_argument("--members", type=int, default=300, help="site: members")
    parser.add_argument("--cases", type=int, default=600, help="site: published cases")
    parser.add_argument("--runs", type=int, default=3, help="check: timed runs (median)")
    parser.add_argument("--site-runs", type=int, default=5, help="site: runs of each build")
    args = parser.parse_args()
    parts = args.parts or PARTS
    if unknown := sorted(set(parts) - set(PARTS)):
        parser.error(f"unknown part {', '.join(unknown)}: choose from {', '.join(PARTS)}")
    if "check" in parts:
        bench_check(args.records, args.runs)
    if "site" in parts:
        bench_site(args.members, args.cases, args.site_runs)


if __name__ == "__main__":
    main()
