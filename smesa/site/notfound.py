"""One 404 page per language: ``site/404.html`` (default) and ``site/<lang>/404.html``.

MkDocs renders the theme's ``404.html`` to ``site_dir/404.html`` in every build, and
static-i18n keeps ``site_dir`` at the root for the nested builds, so the last language
built (Chinese) overwrites the English page and no ``zh/404.html`` exists.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from smesa.site import i18n

TEMPLATE_NAME = "404.html"


class NotFoundPages:
    """Keeps the default language's 404 output while the other languages are built."""

    def __init__(self) -> None:
        self.default_page: str | None = None

    def post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        """Return what MkDocs writes to ``site_dir/404.html``; file other languages aside."""
        if template_name != TEMPLATE_NAME:
            return output
        if i18n.is_default_language_build(config) or self.default_page is None:
            self.default_page = output
            return output
        language = i18n.current_language(config)
        target = Path(config.site_dir) / language / TEMPLATE_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, encoding="utf-8")
        return self.default_page
