"""The words and facts of the parts of every page that are not its content: the header's
menu button and the footer (overrides/partials/footer.html, header.html).

They reach the theme's templates as ``config.extra.smesa``, set once per language before
MkDocs renders that language's pages: the hand-written pages and the 404 page carry the
same footer as the generated ones. Words come from labels.yml, facts from data/: the
Secretariat's host from the ToR parameters, its page and contact from its member record
(or, while that holds none, the repository's issue forms).
"""

from __future__ import annotations

from typing import Any

from smesa.data import models
from smesa.data.config import repository_url
from smesa.data.texts import SITE_LABELS, labels
from smesa.site.view import SECTIONS, SiteView

KEY = "smesa"


def shows_sample(view: SiteView) -> bool:
    """True while any public record is sample data: the footer then says so on every page."""
    kinds = (*SECTIONS, models.Member, models.Body, models.Presidium)
    return any(entry.record.sample for kind in kinds for entry in view.repo.of(kind))


def issue_links(view: SiteView) -> dict[str, str]:
    """Working paths to the Secretariat while its record holds no contact: a new issue in
    the repository ("ask") and the membership form ("join"), both on GitHub; empty when
    no repository is configured. Plain links: the reader's browser asks GitHub nothing
    until they are followed."""
    repository = repository_url(view.repo.root)
    if not repository:
        return {"ask": "", "join": ""}
    # The membership form that `smesa forms` writes (.github/ISSUE_TEMPLATE/member.yml).
    join = f"{repository}/issues/new?template=member.yml"
    return {"ask": f"{repository}/issues/new", "join": join}


CONTACT_FIELDS = ("email", "phone", "address", "url")


def contact_lines(contact: models.Contact | None, lang: str) -> dict[str, str]:
    """The Secretariat's published contact, field by field ('' where it has none)."""
    if contact is None:
        return dict.fromkeys(CONTACT_FIELDS, "")
    return {
        "email": contact.email or "",
        "phone": contact.phone or "",
        "address": contact.address.read(lang) if contact.address else "",
        "url": contact.url or "",
    }


def footer_words(view: SiteView, lang: str) -> dict[str, Any]:
    words = labels(SITE_LABELS)

    def say(key: str) -> str:
        return words[key][lang]

    host = view.repo.tor.secretariat
    member = view.secretariat
    contact = member.contact if member else None
    links = issue_links(view)
    return {
        "menu": say("menu"),
        "show_sample": shows_sample(view),
        "sample_notice": say("sample_site_notice"),
        "secretariat_title": say("secretariat"),
        "secretariat_text": say("secretariat_footer"),
        "secretariat_name": getattr(host, lang) or host.en,
        "secretariat_page": f"members/{member.id}/" if member else "about/",
        "contact": contact_lines(contact, lang),
        "contact_labels": {key: say(f"contact_{key}") for key in CONTACT_FIELDS},
        # Without a published contact, a real path: a public issue to the Secretariat.
        "ask_url": "" if contact else links["ask"],
        "ask_link": say("contact_ask"),
        "join_url": links["join"],
        "join_link": say("join_apply"),
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
