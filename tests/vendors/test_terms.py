"""R75: the PTAC warning terms flagged in entered terms of service, negations left alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steward.vendors import terms
from steward.vendors.terms import Flag, flag_terms

# Protections present, so that only the sentence under test can raise a flag.
SAFE = (
    "Provider will delete Student Data within 60 days of the District's request or of the "
    "termination of this agreement. We encrypt Student Data in transit and at rest and keep "
    "administrative, technical and physical safeguards. We will notify the District within "
    "72 hours of confirming a breach of Student Data."
)


def present(text: str) -> list[str]:
    return [flag.key for flag in flag_terms(f"{text}\n{SAFE}") if flag.excerpt is not None]


FLAGGED = [
    (terms.CHANGES_WITHOUT_NOTICE, "We may change these Terms at any time without notice to you."),
    (
        terms.CHANGES_WITHOUT_NOTICE,
        "We may modify this Privacy Policy at our sole discretion, and your continued use of "
        "the Service means you accept the changes.",
    ),
    (
        terms.OWNERSHIP,
        "By uploading content, you grant us a worldwide, perpetual, irrevocable, royalty-free "
        "license to use, reproduce and distribute your content.",
    ),
    (terms.OWNERSHIP, "All user content submitted to the Service becomes the property of Company."),
    (terms.OWNERSHIP, "We own all data you upload to the Service."),
    (
        terms.OWNERSHIP,
        "The Company retains all rights, title and interest in user data and content.",
    ),
    (
        terms.ADVERTISING,
        "We use information about how students use the app to show them targeted ads.",
    ),
    (terms.ADVERTISING, "We may build profiles of students to personalize offers from partners."),
    (
        terms.ADVERTISING,
        "We may use your information to market our products to you and your family.",
    ),
    (terms.SALE_OR_SHARING, "We may sell your information to our partners."),
    (terms.SALE_OR_SHARING, "We may rent or trade user information to other organizations."),
    (
        terms.SALE_OR_SHARING,
        "We may share your information with our trusted partners and affiliates.",
    ),
    (
        terms.REIDENTIFICATION,
        "We may use de-identified data and combine it with other information we hold.",
    ),
    (terms.REIDENTIFICATION, "Partners may re-identify aggregated data for research."),
]

NOT_FLAGGED = [
    "We will not change these terms without giving you 30 days' notice.",
    "Changes to this policy will never be made without notice.",
    "We may update this Privacy Policy at any time. We will notify you by e-mail of any "
    "material change before it takes effect.",
    "You grant Provider a non-exclusive, royalty-free license to use Student Data solely to "
    "provide the Services to the School.",
    "Student Data remains the property of the District at all times.",
    "We do not own student data.",
    "Nothing in these terms gives us ownership of your content.",
    "We never sell student personal information.",
    "We do not sell, rent or trade your personal information.",
    "Provider shall not sell, rent, lease or trade Student Data.",
    "Student Data will not be sold to anyone.",
    "We sell no student data.",
    "We share student data only with the subprocessors listed in Exhibit E.",
    "We may disclose information to third parties when required by law.",
    "We share student data with third parties only with the parent's written consent.",
    "In the event of a merger or acquisition, your information may be transferred to the new "
    "owner, who is bound by this policy.",
    "We do not use Student Data for targeted advertising or to build profiles of students.",
    "Advertising is never shown to students.",
    "Provider is prohibited from using Student Data for marketing.",
    "Provider will not attempt to re-identify de-identified data.",
    "De-identified data will not be combined with other data to identify students.",
    "Trade secrets of the company are protected by law and we will keep them.",
    "Advertising",  # a heading, not a term
]


@pytest.mark.parametrize(("key", "sentence"), FLAGGED)
def test_it_flags_a_warning_term(key: str, sentence: str) -> None:
    assert key in present(sentence)


@pytest.mark.parametrize("sentence", NOT_FLAGGED)
def test_it_leaves_negated_or_harmless_sentences_alone(sentence: str) -> None:
    assert present(sentence) == []


def test_a_warning_after_a_negated_clause_is_still_flagged() -> None:
    text = "We do not sell personal information; however, we may share it with our partners."
    flags = [flag for flag in flag_terms(text) if flag.excerpt]
    assert [flag.key for flag in flags] == [terms.SALE_OR_SHARING]
    assert flags[0].excerpt == text


def test_the_excerpt_is_the_sentence_that_raised_the_flag() -> None:
    text = (
        "Welcome to Quizzo. We may sell your information to our partners. "
        "Teachers create classes.\nWe may change these Terms at any time without notice."
    )
    flags = [flag for flag in flag_terms(text) if flag.excerpt]
    assert [(flag.key, flag.excerpt) for flag in flags] == [
        (terms.SALE_OR_SHARING, "We may sell your information to our partners."),
        (
            terms.CHANGES_WITHOUT_NOTICE,
            "We may change these Terms at any time without notice.",
        ),
    ]


def test_abbreviations_do_not_cut_a_sentence() -> None:
    text = "We may share data with partners, e.g. analytics companies, for any purpose."
    (flag,) = [flag for flag in flag_terms(text) if flag.excerpt]
    assert flag.excerpt == text


def test_it_flags_each_missing_protection_without_an_excerpt() -> None:
    flags = flag_terms("Quizzo is a fun quiz app for classrooms. Teachers create quizzes.")
    assert [(flag.key, flag.excerpt) for flag in flags] == [
        (terms.NO_DELETION, None),
        (terms.NO_SECURITY, None),
        (terms.NO_BREACH_NOTIFICATION, None),
    ]


def test_the_protections_silence_the_absence_flags() -> None:
    assert flag_terms(SAFE) == []


@pytest.mark.parametrize(
    ("sentence", "still_missing"),
    [
        ("We do not delete data when the agreement ends.", terms.NO_DELETION),
        ("We are not required to notify you of a breach.", terms.NO_BREACH_NOTIFICATION),
        ("We do not encrypt data or keep security measures.", terms.NO_SECURITY),
    ],
)
def test_a_negated_protection_does_not_count(sentence: str, still_missing: str) -> None:
    assert still_missing in [flag.key for flag in flag_terms(sentence)]


def test_deletion_must_be_on_request_or_at_the_end() -> None:
    keys = [flag.key for flag in flag_terms("Users may delete posts they wrote.")]
    assert terms.NO_DELETION in keys
    keys = [flag.key for flag in flag_terms("We delete student data on the school's request.")]
    assert terms.NO_DELETION not in keys


def test_blank_terms_raise_no_flags() -> None:
    assert flag_terms("") == []
    assert flag_terms("  \n\t ") == []


def test_a_flag_serialises_for_the_vetting_snapshot() -> None:
    flag = Flag(terms.SALE_OR_SHARING, terms.LABELS[terms.SALE_OR_SHARING], "We sell data.")
    assert flag.as_dict() == {
        "key": "sale_or_sharing",
        "label": str(terms.LABELS[terms.SALE_OR_SHARING]),
        "excerpt": "We sell data.",
    }
    assert terms.label("sale_or_sharing") == terms.LABELS["sale_or_sharing"]
    assert terms.label("from_the_future") == "from_the_future"


WORDS = st.sampled_from(
    [
        "we", "may", "not", "never", "sell", "share", "data", "third", "parties", "change",
        "terms", "without", "notice", "advertising", "re-identify", "license", "perpetual",
        "own", "student", "delete", "breach", "notify", "encrypt", ".", ",", ";", "\n",
        "e.g.", "However", "(", ")",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.lists(WORDS, max_size=60).map(" ".join)))
def test_flags_never_raise_and_excerpts_come_from_the_text(text: str) -> None:
    flags = flag_terms(text)
    for flag in flags:
        assert flag.key in terms.LABELS
        if flag.key in terms.ABSENCES:
            assert flag.excerpt is None
        else:
            assert flag.excerpt and flag.excerpt in text
    absences = [flag.key for flag in flags if flag.key in terms.ABSENCES]
    assert len(absences) == len(set(absences))
    if not text.strip():
        assert flags == []
