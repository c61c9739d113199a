"""What mkdocs-static-i18n is doing right now, read from its plugin instance.

static-i18n builds the default language, then re-runs the whole MkDocs build once per
other language from inside its own ``on_post_build`` (priority -100), so every hook event
fires once per language. Its ``building`` flag is True only while those nested builds run.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs_static_i18n.plugin import I18n

PLUGIN_NAME = "i18n"


def plugin(config: MkDocsConfig) -> I18n:
    """Return the static-i18n plugin; the site cannot be built correctly without it."""
    instance = config.plugins.get(PLUGIN_NAME)
    if not isinstance(instance, I18n):
        raise PluginError(f"plugin '{PLUGIN_NAME}' (mkdocs-static-i18n) must be configured")
    return instance


def current_language(config: MkDocsConfig) -> str:
    return plugin(config).current_language


def default_language(config: MkDocsConfig) -> str:
    return plugin(config).default_language


def build_languages(config: MkDocsConfig) -> list[str]:
    return list(plugin(config).build_languages)


def is_default_language_build(config: MkDocsConfig) -> bool:
    return plugin(config).is_default_language_build


def whole_site_built(config: MkDocsConfig) -> bool:
    """True in an ``on_post_build`` running after static-i18n's, once every language is built.

    Only valid from a handler with priority below -100: in the outer build that handler runs
    after static-i18n has finished the nested builds and cleared ``building``; inside a
    nested build ``building`` is still True.
    """
    return not plugin(config).building
