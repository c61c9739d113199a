"""The shipped sample dataset passes every rule and is the size the site needs."""

from __future__ import annotations

from conftest import ROOT, TODAY, check

from smesa.data import models
from smesa.data.repository import load_repository


def test_sample_data_has_no_findings():
    assert [f"{f.path}:{f.line} {f.rule} {f.message}" for f in check(ROOT, TODAY)] == []


def test_sample_data_covers_the_site():
    repo = load_repository(ROOT, TODAY)
    members = repo.of(models.Member)
    cases = repo.of(models.Case)
    assert len(members) >= 25
    assert len({m.record.economy for m in members}) >= 12
    assert len(cases) >= 15
    assert {c.record.year for c in cases if c.record.status == "published"} == {2025, 2026}
    assert {c.record.status for c in cases} >= {"draft", "submitted", "published"}
    assert all(c.record.title.en and c.record.title.zh for c in cases)
    assert len(repo.of(models.Presidium)) == 1
    assert len(repo.of(models.Proposal)) >= 1
    assert {m.record.type for m in repo.of(models.Meeting)} == {"plenary", "presidium", "smewg"}


def test_every_sample_record_is_marked_except_the_real_secretariat():
    repo = load_repository(ROOT, TODAY)
    unmarked = sorted(e.id for e in repo.entries if not e.record.sample)
    assert unmarked == ["ccpsmed"]
