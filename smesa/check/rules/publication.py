"""The publication boundary: contributor text stays text, and every record keeps a page
of its own (smesa.tor.publication)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smesa.check.findings import Severity
from smesa.check.registry import Hit, rule
from smesa.data.repository import Repository, dotted
from smesa.render.markdown import ATTR_LIST, RAW_HTML, fence_attributes, outside_code
from smesa.tor import clauses
from smesa.tor.publication import reserved_id


@rule(
    "SM140",
    "markup-in-text",
    Severity.ERROR,
    clauses.INTEGRITY,
    "write Markdown only: no HTML tags and no {: ...} attribute lists",
    examples=(
        "body:\n  en: 'Loans <b>approved</b> in 6 days {: #results }'\n",
        "body:\n  en: Loans **approved** in 6 days\n",
    ),
)
def markup_in_text(repo: Repository) -> Iterator[Hit]:
    """Texts hold Markdown, not HTML or attribute lists.

    Triggers on an HTML tag, closing tag or comment (`<b>`, `</div>`, `<!--`) and on a
    Markdown attribute list (`{: #id .class key=value }`, `{#id}`) outside code. Pages
    would show them as written, never as markup (an attribute list could otherwise set a
    heading id that the theme prints raw), but the open data and feeds carry texts as
    they are: markup stays out of every output. Autolinks (`<https://...>`) are allowed.
    """
    for entry in repo.entries:  # the other strings: references, places, addresses
        for path, value in _other_strings(entry.source.doc.data, ()):
            found = RAW_HTML.search(value) or ATTR_LIST.search(value)
            if found:
                yield Hit(
                    entry,
                    path,
                    f"{dotted(path)} holds markup: {value[found.start() : found.start() + 20]!r}",
                    within=(value, found.start()),
                )
    for source, path, _language, text in repo.texts():
        if "<" not in text and "{" not in text:
            continue
        for offset in fence_attributes(text):
            yield Hit(
                source,
                path,
                f"{dotted(path)} gives a code block attributes, which are dropped: "
                f"{text[offset : offset + 20].splitlines()[0]!r}",
                "name only the language after the fence (```python)",
                within=(text, offset),
            )
        for offset, part in outside_code(text):
            for pattern, what in ((RAW_HTML, "HTML"), (ATTR_LIST, "an attribute list")):
                found = pattern.search(part)
                if found:
                    snippet = part[found.start() : found.start() + 20].split("\n")[0]
                    yield Hit(
                        source,
                        path,
                        f"{dotted(path)} holds {what}, which is shown as written: {snippet!r}",
                        within=(text, offset + found.start()),
                    )


def _other_strings(value: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    """Every string of a record but its bilingual texts (en, zh), with its key path."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in ("en", "zh"):
                yield from _other_strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _other_strings(item, (*path, index))
    elif isinstance(value, str) and ("<" in value or "{" in value):
        yield path, value


@rule(
    "SM141",
    "reserved-id",
    Severity.ERROR,
    clauses.INTEGRITY,
    "choose another id (and rename the file to match)",
    examples=("# data/cases/2025/index.yml\nid: index\n", "# data/cases/2025/x.yml\nid: x\n"),
)
def reserved_record_id(repo: Repository) -> Iterator[Hit]:
    """A record's id does not take the address of one of the site's own pages.

    Reserved in every folder: `index` (each section's list) and the names Windows
    keeps for devices (`con`, `prn`, `aux`, `nul`, `com1`…`com9`, `lpt1`…`lpt9`), which
    no checkout there could hold. Reserved for reports: `status` (the governance
    dashboard) and `annual-YYYY` (the figures of a year without a published report).
    """
    for entry in repo.entries:
        if reserved_id(entry.record.folder, entry.id):
            yield Hit(entry, ("id",), f"id {entry.id!r} is reserved for a page of the site")


# An image Markdown loads from elsewhere: another host, or a data: URL.
_FOREIGN_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?\s*(?:[a-zA-Z][\w+.-]*:|//)")


@rule(
    "SM142",
    "image-from-elsewhere",
    Severity.ERROR,
    clauses.INTEGRITY,
    "link to the image instead ([text](https://...)), or ask the Secretariat to add it to the site",
    examples=(
        "body:\n  en: '![Chart](https://example.org/chart.png)'\n",
        "body:\n  en: '[Chart](https://example.org/chart.png)'\n",
    ),
)
def image_from_elsewhere(repo: Repository) -> Iterator[Hit]:
    """Images come from the site itself.

    Triggers on a Markdown image whose address names another host or scheme
    (`![x](https://...)`, `![x](//...)`, `![x](data:...)`): readers' browsers would ask
    another site for it, which some of them cannot reach and which would learn who
    reads the page. A link to the image is fine.
    """
    for source, path, _language, text in repo.texts():
        if "![" not in text:
            continue
        for offset, part in outside_code(text):
            for found in _FOREIGN_IMAGE.finditer(part):
                yield Hit(
                    source,
                    path,
                    f"{dotted(path)} shows an image from elsewhere: {found.group(0)!r}",
                    within=(text, offset + found.start()),
                )


# A Markdown link or image, inline (`[x](address)`) or as a definition (`[x]: address`),
# whose address is relative: it names a page or file of this site by its path.
_RELATIVE_TARGET = re.compile(
    r"\]\(\s*<?(?![a-zA-Z][\w+.-]*:|//|#|\s|\))([^)\s>]+)"
    r"|^ {0,3}\[[^\]\n]+\]:\s*<?(?![a-zA-Z][\w+.-]*:|//|#)(\S+)",
    re.MULTILINE,
)


@rule(
    "SM143",
    "relative-link",
    Severity.ERROR,
    clauses.INTEGRITY,
    "link with a full address (https://...), or to a part of the page with #",
    examples=(
        "body:\n  en: '[Our plan](plan.md)'\n",
        "body:\n  en: '[Our plan](https://example.org/plan)'\n",
    ),
)
def relative_link(repo: Repository) -> Iterator[Hit]:
    """Links in texts have full addresses.

    Triggers on a Markdown link or image whose address is a path (`[x](plan.md)`,
    `![x](chart.png)`): where a text is shown (a record's page, the about page, a list)
    decides what such a path means, and a path to nothing stops the site build. Full
    addresses (`https://...`, `mailto:`) and anchors (`#results`) are fine.
    """
    for source, path, _language, text in repo.texts():
        if "](" not in text and "]:" not in text:
            continue
        for offset, part in outside_code(text):
            for found in _RELATIVE_TARGET.finditer(part):
                target = found.group(1) or found.group(2)
                yield Hit(
                    source,
                    path,
                    f"{dotted(path)} links to a path of this site: {target!r}",
                    within=(text, offset + found.start()),
                )
