"""Benchmarks (not tests): print numbers for `make bench`.

check: a synthetic repository of 10,000 records (cases, members, meetings) made from
the sample data; prints the wall time of `smesa check` (a real process, as CI runs
it), the time to merely parse the same files with PyYAML's C loader, and their ratio.
Targets: under 2 s and a ratio under 1.5.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SMESA = [sys.executable, "-m", "smesa.cli"]


def _template(path: str) -> str:
    return (ROOT / path).read_text("utf-8")


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
    for i in range(cases):
        name = f"case-{i:05d}"
        member = f"member-{i % members:05d}"
        text = case_src.replace("id: yongjiang-sme-financing-fast-track", f"id: {name}").replace(
            "member: yongjiang-sme-service-centre", f"member: {member}"
        )
        (target / "data" / "cases" / "2025" / f"{name}.yml").write_text(text, "utf-8")
    for i in range(meetings):
        name = f"meeting-{i:05d}"
        text = meeting_src.replace("id: plenary-2025", f"id: {name}")
        (target / "data" / "meetings" / f"{name}.yml").write_text(text, "utf-8")
    return shipped + members + cases + meetings


def time_check(root: Path, runs: int) -> tuple[float, str]:
    times, last = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [*SMESA, "check", "--today", "2026-11-26"],
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
        members, meetings = records // 5, records // 10
        cases = records - members - meetings - 60  # the sample data brings 60 files
        count = make_check_repository(root, members, cases, meetings)
        size = sum(p.stat().st_size for p in (root / "data").rglob("*.yml"))
        check_s, summary = time_check(root, runs)
        parse_s = time_parse(root, runs)
        print(f"check benchmark: {count:,} records, {size / 1e6:.1f} MB of YAML")
        print(f"  smesa check (wall, median of {runs}): {check_s:.2f} s  [{summary}]")
        print(f"  PyYAML CSafeLoader parse only:       {parse_s:.2f} s")
        print(f"  ratio check / parse:                 {check_s / parse_s:.2f}")
        print("  targets: check < 2 s, ratio < 1.5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bench_check(args.records, args.runs)


if __name__ == "__main__":
    main()
