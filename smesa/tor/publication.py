"""The publication gate: what may reach the public, defined once.

Every public output (site pages, the annual report, the dashboard, charts, feeds, open
data, the search index) is made from `public(repo)`, a repository holding only public
records, so no output can reach an unpublished record by any path: a reference, a
count, a decision list or an approval line. What is public:

- an output (case, meeting, recommendation paper, activity, report, body) once its
  status is `published`; draft, submitted and approved records are the Secretariat's
  and the SMEWG's business until then;
- member institutions and Presidium terms, which are not outputs (a withdrawn member
  stays, marked by the pages).

Obligations the ToR sets (`smesa.tor.obligations`) count a record that is public or that
records something that happened: a meeting held, a paper or report submitted. Drafts
never count.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from smesa.data import models
from smesa.data.repository import Repository


def is_public(record: models.Record) -> bool:
    """True for a record that may appear in a public output."""
    if isinstance(record, models.Output):
        return record.status == "published"
    return True


def is_final(record: models.Record) -> bool:
    """True for an output the SMEWG approved, published or about to be: it is held to
    the ToR's rules of outputs (in English, approved first) although drafts are not."""
    return isinstance(record, models.Output) and record.status in ("approved", "published")


def public(repo: Repository) -> Repository:
    """The repository as the public may see it: public records only.

    Sources go with their records (a source of a dropped record would still show its
    raw id and texts); derived data is computed anew, never shared with `repo`.
    """
    entries = [e for e in repo.entries if is_public(e.record)]
    kept = {id(e.source) for e in entries} | {id(e.source) for e in repo.reference.values()}
    return replace(
        repo,
        entries=entries,
        sources=[s for s in repo.sources if id(s) in kept],
        load_problems=[],
        schema_errors=[],
        misplaced=[],
    )


def counts_for_obligations(record: models.Record, day: dt.date) -> bool:
    """True when `record` may meet a ToR obligation as of `day`: it is public, or it
    records an event that has happened (a meeting held, a paper or report submitted)."""
    if is_public(record):
        return True
    if not isinstance(record, models.Output) or record.status == "draft":
        return False
    if isinstance(record, models.Meeting):
        return record.date <= day
    submitted = getattr(record, "submitted", None)
    return submitted is not None and submitted <= day


# Ids a record cannot take: its page would replace one of the site's own pages
# (`<section>/index`, the dashboard `reports/status`, the figures of a year
# `reports/annual-YYYY`), or its file and page could not exist on Windows.
RESERVED_IDS: dict[str, re.Pattern[str]] = {
    "*": re.compile(r"index|con|prn|aux|nul|com[0-9]|lpt[0-9]"),
    "reports": re.compile(r"status|annual-[0-9]{4}"),
}


def reserved_id(folder: str, record_id: str) -> bool:
    """True when a record of `folder` (data/<folder>/) may not have the id `record_id`."""
    return any(
        pattern.fullmatch(record_id)
        for key, pattern in RESERVED_IDS.items()
        if key in ("*", folder)
    )
