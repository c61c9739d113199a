"""One test per ahead-of-time rule (SM710–SM713), named after its id."""

from __future__ import annotations

import datetime as dt

from conftest import baseline, check, smewg_session

from smesa.check.rules import RULES

PRESIDIUM = "data/presidium/presidium-2025-2028.yml"


def only(findings, rule):
    return [(f.path, f.message) for f in findings if f.rule == rule]


def with_smewg(*days: dt.date) -> dict:
    records = baseline()
    for i, day in enumerate(days):
        session = f"SMEWG{62 + i}"
        records[f"data/meetings/{session.lower()}.yml"] = smewg_session(day, session)
    return records


def test_every_obligation_rule_has_a_test():
    names = {name for name in globals() if name.startswith("test_SM")}
    ids = [r.id for r in RULES if "SM710" <= r.id <= "SM719"]
    assert ids == ["SM710", "SM711", "SM712", "SM713"]
    assert [i for i in ids if not any(n.startswith(f"test_{i}") for n in names)] == []


def test_SM710_obligation_due_soon(make_repo):
    root = make_repo(with_smewg(dt.date(2026, 5, 12), dt.date(2026, 10, 20)))
    found = only(check(root, dt.date(2026, 9, 1)), "SM710")
    assert found == [
        (
            "data/reference/tor.yml",
            "Annual report to the SMEWG for 2026 is due at the SMEWG's second plenary on "
            "2026-10-20, in 49 days: no annual report submitted to the SMEWG yet",
        ),
        (
            "data/reference/tor.yml",
            "Recommendation paper to the SMEWG for 2026 is due at the SMEWG's second plenary "
            "on 2026-10-20, in 49 days: no recommendation paper submitted to the SMEWG yet",
        ),
    ]
    assert only(check(root, dt.date(2026, 8, 1)), "SM710") == []  # 80 days ahead


def test_SM710_silent_until_the_session_is_recorded(make_repo):
    assert (
        only(check(make_repo(with_smewg(dt.date(2026, 5, 12))), dt.date(2026, 12, 1)), "SM710")
        == []
    )


def test_SM711_presidium_election_due(make_repo):
    root = make_repo()
    assert only(check(root, dt.date(2028, 7, 1)), "SM711") == []  # 76 days ahead
    assert only(check(root, dt.date(2028, 8, 1)), "SM711") == [
        (
            PRESIDIUM,
            "the Presidium's term ends on 2028-09-15, in 45 days, and no next term is "
            "recorded: the members must elect the next Presidium",
        )
    ]


def test_SM712_presidium_in_office(make_repo):
    root = make_repo(changes={PRESIDIUM: None})
    assert only(check(root, dt.date(2025, 11, 1)), "SM712") == []  # first year: grace
    assert only(check(root, dt.date(2026, 3, 1)), "SM712") == [
        (
            "data/reference/tor.yml",
            "no Presidium is in office on 2026-03-01: none is recorded for the term",
        )
    ]
    ended = make_repo()
    assert only(check(ended, dt.date(2028, 10, 1)), "SM712") == [
        (PRESIDIUM, "no Presidium is in office on 2028-10-01: this term ended on 2028-09-15")
    ]


def test_SM713_obligation_overdue(make_repo):
    root = make_repo(with_smewg(dt.date(2026, 5, 12), dt.date(2026, 10, 20)))
    assert only(check(root, dt.date(2026, 11, 26)), "SM713") == [
        (
            "data/reference/tor.yml",
            "Annual report to the SMEWG for 2026 was due at the SMEWG's second plenary on "
            "2026-10-20: no annual report submitted to the SMEWG",
        ),
        (
            "data/reference/tor.yml",
            "Recommendation paper to the SMEWG for 2026 was due at the SMEWG's second plenary "
            "on 2026-10-20: no recommendation paper submitted to the SMEWG",
        ),
    ]
    # once the year is over SM503 and SM703 take over
    assert only(check(root, dt.date(2027, 1, 10)), "SM713") == []
