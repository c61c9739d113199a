"""Loading a whole repository: positions on demand, exact in any size of repository."""

from __future__ import annotations

import copy

from conftest import TODAY, baseline

from smesa.check.engine import run_rules
from smesa.data.repository import load_repository

LARGE = 520  # more files than the loader once parsed in worker processes


def _large_repository(make_repo, body: str):
    """Hundreds of members, a few with findings, and a case whose body is `body`."""
    records = baseline()
    template = records["data/members/beta.yml"]
    for i in range(LARGE):
        member = copy.deepcopy(template)
        member["id"] = f"m{i:04d}"
        if i % 97 == 0:
            member["economy"] = "XX"
            member["name"]["en"] = "Members from many countries"
        records[f"data/members/m{i:04d}.yml"] = member
    records["data/cases/2025/alpha-finance.yml"].pop("body", None)
    root = make_repo(records)
    with (root / "data/cases/2025/alpha-finance.yml").open("a", encoding="utf-8") as case:
        case.write("body:\n  en: |\n" + "".join(f"    {line}\n" for line in body.splitlines()))
    (root / "data/members/m0001.yml").write_text("id: m0001\nid: again\n", "utf-8")
    return root


def test_a_finding_inside_a_block_scalar_stays_where_it_is_in_a_large_repository(make_repo):
    # Parsing in workers once dropped the bytes that positions inside a block scalar are
    # computed from: "countries" at 34:14 was reported at 32:7, off the changed lines.
    body = "The centre works with firms.\nIt now reaches\nclients in many countries.\n"
    root = _large_repository(make_repo, body)
    lines = (root / "data/cases/2025/alpha-finance.yml").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "many countries" in text)
    column = lines[line - 1].index("countries") + 1
    findings = run_rules(load_repository(root, TODAY))
    in_case = [(f.rule, f.line, f.column) for f in findings if f.path.endswith("alpha-finance.yml")]
    assert in_case == [("SM901", line, column)]
    assert {(f.rule, f.line, f.column) for f in findings if "/m0" in f.path} == {
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
