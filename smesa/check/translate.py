"""Findings in Chinese (`smesa check --lang zh`, or LANG=zh_*): messages and hints are
looked up by their English template in `smesa/templates/messages.zh.yml`.

Rules write English, as the ToR's working language; a finding is translated as it is
printed, so the rules stay one table each. Values inside a message (field paths, ids,
dates, the offending text) are kept as written. A message with no template here is
printed in English: tests/test_messages_zh.py keeps every rule's templates covered.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

import yaml

from smesa.check.findings import Finding

LANGUAGES = ("en", "zh")
_PLACEHOLDER = re.compile(r"\{(\d+)\}")


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """'zh' when the locale asks for Chinese (LC_ALL, LC_MESSAGES, LANG, as gettext reads
    them), else 'en'."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


@cache
def catalogue() -> dict:
    text = resources.files("smesa").joinpath("templates/messages.zh.yml").read_text("utf-8")
    return yaml.safe_load(text)


def _pattern(template: str) -> re.Pattern[str]:
    """The regular expression reading a message made from `template` back into values."""
    literal = template.replace("{{", "\0").replace("}}", "\1")
    out, last = [], 0
    for match in _PLACEHOLDER.finditer(literal):
        out.append(re.escape(literal[last : match.start()]))
        out.append(f"(?P<v{match.group(1)}>.*?)")
        last = match.end()
    out.append(re.escape(literal[last:]))
    regex = "".join(out).replace("\0", "\\{").replace("\1", "\\}")
    return re.compile(regex + r"\Z", re.DOTALL)


@cache
def _table(section: str) -> list[tuple[re.Pattern[str], str]]:
    """Templates with the most fixed text first: the most specific one wins."""
    entries = catalogue()[section].items()
    ordered = sorted(entries, key=lambda kv: -len(_PLACEHOLDER.sub("", kv[0])))
    return [(_pattern(en), zh) for en, zh in ordered]


# `{1!t}` in a Chinese template: value 1 is a word of ours, not the record's (a file
# kind, a record kind, a reason), translated from the `values` section.
_OURS = re.compile(r"\{(\d+)!t\}")


def translated(text: str, section: str) -> str | None:
    """`text` in Chinese, or None when no template of `section` makes it."""
    if not text:
        return text
    for pattern, zh in _table(section):
        match = pattern.match(text)
        if match:
            values = [match.group(f"v{i}") for i in range(len(match.groupdict()))]
            for number in _OURS.findall(zh):
                value = values[int(number)]
                values[int(number)] = translated(value, "values") or value
            return _OURS.sub(r"{\1}", zh).format(*values)
    return None


def finding(f: Finding, lang: str) -> Finding:
    if lang != "zh":
        return f
    message = translated(f.message, "messages")
    fix = translated(f.fix, "fixes")
    return dataclasses.replace(
        f,
        message=f.message if message is None else message,
        fix=f.fix if fix is None else fix,
    )


def findings(items: Iterable[Finding], lang: str) -> list[Finding]:
    return [finding(f, lang) for f in items]


def severity(word: str, lang: str) -> str:
    return catalogue()["severity"][word] if lang == "zh" else word


def words(text: str, lang: str) -> str:
    """The output's own words around the findings (a count's line, a table's header) in
    `lang`: from the catalogue's `output` section, by their English."""
    if lang != "zh":
        return text
    zh = translated(text, "output")
    return text if zh is None else zh


def fixed(fix: str, lang: str) -> str:
    """A hint as it follows a message: ' (hint)', or '（提示）' in Chinese."""
    if not fix:
        return ""
    return f"（{fix}）" if lang == "zh" else f" ({fix})"


def summary(errors: int, warnings: int, files: int) -> str:
    return catalogue()["summary"].format(errors=errors, warnings=warnings, files=files)
