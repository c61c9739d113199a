"""Project settings read from the repository: the site's address (mkdocs.yml), the
repository's address and the form of the Secretariat's record numbers (pyproject.toml)."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MKDOCS_FILE = "mkdocs.yml"
# mkdocs.yml holds Python tags (!!python/name:...) that a safe loader refuses; the one
# plain top-level key needed here is read as text.
_SITE_URL = re.compile(r"^site_url:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)


def site_url(root: Path) -> str:
    """The published site's base URL, ending in '/', or '' when it is not configured."""
    try:
        match = _SITE_URL.search((root / MKDOCS_FILE).read_text("utf-8"))
    except OSError:
        return ""
    if not match:
        return ""
    url = match.group(1)
    return url if url.endswith("/") else url + "/"


PROJECT_FILE = "pyproject.toml"


def _project(root: Path) -> dict[str, Any]:
    """pyproject.toml's settings, read again only when the file changes (every page of
    a build asks for the repository's address; `mkdocs serve` sees an edit)."""
    path = root / PROJECT_FILE
    try:
        stat = path.stat()
    except OSError:
        return {}
    return _read_project(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _read_project(path: Path, mtime_ns: int, size: int) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def repository_url(root: Path) -> str:
    """The repository's address on GitHub ([project.urls] Repository), without a final
    '/', or '' when it is not configured."""
    project = _project(root)
    url = project.get("project", {}).get("urls", {}).get("Repository", "")
    return url.rstrip("/") if isinstance(url, str) else ""


# The form of the Secretariat's record numbers (a member's admission, SM623). The
# Secretariat's own numbering is not confirmed: `[tool.smesa] secretariat-reference`
# in pyproject.toml sets it. YYYY stands for a year, each run of N for as many digits;
# the rest is written as it is. Hints and forms show the form itself, which no record
# can hold by mistake.
DEFAULT_SECRETARIAT_REFERENCE = "SMESA-SEC/YYYY/NNN"
_PLACEHOLDERS = re.compile(r"YYYY|N+")


@dataclass(frozen=True)
class ReferenceForm:
    form: str  # as shown in hints: SMESA-SEC/YYYY/NNN
    pattern: re.Pattern[str]  # what a real number of that form matches

    def example(self, year: int, serial: int) -> str:
        """A number of this form (for tests: never shown to a contributor)."""
        return _PLACEHOLDERS.sub(
            lambda m: f"{year:04d}" if m[0] == "YYYY" else f"{serial:0{len(m[0])}d}", self.form
        )


def reference_form(form: str) -> ReferenceForm:
    parts, last = [], 0
    for match in _PLACEHOLDERS.finditer(form):
        parts.append(re.escape(form[last : match.start()]))
        parts.append("[0-9]{4}" if match[0] == "YYYY" else f"[0-9]{{{len(match[0])}}}")
        last = match.end()
    parts.append(re.escape(form[last:]))
    return ReferenceForm(form, re.compile("".join(parts)))


def secretariat_reference(root: Path) -> ReferenceForm:
    """The form of the Secretariat's record numbers: [tool.smesa] secretariat-reference,
    or SMESA-SEC/YYYY/NNN when the project does not set it."""
    project = _project(root)
    form = project.get("tool", {}).get("smesa", {}).get("secretariat-reference")
    return reference_form(form if isinstance(form, str) and form else DEFAULT_SECRETARIAT_REFERENCE)
