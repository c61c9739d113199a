"""The Terms of Reference clauses the rules enforce, quoted from the original (Chinese).

The English renderings are ours; the Chinese text is the ToR as adopted (2025–2028).
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Clause:
    """Where in the Terms of Reference a rule comes from, quoted."""

    section: str
    zh: str
    en: str


INTEGRITY = Clause(
    "—",
    "（数据完整性：使其他规则得以执行）",
    "Registry integrity: no ToR clause of its own; it makes every other rule possible.",
)
OUTPUTS_IN_ENGLISH = Clause(
    "§6",
    "该联盟所有输出资料须以英文提供，并确保供所有APEC成员经济体使用。",
    "All output material of the alliance must be available in English and to all APEC "
    "member economies.",
)
PRIOR_APPROVAL = Clause(
    "§6",
    "所有APEC联盟品牌产品、出版物、行动、项目提案与活动，均须事先获得中小企业工作组批准。",
    "Every APEC-alliance-branded product, publication, action, project proposal and "
    "activity needs prior approval of the SMEWG.",
)
NEW_BODIES = Clause(
    "§6",
    "未经中小企业工作组和经济技术合作高官指导委员会批准，该联盟不得设立新的研究中心、网站、"
    "平台、附属机构或其他机构。",
    "Without the approval of the SMEWG and the SCE the alliance may not set up a new research "
    "centre, website, platform, affiliate or other body.",
)
PRESIDIUM = Clause(
    "§6",
    "该主席团由联盟各成员组织负责人组成，任期为三年。",
    "The Presidium consists of the heads of the alliance's member organisations; its term is "
    "three years.",
)
PRESIDIUM_POWERS = Clause(
    "§6",
    "协商、推荐和选举主席团主席和副主席。……聘请顾问。",
    "The Presidium consults on, recommends and elects its Chair and Vice Chairs … and "
    "appoints advisors.",
)
MEMBERSHIP = Clause(
    "§6",
    "各经济体的中小企业服务机构自愿加入该联盟，无需缴纳任何费用。",
    "SME service institutions of the economies join the alliance voluntarily, without paying "
    "any fee.",
)
MEMBER_ECONOMIES = Clause(
    "§2",
    "推动各成员经济体中小企业之间的经济和技术协作、贸易交流、人员培训和信息交流。",
    "To promote economic and technical cooperation, trade, training and information exchange "
    "among the SMEs of the member economies.",
)
NON_MEMBERS = Clause(
    "§6",
    "须全面遵循APEC各项指南，具体包括：《APEC非成员合作管理指南》……《APEC赞助指南》",
    "The alliance must follow the APEC guidelines, including the Guidelines on Managing "
    "Cooperation with Non-Members … and the APEC Sponsorship Policy and Guidelines.",
)
SUNSET = Clause(
    "§7",
    "自2025年1月1日起至2028年12月31日止。……将在本届职权范围期满后终止运作，"
    "除非经济技术合作高官指导委员会明确批准其延期存续。",
    "The term runs from 1 January 2025 to 31 December 2028 … the alliance ends when it expires "
    "unless the SCE explicitly approves an extension.",
)
ANNUAL_PLENARY = Clause(
    "§4.5, §5.3",
    "联盟秘书处将组织召开年度全体成员会议。",
    "The Secretariat will convene an annual meeting of all members.",
)
ANNUAL_CASES = Clause(
    "§5.2",
    "每年将发布各经济体中小企业服务机构的优秀服务案例。",
    "Excellent service cases of the economies' SME service institutions are published every year.",
)
ANNUAL_PROPOSAL = Clause(
    "§4.2",
    "将在APEC中小企业工作组年度会议期间……向中小企业工作组提交建议书。",
    "At the SMEWG's annual meeting the alliance submits a recommendation paper to the SMEWG.",
)
ANNUAL_REPORT = Clause(
    "§7",
    "APEC中小企业服务联盟将于第二次年度全体成员会议期间向中小企业工作组提交年度报告。",
    "The alliance submits an annual report to the SMEWG at its second plenary of the year.",
)
GUIDELINES = Clause(
    "§6",
    "须全面遵循APEC各项指南，具体包括：……《APEC出版物指南》《APEC品牌手册》",
    "The alliance must follow the APEC guidelines, including the APEC Publications "
    "Guidelines and the APEC Branding Manual (APEC nomenclature).",
)
TOR_REVISION = Clause(
    "§6",
    "职权范围修订：APEC中小企业服务联盟职权范围修订须经中小企业工作组批准。",
    "Revision of the Terms of Reference: revisions of the ToR of the APEC SME Service "
    "Alliance require the approval of the SMEWG.",
)
SUNSET_REVIEW = Clause(
    "§7",
    "在本届及未来任期届满之前，该联盟任期及其职权范围由中小企业工作组进行审查，"
    "随后由经济技术合作高官指导委员会进行审查。",
    "Before the expiry of this and any future term, the alliance's term and its ToR are "
    "reviewed by the SMEWG and then by the SCE.",
)
MEMBER_ACTIVITIES = Clause(
    "§4.3, §4.4",
    "APEC中小企业服务联盟将积极组织联盟成员间的交流活动。APEC中小企业服务联盟将促进各成员经济体"
    "中小企业之间的经济和技术合作、人员培训、产品展览、互访和信息交流。",
    "The alliance will actively organise exchange activities among its members, and promote "
    "economic and technical cooperation, personnel training, product exhibitions, mutual "
    "visits and information exchange among the SMEs of the member economies.",
)
MEMBERSHIP_GROWTH = Clause(
    "§5.1",
    "联盟成员数量在现有基础上持续扩大并实现稳步增长。",
    "The number of members of the alliance continues to expand from its present base and "
    "grows steadily.",
)
