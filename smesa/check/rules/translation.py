"""Translations kept honest: a Chinese text made from English that has since changed."""

from __future__ import annotations

from collections.abc import Iterator

from smesa.check.findings import Severity
from smesa.check.registry import Hit, rule
from smesa.data.repository import Repository, dotted
from smesa.data.texts import is_stale, record_texts
from smesa.tor import clauses


@rule(
    "SM121",
    "translation-stale",
    Severity.WARNING,
    clauses.OUTPUTS_IN_ENGLISH,
    "make the Chinese say what the English says now, then run smesa i18n --stamp on the file",
    examples=(
        "title:\n  en: Faster loans for small firms\n  zh: 为小企业提供贷款\n"
        "  zh_source: 0a1b2c3d4e\n",
        "title:\n  en: Faster loans for small firms\n  zh: 为小企业更快提供贷款\n"
        "  zh_source: <fingerprint written by smesa i18n --stamp>\n",
    ),
)
def translation_stale(repo: Repository) -> Iterator[Hit]:
    """A Chinese translation was made from English that has changed since.

    `zh_source` records a fingerprint of the English a translation was made from; when
    the English is edited later, the Chinese may no longer say the same. The Chinese
    page then says it may be out of date.
    """
    for entry, path, text in record_texts(repo):
        if is_stale(text):
            yield Hit(
                entry,
                (*path, "zh_source"),
                f"{dotted(path)}.en has changed since {dotted(path)}.zh was translated from it",
                "make the Chinese say what the English says now, then run: "
                f"smesa i18n --stamp {entry.source.path}",
            )
