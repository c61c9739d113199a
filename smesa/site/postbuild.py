"""Steps that need the whole site on disk, run once after the last language is built."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig

from smesa.site import alternates, i18n, pagefind


def finish_site(config: MkDocsConfig) -> None:
    """Patch Material's alternate script, then index every language with Pagefind."""
    alternates.patch_alternate_script(config.site_dir)
    pagefind.build_index(config.site_dir, i18n.build_languages(config))
