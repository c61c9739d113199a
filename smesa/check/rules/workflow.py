"""The review workflow: a record submitted for review is finished text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smesa.check.findings import Severity
from smesa.check.registry import Hit, rule
from smesa.data import models
from smesa.data.repository import Repository, dotted
from smesa.tor import clauses

PLACEHOLDER = re.compile(r"\bTODO\b")


@rule(
    "SM619",
    "placeholder-submitted",
    Severity.WARNING,
    clauses.OUTPUTS_IN_ENGLISH,
    "replace the TODO with the real text before the record goes to review",
)
def placeholder_submitted(repo: Repository) -> Iterator[Hit]:
    """A record submitted for review holds no TODO placeholder (a warning).

    `smesa new` marks what is still to write with TODO. A draft may keep them; a
    submitted record is what reviewers read, so each TODO left warns; once approved or
    published it is an error (SM612).
    """
    submitted = {
        id(e.source)
        for e in repo.entries
        if isinstance(e.record, models.Output) and e.record.status == "submitted"
    }
    for source, path, _, text in repo.texts():
        if id(source) in submitted and "TODO" in text and (match := PLACEHOLDER.search(text)):
            yield Hit(
                source,
                path,
                f"{dotted(path)} still holds a TODO placeholder, and the record is submitted",
                within=(text, match.start()),
            )
