"""Every rule of `smesa check`, listed by hand: a rule that is not here does not run.

One module per family of rules, each citing the ToR clause it enforces
(`smesa.tor.clauses`). Ids and aliases are stable; a retired id is never reused.
"""

from smesa.check.registry import Rule
from smesa.check.rules import (
    approvals,
    integrity,
    nomenclature,
    obligations,
    publication,
    text,
    tor,
    translation,
    workflow,
)

RULES: tuple[Rule, ...] = (
    # Files and records: a file that cannot be read or a record that cannot be checked.
    integrity.yaml_invalid,  # SM001
    integrity.schema_invalid,  # SM002
    integrity.file_misplaced,  # SM003
    integrity.file_not_regular,  # SM004
    integrity.quote_runs_on,  # SM005
    integrity.id_matches_file_name,  # SM101
    integrity.unique_id,  # SM102
    integrity.reference_resolves,  # SM103
    integrity.case_year_folder,  # SM104
    translation.translation_stale,  # SM121
    # Text that renders safely.
    text.control_character,  # SM130
    text.bidi_control,  # SM131
    text.invisible_character,  # SM132
    text.markdown_too_large,  # SM133
    text.markdown_too_deep,  # SM134
    text.markdown_unclosed,  # SM135
    publication.markup_in_text,  # SM140
    publication.reserved_record_id,  # SM141
    publication.image_from_elsewhere,  # SM142
    publication.relative_link,  # SM143
    integrity.apec_economy,  # SM201
    # The Terms of Reference.
    tor.annual_plenary,  # SM501
    tor.annual_case_collection,  # SM502
    tor.annual_recommendation_paper,  # SM503
    tor.annual_member_activities,  # SM504
    tor.membership_growth,  # SM505
    tor.english_output,  # SM601
    tor.english_is_english,  # SM602
    tor.prior_smewg_approval,  # SM603
    tor.new_body_approval,  # SM604
    tor.presidium_term,  # SM605
    tor.presidium_officers,  # SM606
    tor.advisor_appointed,  # SM607
    tor.membership_free,  # SM608
    tor.membership_dates,  # SM609
    tor.non_member_approval,  # SM610
    tor.publication_dated,  # SM611
    tor.placeholder_left,  # SM612
    tor.alliance_website,  # SM613
    tor.presidium_acts_at_alliance_meetings,  # SM614
    tor.paper_discussed_by_presidium,  # SM615
    approvals.smewg_reference_form,  # SM620
    approvals.smewg_session_recorded,  # SM621
    approvals.approval_reference_shared,  # SM622
    approvals.member_admission_recorded,  # SM623
    workflow.placeholder_submitted,  # SM619
    tor.within_term,  # SM701
    tor.sunset_approaching,  # SM702
    tor.annual_report,  # SM703
    tor.tor_change_recorded,  # SM704
    tor.term_review_order,  # SM705
    tor.extension_approved,  # SM706
    tor.membership_history_sourced,  # SM707
    obligations.obligation_due_soon,  # SM710
    obligations.presidium_election_due,  # SM711
    obligations.presidium_in_office,  # SM712
    obligations.obligation_overdue,  # SM713
    # APEC nomenclature.
    nomenclature.nomenclature_en,  # SM901
    nomenclature.nomenclature_zh,  # SM902
)

BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
