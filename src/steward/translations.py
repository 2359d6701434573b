"""Translations of the site's shell (base template, sign-in, error pages, language names).

Kept as data so that `make messages` can refill the catalogs after `makemessages` and the tests
can check that every shell string is translated in every language (issue #5 item 7). Written
by hand; portal, notice and e-mail strings join this table as those pages arrive.
"""

from __future__ import annotations

from pathlib import Path

from steward.translations_es import TEXTS as ES
from steward.translations_ht import TEXTS as HT
from steward.translations_portal import PARTS, PORTAL, Text
from steward.translations_pt_br import TEXTS as PT_BR
from steward.translations_rights_es import TEXTS as RIGHTS_ES
from steward.translations_rights_ht import TEXTS as RIGHTS_HT
from steward.translations_rights_pt_br import TEXTS as RIGHTS_PT_BR
from steward.translations_security_es import TEXTS as SECURITY_ES
from steward.translations_security_ht import TEXTS as SECURITY_HT
from steward.translations_security_pt_br import TEXTS as SECURITY_PT_BR

SHELL: dict[str, dict[str, Text]] = {
    "English": {"es": "Inglés", "pt_BR": "Inglês", "ht": "Anglè"},
    "Spanish": {"es": "Español", "pt_BR": "Espanhol", "ht": "Panyòl"},
    "Brazilian Portuguese": {
        "es": "Portugués de Brasil",
        "pt_BR": "Português do Brasil",
        "ht": "Pòtigè Brezil",
    },
    "Haitian Creole": {
        "es": "Criollo haitiano",
        "pt_BR": "Crioulo haitiano",
        "ht": "Kreyòl ayisyen",
    },
    "Page not found": {
        "es": "Página no encontrada",
        "pt_BR": "Página não encontrada",
        "ht": "Nou pa jwenn paj la",
    },
    "There is nothing here, or nothing you may see.": {
        "es": "No hay nada aquí, o nada que usted pueda ver.",
        "pt_BR": "Não há nada aqui, ou nada que você possa ver.",
        "ht": "Pa gen anyen la a, oswa anyen ou gen dwa wè.",
    },
    "Go to your home page": {
        "es": "Ir a su página de inicio",
        "pt_BR": "Ir para a sua página inicial",
        "ht": "Ale nan paj dakèy ou",
    },
    "Server error": {"es": "Error del servidor", "pt_BR": "Erro no servidor", "ht": "Erè sèvè"},
    "Something went wrong on our side. Please try again in a moment.": {
        "es": "Algo salió mal de nuestro lado. Vuelva a intentarlo en un momento.",
        "pt_BR": "Algo deu errado do nosso lado. Tente novamente em instantes.",
        "ht": "Gen yon bagay ki mal mache bò kote pa nou. Tanpri eseye ankò nan yon ti moman.",
    },
    "Skip to main content": {
        "es": "Saltar al contenido principal",
        "pt_BR": "Pular para o conteúdo principal",
        "ht": "Ale dirèkteman nan kontni prensipal la",
    },
    "Account": {"es": "Cuenta", "pt_BR": "Conta", "ht": "Kont"},
    "Signed in as %(name)s": {
        "es": "Sesión iniciada como %(name)s",
        "pt_BR": "Conectado como %(name)s",
        "ht": "Ou konekte kòm %(name)s",
    },
    "Administration": {"es": "Administración", "pt_BR": "Administração", "ht": "Administrasyon"},
    "Privacy training": {
        "es": "Capacitación en privacidad",
        "pt_BR": "Treinamento de privacidade",
        "ht": "Fòmasyon sou vi prive",
    },
    "Sign out": {"es": "Cerrar sesión", "pt_BR": "Sair", "ht": "Dekonekte"},
    "Steward: student data privacy for your school district.": {
        "es": "Steward: privacidad de los datos de los estudiantes para su distrito escolar.",
        "pt_BR": "Steward: privacidade dos dados dos alunos para o seu distrito escolar.",
        "ht": "Steward: vi prive done elèv yo pou distri lekòl ou.",
    },
    "What we collect and why": {
        "es": "Qué recopilamos y por qué",
        "pt_BR": "O que coletamos e por quê",
        "ht": "Kisa nou ranmase ak poukisa",
    },
    "Language": {"es": "Idioma", "pt_BR": "Idioma", "ht": "Lang"},
    "Change": {"es": "Cambiar", "pt_BR": "Mudar", "ht": "Chanje"},
    "Sign in": {"es": "Iniciar sesión", "pt_BR": "Entrar", "ht": "Konekte"},
}

LANGUAGES = ("es", "pt_BR", "ht")
# Haitian Creole marks the plural with "yo" and does not inflect; two forms, as GNU gettext's
# own tables give for it.
PLURAL_FORMS = {
    "es": "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
    "pt_BR": "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
    "ht": "nplurals=2; plural=(n != 1);",
}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


# Every hand-written translation: msgid -> language -> text (or a (singular, plural) pair).
ALL: dict[str, dict[str, Text]] = {**SHELL, **PORTAL, **PARTS}
# The portal's choices, notices and e-mails, one module per language; then the family's pages
# of the rights issues (requests, corrections, hearings, retention notices); then the family's
# sign-in, lockout, re-authentication and two-step verification pages (#10).
for _language, _texts in (
    ("es", ES),
    ("pt_BR", PT_BR),
    ("ht", HT),
    ("es", RIGHTS_ES),
    ("pt_BR", RIGHTS_PT_BR),
    ("ht", RIGHTS_HT),
    ("es", SECURITY_ES),
    ("pt_BR", SECURITY_PT_BR),
    ("ht", SECURITY_HT),
):
    for _msgid, _text in _texts.items():
        ALL.setdefault(_msgid, {}).setdefault(_language, _text)


def fill_and_compile(locale_dir: Path | None = None) -> dict[str, int]:
    """Write `SHELL`'s translations into each language's django.po and compile django.mo.

    Run by `make messages` after `makemessages`. Entries that `SHELL` does not cover keep what
    the catalog has (or stay untranslated, falling back to English). Returns the number of
    translated entries per language. Needs polib (a development dependency).
    """
    import polib

    base = locale_dir or LOCALE_DIR
    counts: dict[str, int] = {}
    for language in LANGUAGES:
        po_path = base / language / "LC_MESSAGES" / "django.po"
        catalog = polib.pofile(str(po_path))
        catalog.metadata["Language"] = language
        catalog.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        if "INTEGER" in catalog.metadata.get("Plural-Forms", "INTEGER"):
            # makemessages has no plural rule for a language Django does not know (ht).
            catalog.metadata["Plural-Forms"] = PLURAL_FORMS[language]
        nplurals = int(catalog.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
        for entry in catalog:
            text = ALL.get(entry.msgid, {}).get(language)
            if text is None:
                if "fuzzy" in entry.flags:
                    # msgmerge's guess from a similar message, usually wrong: untranslated
                    # (English) is better than a wrong sentence.
                    entry.msgstr = ""
                    entry.msgstr_plural = {k: "" for k in entry.msgstr_plural}
                    entry.flags.remove("fuzzy")
                    entry.previous_msgid = None
                    entry.previous_msgid_plural = None
                    entry.previous_msgctxt = None
                continue
            if entry.msgid_plural:
                singular, plural = text if isinstance(text, tuple) else (text, text)
                entry.msgstr_plural = {0: singular, **{n: plural for n in range(1, nplurals)}}
            else:
                assert isinstance(text, str), entry.msgid
                entry.msgstr = text
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        catalog.save(str(po_path))
        catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
        counts[language] = len(catalog.translated_entries())
    return counts


if __name__ == "__main__":
    print(fill_and_compile())
