"""The examples on every rule page are true: the failing one triggers exactly that rule,
the fixed one passes every rule.

An example is a fragment of a record file. It is placed into a record of the minimal
repository (`baseline`): the record keeps its other fields, loses those either example
sets, and gets the fragment's text as written, so an example that is not even YAML
(SM001) is tested as a contributor would write it. A comment `# data/...yml` names the
file; a few examples stand for what cannot be printed (a 20,001-character text, a
fingerprint, an APEC document's number) and are filled in here.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, TODAY, baseline, check

from smesa.check.rules import RULES
from smesa.check.rules import text as rules_text
from smesa.data.config import DEFAULT_SECRETARIAT_REFERENCE, reference_form
from smesa.data.texts import fingerprint

CASE = "data/cases/2025/alpha-finance.yml"
MEMBER = "data/members/alpha.yml"
TOR = "data/reference/tor.yml"
# Where each rule's example is placed, when not in the case; and under which key, when
# the example is a text rather than a field.
TARGETS = {
    "SM201": MEMBER,
    "SM605": "data/presidium/presidium-2025-2028.yml",
    "SM608": MEMBER,
    "SM704": TOR,
    "SM705": TOR,
    "SM706": TOR,
    "SM707": TOR,
}
UNDER = {"SM901": "summary", "SM902": "summary"}
# Records an example names that the minimal repository lacks.
EXTRA = {"SM103": ("data/members/yongjiang-sme-service-centre.yml", MEMBER)}
# Examples dated in the last months of the term are checked on a day after them.
DAYS = {"SM705": dt.date(2028, 12, 1), "SM706": dt.date(2028, 12, 1)}
SPARE_CASE = "data/cases/2025/alpha-spare.yml"  # meets the year's collection meanwhile
FOLDER_RECORDS = {"members": MEMBER, "cases": CASE}
STAMP = "<fingerprint written by smesa i18n --stamp>"
LONG_LINE = "(the rest of a text of 20,001 characters)"
TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*):", re.MULTILINE)
PATH_COMMENT = re.compile(r"\A# (data/\S+\.yml)\n")
# Example references are patterns, never numbers a reader could take for real documents
# (tests/test_example_references.py). Here each becomes a document of a session the
# baseline records (SMEWG60, opened on 2025-05-13), each with a serial of its own.
# The same pattern twice in one example is one document (SM622: a reference shared);
# NNN and MMM are two.
SMEWG_PATTERN = re.compile(r"\b(\d{4})/SMEWGNN/(NNN|MMM)\b")
SCE_PATTERN = re.compile(r"\b(\d{4})/SOMN/SCE/NNN\b")

WITH_EXAMPLES = [r for r in RULES if r.examples[0] and r.examples[1]]


def _filled(example: str) -> str:
    """The example with what it only describes written out."""
    if STAMP in example:
        english = yaml.safe_load(example)["title"]["en"]
        example = example.replace(STAMP, fingerprint(english))
    if LONG_LINE in example:
        filler = "Loans in six days. " * (rules_text.MAX_MARKDOWN_CHARS // 19 + 1)
        example = example.replace(LONG_LINE, filler)
    serials = itertools.count(901)
    documents: dict[str, int] = {}

    def smewg(match: re.Match[str]) -> str:
        serial = documents.setdefault(match[0], next(serials))
        return f"{match[1]}/SMEWG60/{serial}"

    example = SMEWG_PATTERN.sub(smewg, example)
    # The Secretariat's numbers, in the form the rule pages show (no pyproject.toml in
    # the repository the examples go into: the default form).
    secretariat = reference_form(DEFAULT_SECRETARIAT_REFERENCE)
    example = example.replace(secretariat.form, secretariat.example(2026, 14))
    return SCE_PATTERN.sub(lambda m: f"{m[1]}/SOM3/SCE/{next(serials)}", example)


def _placed(rule, example: str) -> tuple[str, str]:
    """(path, file text) of the record holding `example`."""
    path = TARGETS.get(rule.id, CASE)
    named = PATH_COMMENT.match(example)
    if named:
        path = named.group(1)
        example = example[named.end() :]
    example = _filled(example)
    replaced = set(TOP_KEY.findall(_filled(rule.examples[0]) + _filled(rule.examples[1])))
    if named:
        replaced.add("id")
    record = _base_record(path)
    if rule.id in UNDER:  # a text: merged into the record's text of that field
        key = UNDER[rule.id]
        record[key] = {**record[key], **yaml.safe_load(example)}
        return path, yaml.safe_dump(record, allow_unicode=True, sort_keys=False)
    kept = {key: value for key, value in record.items() if key not in replaced}
    text = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False) if kept else ""
    return path, text + example


def _base_record(path: str) -> dict:
    files = baseline()
    if path in files:
        return files[path]
    if path == TOR:
        return yaml.safe_load((ROOT / TOR).read_text("utf-8"))
    folder = path.split("/")[1]
    return dict(files[FOLDER_RECORDS[folder]])


def _repository(make_repo, rule, placed: tuple[str, str] | None):
    files = baseline()
    spare = copy.deepcopy(files[CASE])
    spare["id"] = "alpha-spare"
    spare["approval"]["smewg"]["ref"] = "2025/SMEWG60/012"  # a decision of its own
    files[SPARE_CASE] = spare
    if rule.id in EXTRA:
        path, like = EXTRA[rule.id]
        files[path] = {**copy.deepcopy(files[like]), "id": Path(path).stem}
    if placed is None:
        return make_repo(files)
    path, text = placed
    files.pop(path, None)
    if path.startswith("data/cases/") and path != CASE:
        files.pop(CASE)  # the example's case stands in for it
    return make_repo(files, raw={path: text})


def _key(finding) -> tuple[str, str]:
    # By file and rule: an example may change the wording of a finding the repository
    # already has (SM702 names the reviews once they are recorded).
    return finding.path, finding.rule


def _findings(make_repo, rule, example: str):
    """The example's file, and the findings the example adds to those of the repository
    without it (on the rule's day)."""
    day = DAYS.get(rule.id, TODAY)
    placed = _placed(rule, example)
    before = {_key(f) for f in check(_repository(make_repo, rule, None), day)}
    after = check(_repository(make_repo, rule, placed), day)
    return placed[0], [f for f in after if _key(f) not in before]


def _described(findings) -> list[str]:
    return [f"{f.path}:{f.line}:{f.column} {f.rule} {f.message}" for f in findings]


@pytest.mark.parametrize("rule", WITH_EXAMPLES, ids=lambda rule: rule.id)
def test_the_failing_example_triggers_exactly_its_rule(make_repo, rule):
    path, findings = _findings(make_repo, rule, rule.examples[0])
    assert {f.rule for f in findings} == {rule.id}, _described(findings)
    assert {f.path for f in findings} == {path}


@pytest.mark.parametrize("rule", WITH_EXAMPLES, ids=lambda rule: rule.id)
def test_the_fixed_example_passes_every_rule(make_repo, rule):
    _, findings = _findings(make_repo, rule, rule.examples[1])
    assert _described(findings) == []


def test_the_repository_the_examples_go_into_passes(make_repo):
    # Without this, a broken repository would hide what an example adds.
    rule = next(r for r in RULES if r.id == "SM103")
    assert _described(check(_repository(make_repo, rule, None), TODAY)) == []


def test_a_rule_with_one_example_has_both():
    assert [r.id for r in RULES if bool(r.examples[0]) != bool(r.examples[1])] == []


def test_placing_keeps_the_record_and_replaces_what_the_examples_set():
    rule = next(r for r in RULES if r.id == "SM603")
    path, text = _placed(rule, rule.examples[0])
    record = yaml.safe_load(text)
    assert path == CASE
    assert "approval" not in record and record["status"] == "published"
    assert record["title"] == baseline()[CASE]["title"]
    assert Path(path).suffix == ".yml"
