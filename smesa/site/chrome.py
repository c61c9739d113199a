"""The words and facts of the parts of every page that are not its content: the header's
menu button and the footer (overrides/partials/footer.html, header.html).

They reach the theme's templates as ``config.extra.smesa``, set once per language before
MkDocs renders that language's pages: the hand-written pages and the 404 page carry the
same footer as the generated ones. Words come from labels.yml, facts from data/: the
Secretariat's host from the ToR parameters, its page and address from its member record.
"""

from __future__ import annotations

from typing import Any

from smesa.data import models
from smesa.data.texts import SITE_LABELS, labels
from smesa.site.view import SECTIONS, SiteView

KEY = "smesa"


def shows_sample(view: SiteView) -> bool:
    """True while any public record is sample data: the footer then says so on every page."""
    kinds = (*SECTIONS, models.Member, models.Body, models.Presidium)
    return any(entry.record.sample for kind in kinds for entry in view.repo.of(kind))


def footer_words(view: SiteView, lang: str) -> dict[str, Any]:
    words = labels(SITE_LABELS)

    def say(key: str) -> str:
        return words[key][lang]

    host = view.repo.tor.secretariat
    member = view.secretariat
    # Member records carry no address yet: the footer shows one once they do.
    contact = getattr(member, "contact", None)
    return {
        "menu": say("menu"),
        "show_sample": shows_sample(view),
        "sample_notice": say("sample_site_notice"),
        "secretariat_title": say("secretariat"),
        "secretariat_text": say("secretariat_footer"),
        "secretariat_name": getattr(host, lang) or host.en,
        "secretariat_page": f"members/{member.id}/" if member else "about/",
        "secretariat_email": getattr(contact, "email", None) or "",
        "join_title": say("join_title"),
        "join_text": say("join_text"),
        "members_link": say("members_link"),
        "more_title": say("more_title"),
        "tor_link": say("tor_footer_link"),
        "open_data_link": say("open_data_footer_link"),
        "contributors_link": say("contributors_link"),
        "disclaimer": say("disclaimer"),
    }


def set_page_chrome(config: Any, view: SiteView, lang: str) -> None:
    """Give the theme's templates this language's footer words (``config.extra.smesa``)."""
    config.extra[KEY] = footer_words(view, lang)
