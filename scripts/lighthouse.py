"""Lighthouse (mobile) on the site built from the shipped data, served with compression.

Prints the four scores (performance, accessibility, best practices, SEO) of the home,
a case, the case library, the statistics page and the Chinese home. Not a test: the
scores of a shared machine vary from run to run. Needs scripts/install-node-tools.sh
(Lighthouse from npm) and the system Chromium.

    .venv/bin/python scripts/lighthouse.py [--site DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    failed = [
        audit["id"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    ]
    scores["below 0.9"] = ", ".join(sorted(failed)[:8])  # type: ignore[assignment]
    scores["LCP ms"] = round(report["audits"]["largest-contentful-paint"]["numericValue"])
    scores["CLS"] = report["audits"]["cumulative-layout-shift"]["numericValue"]  # type: ignore[assignment]
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site/ (default: build one)")
    parser.add_argument("--json", type=Path, help="also write the scores as JSON")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        raise SystemExit("Lighthouse is not installed: run scripts/install-node-tools.sh")
    with tempfile.TemporaryDirectory(prefix="smesa-lighthouse-") as tmp:
        site = args.site or build_site(copy_site_sources(ROOT, Path(tmp) / "repo"), TODAY)
        results = {}
        with serve(site, compress=True) as base:
            for name, path in pages().items():
                results[name] = lighthouse(base + path, Path(tmp) / "report.json")
    header = f"{'page':<14}" + "".join(f"{c:>16}" for c in CATEGORIES)
    print("Lighthouse mobile (served with gzip)")
    print(header)
    for name, scores in results.items():
        print(f"{name:<14}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES))
    for name, scores in results.items():
        print(
            f"  {name}: LCP {scores['LCP ms']} ms, CLS {scores['CLS']:.3f}; "
            f"audits below 0.9: {scores['below 0.9'] or 'none'}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
