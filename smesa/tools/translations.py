"""Translation coverage and stamps: `smesa i18n`.

A translator records, with `smesa i18n --stamp FILE`, that the Chinese texts of a file
match their English as it is now (`zh_source`, see `smesa.data.texts`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smesa.data.loader import Path_
from smesa.data.repository import Entry, Repository
from smesa.data.texts import fingerprint, is_stale, record_texts
from smesa.tools.fmt import Outcome, rewrite
from smesa.tor.publication import is_public


@dataclass
class Coverage:
    """Translation state of the texts of one record kind."""

    texts: int = 0
    translated: int = 0
    missing: list[tuple[Entry, Path_]] = field(default_factory=list)
    stale: list[tuple[Entry, Path_]] = field(default_factory=list)
    unverified: int = 0  # translated, but with no record of the English it came from


def coverage(
    repo: Repository, *, public_only: bool = False, paths: set[str] | None = None
) -> dict[str, Coverage]:
    """Per data folder: over every record, drafts included (a contributor translates
    before publication), or only those readers see; all files, or only `paths`."""
    result: dict[str, Coverage] = {}
    for entry, path, text in record_texts(repo):
        if public_only and not is_public(entry.record):
            continue
        if paths is not None and entry.source.path not in paths:
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
