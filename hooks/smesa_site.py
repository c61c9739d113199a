"""MkDocs hooks wiring the bilingual site build to ``smesa.site`` (logic and reasons live there).

mkdocs-static-i18n re-runs every event below once per extra language.
"""

from mkdocs.plugins import event_priority

from smesa.site import alternates, chrome, i18n, notfound, postbuild
from smesa.site.build import SiteBuild

_site = SiteBuild()
_not_found_pages = notfound.NotFoundPages()


def on_startup(command, dirty):
    _site.on_startup(command)


# Before static-i18n (-100) and before MkDocs reads docs_dir: validate, then generate.
def on_config(config):
    _site.on_config(config)
    return config


# Before static-i18n (-100) sorts the files by language: the pages not written yet.
def on_files(files, config):
    return _site.on_files(files, config)


# Runs before MkDocs reads the pages of the language being built.
def on_nav(nav, config, files):
    _site.on_nav(config)
    if _site.pages is not None:
        chrome.set_page_chrome(config, _site.pages.view, i18n.current_language(config))
    return nav


# Before MkDocs reads a page: it may still be being written.
def on_page_read_source(page, config):
    _site.page_read(page)


def on_page_content(html, page, config, files):
    return _site.page_content(html, page)


# After MkDocs has converted every page of this language, before it writes any.
def on_env(env, config, files):
    _site.on_env()
    return env


def on_build_error(error):
    _site.build_error()


def on_page_context(context, page, config, nav):
    # Default priority: runs after static-i18n (50) has set this page's alternates.
    _site.page_context(page)
    alternates.page_alternates(config)
    return context


def on_template_context(context, template_name, config):
    if template_name == notfound.TEMPLATE_NAME:
        alternates.language_root_alternates(config)
    return context


# Lowest priority: the page as it is written, after every plugin has changed it.
@event_priority(-200)
def on_post_page(output, page, config):
    _site.page_written(output)
    return output


def on_post_template(output_content, template_name, config):
    if template_name == notfound.TEMPLATE_NAME:
        output_content = _site.not_found_page(output_content, i18n.current_language(config))
    return _not_found_pages.post_template(output_content, template_name, config)


# Below static-i18n's -100: in the outer build this runs after every language is built.
@event_priority(-110)
def on_post_build(config):
    if i18n.whole_site_built(config):
        _site.post_build(config)
        known, indexing = _site.take_readings(), _site.take_indexing()
        postbuild.finish_site(config, search_optional=_site.serving, known=known, indexing=indexing)
