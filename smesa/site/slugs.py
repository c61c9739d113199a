"""Heading ids: Unicode slugs (pymdownx.slugs) that never look like the theme's own ids.

Material names its controls `__drawer`, `__search`, `__toc`, `__config`...; a heading
"__search" would otherwise get that id too and shadow the theme's element (DOM
clobbering). Readable Chinese anchors stay: "## 成员经济体" gets id="成员经济体".
"""

from __future__ import annotations

import re

from pymdownx.slugs import slugify as _pymdownx_slugify

_unicode_lower = _pymdownx_slugify(case="lower")

# What an id made here looks like; the build refuses any other heading id.
SLUG = re.compile(r"[^\W_][\w-]*|")


def slugify(text: str, separator: str) -> str:
    """`text` as a lower-case Unicode slug that starts with a letter or digit."""
    return _unicode_lower(text, separator).lstrip("_-") or "section"


def is_slug(value: str) -> bool:
    return SLUG.fullmatch(value) is not None
