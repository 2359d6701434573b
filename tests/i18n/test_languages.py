"""The four languages of issue #5 item 7: Haitian Creole registered, the switcher works, and
every shell string is really translated, with compiled catalogs that match their sources."""

from __future__ import annotations

import gettext

import polib
import pytest
from django.test import Client
from django.utils.translation import get_language_info

from steward.translations import LANGUAGES, LOCALE_DIR, SHELL


def test_haitian_creole_is_registered_with_its_own_name() -> None:
    info = get_language_info("ht")
    assert (info["name"], info["name_local"], info["bidi"]) == (
        "Haitian Creole",
        "Kreyòl ayisyen",
        False,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shell_string_is_translated_and_not_left_in_english(language: str) -> None:
    catalog = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    entries = {entry.msgid: entry for entry in catalog}
    for msgid, texts in SHELL.items():
        entry = entries.get(msgid)
        assert entry is not None, f"{msgid!r} is no longer in the templates: drop it from SHELL"
        assert entry.msgstr.strip(), f"{language}: {msgid!r} is untranslated"
        assert "fuzzy" not in entry.flags, f"{language}: {msgid!r} is fuzzy"
        assert entry.msgstr == texts[language]
        if msgid not in {"Language"}:  # the same word in Spanish and Portuguese, not English
            assert entry.msgstr != msgid, f"{language}: {msgid!r} is left in English"
        assert entry.msgid.count("%(") == entry.msgstr.count("%("), f"{language}: {msgid!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_matches_its_source(language: str) -> None:
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    entries = polib.pofile(str(folder / "django.po")).translated_entries()
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = f"{language}: run `make messages`"
    for entry in entries:
        if entry.msgid_plural:
            one = compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
            many = compiled.ngettext(entry.msgid, entry.msgid_plural, 7)
            assert one == entry.msgstr_plural[0], stale
            assert many in entry.msgstr_plural.values(), stale
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, stale


@pytest.mark.parametrize(
    ("language", "sign_in"), [("es", "Iniciar sesión"), ("pt-br", "Entrar"), ("ht", "Konekte")]
)
def test_the_language_switcher_changes_the_language_of_the_next_page(
    client: Client, db: None, language: str, sign_in: str
) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": "/login/"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    page = client.get("/login/").content.decode()
    assert f'lang="{language}"' in page
    assert sign_in in page
    assert "Kreyòl ayisyen" in page and "español" in page  # every language in its own name


# The family portal, the record parts it shows, and the e-mails families receive.
PORTAL_SOURCES = (
    "templates/portal/",
    "portal/",
    "templates/access/parts/",
    "templates/media/event_request_email.txt",
    "records/models/",  # attendance statuses, incident kinds, plan kinds... as the record shows
    "media/defaults.py",  # the media release's uses
    "consents/directory.py",  # the directory information categories
    "audit/family.py",  # the family's log, "Shared with <vendor> on <date>" included (#7)
    # Issue #8: the family's requests for a copy, corrections, hearings, letters and notices.
    "templates/requests/portal/",
    "templates/requests/email/",
    "requests/views_portal.py",
    "requests/forms.py",
    "requests/models.py",
    "requests/letters.py",
    "requests/copy_pdf.py",
    "requests/contents.py",
    "requests/tables.py",
    "requests/history_tables.py",
    "requests/record_tables.py",
    "requests/notify.py",
    "requests/formats.py",
    "requests/eligibility.py",
    "templates/amendments/portal_",
    "templates/amendments/_item.html",
    "templates/amendments/_notes.html",
    "templates/amendments/letters/",
    "amendments/views_portal.py",
    "amendments/forms.py",
    "amendments/models/",
    "amendments/letters.py",
    "amendments/letters_pdf.py",
    "amendments/items.py",
    "templates/retention/family_notice.html",
    "retention/views_family.py",
    "retention/documents.py",
    # Issue #10: signing in, lockouts, re-authentication, session expiry and the user's own
    # two-step verification pages, which families use too (not the IT/privacy office's pages).
    "templates/base.html",
    "templates/registration/",
    "templates/security/mfa_setup.html",
    "templates/security/mfa_status.html",
    "templates/security/mfa_verify.html",
    "templates/security/mfa_recovery_codes.html",
    "security/mfa_views.py",
    "security/mfa.py",
    "security/reauth.py",
    "security/sessions.py",
    "security/lockout.py",
    "security/auth_forms.py",
    "security/auth_views.py",
    "security/auth_middleware.py",
)
# Strings in those sources that only the IT/privacy office sees (the second-factor reset form
# and the superuser's link to it): in English, like the rest of the staff pages.
STAFF_ONLY_IN_PORTAL_SOURCES = frozenset(
    {
        "For example: lost phone, confirmed by calling the school office.",
        "Reset another user's second factor",
    }
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_portal_string_is_translated(language: str) -> None:
    """The family portal and the record parts it shows are complete in every language: no
    empty, fuzzy or English-left entry (issue #5 item 7)."""
    catalog = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    missing = []
    for entry in catalog:
        if not any(path.startswith(PORTAL_SOURCES) for path, _line in entry.occurrences):
            continue
        if entry.msgid in STAFF_ONLY_IN_PORTAL_SOURCES:
            continue
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags or not all(t.strip() for t in texts):
            missing.append(entry.msgid)
    assert missing == [], f"{language}: translate these in steward.translations_portal"


EMAIL_SUBJECTS = (
    "Your invitation to the Steward family portal",
    "Permission asked for photos at one event: %(title)s",
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_subjects_of_the_e_mails_to_families_are_translated(language: str) -> None:
    catalog = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    translated = {e.msgid: e.msgstr for e in catalog.translated_entries()}
    for subject in EMAIL_SUBJECTS:
        assert translated.get(subject, "").strip(), f"{language}: {subject!r}"
