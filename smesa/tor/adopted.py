"""The parameters the Terms of Reference 2025–2028 set, as adopted, each with its words.

tor.yml states the values the rules read; these are what the ToR's own text sets
(seed/000_4dc5c12ca2630798.txt), so that a value in tor.yml that differs from them
without a recorded revision (SMEWG, ToR §6) or extension (SCE, ToR §7) is an error
(SM704), never a silent change of what the rules enforce. `approval_required` is our
reading of which records are the "products, publications, actions, project proposals and
activities" the ToR names: every folder of outputs (cases, activities, meetings,
recommendation papers, reports, bodies), with the meetings the clause does not reach set
apart in `smesa.tor.parameters.EXEMPT_MEETINGS`; the other values are its words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Adopted:
    """One parameter as the ToR sets it: its tor.yml key, its value, the clause and words."""

    key: str
    value: object
    section: str
    zh: str


TERM_START = Adopted("term.start", dt.date(2025, 1, 1), "§7", "自2025年1月1日起至2028年12月31日止")
TERM_END = Adopted("term.end", dt.date(2028, 12, 31), "§7", "自2025年1月1日起至2028年12月31日止")
FOUNDED = Adopted(
    "founded", 2003, "§3", "2003年，来自APEC经济体的19家服务机构代表齐聚中国宁波……该联盟正式成立"
)
# §3: the members at the founding, the first figure of tor.yml `membership_history`.
FOUNDING_MEMBERS = Adopted(
    "membership_history", 19, "§3", "2003年，来自APEC经济体的19家服务机构代表齐聚中国宁波"
)
PRESIDIUM_TERM_YEARS = Adopted("presidium_term_years", 3, "§6", "任期为三年")
APPROVAL_REQUIRED = Adopted(
    "approval_required",
    ("activities", "bodies", "cases", "meetings", "proposals", "reports"),
    "§6",
    "所有APEC联盟品牌产品、出版物、行动、项目提案与活动，均须事先获得中小企业工作组批准",
)
ADOPTED: tuple[Adopted, ...] = (
    TERM_START,
    TERM_END,
    FOUNDED,
    PRESIDIUM_TERM_YEARS,
    APPROVAL_REQUIRED,
)
# Parameters an SMEWG-approved revision may set (tor.yml `revisions[].sets`); the term
# moves only by an SCE extension, and the founding is history.
REVISABLE = ("presidium_term_years", "approval_required")
