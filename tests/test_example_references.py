"""No hint, message or rule page shows a reference someone could take for a real one.

A contributor copies what a hint shows: an example "2025/SMEWG60/011" ends up in a
record as if the SMEWG had decided it. So every example reference is a pattern
(YYYY/SMEWGNN/NNN, YYYY/SOMN/SCE/NNN, APEC#2YY-SM-NN.N, SMESA-SEC/YYYY/NNN). This scans
what the package can print or publish as ours: each rule's title, description (its
page), fix and examples; every string in the source of smesa/ (messages, hints, schema
descriptions, prompts of `smesa new`); every label file and template (the Chinese
messages, the issue forms' words, the rule pages); and the issue forms themselves.
The records in data/ are sample data, marked so, and not scanned.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import ROOT

from smesa.check.rules import RULES

# The shapes of real references (REFERENCE.md): an APEC meeting document
# (2025/SMEWG60/011, 2025/SOM2/SCE/009), an APEC publication number (APEC#225-SM-01.1),
# a Secretariat record (SMESA-SEC/2025/003) and an ISBN.
REAL_LOOKING = re.compile(
    r"\b\d{4}(?:/[A-Z][A-Za-z0-9-]*)+/\d{2,}\b"
    r"|APEC#\d{3}-[A-Z]{2,4}-\d{2}\.\d+"
    r"|\b[A-Z][A-Z0-9]*-[A-Z]+/\d{4}/\d+"
    r"|\b97[89][- ]?\d{1,5}[- ]\d+[- ]\d+[- ]\d\b"
)
SOURCES = sorted((ROOT / "smesa").rglob("*.py"))
TEXTS = sorted(
    [
        *(ROOT / "smesa" / "templates").rglob("*.yml"),
        *(ROOT / "smesa" / "templates").rglob("*.j2"),
        *(ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml"),
    ]
)


def real_looking(text: str) -> list[str]:
    return [m.group() for m in REAL_LOOKING.finditer(text)]


def strings_of(path: Path) -> list[str]:
    """Every string constant of a module (f-strings' literal parts included)."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "2025/SMEWG60/011",
        "2028/SOM3/SCE/012",
        "ref: 2026/SMEWG62/020}",
        "APEC#225-SM-01.1",
        "SMESA-SEC/2025/003",
        "ISBN 978-981-18-1234-5",
    ],
)
def test_the_scan_catches_a_real_looking_reference(text):
    assert real_looking(text)


@pytest.mark.parametrize(
    "text",
    [
        "YYYY/SMEWGNN/NNN",
        "2025/SMEWGNN/NNN",
        "2028/SOMN/SCE/NNN",
        "APEC#2YY-SM-NN.N",
        "SMESA-SEC/YYYY/NNN",
        "2025-05-20",
        "SMEWG61",
        "2025–2028",
    ],
)
def test_the_scan_lets_patterns_dates_and_session_names_be(text):
    assert real_looking(text) == []


def test_no_rule_shows_a_real_looking_reference():
    found = {
        f"{rule.id} {part}": hits
        for rule in RULES
        for part, text in (
            ("title", rule.title),
            ("description", rule.description),
            ("fix", rule.fix or ""),
            ("failing example", rule.examples[0]),
            ("fixed example", rule.examples[1]),
        )
        if (hits := real_looking(text))
    }
    assert found == {}


def test_no_message_or_hint_in_the_source_shows_one():
    found = {
        f"{path.relative_to(ROOT)}: {text[:60]!r}": hits
        for path in SOURCES
        for text in strings_of(path)
        if (hits := real_looking(text))
    }
    assert len(SOURCES) > 50  # the scan reads the package
    assert found == {}


def test_no_label_file_template_or_issue_form_shows_one():
    assert {"messages.zh.yml", "rule.md.j2", "forms.yml"} <= {p.name for p in TEXTS}
    found = {
        str(path.relative_to(ROOT)): hits
        for path in TEXTS
        if (hits := real_looking(path.read_text("utf-8")))
    }
    assert found == {}
