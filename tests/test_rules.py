"""One test per rule, named after its id: the baseline passes it, a targeted change fails it."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

from conftest import APPROVAL, TODAY, baseline, check, text

from smesa.check.findings import Severity
from smesa.check.rules import RULES
from smesa.data.texts import fingerprint

CASE = "data/cases/2025/alpha-finance.yml"
MEMBER = "data/members/alpha.yml"
PRESIDIUM = "data/presidium/presidium-2025-2028.yml"
PLENARY = "data/meetings/plenary-2025.yml"
REPORT = "data/reports/annual-report-2025.yml"


def changed(path: str, **fields):
    record = copy.deepcopy(baseline()[path])
    for key, value in fields.items():
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    return {path: record}


def only(findings, rule):
    return [(f.path, f.line, f.message) for f in findings if f.rule == rule]


def test_baseline_is_clean(make_repo):
    assert check(make_repo()) == []


def test_every_rule_has_a_test():
    names = {
        match
        for path in Path(__file__).parent.glob("test_*.py")
        for match in re.findall(r"^def (test_SM\d+\w*)", path.read_text("utf-8"), re.MULTILINE)
    }
    missing = [r.id for r in RULES if not any(n.startswith(f"test_{r.id}") for n in names)]
    assert missing == []


def test_SM001_yaml_invalid(make_repo):
    root = make_repo(raw={"data/members/gamma.yml": "id: gamma\nid: gamma\nname: [\n"})
    found = only(check(root), "SM001")
    assert found == [
        ("data/members/gamma.yml", 4, "YAML syntax: did not find expected node content")
    ]


def test_SM001_duplicate_key_is_located(make_repo):
    root = make_repo(raw={"data/members/gamma.yml": "id: gamma\nsample: true\nid: gamma\n"})
    found = only(check(root), "SM001")
    assert found == [("data/members/gamma.yml", 3, "duplicate key 'id' (first written at line 1)")]


def test_SM002_schema_invalid(make_repo):
    root = make_repo(changes=changed(CASE, year="2025", colour="blue"))
    found = [(f.line, f.column, f.message, f.fix) for f in check(root) if f.rule == "SM002"]
    assert found == [
        (3, 7, "year must be a whole number: '2025'", "write digits without quotes, e.g. 2025"),
        (
            28,
            1,
            "unknown key 'colour'",
            "allowed keys: approval, beneficiaries, body, challenge, contact, id, member, "
            "partners, published, results, sample, status, summary, title, topics, year",
        ),
    ]


def test_SM002_suggests_close_key(make_repo):
    root = make_repo(changes=changed(CASE, summery=text("x", "y"), summary=None))
    fixes = {f.message: f.fix for f in check(root) if f.rule == "SM002"}
    assert fixes == {
        "summary is required": "add 'summary:' and below it, indented by two spaces, "
        "'en: ' and the English text",
        "unknown key 'summery'": "did you mean 'summary'?",
    }


def test_SM002_an_empty_text_is_refused(make_repo):
    root = make_repo(changes=changed(CASE, summary={}))
    assert [(f.message, f.fix) for f in check(root) if f.rule == "SM002"] == [
        ("summary: a text needs 'en' or 'zh' (or both)", "change the value as the message says")
    ]


def test_SM003_file_misplaced(make_repo):
    root = make_repo(
        raw={"data/cases/2025/extra.yaml": "id: extra\n", "data/notes/x.yml": "a: 1\n"}
    )
    assert [(f.path, f.fix) for f in check(root) if f.rule == "SM003"] == [
        ("data/cases/2025/extra.yaml", "use the .yml extension"),
        (
            "data/notes/x.yml",
            "records live in data/<kind>/ with kind one of: activities, bodies, cases, "
            "meetings, members, presidium, proposals, reports",
        ),
    ]


def test_SM101_id_matches_file_name(make_repo):
    root = make_repo(changes=changed(MEMBER, id="alfa"))
    assert ("data/members/alpha.yml", 1, "id must equal the file name 'alpha': 'alfa'") in only(
        check(root), "SM101"
    )


def test_SM102_unique_id(make_repo):
    case = copy.deepcopy(baseline()[CASE])
    root = make_repo(changes={"data/cases/2026/alpha-finance.yml": {**case, "year": 2026}})
    assert only(check(root), "SM102") == [
        (
            "data/cases/2026/alpha-finance.yml",
            1,
            "id 'alpha-finance' is already used by data/cases/2025/alpha-finance.yml",
        )
    ]


def test_SM103_reference_resolves(make_repo):
    root = make_repo(changes=changed(CASE, member="alpah", topics=["finance"]))
    assert [m for _, _, m in only(check(root), "SM103")] == [
        "member names no member in data/members/: 'alpah'",
        "topics[0] names an unknown topic: 'finance'",
    ]


def test_SM104_case_year_folder(make_repo):
    case = {**baseline()[CASE], "year": 2026}
    root = make_repo(changes={CASE: case})
    assert [m for _, _, m in only(check(root), "SM104")] == [
        "a 2026 case must be at data/cases/2026/alpha-finance.yml",
        "published must fall in the case's year 2026: 2025-06-01",
    ]


def test_SM121_translation_stale(make_repo):
    case = baseline()[CASE]
    case["title"]["zh_source"] = "0000000000"
    found = check(make_repo(changes={CASE: case}))
    assert [(f.line, f.message, f.fix) for f in found if f.rule == "SM121"] == [
        (
            16,
            "title.en has changed since title.zh was translated from it",
            f"make the Chinese say what the English says now, then run: smesa i18n --stamp {CASE}",
        )
    ]
    case["title"]["zh_source"] = fingerprint(case["title"]["en"])
    assert check(make_repo(changes={CASE: case})) == []


def test_SM201_apec_economy(make_repo):
    root = make_repo(changes=changed(MEMBER, economy="TW"))
    found = [(f.message, f.fix) for f in check(root) if f.rule == "SM201"]
    assert found == [
        ("economy is not an APEC economy: 'TW'", "use the APEC code 'CT', not the ISO code")
    ]


def test_SM201_non_apec_code(make_repo):
    root = make_repo(changes=changed(MEMBER, economy="IND"))
    assert [f.message for f in check(root) if f.rule == "SM201"] == [
        "economy is not an APEC economy: 'IND'"
    ]


def test_SM501_annual_plenary(make_repo):
    root = make_repo(changes={PLENARY: {**baseline()[PLENARY], "type": "presidium"}})
    assert [m for _, _, m in only(check(root), "SM501")] == [
        "no annual plenary is recorded for 2025"
    ]
    assert all(f.severity is Severity.WARNING for f in check(root) if f.rule == "SM501")


def test_SM502_annual_case_collection(make_repo):
    root = make_repo(changes=changed(CASE, status="approved", published=None))
    assert [m for _, _, m in only(check(root), "SM502")] == [
        "no published case collection is recorded for 2025"
    ]
    # Not yet due for the running year:
    assert only(check(root, dt.date(2025, 12, 31)), "SM502") == []


def test_SM503_annual_recommendation_paper(make_repo):
    root = make_repo(changes={"data/proposals/recommendations-2025.yml": None})
    assert [m for _, _, m in only(check(root), "SM503")] == [
        "no recommendation paper to the SMEWG is recorded for 2025"
    ]


def test_SM601_english_output(make_repo):
    root = make_repo(changes=changed(CASE, summary={"zh": "只有中文"}, body={"en": " ", "zh": "x"}))
    assert [m for _, _, m in only(check(root), "SM601")] == [
        "summary has no English text",
        "body has no English text",
    ]
    # A draft may be incomplete:
    draft = make_repo(changes=changed(CASE, status="draft", published=None, summary={"zh": "x"}))
    assert only(check(draft), "SM601") == []


def test_SM602_english_is_english(make_repo):
    root = make_repo(changes=changed(CASE, title=text("宁波 loans", "宁波贷款")))
    assert [m for _, _, m in only(check(root), "SM602")] == [
        "title.en is English but holds Chinese text: '宁'…"
    ]


def test_SM603_prior_smewg_approval(make_repo):
    late = {"smewg": {**APPROVAL, "date": dt.date(2025, 6, 2)}}
    root = make_repo(changes=changed(CASE, approval=late))
    assert [m for _, _, m in only(check(root), "SM603")] == [
        "SMEWG approval (2025-06-02) must come on or before published (2025-06-01)"
    ]
    missing = make_repo(changes=changed(CASE, approval=None))
    assert [m for _, _, m in only(check(missing), "SM603")] == [
        "a published case needs a prior SMEWG approval"
    ]


def test_SM604_new_body_approval(make_repo):
    body = {
        "id": "portal",
        "status": "published",
        "type": "platform",
        "name": text("SME portal", "中小企业门户"),
        "description": text("A portal.", "门户。"),
        "established": dt.date(2025, 7, 1),
        "approval": {"smewg": dict(APPROVAL)},
    }
    root = make_repo(changes={"data/bodies/portal.yml": body})
    assert [m for _, _, m in only(check(root), "SM604")] == [
        "a new platform needs SCE approval before it is set up"
    ]
    both = {**body, "approval": {"smewg": dict(APPROVAL), "sce": dict(APPROVAL)}}
    assert only(check(make_repo(changes={"data/bodies/portal.yml": both})), "SM604") == []


def test_SM605_presidium_term(make_repo):
    root = make_repo(changes=changed(PRESIDIUM, end=dt.date(2027, 9, 15)))
    assert [m for _, _, m in only(check(root), "SM605")] == [
        "a Presidium term lasts 3 years: from 2025-09-16 it ends on 2028-09-15, not 2027-09-15"
    ]


def test_SM606_presidium_officers(make_repo):
    root = make_repo(
        changes=changed(PRESIDIUM, chair="beta", vice_chairs=["beta"], members=["beta"])
    )
    assert [m for _, _, m in only(check(root), "SM606")] == [
        "'beta' cannot be Chair and Vice Chair"
    ]
    outsider = make_repo(changes=changed(PRESIDIUM, members=["beta"]))
    assert [m for _, _, m in only(check(outsider), "SM606")] == [
        "the Chair 'alpha' is not among members"
    ]


def test_SM606_election_recorded(make_repo):
    plenary = copy.deepcopy(baseline()[PLENARY])
    plenary["decisions"] = plenary["decisions"][1:]
    root = make_repo(changes={PLENARY: plenary})
    assert [m for _, _, m in only(check(root), "SM606")] == [
        "meeting 'plenary-2025' records no election decision for this Presidium"
    ]


def test_SM607_advisor_appointed(make_repo):
    plenary = copy.deepcopy(baseline()[PLENARY])
    plenary["decisions"] = plenary["decisions"][:1]
    root = make_repo(changes={PLENARY: plenary})
    assert [m for _, _, m in only(check(root), "SM607")] == [
        "meeting 'plenary-2025' records no Presidium decision appointing advisors"
    ]


def test_SM608_membership_free(make_repo):
    root = make_repo(changes=changed(MEMBER, annual_fee=500))
    found = [f for f in check(root) if f.rule in ("SM608", "SM002")]
    assert [(f.rule, f.message) for f in found] == [("SM608", "membership is free: 'annual_fee'")]


def test_SM609_membership_dates(make_repo):
    root = make_repo(changes=changed(MEMBER, joined=dt.date(2001, 1, 1), status="withdrawn"))
    assert [m for _, _, m in only(check(root), "SM609")] == [
        "joined 2001-01-01, before the alliance (2003)",
        "a founding member joined in 2003, not 2001",
        "a withdrawn member needs its 'withdrawn' date",
    ]
    future = make_repo(changes=changed("data/members/beta.yml", joined=TODAY + dt.timedelta(1)))
    assert [m for _, _, m in only(check(future), "SM609")] == ["joined 2026-11-27 is in the future"]


def test_SM610_non_member_approval(make_repo):
    partners = [
        {"name": text("Alpha", "阿尔法"), "kind": "member", "member": "alpha"},
        {"name": text("Gov", "政府"), "kind": "government", "economy": "PE"},
        {"name": text("World Org", "世界组织"), "kind": "international-organisation"},
        {"name": text("Bank", "银行"), "kind": "private-sector", "approval": dict(APPROVAL)},
    ]
    root = make_repo(changes=changed(CASE, partners=partners))
    assert [m for _, _, m in only(check(root), "SM610")] == [
        "partner 'World Org' (international-organisation) needs an approval"
    ]


def test_SM611_publication_dated(make_repo):
    root = make_repo(changes=changed(REPORT, published=None))
    assert [m for _, _, m in only(check(root), "SM611")] == [
        "a published report needs its published date"
    ]
    draft = make_repo(changes=changed(CASE, status="draft"))
    assert [m for _, _, m in only(check(draft), "SM611")] == [
        "a draft case has no publication date yet"
    ]


def test_SM612_placeholder_left(make_repo):
    root = make_repo(changes=changed(CASE, summary=text("TODO: write it", "待补充")))
    assert [(line, m) for _, line, m in only(check(root), "SM612")] == [
        (17, "summary.en still holds a TODO placeholder")
    ]
    draft = make_repo(
        changes=changed(CASE, status="draft", published=None, summary=text("TODO", "x"))
    )
    assert only(check(draft), "SM612") == []


def test_SM701_within_term(make_repo):
    root = make_repo(changes=changed(REPORT, submitted=dt.date(2024, 12, 31)))
    assert [m for _, _, m in only(check(root), "SM701")] == [
        "submitted 2024-12-31 is outside the alliance's term (2025-01-01 to 2028-12-31)"
    ]


def test_SM701_extension_moves_the_end(make_repo, tmp_path):
    meeting = {**baseline()[PLENARY], "id": "plenary-2029", "date": dt.date(2029, 3, 1)}
    root = make_repo(changes={"data/meetings/plenary-2029.yml": meeting})
    assert len(only(check(root, dt.date(2029, 3, 2)), "SM701")) == 1
    tor = root / "data/reference/tor.yml"
    tor.write_text(
        tor.read_text("utf-8")
        .replace(
            "extensions: []",
            "extensions:\n  - until: 2032-12-31\n    approval:\n      date: 2028-11-01\n"
            "      ref: 2028/SOM3/SCE/010",
        )
        .replace(
            "reviews: []",
            "reviews:\n  - forum: SMEWG\n    date: 2028-08-20\n    ref: 2028/SMEWG67/012",
        ),
        "utf-8",
    )
    assert only(check(root, dt.date(2029, 3, 2)), "SM701") == []


def test_SM702_sunset_approaching(make_repo):
    root = make_repo()
    assert only(check(root, dt.date(2027, 12, 31)), "SM702") == []
    assert [m for _, _, m in only(check(root, dt.date(2028, 6, 1)), "SM702")] == [
        "the alliance's term ends on 2028-12-31, in 213 days: the SMEWG and then the SCE must "
        "review it before then"
    ]


def test_SM703_annual_report(make_repo):
    root = make_repo(changes={REPORT: None})
    assert [m for _, _, m in only(check(root), "SM703")] == [
        "no annual report to the SMEWG is recorded for 2025"
    ]


def test_SM901_nomenclature_en(make_repo):
    summary = text("SMEs in member countries, incl. Taiwan and Hong Kong.", "中小企业。")
    root = make_repo(changes=changed(CASE, summary=summary))
    assert [f.message.split(" is not")[0] for f in check(root) if f.rule == "SM901"] == [
        "summary.en: 'member countries'",
        "summary.en: 'Taiwan'",
        "summary.en: 'Hong Kong'",
    ]
    fine = make_repo(changes=changed(CASE, summary=text("Hong Kong, China; Viet Nam.", "x")))
    assert only(check(fine), "SM901") == []


def test_SM902_nomenclature_zh(make_repo):
    summary = text("SMEs.", "各成员国及中华台北、台湾的中小企业。")
    root = make_repo(changes=changed(CASE, summary=summary))
    assert [f.fix for f in check(root) if f.rule == "SM902"] == [
        "write '成员经济体'",
        "write '中国台北'",
        "write '中国台北'",
    ]


# --- messages a contributor can act on -------------------------------------------------

UNCLOSED = """\
id: alpha-finance
year: 2025
member: alpha
topics: [access-to-finance]
status: draft
title:
  en: Faster loans
summary:
  en: 'Loans in 6 days.
challenge:
  en: Banks asked for collateral.
body:
  en: |
    ## Service

    A loan desk for the firm's owners.
"""


def test_SM005_an_unclosed_quote_is_reported_where_it_opens(make_repo):
    root = make_repo(changes={CASE: None}, raw={CASE: UNCLOSED})
    found = [(f.line, f.column, f.rule, f.message, f.fix) for f in check(root) if f.path == CASE]
    assert found == [
        (
            9,
            7,
            "SM005",
            "the text quoted on line 9 is closed only on line 16: the lines between, "
            "with 'challenge', 'body', are read as part of it",
            "add the closing ' at the end of line 9, or remove the opening one",
        )
    ]  # and not "did not find expected key" on line 16
    no_apostrophe = UNCLOSED.replace("firm's", "firms'")
    found = [
        (f.line, f.rule, f.message)
        for f in check(make_repo(changes={CASE: None}, raw={CASE: no_apostrophe}))
        if f.path == CASE
    ]
    assert found == [
        (
            9,
            "SM005",
            "the text quoted on line 9 is closed only on line 16: the lines between, "
            "with 'challenge', 'body', are read as part of it",
        )
    ]  # and not "body is required" on line 1
    fixed = UNCLOSED.replace("'Loans in 6 days.", "'Loans in 6 days.'")
    assert [
        f for f in check(make_repo(changes={CASE: None}, raw={CASE: fixed})) if f.path == CASE
    ] == []


def test_SM005_a_quoted_text_over_several_lines_is_not_reported(make_repo):
    folded = UNCLOSED.replace(
        "  en: 'Loans in 6 days.\n", "  en: 'Loans in 6 days,\n    not 21.'\n"
    ).replace("A loan desk for the firm's owners.", "A loan desk.")
    assert [
        f for f in check(make_repo(changes={CASE: None}, raw={CASE: folded})) if f.path == CASE
    ] == []


def test_SM002_hints_are_edits_to_make_and_name_no_folder(make_repo):
    member = baseline()["data/members/beta.yml"]
    del member["head"], member["joined"], member["type"]
    member["website"] = "ftp://beta"
    root = make_repo(changes={"data/members/beta.yml": member})
    fixes = {f.message: f.fix for f in check(root) if f.rule == "SM002"}
    assert fixes == {
        "head is required": "add 'head:' and below it, indented by two spaces, 'name: …'",
        "joined is required": "add the line 'joined: 2026-05-12' with the real date (YYYY-MM-DD)",
        "type is required": "add the line 'type: government-agency', or with another of: "
        "sme-service-centre, industry-association, chamber-of-commerce, financial-institution, "
        "research-institute, incubator, other",
        "website has the wrong form: 'ftp://beta'": "write the full address, like "
        "https://www.example.org/",
    }
    assert not any("schema/" in fix for fix in fixes.values())


def test_SM602_says_pinyin_only_for_records_of_the_prc(make_repo):
    files = baseline()
    files[CASE]["title"]["en"] = "宁波 loans"  # alpha: PRC
    files["data/members/beta.yml"]["name"]["en"] = "貝塔 network"  # beta: CT
    fixes = {f.path: f.fix for f in check(make_repo(files)) if f.rule == "SM602"}
    assert fixes == {
        CASE: "move the Chinese text to the 'zh' field; in 'en' write names in pinyin",
        "data/members/beta.yml": "move the Chinese text to the 'zh' field; in 'en' write names "
        "as they are written in English",
    }
