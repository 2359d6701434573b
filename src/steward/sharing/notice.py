"""The redisclosure notice attached to every release (R67–R69; 34 CFR 99.33).

FERPA lets the district disclose personally identifiable information only on the condition
that the recipient does not pass it on without consent and uses it only for the purposes of
the disclosure (99.33(a), R67), unless the district discloses it with the understanding that
the recipient may redisclose on its behalf under 99.31 and records that (99.33(b), R68); and
the district must tell each recipient so (99.33(c)–(d), R69). Disclosures under 99.31(a)(8),
(9), (11), (12), (14), (15) and (16) are exempt from the condition; of the bases an agreement
may carry, that is A8, A9 and A11 (`EXEMPT_BASES`): their notice says so rather than
imposing a condition the law does not.

The notice is written in English, the language of the agreement, whatever language the
office uses; its SHA-256 goes into the disclosure entry, so the ledger proves which text was
given.
"""

from __future__ import annotations

import datetime as dt

from steward.bases import FerpaBasis
from steward.digest import sha256 as sha256  # re-exported: callers hash the notice text with it
from steward.vendors.models import Agreement

FILENAME = "REDISCLOSURE-NOTICE.txt"
EXEMPT_BASES = frozenset({FerpaBasis.A8, FerpaBasis.A9, FerpaBasis.A11})

_CONDITION = """\
CONDITIONS OF THIS DISCLOSURE (34 CFR 99.33(a))

1. You may not disclose this information to any other party without the prior written
   consent of the parent or eligible student, except as the agreement named above allows
   under 34 CFR 99.33(b) for disclosures made on the district's behalf, each of which must
   meet 34 CFR 99.31 and be reported to the district so that it can record it (34 CFR
   99.32(b)).
2. Your officers, employees and agents may use this information only for the purposes
   stated above and in the agreement, and for no other purpose.
3. If you disclose any of it in compliance with a judicial order or subpoena, you must first
   make a reasonable effort to notify the parent or eligible student as 34 CFR
   99.31(a)(9)(ii) requires (34 CFR 99.33(b)(2)).
4. An improper redisclosure of information received for a study (34 CFR 99.31(a)(6)) bars
   the recipient from access to the district's records for at least five years (20 U.S.C.
   1232g(b)(4)(B)).
5. When the agreement ends, the data must be disposed of as it and its Exhibit D directive
   require, and the disposition certified to the district.
"""

_EXEMPT = """\
CONDITIONS OF THIS DISCLOSURE

This disclosure is made under a basis to which the redisclosure conditions of 34 CFR
99.33(a) do not apply (34 CFR 99.33(c)). The information remains subject to the agreement
named above: use it only for the purposes it states, and dispose of it as it requires.
"""


def text(agreement: Agreement, vendor_name: str, at: dt.datetime) -> str:
    """The notice for one release under `agreement` at `at`."""
    basis = agreement.ferpa_basis or "-"
    lines = [
        "NOTICE TO THE RECIPIENT OF STUDENT RECORDS",
        "",
        f"Recipient:       {vendor_name}",
        f"Agreement:       {agreement.title} (#{agreement.pk})",
        f"FERPA basis:     {basis}",
        f"Purpose:         {' '.join((agreement.purpose or '').split()) or '-'}",
        f"Released on:     {at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        "The files with this notice contain personally identifiable information from education",
        "records, protected by the Family Educational Rights and Privacy Act (20 U.S.C. 1232g;",
        "34 CFR Part 99) and the Massachusetts Student Records Regulations (603 CMR 23.00).",
        "",
        _EXEMPT if agreement.ferpa_basis in EXEMPT_BASES else _CONDITION,
    ]
    return "\n".join(lines)
