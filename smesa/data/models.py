"""The alliance's records: one pydantic model per kind, one per YAML section.

Models reject, never repair: unknown keys are errors (`extra="forbid"`), types are
strict (a quoted "2025" is not a year), nothing is coerced. Rules that span fields,
records or the Terms of Reference live in `smesa.check.rules`, not here, so that one run of
`smesa check` reports all of them with locations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # a record's id and file name
Id = Annotated[
    str,
    StringConstraints(pattern=f"^{ID_PATTERN.pattern}$", max_length=80),
    Field(description="Lower-case words joined by hyphens; the record's file name."),
]
EconomyCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{2,3}$"),
    Field(description="APEC economy code from data/reference/economies.yml, e.g. PRC, CT."),
]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=500)]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=200)]
Line = Annotated[str, StringConstraints(min_length=1, max_length=300)]
ApecRef = Annotated[
    str,
    StringConstraints(min_length=3, max_length=120),
    Field(description="APEC document or decision reference, in the form YYYY/SMEWGNN/NNN."),
]
Status = Literal["draft", "submitted", "approved", "published"]
Mode = Literal["online", "offline", "hybrid"]


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The model inside a field's annotation (`Text | None`, `list[Result]` -> the model)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = model_in(arg)
        if found is not None:
            return found
    return None


LANGUAGES = ("en", "zh")  # English first: the ToR's language of outputs


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Text(Strict):
    """A text in English and Chinese. English is what the ToR requires of outputs."""

    en: str | None = None
    zh: str | None = None
    zh_source: (
        Annotated[
            str,
            StringConstraints(pattern=r"^[0-9a-f]{10}$"),
            Field(
                description="Fingerprint of the English the Chinese was translated from "
                "(written by `smesa i18n --stamp`)."
            ),
        ]
        | None
    ) = None

    @model_validator(mode="after")
    def _check_has_a_language(self) -> Text:
        if self.en is None and self.zh is None:
            raise ValueError("a text needs 'en' or 'zh' (or both)")
        return self

    def read(self, lang: str) -> str:
        """The text in `lang`, else in the other language (a text has one or both)."""
        return (self.zh or self.en if lang == "zh" else self.en or self.zh) or ""


class Approval(Strict):
    """A decision of an APEC body: when, and the document that records it."""

    date: dt.date
    ref: ApecRef


class Approvals(Strict):
    """Prior approvals (ToR §6): the SMEWG for every branded output, the SCE for new bodies."""

    smewg: Approval | None = None
    sce: Approval | None = None


class Person(Strict):
    name: Text
    title: Text | None = None
    email: Email | None = None


class Contact(Strict):
    """How readers reach an institution: shown on its page and, for the Secretariat's
    host, in the site's footer and on the About page. Only what the institution has
    published: the site never makes one up."""

    email: Email | None = None
    phone: Line | None = None
    address: Text | None = None
    url: Url | None = Field(default=None, description="A contact page or form.")

    @model_validator(mode="after")
    def _check_has_a_way(self) -> Contact:
        if not (self.email or self.phone or self.address or self.url):
            raise ValueError("a contact needs 'email', 'phone', 'address' or 'url'")
        return self


class Participant(Strict):
    """Someone taking part in, partnering or sponsoring an activity or meeting.

    Anyone who is neither a member institution nor from an APEC member economy needs an
    approval reference (APEC Guidelines for Managing Cooperation with Non-Members).
    """

    name: Text
    kind: Literal[
        "member",
        "government",
        "international-organisation",
        "private-sector",
        "academia",
        "non-member-economy",
        "other",
    ]
    member: Id | None = None
    economy: EconomyCode | None = None
    approval: Approval | None = None


# The lists of Participants a record may have: cases have partners, meetings guests,
# activities participants, partners and sponsors.
PARTY_FIELDS = ("participants", "partners", "sponsors", "guests")


def parties(record: Strict) -> Iterator[tuple[str, int, Participant]]:
    """(field, index, participant) of everyone a record names as taking part."""
    for field in PARTY_FIELDS:
        for index, participant in enumerate(getattr(record, field, ())):
            yield field, index, participant


class Record(Strict):
    """Fields every record has."""

    kind: ClassVar[str]
    folder: ClassVar[str]

    id: Id
    sample: bool = Field(
        default=False, description="True for illustrative data; the site labels it 'sample'."
    )


class Output(Record):
    """A record the alliance publishes: it has a workflow status and may need approval."""

    status: Status
    approval: Approvals | None = None


# --- reference data -----------------------------------------------------------------


class Economy(Strict):
    code: EconomyCode
    iso: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    name: Text
    variants: list[str] = []
    joined_apec: int


class Economies(Strict):
    folder: ClassVar[str] = "reference"
    economies: list[Economy] = Field(min_length=1)


class Topic(Strict):
    id: Id
    name: Text


class Topics(Strict):
    folder: ClassVar[str] = "reference"
    topics: list[Topic] = Field(min_length=1)


class Extension(Strict):
    """An SCE decision extending the alliance's term (ToR §7), taken before it expires."""

    until: dt.date
    approval: Approval = Field(description="The SCE's decision: its date and reference.")


class TorChanges(Strict):
    """The ToR parameters a revision sets; those it leaves out stay as they were."""

    presidium_term_years: int | None = Field(default=None, ge=1)
    approval_required: list[str] | None = None


class Revision(Strict):
    """A revision of the ToR, approved by the SMEWG (ToR §6)."""

    approval: Approval = Field(description="The SMEWG's decision: its date and reference.")
    summary: Text
    sets: TorChanges


class Review(Strict):
    """A review of the alliance's term and ToR before they expire (ToR §7): first the
    SMEWG's, then the SCE's."""

    forum: Literal["SMEWG", "SCE"]
    date: dt.date
    ref: ApecRef
    summary: Text | None = None


class Term(Strict):
    start: dt.date
    end: dt.date


class YearCount(Strict):
    """The alliance's member institutions at the end of a year before the member records
    begin: a figure with its source, a sample figure, or unknown (ToR §3, §5.1)."""

    year: int
    members: int | None = Field(ge=0, description="The count; null when it is not known.")
    source: Text | None = Field(
        default=None,
        description="The document the figure comes from (the ToR, a Secretariat's count "
        "with its reference); a figure without one is `sample: true`.",
    )
    sample: bool = Field(
        default=False,
        description="True for an illustrative figure, not a count: shown as a sample.",
    )


class Tor(Strict):
    """The ToR parameters the rules read; a revision or an extension is a data change."""

    folder: ClassVar[str] = "reference"
    title: Text
    term: Term
    founded: int
    presidium_term_years: int = Field(ge=1)
    sunset_warning_days: int = Field(ge=0)
    obligation_warning_days: int = Field(ge=0)
    approval_required: list[str] = Field(
        description="Data folders whose published records need prior SMEWG approval."
    )
    extensions: list[Extension] = []
    revisions: list[Revision] = []
    reviews: list[Review] = []
    secretariat: Text
    membership_history: list[YearCount] = Field(
        default=[],
        description="Members at the end of each year before the term's member records, from "
        "the founding (§3: 19 institutions in 2003), each with its source or marked sample.",
    )


class Nomenclature(Strict):
    """A wording APEC does not use, and what to write instead."""

    pattern: str
    language: Literal["en", "zh"]
    use: str
    why: str

    @field_validator("pattern")
    @classmethod
    def _check_pattern_compiles(cls, value: str) -> str:
        try:
            re.compile(scoped_pattern(value))
        except (re.error, OverflowError, RecursionError) as error:  # a{99999999999}, ((((…
            raise ValueError(f"pattern is not a valid regular expression: {error}") from None
        return value


_GLOBAL_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")


def scoped_pattern(pattern: str) -> str:
    """A pattern that can join an alternation: leading `(?i)` becomes `(?i:...)`."""
    match = _GLOBAL_FLAGS.match(pattern)
    if match:
        return f"(?{match.group(1)}:{pattern[match.end() :]})"
    return f"(?:{pattern})"


class NomenclatureList(Strict):
    folder: ClassVar[str] = "reference"
    terms: list[Nomenclature]


# --- records ------------------------------------------------------------------------


class Member(Record):
    """A member institution. Membership is voluntary and free (ToR §6): no fee fields."""

    kind: ClassVar[str] = "member"
    folder: ClassVar[str] = "members"

    name: Text
    short_name: Text | None = None
    economy: EconomyCode
    type: Literal[
        "government-agency",
        "sme-service-centre",
        "industry-association",
        "chamber-of-commerce",
        "financial-institution",
        "research-institute",
        "incubator",
        "other",
    ]
    joined: dt.date
    founding_member: bool = False
    website: Url | None = None
    contact: Contact | None = None
    status: Literal["active", "withdrawn"] = "active"
    withdrawn: dt.date | None = None
    head: Person
    description: Text | None = None
    admission: Approval | None = Field(
        default=None,
        description="The Secretariat's record of the decision admitting the institution: "
        "its date and document number (needed for members joining during the term).",
    )


class Result(Strict):
    """A measured outcome of a service, with its number."""

    metric: Text
    value: float | int
    unit: Text | None = None
    baseline: float | int | None = None
    period: str | None = None


class Beneficiaries(Strict):
    count: int = Field(ge=0)
    description: Text | None = None


class Case(Output):
    """An excellent service case (ToR §5: published every year)."""

    kind: ClassVar[str] = "case"
    folder: ClassVar[str] = "cases"
    # Key order of a formatted file (smesa fmt): the public contract's order.
    key_order: ClassVar[tuple[str, ...]] = (
        "id",
        "sample",
        "year",
        "member",
        "topics",
        "status",
        "published",
        "approval",
    )

    year: int
    member: Id
    topics: list[Id] = Field(min_length=1)
    published: dt.date | None = None
    title: Text
    summary: Text
    challenge: Text | None = Field(default=None, description="The SME problem the service met.")
    body: Text
    results: list[Result] = []
    beneficiaries: Beneficiaries | None = None
    partners: list[Participant] = []
    contact: Person | None = None


class Decision(Strict):
    kind: Literal[
        "election", "advisor-appointment", "rule-revision", "proposal-endorsement", "other"
    ]
    text: Text
    presidium: Id | None = Field(default=None, description="Presidium term this decision concerns.")
    by: Literal["members", "presidium"] | None = Field(
        default=None,
        description="Who decided at a plenary: the members, or the Presidium meeting during "
        "it (a Presidium meeting's decisions are the Presidium's).",
    )


class Meeting(Output):
    """An annual plenary, a Presidium meeting or an SMEWG session the alliance attended."""

    kind: ClassVar[str] = "meeting"
    folder: ClassVar[str] = "meetings"

    type: Literal["plenary", "presidium", "smewg"]
    title: Text
    date: dt.date
    end_date: dt.date | None = None
    mode: Mode
    place: Text | None = None
    smewg_session: str | None = Field(default=None, description="e.g. SMEWG60")
    attendees: list[Id] = []
    guests: list[Participant] = []
    minutes: Text | None = None
    decisions: list[Decision] = []


class ProposalIssue(Strict):
    title: Text
    text: Text
    economies: list[EconomyCode] = []
    topics: list[Id] = []


class Proposal(Output):
    """The yearly recommendation paper to the SMEWG (ToR §4.2)."""

    kind: ClassVar[str] = "proposal"
    folder: ClassVar[str] = "proposals"

    year: int
    title: Text
    summary: Text
    target_meeting: str = Field(description="SMEWG session it goes to, e.g. SMEWG61.")
    meeting: Id | None = Field(default=None, description="Presidium meeting that discussed it.")
    submitted: dt.date | None = None
    published: dt.date | None = Field(
        default=None, description="When it was published, once the SMEWG approved it (ToR §6)."
    )
    issues: list[ProposalIssue] = Field(min_length=1)


class Advisor(Strict):
    name: Text
    affiliation: Text | None = None
    appointed_at: Id = Field(description="Meeting whose decision appointed the advisor.")
    since: dt.date


class Presidium(Record):
    """A Presidium term (ToR §6): heads of member organisations, three years."""

    kind: ClassVar[str] = "presidium"
    folder: ClassVar[str] = "presidium"

    start: dt.date
    end: dt.date
    chair: Id
    vice_chairs: list[Id] = []
    members: list[Id] = Field(min_length=1)
    elected_at: Id
    advisors: list[Advisor] = []


class Activity(Output):
    """An exchange, training, exhibition or visit among members (ToR §4.3, §4.4)."""

    kind: ClassVar[str] = "activity"
    folder: ClassVar[str] = "activities"

    type: Literal["exchange", "training", "exhibition", "visit", "forum", "other"]
    title: Text
    summary: Text
    date: dt.date
    end_date: dt.date | None = None
    mode: Mode
    place: Text | None = None
    organisers: list[Id] = Field(min_length=1)
    participants: list[Participant] = []
    partners: list[Participant] = []
    sponsors: list[Participant] = []


class Report(Output):
    """The annual report to the SMEWG at its second plenary (ToR §7)."""

    kind: ClassVar[str] = "report"
    folder: ClassVar[str] = "reports"

    year: int
    title: Text
    summary: Text
    body: Text
    target_meeting: str
    submitted: dt.date | None = None
    published: dt.date | None = None
    publication_number: (
        Annotated[str, StringConstraints(pattern=r"^APEC#2\d{2}-[A-Z]{2,4}-\d{2}\.\d+$")] | None
    ) = None


class Body(Output):
    """A research centre, website, platform or affiliate (ToR §6: needs SMEWG and SCE)."""

    kind: ClassVar[str] = "body"
    folder: ClassVar[str] = "bodies"

    type: Literal["research-centre", "website", "platform", "affiliate", "other"]
    name: Text
    description: Text
    established: dt.date | None = None
    url: Url | None = None


RECORD_MODELS: tuple[type[Record], ...] = (
    Member,
    Case,
    Meeting,
    Proposal,
    Presidium,
    Activity,
    Report,
    Body,
)
BY_FOLDER: dict[str, type[Record]] = {model.folder: model for model in RECORD_MODELS}
REFERENCE_MODELS: dict[str, type[Strict]] = {
    "economies": Economies,
    "topics": Topics,
    "tor": Tor,
    "nomenclature": NomenclatureList,
}
