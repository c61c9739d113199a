"""Atom feeds of published cases, one per language: ``/feed.xml`` and ``/zh/feed.xml``.

Written with feedgen after the build. Dates come from the data (no "now"), so an
unchanged repository gives byte-identical feeds.
"""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator

from smesa.data import models
from smesa.data.models import LANGUAGES
from smesa.data.texts import SITE_LABELS, labels
from smesa.site.generate import plain
from smesa.site.view import SiteView, case_date

FEED_FILE = "feed.xml"


def language_root(site_url: str, lang: str) -> str:
    """Absolute URL of a language's home page (the default language is at the root)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base if lang == LANGUAGES[0] else f"{base}{lang}/"


def feed_path(lang: str) -> str:
    """Path of a language's feed relative to the site root."""
    return FEED_FILE if lang == LANGUAGES[0] else f"{lang}/{FEED_FILE}"


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def atom_feed(view: SiteView, site_url: str, lang: str) -> bytes:
    """The Atom document of every published case, newest first."""
    root = language_root(site_url, lang)
    words = labels(SITE_LABELS)

    def pick(text: models.Text) -> str:
        return text.read(lang)

    feed = FeedGenerator()
    feed.id(root + FEED_FILE)
    feed.title(words["feed_title"][lang])
    feed.subtitle(words["feed_subtitle"][lang])
    feed.link(href=root, rel="alternate")
    feed.link(href=root + FEED_FILE, rel="self")
    feed.language("zh-Hans" if lang == "zh" else lang)
    cases = view.cases
    newest = case_date(cases[0]) if cases else view.repo.tor.term.start
    feed.updated(_midnight(newest))
    for case in cases:
        url = f"{root}cases/{case.id}/"
        entry = feed.add_entry(order="append")
        entry.id(url)
        entry.link(href=url, rel="alternate")
        entry.title(pick(case.title))
        entry.summary(plain(pick(case.summary)))
        entry.published(_midnight(case_date(case)))
        entry.updated(_midnight(case_date(case)))
        member = view.member_by_id.get(case.member)
        if member is not None:
            entry.author(name=pick(member.name))
        for topic_id in case.topics:
            topic = view.repo.topics.get(topic_id)
            entry.category(term=topic_id, label=pick(topic.name) if topic else topic_id)
    return feed.atom_str(pretty=True)


def feed_files(view: SiteView, site_url: str) -> dict[str, bytes]:
    """Every feed, by its path relative to the site root."""
    return {feed_path(lang): atom_feed(view, site_url, lang) for lang in LANGUAGES}
