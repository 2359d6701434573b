"""R75: the PTAC "warning" terms, flagged in a provider's terms of service or privacy policy.

`flag_terms(text)` reads the text sentence by sentence and returns a `Flag` for each warning
found, in the order of the text, then one `Flag` per protection the text lacks:

- present (with the sentence as `excerpt`): the provider may change the terms without notice;
  claims ownership of, or a licence beyond the service to, student data; uses it for
  advertising, marketing or profiling; sells it or shares it with unnamed third parties;
  allows re-identification of de-identified data;
- absent (`excerpt` is None): no deletion on request or at termination; no security terms;
  no breach notification.

It is a reviewer's aid, not a verdict: the vetting shows the flags beside the rubric and the
reviewer decides (R74). Patterns are deliberately narrow and negation-aware ("we will never
sell", "Provider shall not use Student Data for advertising" raise nothing), so that a flag is
worth reading; a reviewer still reads the whole text. Blank text gives no flags: there is
nothing to judge yet.

Pure Python (only lazy translations from Django), no queries. Every `excerpt` is a substring
of the input, so it can be found and highlighted in the stored text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CHANGES_WITHOUT_NOTICE = "changes_without_notice"
OWNERSHIP = "ownership"
ADVERTISING = "advertising"
SALE_OR_SHARING = "sale_or_sharing"
REIDENTIFICATION = "reidentification"
NO_DELETION = "no_deletion"
NO_SECURITY = "no_security"
NO_BREACH_NOTIFICATION = "no_breach_notification"

LABELS: dict[str, Promise] = {
    CHANGES_WITHOUT_NOTICE: _("The provider may change the terms without notice."),
    OWNERSHIP: _(
        "The provider claims ownership of, or a licence beyond the service to, student data."
    ),
    ADVERTISING: _("Student data may be used for advertising, marketing or building profiles."),
    SALE_OR_SHARING: _("Student data may be sold or shared with third parties that are not named."),
    REIDENTIFICATION: _("De-identified data may be re-identified or linked back to students."),
    NO_DELETION: _("No term requires deleting student data on request or when the service ends."),
    NO_SECURITY: _("No term describes how student data is kept secure."),
    NO_BREACH_NOTIFICATION: _("No term requires notifying the district of a data breach."),
}
# Keys of the warnings that are the absence of a protection (their excerpt is None).
ABSENCES = (NO_DELETION, NO_SECURITY, NO_BREACH_NOTIFICATION)


@dataclass(frozen=True)
class Flag:
    """One warning: its key (one of `LABELS`), its label, and the sentence that raised it
    (None for a missing protection)."""

    key: str
    label: Promise
    excerpt: str | None

    def as_dict(self) -> dict[str, str | None]:
        """JSON for `Vetting.terms_flags`; the label in the active language, for the record
        (pages show `label(key)` in the reader's language)."""
        return {"key": self.key, "label": str(self.label), "excerpt": self.excerpt}


def label(key: str) -> Promise | str:
    """The label of a flag key; the key itself if unknown (a flag stored by a later version)."""
    return LABELS.get(key, key)


def flag_terms(text: str) -> list[Flag]:
    """The R75 warnings in `text` (see the module docstring); [] for blank text."""
    if not text.strip():
        return []
    sentences = list(_sentences(text))
    flags = [
        Flag(key, LABELS[key], sentence)
        for sentence in sentences
        for key in _warnings_in(sentence, sentences)
    ]
    for key, present in (
        (NO_DELETION, _has_deletion),
        (NO_SECURITY, _has_security),
        (NO_BREACH_NOTIFICATION, _has_breach_notice),
    ):
        if not any(present(sentence) for sentence in sentences):
            flags.append(Flag(key, LABELS[key], None))
    return flags


# --- sentences and negation ---------------------------------------------------------------

_FLAGS = re.IGNORECASE
# A sentence ends at ".", "!" or "?" followed by space and not by a lower-case letter (so
# "e.g. a" stays whole), or at a line break (headings and list items are their own lines).
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[^a-z\s])|\s*\n\s*")
# Presence patterns ignore headings and fragments ("Advertising", "Sale of data").
_MIN_WORDS = 4


def _sentences(text: str) -> Iterator[str]:
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        piece = text[start : boundary.start()].strip()
        if piece:
            yield piece
        start = boundary.end()
    piece = text[start:].strip()
    if piece:
        yield piece


_NEGATOR = re.compile(
    r"\b(?:not|never|no|none|nothing|nor|neither|cannot|prohibit\w*|forbid\w*|refrain\w*)\b"
    r"|n[’']t\b",
    _FLAGS,
)
# Where a clause starts: a negation before it does not reach past it.
_CLAUSE = re.compile(
    r"[;:()]|\b(?:but|however|although|though|except|unless|whereas|while|which|who|if)\b"
    r"|\b(?:and|or)\s+(?:we|they|it|you|the\s+company|the\s+provider|provider|company)\b",
    _FLAGS,
)
# A negation right after the match, in the same clause: "Advertising is never shown".
_NEGATED_AFTER = re.compile(
    r"^\W*(?:[\w-]+\W+){0,4}?(?:is|are|was|were|will|shall|may|can|must|would|do|does)"
    r"\s+(?:not|never)\b|^\W*(?:[\w-]+\W+){0,4}?(?:isn|aren|won|can|shan|doesn|don)[’']t\b"
    r"|^\s+(?:no|none\s+of)\b",
    _FLAGS,
)


def _negated(sentence: str, match: re.Match[str]) -> bool:
    """Whether `match` sits in a negated clause: a negator earlier in its clause ("we do not
    sell", "Provider is prohibited from selling") or right after it ("Advertising is not
    shown"). Looks at most 200 characters back and 60 ahead."""
    # A pattern spanning subject and verb ("we ... own") marks the verb as group "at".
    at = match.start("at") if "at" in match.re.groupindex else match.start()
    before = sentence[max(0, at - 200) : at]
    clauses = list(_CLAUSE.finditer(before))
    if clauses:
        before = before[clauses[-1].end() :]
    if _NEGATOR.search(before):
        return True
    after = sentence[match.end() : match.end() + 60]
    return bool(_NEGATED_AFTER.search(after))


def _affirmed(pattern: re.Pattern[str], sentence: str) -> re.Match[str] | None:
    """The first match of `pattern` in `sentence` that is not negated."""
    for match in pattern.finditer(sentence):
        if not _negated(sentence, match):
            return match
    return None


# --- the warnings present --------------------------------------------------------------------

_CHANGE = re.compile(
    r"\b(?:chang|modif|amend|revis|updat|alter)(?:e|es|ed|ing|y|ies|ied|ying|ication|ications)?\b",
    _FLAGS,
)
_TERMS_NOUN = re.compile(r"\b(?:terms|policy|policies|agreement|conditions|notice)\b", _FLAGS)
_WITHOUT_NOTICE = re.compile(
    r"\bwithout\s+(?:any\s+)?(?:prior\s+|advance\s+|further\s+|additional\s+|direct\s+)?"
    r"(?:\w+\s+)?(?:notice|notification|notifying|informing|telling)\b",
    _FLAGS,
)
# Weaker signs: a change "at any time", at the provider's discretion, binding on posting, or
# accepted by continued use. Not flagged when the text promises notice of changes.
_UNILATERAL = re.compile(
    r"\bat\s+any\s+time\b|\b(?:sole|absolute)\s+discretion\b"
    r"|\b(?:effective|binding)\s+(?:immediately\s+)?(?:up)?on\s+(?:posting|publication)\b"
    r"|\bcontinued\s+use\b[^.!?]{0,80}?\b(?:accept\w*|agree\w*|consent\w*|bound)\b"
    r"|\b(?:periodically|regularly)\s+(?:check|review|visit)\b",
    _FLAGS,
)
_NOTICE_WORD = re.compile(
    r"\b(?:notify|notifies|notified|notice|notification|inform|e-?mail\s+you|tell\s+you|alert)\b",
    _FLAGS,
)

_BROAD_LICENCE = re.compile(
    r"\b(?:perpetual|irrevocable|world-?wide|royalty[- ]free|fully[- ]paid|transferable"
    r"|sub-?licensable|unlimited|unrestricted)\b[^.!?]{0,100}?\blicen[cs]e\b",
    _FLAGS,
)
_LASTING_LICENCE = re.compile(r"\b(?:perpetual|irrevocable|transferable|sub-?licensable)\b", _FLAGS)
_SERVICE_ONLY = re.compile(
    r"\b(?:solely|only|exclusively|strictly|limited\s+to)\b[^.!?]{0,40}?"
    r"\b(?:provid|deliver|perform|operat|maintain|support|offer|run|improv)\w*\b[^.!?]{0,30}?"
    r"\b(?:service|services|product|products|platform|application|app)\b",
    _FLAGS,
)
_PROVIDER = (
    r"(?:we|us|our\s+company|the\s+company|company|the\s+provider|provider|the\s+vendor|vendor"
    r"|the\s+operator|operator|licensor)"
)
_OWNS = re.compile(
    rf"\b{_PROVIDER}\b[^.!?]{{0,60}}?\b(?P<at>own|owns"
    r"|(?:retain|retains|acquire|acquires|obtain|obtains)\s+(?:all\s+)?(?:right|rights|title|ownership))\b",
    _FLAGS,
)
_PROPERTY_OF_PROVIDER = re.compile(
    rf"\b(?:property|ownership)\s+of\s+{_PROVIDER}\b"
    rf"|\b(?:vest|vests|belong|belongs)\s+(?:solely\s+|exclusively\s+)?(?:in|to|with)\s+{_PROVIDER}\b",
    _FLAGS,
)
_STUDENT_DATA = re.compile(
    r"\b(?:student|students|user|users|your|customer|customers|pupil|pupils|child|children"
    r"|personal|school|district|learner|learners)(?:['’]s?|s['’])?\s+(?:[\w-]+\s+){0,2}?"
    r"(?:data|information|content|work|submissions?|records?|materials?|uploads?|files)\b"
    r"|\b(?:data|information|content|work|files|materials)\s+(?:that\s+)?(?:you|students|users"
    r"|children|teachers)\s+(?:upload|submit|post|create|provide|enter|share)\w*\b",
    _FLAGS,
)

_ADVERTISING = re.compile(
    r"\badvertis\w*|\bmarketing\b|\bads\b|\btargeted\s+ads?\b"
    r"|\bmarket(?:s|ed|ing)?\s+(?:\w+\s+){0,2}?(?:products|services|offers)\s+to\b"
    r"|\bbehaviou?ral(?:ly)?\s+target\w*|\bprofiling\b"
    r"|\b(?:build|builds|building|create|creates|creating|develop|develops|developing|compile"
    r"|compiles|compiling|construct|constructs|constructing)\s+(?:a\s+|an\s+)?(?:[\w-]+\s+)?"
    r"profiles?\b|\bpromotional\s+(?:e-?mails?|messages|offers|communications)\b",
    _FLAGS,
)

_DATA = re.compile(r"\b(?:data|information|info|records?|details|pii|content|profiles?)\b", _FLAGS)
_SALE = re.compile(
    r"\b(?:sell|sells|selling|sold|rent|rents|renting|rented|lease|leases|leasing|leased"
    r"|trade|trades|trading|traded|barter\w*|monetiz\w*|monetis\w*)\b(?!\s+secrets?)"
    r"|\bsale\s+of\s+(?:[\w-]+\s+){0,3}?(?:data|information|records)\b",
    _FLAGS,
)
# A merger or acquisition clause is about the company being sold (the rubric asks about it,
# "sale.merger"), not about selling data.
_MERGER = re.compile(
    r"\b(?:merger|acquisition|acquired|bankruptcy|reorgani[sz]ation|change\s+of\s+control)\b"
    r"|\bsale\s+of\s+(?:all\s+or\s+)?(?:substantially\s+all\s+)?(?:of\s+)?(?:our|its|the)\s+"
    r"(?:company|business|assets|stock|shares)\b",
    _FLAGS,
)
_SHARE = re.compile(
    r"\b(?:share|shares|sharing|shared|disclose|discloses|disclosing|disclosed|transfer"
    r"|transfers|transferring|transferred|provide|provides|providing|make\s+available"
    r"|made\s+available|licen[cs]e|licen[cs]es|licen[cs]ing)\b[^.!?]{0,120}?"
    r"\b(?:third[- ]part(?:y|ies)|partners|affiliates|advertisers|sponsors|service\s+providers"
    r"|other\s+companies|other\s+organi[sz]ations|outside\s+parties|others)\b",
    _FLAGS,
)
# Sharing that names the recipients, needs consent, is compelled by law or concerns only
# de-identified data is not sharing "with unnamed third parties".
_SHARE_EXEMPT = re.compile(
    r"\b(?:listed|named|identified|specified|enumerated|set\s+(?:out|forth))\b|\bexhibit\b"
    r"|\bsub-?processors?\s+list\b|\bconsent\b|\bauthori[sz]ation\b|\b(?:required|compelled)"
    r"\s+(?:to\s+do\s+so\s+)?by\s+law\b|\bsubpoena\b|\bcourt\s+order\b|\blaw\s+enforcement\b"
    r"|\bde-?identified\b|\baggregated?\b|\banonymi[sz]ed\b",
    _FLAGS,
)

_REIDENTIFY = re.compile(r"\bre-?identif\w*", _FLAGS)
_LINK_BACK = re.compile(
    r"\b(?:de-?identified|anonymi[sz]ed|pseudonymi[sz]ed|aggregated?)\b[^.!?]{0,100}?"
    r"\b(?P<at>combine|combined|combining|link|linked|linking|match|matched|matching|merge"
    r"|merged|merging)\b\s+(?:it\s+|them\s+)?(?:with|to)\b",
    _FLAGS,
)


def _changes_without_notice(sentence: str, sentences: list[str]) -> bool:
    change = _affirmed(_CHANGE, sentence)
    if change is None or not _TERMS_NOUN.search(sentence):
        return False
    if _affirmed(_WITHOUT_NOTICE, sentence):
        return True
    if not _affirmed(_UNILATERAL, sentence):
        return False
    # "at any time" is a warning only when nothing in the text promises notice of changes.
    return not any(_promises_notice(other) for other in sentences)


def _promises_notice(sentence: str) -> bool:
    return (
        _CHANGE.search(sentence) is not None
        and _affirmed(_NOTICE_WORD, sentence) is not None
        and _WITHOUT_NOTICE.search(sentence) is None
    )


def _claims_ownership(sentence: str) -> bool:
    if not _STUDENT_DATA.search(sentence):
        return False
    if _affirmed(_OWNS, sentence) or _affirmed(_PROPERTY_OF_PROVIDER, sentence):
        return True
    if not _affirmed(_BROAD_LICENCE, sentence):
        return False
    # A licence only to run the service is fine, unless it outlives it (perpetual...).
    return not _SERVICE_ONLY.search(sentence) or _LASTING_LICENCE.search(sentence) is not None


def _advertising(sentence: str) -> bool:
    return _affirmed(_ADVERTISING, sentence) is not None


def _sale_or_sharing(sentence: str) -> bool:
    if not _DATA.search(sentence):
        return False
    if not _MERGER.search(sentence) and _affirmed(_SALE, sentence):
        return True
    return _affirmed(_SHARE, sentence) is not None and not _SHARE_EXEMPT.search(sentence)


def _reidentification(sentence: str) -> bool:
    return (
        _affirmed(_REIDENTIFY, sentence) is not None or _affirmed(_LINK_BACK, sentence) is not None
    )


_PRESENT = (
    (CHANGES_WITHOUT_NOTICE, _changes_without_notice),
    (OWNERSHIP, lambda sentence, _sentences: _claims_ownership(sentence)),
    (ADVERTISING, lambda sentence, _sentences: _advertising(sentence)),
    (SALE_OR_SHARING, lambda sentence, _sentences: _sale_or_sharing(sentence)),
    (REIDENTIFICATION, lambda sentence, _sentences: _reidentification(sentence)),
)


def _warnings_in(sentence: str, sentences: list[str]) -> list[str]:
    if len(sentence.split()) < _MIN_WORDS:
        return []
    return [key for key, found in _PRESENT if found(sentence, sentences)]


# --- the protections that must be present ----------------------------------------------------

_DELETE = re.compile(
    r"\b(?:delete|deletes|deleted|deleting|deletion|destroy|destroys|destroyed|destruction"
    r"|dispose|disposes|disposed|disposal|disposition|erase|erases|erased|erasure|purge|purges"
    r"|purged|return|returns|returned)\b",
    _FLAGS,
)
_DELETE_WHEN = re.compile(
    r"\b(?:request|requests|requested|ask|asks|asked|instruct\w*|direct\w*|terminat\w*"
    r"|expir\w*|end|ends|ended|cancel\w*|clos\w*|conclu\w*|within\s+\d+|no\s+longer\s+"
    r"(?:needed|necessary|required))\b",
    _FLAGS,
)
_SECURE = re.compile(
    r"\bencrypt\w*|\b(?:SOC\s*2|ISO\s*/?\s*(?:IEC\s*)?27001|NIST)\b"
    r"|\b(?:administrative|technical|physical|organi[sz]ational)\s+(?:(?:and|or|,)\s*\w+\s+)*"
    r"(?:safeguards|measures|controls)\b"
    r"|\b(?:security|safeguard\w*|protect\w*)\b[^.!?]{0,80}?\b(?:measures|program|programme"
    r"|practices|controls|standards|procedures|framework|unauthori[sz]ed)\b",
    _FLAGS,
)
_BREACH = re.compile(
    r"\bbreach\w*|\bsecurity\s+incidents?\b|\bunauthori[sz]ed\s+(?:access|disclosure"
    r"|acquisition|release|use)\b",
    _FLAGS,
)
_NOTIFY = re.compile(
    r"\b(?:notify|notifies|notified|notifying|notification|notice|inform|informs|informed"
    r"|alert|alerts|report|reports|reported)\b",
    _FLAGS,
)


def _has_deletion(sentence: str) -> bool:
    return _affirmed(_DELETE, sentence) is not None and _DELETE_WHEN.search(sentence) is not None


def _has_security(sentence: str) -> bool:
    return _affirmed(_SECURE, sentence) is not None


def _has_breach_notice(sentence: str) -> bool:
    return _BREACH.search(sentence) is not None and _affirmed(_NOTIFY, sentence) is not None
