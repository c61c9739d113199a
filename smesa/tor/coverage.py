"""Every checkable clause of the ToR, and the rules or features that reflect it.

`CHECKABLE` is the ToR 2025–2028 clause by clause, as far as software can check or
reflect it (the audit of issue 13). A rule reflects a clause by citing it
(`@rule(..., clauses.X, ...)`); a feature by being listed in `FEATURES`. The rules page
prints the table (`table`), and a test fails when a clause has neither.

Clauses the software cannot check (the Presidium "discusses the alliance's working
policies", "studies issues of major significance") are left out: a meeting record shows
them, nothing can tell whether they happened well.
"""

from __future__ import annotations

from dataclasses import dataclass

from smesa.tor import clauses
from smesa.tor.clauses import Clause

NAME = Clause(
    "§1",
    "亚太经合组织中小企业服务联盟（APEC SMESA）",
    "APEC SME Service Alliance (APEC SMESA).",
)
FOUNDING = Clause(
    "§3",
    "2003年，来自APEC经济体的19家服务机构代表齐聚中国宁波，出席首届APEC中小企业服务联盟论坛。"
    "正是在这一重要会议上，该联盟正式成立。",
    "In 2003, representatives of 19 service institutions from APEC economies met in Ningbo, "
    "China, at the first APEC SME Service Alliance Forum, where the alliance was founded.",
)
PLATFORM = Clause(
    "§4.1",
    "APEC中小企业服务联盟是APEC各经济体中小企业服务机构间加强合作、共享资源、促进沟通、"
    "交流经验和分享最佳实践的重要平台。",
    "The alliance is an important platform for the SME service institutions of the APEC "
    "economies to cooperate, share resources, communicate, exchange experience and share "
    "best practice.",
)
PRESIDIUM_DISCUSSES_PAPER = Clause(
    "§6.2",
    "就提交至APEC中小企业工作组的建议书进行研讨。",
    "The Presidium discusses the recommendation paper to be submitted to the SMEWG.",
)
RULE_REVISIONS = Clause("§6.5", "联盟规则修订。", "The Presidium revises the alliance's rules.")
SECRETARIAT = Clause(
    "§6",
    "主席团的执行机构为秘书处（设在中国中小企业发展促进中心），负责联盟的日常工作。",
    "The Presidium's executive body is the Secretariat (hosted by the China Center for "
    "Promotion of SME Development), which runs the alliance's daily work.",
)
FUNDS = Clause(
    "§6",
    "秘书处负责为组织活动筹集资金并积极动员相关机构提供捐助。",
    "The Secretariat raises funds for activities and mobilises donations.",
)
PUBLICATIONS = Clause(
    "§6",
    "须全面遵循APEC各项指南，具体包括：……《APEC出版物指南》……",
    "The alliance follows the APEC Publications Guidelines.",
)
BRANDING = Clause(
    "§6",
    "须全面遵循APEC各项指南，具体包括：……《APEC品牌手册》《APEC标识指南》。",
    "The alliance follows the APEC Branding Manual and the APEC Logo Guidelines.",
)
STRATEGIC_PLAN = Clause(
    "§6",
    "APEC中小企业服务联盟工作与《2025-2028年中小企业工作组战略规划》保持一致。",
    "The alliance's work is aligned with the SMEWG Strategic Plan 2025–2028.",
)

CHECKABLE: tuple[Clause, ...] = (
    NAME,
    clauses.MEMBER_ECONOMIES,
    FOUNDING,
    PLATFORM,
    clauses.ANNUAL_PROPOSAL,
    clauses.MEMBER_ACTIVITIES,
    clauses.ANNUAL_PLENARY,
    clauses.MEMBERSHIP_GROWTH,
    clauses.ANNUAL_CASES,
    clauses.PRESIDIUM,
    PRESIDIUM_DISCUSSES_PAPER,
    clauses.PRESIDIUM_POWERS,
    RULE_REVISIONS,
    SECRETARIAT,
    clauses.MEMBERSHIP,
    FUNDS,
    clauses.PRIOR_APPROVAL,
    clauses.OUTPUTS_IN_ENGLISH,
    clauses.NEW_BODIES,
    clauses.NON_MEMBERS,
    PUBLICATIONS,
    clauses.GUIDELINES,
    BRANDING,
    STRATEGIC_PLAN,
    clauses.TOR_REVISION,
    clauses.ANNUAL_REPORT,
    clauses.SUNSET,
    clauses.SUNSET_REVIEW,
)


@dataclass(frozen=True, slots=True)
class Feature:
    """Something the registry does that reflects clauses without being a rule."""

    name: str
    where: str  # the module or command, for a maintainer
    clauses: tuple[Clause, ...]


FEATURES: tuple[Feature, ...] = (
    Feature(
        "The alliance's name in both languages on every page, the report's cover and its imprint",
        "smesa/templates/labels.yml, smesa/templates/reporting.yml",
        (NAME,),
    ),
    Feature(
        "Membership history from the founding, as data: the members at the end of each "
        "year before the member records begin (tor.yml membership_history)",
        "smesa.report.charts",
        (FOUNDING, clauses.MEMBERSHIP_GROWTH),
    ),
    Feature(
        "The case library, member pages and open data in English and Chinese",
        "smesa.site.generate",
        (PLATFORM, clauses.OUTPUTS_IN_ENGLISH),
    ),
    Feature(
        "Recommendation papers name the meeting that discussed them (`meeting`, SM615); "
        "the annual report lists the Presidium's decisions",
        "smesa.data.models.Proposal, smesa.report.annual",
        (PRESIDIUM_DISCUSSES_PAPER,),
    ),
    Feature(
        "Decisions of kind rule-revision in the minutes of plenaries and Presidium meetings, "
        "listed in the annual report",
        "smesa.data.models.Decision, smesa.report.annual",
        (RULE_REVISIONS,),
    ),
    Feature(
        "The Secretariat named from tor.yml on the about page and as the report's producer",
        "data/reference/tor.yml, smesa.report.pdf",
        (SECRETARIAT,),
    ),
    Feature(
        "Sponsors are listed apart from partners, each with the SMEWG's approval (SM610)",
        "smesa.report.annual",
        (FUNDS,),
    ),
    Feature(
        "The annual report as an APEC publication: imprint, disclaimer, month of "
        "publication, acronyms, numbered tables and figures with sources; DRAFT until "
        "approved; only published records",
        "smesa.report",
        (PUBLICATIONS, clauses.ANNUAL_REPORT),
    ),
    Feature(
        "No APEC logo on the site or in the report (the Secretariat's written permission "
        "is not recorded)",
        "overrides/, smesa.report.pdf",
        (BRANDING,),
    ),
    Feature(
        "Case and paper topics from the SMEWG's priorities (data/reference/topics.yml; the "
        "Strategic Plan's own list is unconfirmed)",
        "data/reference/topics.yml",
        (STRATEGIC_PLAN,),
    ),
    Feature(
        "The governance dashboard: what is due, met, met late or overdue, the reviews and "
        "the next election",
        "smesa status, smesa.tor.obligations",
        (
            clauses.ANNUAL_PLENARY,
            clauses.ANNUAL_CASES,
            clauses.MEMBER_ACTIVITIES,
            clauses.ANNUAL_PROPOSAL,
            clauses.ANNUAL_REPORT,
            clauses.PRESIDIUM,
            clauses.SUNSET_REVIEW,
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Row:
    """One clause of the table: the rules that cite it and the features that reflect it."""

    clause: Clause
    rules: tuple[str, ...]
    features: tuple[str, ...]


def table(rules: list[tuple[str, Clause]]) -> list[Row]:
    """The clauses in ToR order with their rules ((id, cited clause) pairs, from the
    registry) and features."""
    return [
        Row(
            clause,
            tuple(rule_id for rule_id, cited in rules if cited == clause),
            tuple(f.name for f in FEATURES if clause in f.clauses),
        )
        for clause in CHECKABLE
    ]
