"""Project settings read from the repository: the site's address, from mkdocs.yml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

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


def repository_url(root: Path) -> str:
    """The repository's address on GitHub ([project.urls] Repository), without a final
    '/', or '' when it is not configured."""
    try:
        project = tomllib.loads((root / PROJECT_FILE).read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return ""
    url = project.get("project", {}).get("urls", {}).get("Repository", "")
    return url.rstrip("/") if isinstance(url, str) else ""
