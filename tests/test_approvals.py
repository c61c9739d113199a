"""Approvals verified: SM620-SM623 on real repositories written to disk."""

from __future__ import annotations

import copy
import datetime as dt

from conftest import baseline, check, text

CASE = "data/cases/2025/alpha-finance.yml"


def found(root, rule: str) -> list[tuple[str, int, str, str]]:
    return [(f.path, f.line, f.message, f.fix) for f in check(root) if f.rule == rule]


def with_case_approval(make_repo, ref: str, day: dt.date = dt.date(2025, 5, 20)):
    files = baseline()
    files[CASE]["approval"] = {"smewg": {"date": day, "ref": ref}}
    return make_repo(files)


def test_SM620_the_baseline_approvals_have_the_apec_form(make_repo):
    assert [f for f in check(make_repo()) if f.rule.startswith("SM62")] == []


def test_SM620_approved_by_email_is_refused(make_repo):
    root = with_case_approval(make_repo, "approved by email")
    assert found(root, "SM620") == [
        (
            CASE,
            12,
            "approval.smewg.ref is not an APEC document number like YYYY/SMEWGNN/NNN: "
            "'approved by email'",
            "write the number of the SMEWG's document, in the form YYYY/SMEWGNN/NNN",
        )
    ]


def test_SM620_the_year_of_the_document_is_the_year_of_the_approval(make_repo):
    root = with_case_approval(make_repo, "2024/SMEWG60/011")
    assert [m for _, _, m, _ in found(root, "SM620")] == [
        "approval.smewg.ref is a document of 2024, but the approval is dated 2025-05-20"
    ]


def test_SM621_a_session_not_recorded_is_refused(make_repo):
    root = with_case_approval(make_repo, "2025/SMEWG59/011")
    assert [m for _, _, m, _ in found(root, "SM621")] == [
        "approval.smewg.ref names SMEWG59, which is not recorded in data/meetings/"
    ]


def test_SM621_an_approval_before_its_session_is_refused(make_repo):
    root = with_case_approval(make_repo, "2025/SMEWG60/011", dt.date(2025, 5, 1))
    assert found(root, "SM621") == [
        (
            CASE,
            11,
            "approval.smewg.date is 2025-05-01, before SMEWG60 opened on 2025-05-13",
            "date the approval on or after 2025-05-13, the day of the session",
        )
    ]
    assert (
        found(with_case_approval(make_repo, "2025/SMEWG60/011", dt.date(2025, 5, 13)), "SM621")
        == []
    )


def test_SM622_a_reference_copied_to_another_output_warns(make_repo):
    files = baseline()
    other = copy.deepcopy(files[CASE])
    other["id"] = "alpha-training"
    other["title"] = text("Training for exporters", "出口培训")
    files["data/cases/2025/alpha-training.yml"] = other
    found_shared = found(make_repo(files), "SM622")
    assert [(p, m) for p, _, m, _ in found_shared] == [
        (
            "data/cases/2025/alpha-training.yml",
            f"2025/SMEWG60/011 is cited already by {CASE} (approval.smewg.ref) for something else",
        )
    ]
    other["approval"] = {"smewg": {"date": dt.date(2025, 5, 20), "ref": "2025/SMEWG60/012"}}
    assert found(make_repo(files), "SM622") == []


def test_SM622_one_participant_approved_once_may_be_named_twice(make_repo):
    files = baseline()
    observer = {
        "name": text("Asia-Pacific SME Finance Observatory", "亚太中小企业金融观察组织"),
        "kind": "international-organisation",
        "approval": {"date": dt.date(2025, 5, 13), "ref": "2025/SMEWG60/017"},
    }
    files["data/meetings/plenary-2025.yml"]["guests"] = [observer]
    files[CASE]["partners"] = [copy.deepcopy(observer)]
    assert found(make_repo(files), "SM622") == []
    files[CASE]["partners"][0]["name"] = text("Another Observatory", "另一观察组织")
    assert len(found(make_repo(files), "SM622")) == 1


def test_SM623_a_member_joining_during_the_term_needs_its_admission(make_repo):
    files = baseline()
    files["data/members/beta.yml"]["joined"] = dt.date(2026, 2, 16)
    root = make_repo(files)
    assert found(root, "SM623") == [
        (
            "data/members/beta.yml",
            8,
            "joined 2026-02-16, during the term, with no admission record",
            "add admission: {date: YYYY-MM-DD, ref: <the Secretariat's document number>} "
            "from the Secretariat's record of the decision",
        )
    ]
    files["data/members/beta.yml"]["admission"] = {"date": dt.date(2026, 3, 1), "ref": "by email"}
    assert sorted(m for _, _, m, _ in found(make_repo(files), "SM623")) == [
        "admission.date 2026-03-01 is after joined 2026-02-16",
        "admission.ref is not a number of the Secretariat's records: 'by email'",
    ]
    files["data/members/beta.yml"]["admission"] = {
        "date": dt.date(2026, 2, 10),
        "ref": "SMESA-SEC/2026/003",
    }
    assert found(make_repo(files), "SM623") == []


def test_SM623_members_of_before_the_term_are_exempt(make_repo):
    assert found(make_repo(), "SM623") == []  # beta joined in 2015, alpha is a founder


def test_SM623_the_secretariats_numbering_is_one_setting(make_repo):
    """[tool.smesa] secretariat-reference in pyproject.toml sets the form SM623 checks
    and its hint shows; the shipped form is visibly a pattern, which no number matches."""
    from conftest import ROOT

    from smesa.data.config import secretariat_reference

    shipped = secretariat_reference(ROOT)
    assert shipped.form == "SMESA-SEC/YYYY/NNN"
    assert shipped.pattern.fullmatch(shipped.form) is None  # a hint copied as is fails
    assert shipped.pattern.fullmatch(shipped.example(2026, 3)) is not None
    files = baseline()
    files["data/members/beta.yml"]["joined"] = dt.date(2026, 2, 16)
    files["data/members/beta.yml"]["admission"] = {
        "date": dt.date(2026, 2, 10),
        "ref": "SMESA-SEC/2026/003",
    }
    root = make_repo(files)
    assert found(root, "SM623") == []
    (root / "pyproject.toml").write_text(
        '[tool.smesa]\nsecretariat-reference = "CCPSMED-NNNN/YYYY"\n', "utf-8"
    )
    assert [(m, fix) for _, _, m, fix in found(root, "SM623")] == [
        (
            "admission.ref is not a number of the Secretariat's records: 'SMESA-SEC/2026/003'",
            "write the number of the Secretariat's record, in the form CCPSMED-NNNN/YYYY",
        )
    ]
    member = root / "data/members/beta.yml"
    member.write_text(member.read_text("utf-8").replace("SMESA-SEC/2026/003", "CCPSMED-0012/2026"))
    assert found(root, "SM623") == []
