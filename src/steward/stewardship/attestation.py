"""The district's annual privacy-training attestation text (R44, R138).

The text is district policy (design.md §3 rule 3): a district replaces `ATTESTATION_TEXT`.
What a staff member confirms is stored word for word with its SHA-256
(`TrainingAttestation.text`, `.text_sha256`), so changing this text never changes history.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from steward.digest import (
    sha256 as sha256,  # re-exported: callers hash the attestation text with it
)

ATTESTATION_TEXT = _(
    "I confirm that I have completed the district's annual student data privacy training for "
    "this school year, and that I understand and will follow what it teaches:\n"
    "\n"
    "1. Student records are confidential. Under the Family Educational Rights and Privacy Act "
    "(FERPA, 34 CFR Part 99) and the Massachusetts Student Records Regulations (603 CMR 23.00), "
    "I may open a student's record only when my work gives me a legitimate educational "
    "interest in it, and only the parts my work requires.\n"
    "2. I will not disclose personally identifiable information from a student's record to "
    "anyone outside the district without the written consent of the parent or eligible "
    "student, except as the law allows and as the privacy office directs.\n"
    "3. I will keep records physically and electronically secure: I will not share my login, "
    "leave records open on an unattended screen, or copy student data to personal devices, "
    "personal accounts or services the district has not approved.\n"
    "4. I will use student data only in applications and services the district has approved "
    "under a signed data sharing agreement.\n"
    "5. I will report any suspected loss, misuse or unauthorized disclosure of student data "
    "to my school's records custodian or to the privacy office at once.\n"
    "6. I understand that every access to a student's record in Steward is logged, that the "
    "privacy office reviews the log, and that families may read who accessed their child's "
    "record."
)


def current_text() -> str:
    """The attestation text in the active language, exactly as the page shows it."""
    return str(ATTESTATION_TEXT)
