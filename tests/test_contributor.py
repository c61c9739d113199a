"""The contributor's tools on real files: smesa new, smesa fmt, smesa i18n."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, check, smesa

from smesa.data.loader import load_bytes, load_file
from smesa.data.repository import data_files
from smesa.data.texts import fingerprint
from smesa.tools.fmt import format_text, rewrite

CASE = "data/cases/2025/alpha-finance.yml"


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


# --- smesa new ------------------------------------------------------------------------


def test_new_case_passes_the_check(make_repo):
    root = make_repo()
    result = smesa(
        "new",
        "case",
        "--title-en",
        "Export coaching for first-time exporters",
        "--member",
        "beta",
        "--topics",
        "market-access-and-gvcs, skills-and-talent",
        "--year",
        "2026",
        cwd=root,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rel = "data/cases/2026/export-coaching-for-first-time-exporters.yml"
    assert result.stdout.splitlines() == [f"wrote {rel}", "0 errors, 0 warnings in 1 file"]
    text = (root / rel).read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schema/cases.schema.json\n")
    data = load_file(root / rel).data
    assert data["topics"] == ["market-access-and-gvcs", "skills-and-talent"]
    assert data["status"] == "draft"
    assert "# published: YYYY-MM-DD" in text  # optional fields are there, commented
    assert check(root) == []
    assert smesa("fmt", "--check", rel, cwd=root).returncode == 0


def test_new_member_and_meeting(make_repo):
    root = make_repo()
    member = smesa(
        "new",
        "member",
        "--name-en",
        "Gamma SME Hub",
        "--economy",
        "VN",
        "--joined",
        "2026-01-05",
        "--head-en",
        "Nguyen Van An",
        "--admission-ref",
        "SMESA-SEC/2026/001",
        cwd=root,
    )
    assert member.returncode == 0, member.stderr
    meeting = smesa(
        "new",
        "meeting",
        "--title-en",
        "Presidium meeting",
        "--type",
        "presidium",
        "--date",
        "2026-03-02",
        cwd=root,
    )
    assert meeting.returncode == 0, meeting.stderr
    assert (root / "data/members/gamma-sme-hub.yml").is_file()
    assert (root / "data/meetings/presidium-2026-03-02.yml").is_file()
    assert check(root) == []


def test_new_takes_every_fact_it_asks_for_as_an_option():
    from smesa.cli import NEW_OPTIONS
    from smesa.tools.scaffold import QUESTIONS

    asked = {question.name for questions in QUESTIONS.values() for question in questions}
    assert sorted(NEW_OPTIONS) == sorted(asked)


def test_new_refuses_what_does_not_fit(make_repo):
    root = make_repo()
    unknown = smesa(
        "new", "case", "--title-en", "X", "--member", "nobody", "--topics", "x", cwd=root
    )
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("smesa: error: no member 'nobody' in data/members/")
    missing = smesa("new", "case", "--title-en", "X", cwd=root)
    assert missing.returncode == 2
    assert "missing --member, --topics" in missing.stderr
    args = (
        "new",
        "member",
        "--name-en",
        "Beta Business Network",
        "--economy",
        "PRC",
        "--head-en",
        "Chen Hua",
        "--admission-ref",
        "SMESA-SEC/2026/002",
    )
    assert smesa(*args, "--id", "beta", cwd=root).stderr.startswith(
        "smesa: error: data/members/beta.yml exists already"
    )
    assert "Traceback" not in unknown.stderr + missing.stderr


# --- smesa fmt -------------------------------------------------------------------------


def test_fmt_keeps_every_value_of_the_sample_data_and_is_idempotent(sample_copy):
    files = [rel for rel in data_files(sample_copy) if rel.endswith(".yml")]
    before = {rel: load_file(sample_copy / rel).data for rel in files}
    first = [rewrite(sample_copy, rel) for rel in files]
    assert [o.path for o in first if o.status == "refused"] == []
    assert {rel: load_file(sample_copy / rel).data for rel in files} == before
    again = [rewrite(sample_copy, rel) for rel in files]
    assert {o.status for o in again} == {"unchanged"}


def test_fmt_orders_keys_quotes_sparingly_and_keeps_comments():
    source = (
        "title: {zh: 标题, en: 'Title'}\n"
        "# the member\n"
        "member: alpha   \n"
        "id: alpha-finance\n"
        "topics: ['access-to-finance']\n"
        "year: 2025\n"
        "status: draft\n"
        'summary:\n  en: "01234"\n'
    )
    formatted = format_text(source, CASE)
    assert formatted == (
        "# yaml-language-server: $schema=../../../schema/cases.schema.json\n"
        "id: alpha-finance\n"
        "year: 2025\n"
        "# the member\n"
        "member: alpha\n"
        "topics: [access-to-finance]\n"
        "status: draft\n"
        "title: {en: Title, zh: 标题}\n"
        "summary:\n  en: '01234'\n"
    )
    assert load_bytes(formatted.encode()).data == load_bytes(source.encode()).data


def test_fmt_check_and_rename(make_repo):
    root = make_repo()
    assert smesa("fmt", "--check", cwd=root).returncode == 1  # yaml.safe_dump's style
    assert smesa("fmt", cwd=root).returncode == 0
    files = len(list((root / "data").rglob("*.yml")))  # the baseline and the reference data
    assert smesa("fmt", "--check", cwd=root).stdout.endswith(
        f"0 would reformat, {files} unchanged, 0 refused\n"
    )
    member = root / "data/members/beta.yml"
    member.rename(root / "data/members/old-name.yml")
    result = smesa("fmt", cwd=root)
    assert "reformatted data/members/old-name.yml -> data/members/beta.yml" in result.stdout
    assert member.is_file()


def test_fmt_refuses_to_change_meaning_or_touch_broken_files(make_repo):
    root = make_repo(raw={"data/members/gamma.yml": "id: gamma\nname: {en: TRUE}\n"})
    # ruamel.yaml reads TRUE as a boolean (and would write `true`); the project's loader
    # reads the text 'TRUE'.
    outcome = rewrite(root, "data/members/gamma.yml")
    assert (outcome.status, outcome.detail) == (
        "refused",
        "formatting would change its values; left as it is",
    )
    (root / "data/members/delta.yml").write_text("id: delta\nid: again\n", "utf-8")
    assert rewrite(root, "data/members/delta.yml").status == "refused"
    assert (root / "data/members/delta.yml").read_text() == "id: delta\nid: again\n"


# --- translations ------------------------------------------------------------------------


def test_stale_translation_is_detected_after_an_english_edit(make_repo):
    root = make_repo()
    result = smesa("i18n", "--stamp", CASE, cwd=root)
    assert result.returncode == 0, result.stderr
    data = load_file(root / CASE).data
    assert data["title"]["zh_source"] == fingerprint(data["title"]["en"])
    assert check(root) == []
    path = root / CASE
    path.write_text(
        path.read_text("utf-8").replace("Faster loans for small firms", "Cheaper loans"), "utf-8"
    )
    stale = [(f.rule, f.message) for f in check(root)]
    assert stale == [("SM121", "title.en has changed since title.zh was translated from it")]
    report = smesa("i18n", cwd=root).stdout
    assert f"{CASE}:" in report and "stale title.zh" in report


def test_fingerprint_ignores_rewrapping():
    assert fingerprint("Faster loans\n for  small firms ") == fingerprint(
        "Faster loans for small firms"
    )
    assert fingerprint("Faster loans") != fingerprint("Cheaper loans")


def test_i18n_coverage_report(make_repo):
    from conftest import baseline

    case = baseline()[CASE]
    del case["summary"]["zh"]
    result = smesa("i18n", cwd=make_repo(changes={CASE: case}))
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["kind", "texts", "zh", "missing", "stale", "unverified"]
    cases = next(line.split() for line in lines if line.startswith("cases "))
    assert cases == ["cases", "3", "67%", "1", "0", "2"]
    assert lines[-1].startswith(f"{CASE}:") and lines[-1].endswith("missing summary.zh")


def test_sample_data_is_formatted():
    outcomes = [
        rewrite(ROOT, rel, check_only=True) for rel in data_files(ROOT) if rel.endswith(".yml")
    ]
    assert [o.path for o in outcomes if o.status != "unchanged"] == []


def test_sample_translations_are_stamped():
    findings = check(ROOT, TODAY)
    assert [f for f in findings if f.rule == "SM121"] == []


@pytest.mark.build
def test_scaffolded_records_build_into_the_site(tmp_path: Path):
    from conftest import RepoFactory
    from test_site_build import site_repository, smesa_build

    root = site_repository(RepoFactory(tmp_path))
    member = smesa(
        "new",
        "member",
        "--name-en",
        "Gamma SME Hub",
        "--economy",
        "VN",
        "--head-en",
        "Nguyen Van An",
        "--joined",
        "2026-01-05",
        "--admission-ref",
        "SMESA-SEC/2026/001",
        cwd=root,
    )
    case = smesa(
        "new",
        "case",
        "--title-en",
        "Export coaching",
        "--member",
        "gamma-sme-hub",
        "--topics",
        "skills-and-talent",
        "--year",
        "2026",
        cwd=root,
    )
    assert (member.returncode, case.returncode) == (0, 0), member.stderr + case.stderr
    built = smesa_build(root)
    assert built.returncode == 0, built.stderr
    page = (root / "site" / "members" / "gamma-sme-hub" / "index.html").read_text("utf-8")
    assert "Gamma SME Hub" in page
    assert not (root / "site" / "cases" / "export-coaching").exists()  # a draft: not shown
