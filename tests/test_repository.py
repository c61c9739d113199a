"""Loading a whole repository: in one process or several, positions on demand."""

from __future__ import annotations

import copy

from conftest import TODAY, baseline

from smesa.engine import run_rules
from smesa.repository import PARALLEL_MIN_FILES, load_repository


def _big_repository(make_repo):
    """Enough members to be parsed in parallel, a few of them with findings."""
    records = baseline()
    template = records["data/members/beta.yml"]
    for i in range(PARALLEL_MIN_FILES + 20):
        member = copy.deepcopy(template)
        member["id"] = f"m{i:04d}"
        if i % 97 == 0:
            member["economy"] = "XX"
            member["name"]["en"] = "Members from many countries"
        records[f"data/members/m{i:04d}.yml"] = member
    root = make_repo(records)
    (root / "data/members/m0001.yml").write_text("id: m0001\nid: again\n", "utf-8")
    return root


def test_parallel_and_serial_loading_agree(make_repo):
    root = _big_repository(make_repo)
    serial = run_rules(load_repository(root, TODAY, jobs=1))
    parallel = run_rules(load_repository(root, TODAY, jobs=2))
    assert parallel == serial
    assert {(f.rule, f.line, f.column) for f in serial} == {
        ("SM001", 2, 1),  # the duplicate key
        ("SM002", 1, 1),  # ... and the fields that file lacks
        ("SM201", 6, 10),  # economy: XX
        ("SM901", 4, 25),  # "countries"
    }


def test_positions_are_taken_only_when_asked(make_repo):
    repo = load_repository(make_repo(), TODAY)
    documents = [source.doc for source in repo.sources]
    assert not any(doc.located or doc.values for doc in documents)
    case = next(s for s in repo.sources if s.folder == "cases")
    assert case.at(("title", "en")) == (14, 7)
    assert case.doc.located
