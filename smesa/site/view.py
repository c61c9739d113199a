"""What the public site shows: the read-only view pages, feeds and downloads share.

It holds `smesa.tor.publication.public(repo)`, never the whole repository: every page,
chart, feed and download reads records through it, so none can reach a record that is
not public (see `smesa.tor.publication`). A preview (`mkdocs serve`, `smesa build
--preview` for a pull request) holds every record instead, and its pages say so.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any, TypeVar

from smesa.data import models
from smesa.data.repository import Repository
from smesa.data.texts import SITE_LABELS, labels
from smesa.tor.publication import is_public, public

OutputT = TypeVar("OutputT", bound=models.Output)

# URL folder of each output kind that has pages (proposals read as recommendations).
SECTIONS: dict[type[models.Output], str] = {
    models.Case: "cases",
    models.Meeting: "meetings",
    models.Proposal: "recommendations",
    models.Activity: "activities",
    models.Report: "reports",
}


def case_date(case: models.Case) -> dt.date:
    """When a case went out: its publication date, else the start of its year."""
    return case.published or dt.date(case.year, 1, 1)


class SiteView:
    """The repository as a reader sees it: its public records."""

    def __init__(
        self, repo: Repository, *, preview: bool = False, problems: list[str] | None = None
    ) -> None:
        self.preview = preview
        self.problems = problems or []  # a preview's data errors (mkdocs serve)
        self.repo = repo if preview else public(repo)

    def unpublished(self, record: models.Record) -> bool:
        """True for a record a preview shows that the published site would not."""
        return self.preview and not is_public(record)

    def published(self, model: type[OutputT]) -> list[OutputT]:
        return [e.record for e in self.repo.of(model)]

    @cached_property
    def _source_paths(self) -> dict[tuple[type, str], str]:
        return {(type(e.record), e.id): e.source.path for e in self.repo.entries}

    def source_path(self, record: models.Record) -> str:
        """The file `record` was read from, relative to the repository ('' if none)."""
        return self._source_paths.get((type(record), getattr(record, "id", "")), "")

    @cached_property
    def last_public_change(self) -> dt.date | None:
        """The last day any public record changed, up to today (pages that list
        everything: the home page, the statistics)."""
        records = [
            *self.cases,
            *self.members,
            *self.meetings,
            *self.proposals,
            *self.activities,
            *self.reports,
        ]
        days = [d for d in map(record_day, records) if d is not None and d <= self.repo.today]
        return max(days, default=None)

    @cached_property
    def cases(self) -> list[models.Case]:
        """Published cases, newest first."""
        cases = self.published(models.Case)
        return sorted(cases, key=lambda c: (case_date(c), c.id), reverse=True)

    @cached_property
    def members(self) -> list[models.Member]:
        return sorted((e.record for e in self.repo.of(models.Member)), key=_english_name)

    @cached_property
    def member_by_id(self) -> dict[str, models.Member]:
        return {m.id: m for m in self.members}

    @cached_property
    def secretariat(self) -> models.Member | None:
        """The member institution that hosts the Secretariat (named in tor.yml, ToR §6)."""
        host = self.repo.tor.secretariat
        return next((m for m in self.members if m.name.en == host.en), None)

    @cached_property
    def active_members(self) -> list[models.Member]:
        return [m for m in self.members if m.status == "active"]

    @cached_property
    def cases_by_member(self) -> dict[str, list[models.Case]]:
        grouped: dict[str, list[models.Case]] = {}
        for case in self.cases:
            grouped.setdefault(case.member, []).append(case)
        return grouped

    def case_economy(self, case: models.Case) -> str:
        member = self.member_by_id.get(case.member)
        return member.economy if member else ""

    @cached_property
    def case_years(self) -> list[int]:
        return sorted({c.year for c in self.cases}, reverse=True)

    @cached_property
    def case_economies(self) -> list[str]:
        """Economy codes with a published case, in the order of economies.yml."""
        codes = {self.case_economy(c) for c in self.cases}
        return [code for code in self.repo.economies if code in codes]

    @cached_property
    def case_topics(self) -> list[str]:
        """Topic ids of published cases, in the order of topics.yml."""
        ids = {t for c in self.cases for t in c.topics}
        return [topic for topic in self.repo.topics if topic in ids]

    @cached_property
    def meetings(self) -> list[models.Meeting]:
        return sorted(self.published(models.Meeting), key=lambda m: (m.date, m.id), reverse=True)

    @cached_property
    def proposals(self) -> list[models.Proposal]:
        return sorted(self.published(models.Proposal), key=lambda p: (p.year, p.id), reverse=True)

    @cached_property
    def activities(self) -> list[models.Activity]:
        return sorted(self.published(models.Activity), key=lambda a: (a.date, a.id), reverse=True)

    @cached_property
    def reports(self) -> list[models.Report]:
        return sorted(self.published(models.Report), key=lambda r: (r.year, r.id), reverse=True)

    @cached_property
    def bodies(self) -> list[models.Body]:
        return sorted(self.published(models.Body), key=lambda b: b.id)

    @cached_property
    def presidium(self) -> models.Presidium | None:
        """The term in office today, else the latest one that has started, else None."""
        terms = sorted((e.record for e in self.repo.of(models.Presidium)), key=lambda p: p.start)
        today = self.repo.today
        current = [p for p in terms if p.start <= today <= p.end]
        started = [p for p in terms if p.start <= today]
        return (current or started or terms or [None])[-1]

    @cached_property
    def economies_with_members(self) -> list[str]:
        codes = {m.economy for m in self.active_members}
        return [code for code in self.repo.economies if code in codes]

    def record_names(self) -> dict[str, tuple[type[models.Record] | None, Any]]:
        """Every public record's id, with its kind and what a reader calls it (a Text, or
        anything with `en` and `zh`): text made for maintainers names records by id."""
        names: dict[str, tuple[type[models.Record] | None, Any]] = {}
        for model in SECTIONS:
            for record in self.published(model):
                names[record.id] = (model, record.title)  # type: ignore[attr-defined]
        for member in self.members:
            names[member.id] = (models.Member, member.name)
        for entry in self.repo.of(models.Presidium):
            term = entry.record
            words = labels(SITE_LABELS)["presidium_of_years"]
            name = {
                lang: words[lang].format(start=term.start.year, end=term.end.year) for lang in words
            }
            names[term.id] = (None, models.Text(**name))
        return names

    def page_of(self, model: type[models.Record], record_id: str) -> str | None:
        """The docs path (inside a language folder) of a published record's page."""
        if model is models.Member:
            return f"members/{record_id}.md" if record_id in self.member_by_id else None
        if model not in self._published_ids:
            self._published_ids[model] = {r.id for r in self.published(model)}
        return (
            f"{SECTIONS[model]}/{record_id}.md" if record_id in self._published_ids[model] else None
        )

    @cached_property
    def _published_ids(self) -> dict[type[models.Output], set[str]]:
        return {}


def _english_name(member: models.Member) -> tuple[str, str]:
    return ((member.name.en or member.name.zh or "").casefold(), member.id)


def record_day(record: Any) -> dt.date | None:
    """The last day a record's public content changed, as far as the record says."""
    days = [
        getattr(record, name, None)
        for name in ("published", "withdrawn", "joined", "submitted", "end_date", "date")
    ]
    approval = getattr(record, "approval", None)
    for forum in ("smewg", "sce"):
        given = getattr(approval, forum, None) if approval is not None else None
        days.append(getattr(given, "date", None))
    days = [d for d in days if isinstance(d, dt.date)]
    if days:
        return max(days)
    year = getattr(record, "year", None)
    return dt.date(year, 1, 1) if isinstance(year, int) else None
