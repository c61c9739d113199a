"""Branches of the ToR rules (smesa/check/rules/tor.py) that no other test reaches
(`make coverage` lists them): each a single change to the baseline repository that the
rule must report, with the message it must give."""

from __future__ import annotations

import copy
import datetime as dt

import yaml
from conftest import ROOT, TODAY, baseline, check

D = dt.date
WEBSITE = "data/bodies/smesa-website.yml"
PRESIDIUM = "data/presidium/presidium-2025-2028.yml"
TOR = "data/reference/tor.yml"


def found(make_repo, files, rule: str, *, raw=None, today=TODAY) -> list[tuple]:
    root = make_repo(files, raw=raw)
    return [(f.path, f.message) for f in check(root, today) if f.rule == rule]


def with_tor(**changes) -> dict:
    files = baseline()
    tor = yaml.safe_load((ROOT / TOR).read_text("utf-8"))
    tor.update(changes)
    files[TOR] = tor
    return files


def test_SM613_a_website_with_no_url_is_not_this_site(make_repo):
    files = baseline()
    del files[WEBSITE]["url"]
    mkdocs = {"mkdocs.yml": "site_name: SMESA\nsite_url: https://smesa.example/\n"}
    assert found(make_repo, files, "SM613", raw=mkdocs) == [
        (
            WEBSITE,
            "the website's url (none) is not the address this repository publishes the site "
            "at (https://smesa.example/, mkdocs.yml site_url)",
        )
    ]


def test_SM614_an_smewg_sessions_own_outcomes_pass_and_an_election_does_not(make_repo):
    files = baseline()
    files["data/meetings/smewg60.yml"]["decisions"] = [
        {"kind": "other", "text": {"en": "Cases approved.", "zh": "批准案例。"}},
        {"kind": "election", "text": {"en": "Elected.", "zh": "选举。"}},
    ]
    assert found(make_repo, files, "SM614") == [
        (
            "data/meetings/smewg60.yml",
            "a decision of kind 'election' is the alliance's, not the SMEWG's: it is taken "
            "at a plenary or Presidium meeting",
        )
    ]


def test_SM604_a_draft_body_not_set_up_needs_no_approval_yet(make_repo):
    files = baseline()
    files["data/bodies/hub.yml"] = {
        "id": "hub",
        "sample": True,
        "status": "draft",
        "type": "platform",
        "name": {"en": "Hub", "zh": "平台"},
        "description": {"en": "A hub.", "zh": "平台。"},
    }
    assert found(make_repo, files, "SM604") == []


def test_SM604_an_approval_after_the_body_was_set_up_is_refused(make_repo):
    files = baseline()
    files[WEBSITE]["approval"]["sce"]["date"] = D(2025, 7, 15)
    assert found(make_repo, files, "SM604") == [
        (WEBSITE, "SCE approval (2025-07-15) comes after the body was established (2025-07-01)")
    ]


def test_SM605_a_term_starting_before_the_previous_one_ends_is_refused(make_repo):
    files = baseline()
    following = copy.deepcopy(files[PRESIDIUM])
    following.update(id="presidium-2028-2031", start=D(2028, 9, 1), end=D(2031, 8, 31))
    files["data/presidium/presidium-2028-2031.yml"] = following
    assert (
        "data/presidium/presidium-2028-2031.yml",
        "term starts 2028-09-01, before the term presidium-2025-2028 ends (2028-09-15)",
    ) in found(make_repo, files, "SM605")


def test_SM606_a_vice_chair_outside_the_presidium_and_a_member_gone_before_it(make_repo):
    files = baseline()
    files[PRESIDIUM]["vice_chairs"] = ["beta", "gamma"]
    files["data/members/beta.yml"].update(status="withdrawn", withdrawn=D(2025, 3, 1))
    assert found(make_repo, files, "SM606") == [
        (PRESIDIUM, "Vice Chair 'gamma' is not among members"),
        (PRESIDIUM, "'beta' withdrew on 2025-03-01, before the term"),
    ]


def test_SM606_an_election_after_the_term_started_is_refused(make_repo):
    files = baseline()
    files[PRESIDIUM].update(start=D(2025, 9, 1), end=D(2028, 8, 31))
    assert found(make_repo, files, "SM606") == [
        (PRESIDIUM, "elected at a meeting on 2025-09-16, after the term started (2025-09-01)")
    ]


def test_SM607_an_advisor_serving_before_the_appointment_is_refused(make_repo):
    files = baseline()
    files[PRESIDIUM]["advisors"][0]["since"] = D(2025, 9, 1)
    assert found(make_repo, files, "SM607") == [
        (PRESIDIUM, "advisor serves from 2025-09-01, before being appointed (2025-09-16)")
    ]


def test_SM609_a_member_withdrawn_before_it_joined_is_refused(make_repo):
    files = baseline()
    files["data/members/beta.yml"].update(status="withdrawn", withdrawn=D(2014, 1, 1))
    assert found(make_repo, files, "SM609") == [
        ("data/members/beta.yml", "withdrawn 2014-01-01 before joining")
    ]


def test_SM701_a_year_outside_the_term_is_refused(make_repo):
    files = baseline()
    files["data/proposals/recommendations-2025.yml"]["year"] = 2029
    assert found(make_repo, files, "SM701") == [
        ("data/proposals/recommendations-2025.yml", "year 2029 is outside the term (2025–2028)")
    ]


def test_SM702_after_the_smewg_review_the_warning_asks_for_the_sces(make_repo):
    review = {"forum": "SMEWG", "date": D(2028, 8, 17), "ref": "2028/SMEWG67/012"}
    files = with_tor(reviews=[review])
    assert found(make_repo, files, "SM702", today=D(2028, 10, 1)) == [
        (
            TOR,
            "the alliance's term ends on 2028-12-31, in 91 days: the SMEWG reviewed it on "
            "2028-08-17; the SCE must review it before then",
        )
    ]


def test_SM704_a_revision_not_yet_decided_setting_nothing_or_an_unknown_folder(make_repo):
    def revision(day: dt.date, sets: dict) -> dict:
        approval = {"date": day, "ref": f"{day.year}/SMEWG62/020"}
        return {"approval": approval, "summary": {"en": "A revision."}, "sets": sets}

    files = with_tor(
        revisions=[
            revision(D(2026, 12, 20), {"presidium_term_years": 3}),
            revision(D(2026, 5, 12), {}),
            revision(D(2026, 5, 12), {"approval_required": ["cases", "newsletters"]}),
        ]
    )
    about_revisions = [m for _, m in found(make_repo, files, "SM704") if "revision" in m[:12]]
    assert about_revisions == [
        "revision 1 is dated 2026-12-20, after today: record it once decided",
        "revision 2 sets no parameter",
        "revision 3: 'newsletters' is not a data folder",
    ]


def test_SM705_a_review_dated_after_today_is_refused(make_repo):
    review = {"forum": "SMEWG", "date": D(2026, 12, 20), "ref": "2026/SMEWG63/012"}
    assert found(make_repo, with_tor(reviews=[review]), "SM705") == [
        (
            TOR,
            "the SMEWG review is dated 2026-12-20, after today: record it once it has taken place",
        )
    ]


def test_SM501_the_quorum_counts_the_members_active_on_the_day(make_repo):
    """Of all members, those that joined by the plenary's day and had not withdrawn by
    it: one joining after it and one withdrawn that day are not counted; one withdrawn
    the day after is."""
    files = baseline()
    beta = files["data/members/beta.yml"]

    def member(name: str, **dates) -> dict:
        return {**copy.deepcopy(beta), "id": name, **dates}

    files["data/members/gamma.yml"] = member("gamma", joined=D(2025, 10, 1))
    for name, gone in (("delta", D(2025, 9, 16)), ("epsilon", D(2025, 9, 17))):
        files[f"data/members/{name}.yml"] = member(name, status="withdrawn", withdrawn=gone)
    files["data/members/zeta.yml"] = member("zeta")
    assert found(make_repo, files, "SM501") == [
        (
            TOR,
            "no annual plenary is recorded for 2025; plenary-2025 was attended by 2 of 4 "
            "member institutions",
        )
    ]


def test_SM704_a_value_a_revision_changed_is_named_as_the_revisions_not_the_tors(make_repo):
    """After a revision that counts, tor.yml states the revised value: the old one is
    reported against the revision, not quoted as the ToR's words."""
    revision = {
        "approval": {"date": D(2026, 5, 12), "ref": "2026/SMEWG62/020"},
        "summary": {"en": "Approval for cases and reports only."},
        "sets": {"approval_required": ["cases", "reports"]},
    }
    files = with_tor(revisions=[revision])
    assert [m for _, m in found(make_repo, files, "SM704")] == [
        "approval_required is activities, bodies, cases, meetings, proposals, reports, but "
        "the last recorded revision that counts sets cases, reports"
    ]
    files[TOR]["approval_required"] = ["cases", "reports"]
    assert found(make_repo, files, "SM704") == []


def test_SM608_a_fee_inside_a_list_is_found(make_repo):
    """A fee key anywhere in a member record, list items included (the schema refuses
    the key too, SM002; SM608 says why)."""
    files = baseline()
    files["data/members/beta.yml"]["services"] = [{"name": "advice", "monthly_dues": 20}]
    assert found(make_repo, files, "SM608") == [
        ("data/members/beta.yml", "membership is free: 'services[0].monthly_dues'")
    ]
