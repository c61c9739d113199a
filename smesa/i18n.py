"""Keeping translations honest: which English text a Chinese translation was made from.

A bilingual text may carry `zh_source`, a fingerprint of the English it was translated
from. When the English changes later, the fingerprint no longer matches: the check warns
(SM121) and the Chinese page says the translation may be out of date. Translators
record the fingerprint with `smesa i18n --stamp FILE`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel

from smesa import models
from smesa.fmt import Outcome, rewrite
from smesa.loader import Path_
from smesa.publication import is_public
from smesa.repository import Entry, Repository

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

    Read from the texts the loader noted while parsing rather than by walking every
    model: a tenth of the time. A text has an `en` or a `zh` (the model requires one),
    so the loader has seen each of them.
    """
    if "record_texts" not in repo.memo:
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
        repo.memo["record_texts"] = found
    return repo.memo["record_texts"]


@dataclass
class Coverage:
    """Translation state of the texts of one record kind."""

    texts: int = 0
    translated: int = 0
    missing: list[tuple[Entry, Path_]] = field(default_factory=list)
    stale: list[tuple[Entry, Path_]] = field(default_factory=list)
    unverified: int = 0  # translated, but with no record of the English it came from


def coverage(repo: Repository) -> dict[str, Coverage]:
    """Per data folder, over the records readers see."""
    result: dict[str, Coverage] = {}
    for entry, path, text in record_texts(repo):
        if not is_public(entry.record):
            continue
        if not (text.en or "").strip():
            continue
        state = result.setdefault(entry.record.folder, Coverage())
        state.texts += 1
        if not (text.zh or "").strip():
            state.missing.append((entry, path))
            continue
        state.translated += 1
        if is_stale(text):
            state.stale.append((entry, path))
        elif not text.zh_source:
            state.unverified += 1
    return dict(sorted(result.items()))


def summary_counts(states: dict[str, Coverage]) -> Counter[str]:
    total: Counter[str] = Counter()
    for state in states.values():
        total.update(
            texts=state.texts,
            translated=state.translated,
            missing=len(state.missing),
            stale=len(state.stale),
            unverified=state.unverified,
        )
    return total


def _without_stamps(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_stamps(v) for k, v in value.items() if k != "zh_source"}
    if isinstance(value, list):
        return [_without_stamps(v) for v in value]
    return value


def _stamp_texts(node: Any) -> None:
    """Set zh_source on every mapping holding both an English and a Chinese text."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str) and isinstance(node.get("zh"), str):
            node["zh_source"] = fingerprint(node["en"])
        for child in node.values():
            _stamp_texts(child)
    elif isinstance(node, list):
        for child in node:
            _stamp_texts(child)


def stamp(root: Path, rel: str) -> Outcome:
    """Record, in the file, that its Chinese texts match their English as it is now."""
    return rewrite(root, rel, rename=False, edit=_stamp_texts, compare=_without_stamps)
