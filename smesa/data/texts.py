"""The texts of records in their two languages, how honest each translation is, and the
label files (smesa/templates/*.yml) that hold the words of our own.

A bilingual text may carry `zh_source`, a fingerprint of the English it was translated
from. When the English changes later, the fingerprint no longer matches: the check warns
(SM121) and the Chinese page says the translation may be out of date. Translators
record the fingerprint with `smesa i18n --stamp FILE`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel

from smesa.data import models
from smesa.data.loader import Path_
from smesa.data.repository import Entry, Repository

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
SITE_LABELS = "labels.yml"  # the site's words
REPORT_LABELS = "reporting.yml"  # the annual report's and the dashboard's words


def labels(name: str) -> dict[str, Any]:
    """The strings of the label file `name` of smesa/templates/, per language.

    Read again when the file changes, so a `mkdocs serve` rebuild shows an edit.
    """
    path = TEMPLATES_DIR / name
    stat = path.stat()
    return _read_labels(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _read_labels(path: Path, mtime_ns: int, size: int) -> dict[str, Any]:
    import yaml

    return yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader)  # libyaml: faster


FINGERPRINT_LENGTH = 10


def fingerprint(english: str) -> str:
    """A short hash of English text; re-wrapping lines or spacing does not change it."""
    normalised = " ".join(english.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def is_stale(text: models.Text | BilingualText) -> bool:
    """True when the Chinese was recorded as made from different English."""
    return bool(text.zh and text.en and text.zh_source and text.zh_source != fingerprint(text.en))


def text_fields(value: object, path: Path_ = ()) -> Iterator[tuple[Path_, models.Text]]:
    """Every bilingual text inside a record, with its path."""
    if isinstance(value, models.Text):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            child = getattr(value, name)
            if child is not None:
                yield from text_fields(child, (*path, name))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from text_fields(child, (*path, index))


class BilingualText(NamedTuple):
    """A bilingual text as it stands in a record file."""

    en: str | None
    zh: str | None
    zh_source: str | None


def record_texts(repo: Repository) -> list[tuple[Entry, Path_, BilingualText]]:
    """Every bilingual text of every valid record, found once per repository (several
    rules and reports walk them).

    Read from the texts the loader noted while parsing, which is cheaper than walking
    every model. A text has an `en` or a `zh` (the model requires one), so the loader
    has seen each of them.
    """
    return repo.derived(_record_texts)


def _record_texts(repo: Repository) -> list[tuple[Entry, Path_, BilingualText]]:
    found = []
    for entry in repo.entries:
        data = entry.source.doc.data
        seen: set[Path_] = set()
        for path, _, _ in entry.source.doc.texts:
            parent = path[:-1]
            if parent in seen:
                continue
            seen.add(parent)
            node = data
            for part in parent:
                node = node[part]
            found.append(
                (
                    entry,
                    parent,
                    BilingualText(node.get("en"), node.get("zh"), node.get("zh_source")),
                )
            )
    return found


def format_date(day: dt.date | None, lang: str) -> str:
    """`18 June 2025` in English, `2025年6月18日` in Chinese; empty for no date."""
    if day is None:
        return ""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day:%B} {day.year}"
