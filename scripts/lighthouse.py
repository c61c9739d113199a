"""Lighthouse (mobile) on the site built from the shipped data, served with compression.

Prints the four scores (performance, accessibility, best practices, SEO) of the home,
a case, the case library, the statistics page and the Chinese home, and the metrics
performance is made of (FCP, LCP, TBT, CLS, Speed Index), each the median of --runs runs
(3 by default). Not a test: the scores of a shared machine vary from run to run. Needs
scripts/install-node-tools.sh (Lighthouse from npm) and the system Chromium.

    .venv/bin/python scripts/lighthouse.py [--site DIR] [--runs N] [--json FILE] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from browser.local_site import CHROMIUM, build_site, copy_site_sources, serve  # noqa: E402

LIGHTHOUSE = ROOT / ".node-tools" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TODAY = dt.date(2026, 11, 26)


def pages() -> dict[str, str]:
    from smesa.data import models
    from smesa.data.repository import load_repository

    repo = load_repository(ROOT, TODAY)
    case = sorted(e.record.id for e in repo.of(models.Case) if e.record.status == "published")[0]
    return {
        "home": "/",
        "case": f"/cases/{case}/",
        "case library": "/cases/",
        "statistics": "/statistics/",
        "Chinese home": "/zh/",
    }


def lighthouse(url: str, out: Path) -> dict[str, int]:
    done = subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    report = json.loads(out.read_text("utf-8"))
    result: dict = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    for name, audit in METRICS.items():
        result[name] = report["audits"][audit]["numericValue"]
    result["below 0.9"] = sorted(
        audit["id"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    )
    return result


METRICS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "CLS": "cumulative-layout-shift",
    "SI": "speed-index",
}


def median_of(runs: list[dict]) -> dict:
    """Each score and metric the median of its runs; the audits below 0.9 in any run."""
    keys = (*CATEGORIES, *METRICS)
    result = {key: statistics.median(run[key] for run in runs) for key in keys}
    result["performance runs"] = [run["performance"] for run in runs]
    result["below 0.9"] = sorted({audit for run in runs for audit in run["below 0.9"]})
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site/ (default: build one)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page (medians)")
    parser.add_argument("--json", type=Path, help="also write the scores as JSON")
    parser.add_argument("--keep", type=Path, help="keep each run's Lighthouse report here")
    parser.add_argument("--page", action="append", choices=pages(), help="only these pages")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        raise SystemExit("Lighthouse is not installed: run scripts/install-node-tools.sh")
    with tempfile.TemporaryDirectory(prefix="smesa-lighthouse-") as tmp:
        site = args.site or build_site(copy_site_sources(ROOT, Path(tmp) / "repo"), TODAY)
        reports = args.keep or Path(tmp)
        reports.mkdir(parents=True, exist_ok=True)
        chosen = {name: path for name, path in pages().items() if name in (args.page or pages())}
        runs: dict[str, list[dict]] = {name: [] for name in chosen}
        with serve(site, compress=True) as base:
            # Pages in turns, so a busy minute of the machine is shared among them.
            for run in range(args.runs):
                for name, path in chosen.items():
                    out = reports / f"{name.replace(' ', '-')}.{run + 1}.json"
                    runs[name].append(lighthouse(base + path, out))
    results = {name: median_of(page_runs) for name, page_runs in runs.items()}
    print(f"Lighthouse mobile (served with gzip), medians of {args.runs} runs")
    print(f"{'page':<14}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for name, scores in results.items():
        print(f"{name:<14}" + "".join(f"{scores[c]:>16g}" for c in CATEGORIES))
    print(f"\n{'page':<14}{'FCP ms':>9}{'LCP ms':>9}{'TBT ms':>9}{'CLS':>7}{'SI ms':>9}  runs")
    for name, m in results.items():
        print(
            f"{name:<14}{m['FCP']:>9.0f}{m['LCP']:>9.0f}{m['TBT']:>9.0f}{m['CLS']:>7.3f}"
            f"{m['SI']:>9.0f}  {m['performance runs']}"
        )
    for name, scores in results.items():
        print(f"  {name}: audits below 0.9: {', '.join(scores['below 0.9']) or 'none'}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
