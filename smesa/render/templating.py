"""Jinja environments for Markdown output.

Shared by the site generator (smesa.site.generate) and any other module that renders
templates from smesa/templates/ into Markdown.
"""

from __future__ import annotations

import jinja2
from markupsafe import Markup, escape

# Markdown punctuation that could start markup (links, emphasis, code, headings, tables,
# attr_list's `{: ...}`), each put after a backslash; HTML characters are escaped by
# `escape`. A translation table: a build escapes some 80,000 values.
_MARKDOWN_SPECIAL = "\\`*_[]{}#|"
_MARKDOWN_ESCAPES = str.maketrans({char: "\\" + char for char in _MARKDOWN_SPECIAL})


def inline(value: object) -> Markup:
    """Plain text as one line of Markdown that renders literally (no markup, no HTML)."""
    text = " ".join(str(value).split())
    return escape(text.translate(_MARKDOWN_ESCAPES))  # a Markup already


def _literal(value: object) -> object:
    """A printed value as literal Markdown; a space at either end is kept, so that the
    separators templates print (`{{ ", " }}`, " (since ...)") still separate."""
    if isinstance(value, Markup) or value is None:
        return value
    text = str(value)
    if not text.startswith(" ") and not text.endswith(" "):
        return inline(text)  # most values: no Markup joined (10,000s of them a build)
    lead = " " if text.startswith(" ") else ""
    trail = " " if text.endswith(" ") and text.strip() else ""
    return Markup(f"{lead}{inline(text)}{trail}")


def markdown_environment(*, literal: bool = False) -> jinja2.Environment:
    """A new environment over smesa/templates/ for Markdown output.

    Autoescaping is on: a value put into the Markdown cannot become HTML unless a
    template or helper marks it safe. With `literal`, every printed value that is not
    marked safe is also escaped for Markdown (`inline`): it reads as the text it is.
    Undefined names are errors, not empty text.
    """
    return jinja2.Environment(
        loader=jinja2.PackageLoader("smesa", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_literal if literal else None,
    )
