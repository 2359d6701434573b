"""The copy for people: a PDF made with the same page setup as the district's other documents
(`steward.vendors.pdf.Page`: A4, embedded DejaVu fonts for any name, page numbers).

Each table row is printed as label/value lines, so a part with many fields stays readable on a
portrait page. A non-custodial parent's copy carries the R18 marking at the top of every page.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos

from steward.requests.contents import Contents, non_custodial_notice
from steward.requests.tables import Column, Table, text
from steward.vendors.pdf import Page


class CopyPage(Page):
    """`Page` with an optional marking repeated at the top of every page."""

    def __init__(self, title: str, subject: str, marking: str = "") -> None:
        self.marking = marking  # read by header(), which the first add_page() already calls
        super().__init__(title, subject)

    def header(self) -> None:
        if not self.marking:
            return
        self.set_font(self.face, "B", 8)
        self.set_text_color(160, 0, 0)
        self.multi_cell(0, 4, self.clean(self.marking), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def subsection(self, title: str) -> None:
        self.ln(2)
        self.set_font(self.face, "B", 10.5)
        self.multi_cell(0, 6, self.clean(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(self.face, "", 10)


def _row(columns: list[Column], row: list[object]) -> list[tuple[str, str]]:
    return [(c.label, text(c, v)) for c, v in zip(columns, row, strict=True)]


def _table(doc: CopyPage, table: Table) -> None:
    doc.subsection(table.title)
    if not table.rows:
        doc.paragraph(_("None on file."))
        return
    for number, row in enumerate(table.rows, start=1):
        if len(table.rows) > 1:
            doc.set_font(doc.face, "", 8)
            doc.cell(0, 5, f"{number} / {len(table.rows)}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        doc.fields(_row(table.columns, row))
        doc.ln(1)


def render(contents: Contents) -> bytes:
    """The PDF of `contents`."""
    about = {key: value for key, _label, value in contents.about}
    marking = non_custodial_notice() if contents.non_custodial else ""
    doc = CopyPage(_("Copy of the student record"), str(about.get("student", "")), marking)
    for notice in contents.notices:
        doc.paragraph(notice)
    doc.section(_("About this copy"))
    doc.fields([(label, text(Column(key, label), value)) for key, label, value in contents.about])
    for _key, title, tables in contents.sections():
        doc.section(title)
        for table in tables:
            _table(doc, table)
    return doc.finish()
