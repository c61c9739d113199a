"""The Presidium across the 2028 boundary: the rules admit exactly the lawful histories.

ToR §6 sets three-year Presidium terms; §7 ends the alliance on 31 December 2028 unless
the SCE extends it. So a term that starts in late 2028 is cut by the sunset, or runs on
its full three years once an extension is recorded; the dashboard and SM711 never ask
for an election the rules would then refuse.
"""

from __future__ import annotations

import copy
import datetime as dt

import yaml
from conftest import ROOT, baseline, check

from smesa.check.findings import Severity
from smesa.data.repository import load_repository
from smesa.tor.obligations import dashboard

FIRST = "data/presidium/presidium-2025-2028.yml"
NEXT = "data/presidium/presidium-2028.yml"
PLENARY_2028 = "data/meetings/plenary-2028.yml"
TOR = "data/reference/tor.yml"

REVIEW = {"forum": "SMEWG", "date": dt.date(2028, 8, 17), "ref": "2028/SMEWG67/009"}
EXTENSION = {
    "until": dt.date(2032, 12, 31),
    "approval": {"date": dt.date(2028, 11, 20), "ref": "2028/SOM3/SCE/014"},
}


def tor(*, reviews=(), extensions=()) -> dict:
    data = yaml.safe_load((ROOT / TOR).read_text("utf-8"))
    data["reviews"] = [dict(r) for r in reviews]
    data["extensions"] = [copy.deepcopy(e) for e in extensions]
    return data


def history(end: dt.date | None, *, extended: bool = False, until=None) -> dict:
    """The baseline, the 2028 plenary that elects the next Presidium, that term (None:
    not elected), and the SMEWG review and SCE extension when `extended`."""
    records = baseline()
    plenary = copy.deepcopy(records["data/meetings/plenary-2025.yml"])
    plenary.update(id="plenary-2028", date=dt.date(2028, 9, 12))
    plenary["decisions"] = [
        {
            "kind": "election",
            "text": {"en": "Presidium elected.", "zh": "选举产生主席团。"},
            "presidium": "presidium-2028",
        }
    ]
    if end is not None:
        records[PLENARY_2028] = plenary
        term = copy.deepcopy(records[FIRST])
        term.update(id="presidium-2028", start=dt.date(2028, 9, 16), end=end)
        term["elected_at"] = "plenary-2028"
        term["advisors"] = []
        records[NEXT] = term
    if extended:
        extension = copy.deepcopy(EXTENSION)
        if until:
            extension["until"] = until
        records[TOR] = tor(reviews=[REVIEW], extensions=[extension])
    return records


def errors(root, day):
    return [(f.rule, f.path, f.message) for f in check(root, day) if f.severity is Severity.ERROR]


def of(root, day, rule):
    return [(f.path, f.message, f.fix) for f in check(root, day) if f.rule == rule]


def election(root, day):
    board = dashboard(load_repository(root, day))
    return [(o.state, str(o.due), o.met_by) for o in board.obligations if o.key.startswith("pres")]


# -- without an extension: the sunset cuts the next term ------------------------------


def test_a_term_cut_by_the_sunset_is_lawful(make_repo):
    root = make_repo(history(dt.date(2028, 12, 31)))
    for day in (dt.date(2028, 9, 1), dt.date(2028, 10, 1), dt.date(2028, 12, 31)):
        assert errors(root, day) == [], day
    assert election(root, dt.date(2028, 9, 1)) == [("met", "2028-09-15", "presidium-2028")]
    # the term in office ends with the alliance: no election is due, and none is asked for
    assert election(root, dt.date(2028, 10, 1)) == []
    assert of(root, dt.date(2028, 11, 15), "SM711") == []


def test_a_full_term_past_the_sunset_is_outside_the_alliances_term(make_repo):
    root = make_repo(history(dt.date(2031, 9, 15)))
    assert errors(root, dt.date(2028, 10, 1)) == [
        (
            "SM701",
            NEXT,
            "end 2031-09-15 is outside the alliance's term (2025-01-01 to 2028-12-31)",
        )
    ]
    assert of(root, dt.date(2028, 10, 1), "SM701")[0][2] == (
        "end the term on 2028-12-31, with the alliance's, or record the SCE's extension in "
        "data/reference/tor.yml"
    )


def test_a_cut_term_must_end_on_the_sunset(make_repo):
    root = make_repo(history(dt.date(2028, 11, 30)))
    assert [m for _, m, _ in of(root, dt.date(2028, 10, 1), "SM605")] == [
        "a Presidium term lasts 3 years, cut by the end of the alliance's term: from "
        "2028-09-16 it ends on 2028-12-31, when the alliance ends unless the SCE extends it, "
        "not 2028-11-30"
    ]


def test_no_next_term_is_a_gap_the_rules_report(make_repo):
    root = make_repo(history(None))
    assert [m for _, m, _ in of(root, dt.date(2028, 8, 1), "SM711")] == [
        "the Presidium's term ends on 2028-09-15, in 45 days, and no next term is recorded: "
        "the members must elect the next Presidium"
    ]
    assert errors(root, dt.date(2028, 10, 1)) == [
        ("SM712", FIRST, "no Presidium is in office on 2028-10-01: this term ended on 2028-09-15")
    ]
    assert election(root, dt.date(2028, 10, 1)) == [("overdue", "2028-09-15", None)]


def test_after_the_sunset_nothing_is_due_but_the_end_is_said(make_repo):
    root = make_repo(history(dt.date(2028, 12, 31)))
    day = dt.date(2029, 2, 1)
    assert errors(root, day) == []
    assert election(root, day) == []
    assert [m for _, m, _ in of(root, day, "SM702")] == [
        "the alliance's term ended on 2028-12-31 (32 days ago)"
    ]


# -- with an extension recorded: the next term runs on ---------------------------------


def test_with_an_extension_a_full_term_is_lawful(make_repo):
    root = make_repo(history(dt.date(2031, 9, 15), extended=True))
    for day in (dt.date(2028, 10, 1), dt.date(2029, 1, 10), dt.date(2031, 9, 15)):
        assert errors(root, day) == [], day
    assert election(root, dt.date(2029, 1, 10)) == [("due", "2031-09-15", None)]


def test_with_an_extension_the_cut_term_runs_on(make_repo):
    root = make_repo(history(dt.date(2028, 12, 31), extended=True))
    assert errors(root, dt.date(2029, 1, 10)) == [
        (
            "SM605",
            NEXT,
            "a Presidium term lasts 3 years: from 2028-09-16 it ends on 2031-09-15 (the SCE "
            "extended the alliance to 2032-12-31), not 2028-12-31",
        ),
        ("SM712", NEXT, "no Presidium is in office on 2029-01-10: this term ended on 2028-12-31"),
    ]


def test_a_shorter_extension_cuts_the_term_at_its_end(make_repo):
    root = make_repo(history(dt.date(2030, 12, 31), extended=True, until=dt.date(2030, 12, 31)))
    assert errors(root, dt.date(2029, 1, 10)) == []
    longer = make_repo(history(dt.date(2031, 9, 15), extended=True, until=dt.date(2030, 12, 31)))
    assert [e[0] for e in errors(longer, dt.date(2029, 1, 10))] == ["SM701"]


def test_an_extension_decided_after_expiry_moves_nothing(make_repo):
    records = history(dt.date(2031, 9, 15), extended=True)
    records[TOR]["extensions"][0]["approval"]["date"] = dt.date(2029, 1, 15)
    records[TOR]["extensions"][0]["approval"]["ref"] = "2029/SOM1/SCE/002"
    root = make_repo(records)
    assert ("SM701", NEXT) in [e[:2] for e in errors(root, dt.date(2029, 2, 1))]


def test_an_extension_without_the_smewg_review_moves_nothing(make_repo):
    records = history(dt.date(2031, 9, 15), extended=True)
    records[TOR]["reviews"] = []
    root = make_repo(records)
    assert ("SM701", NEXT) in [e[:2] for e in errors(root, dt.date(2028, 12, 1))]
