"""Every checkable clause of the ToR maps to a rule or a feature, and the rules page
prints the table (smesa.tor.coverage)."""

from __future__ import annotations

import datetime as dt
import inspect

from conftest import ROOT

from smesa.check.rules import RULES
from smesa.data.repository import load_repository
from smesa.site.generate import render, rule_pages
from smesa.site.view import SiteView
from smesa.tor import clauses, coverage


def registry() -> list[tuple[str, clauses.Clause]]:
    return [(rule.id, rule.clause) for rule in RULES]


def test_every_checkable_clause_has_a_rule_or_a_feature():
    bare = [
        f"{row.clause.section} {row.clause.en}"
        for row in coverage.table(registry())
        if not row.rules and not row.features
    ]
    assert bare == []


def test_every_rule_cites_a_checkable_clause():
    listed = set(coverage.CHECKABLE) | {clauses.INTEGRITY}
    assert [rule.id for rule in RULES if rule.clause not in listed] == []


def test_features_reflect_listed_clauses_only():
    stray = [f.name for f in coverage.FEATURES for c in f.clauses if c not in coverage.CHECKABLE]
    assert stray == []


def test_the_table_fails_for_a_clause_with_neither():
    lonely = clauses.Clause("§9", "（无）", "A clause nothing reflects.")
    rows = coverage.table(registry())
    assert all(row.clause != lonely for row in rows)
    original = coverage.CHECKABLE
    try:
        coverage.CHECKABLE = (*original, lonely)
        row = coverage.table(registry())[-1]
        assert (row.clause, row.rules, row.features) == (lonely, (), ())
    finally:
        coverage.CHECKABLE = original


def test_the_rules_page_prints_the_table():
    repo = load_repository(ROOT, dt.date(2026, 12, 1))
    page = render(next(rule_pages()), SiteView(repo), "en")
    assert "## The Terms of Reference clause by clause" in page
    assert "| §6 | Revision of the Terms of Reference: revisions of the ToR" in page
    assert "[SM704](sm704.md)" in page
    rows = [line for line in page.splitlines() if line.startswith("| §")]
    assert len(rows) == len(coverage.CHECKABLE)


def test_every_rule_title_is_one_line():
    # The title is the docstring's first line (registry.Rule.title): a sentence that runs
    # on to the next line is cut in `smesa rules` and on the rules page.
    cut = [r.id for r in RULES if "\n" in inspect.getdoc(r.check).split("\n\n")[0]]
    assert cut == []
