"""What of a JSON object may leave: the plan's columns, then the `fields` parameter.

`Minimizer.apply(obj, kind)` keeps a field only when its CSV column (`steward.rostering.fields`)
is allowed for that kind of row, drops what `fields` did not ask for, and sends a withheld
required text field as "" (valid against the schema, and says nothing). It also collects the
Exhibit B elements of every field it lets through on a row about a student or a guardian, and
the students concerned, for the disclosure entry (R56, R63).
"""

from __future__ import annotations

from typing import Any

from steward.rostering.fields import FIELDS, FILE_OF
from steward.rostering.plans import GUARDIAN, STUDENT, View
from steward.sharing import columns as cols
from steward.sharing.engine import LOCAL_ID, PARENT_ID

Json = dict[str, Any]
# A withheld required enumeration gets a fixed value, not "" (which the schema refuses).
WITHHELD = {"enabledUser": "true"}
# Columns of a file as they are named in the plan, per JSON "structure" field of a type.
_STRUCTURE = frozenset({"sourcedId", "status", "dateLastModified"})


class Minimizer:
    def __init__(self, view: View, type_: str, selection: tuple[str, ...] | None) -> None:
        self.view = view
        self.type = type_
        self.specs = FIELDS[type_]
        self.selection = selection
        self.elements: set[cols.Pair] = set()
        self.students: set[int] = set()
        # Set by a nested path that lists a class's members or a student's classes.
        self.reveals_classes = False

    def allowed(self, name: str, kind: str) -> bool:
        """Whether the plan lets field `name` out on a row of `kind` (an unknown name: no)."""
        spec = self.specs.get(name)
        if spec is None:
            return False
        if spec.file is None or spec.column is None:
            return True
        if name == "roles":  # the loaders already reduce roles to what the plan allows
            return True
        return self.view.allows(spec.file, spec.column, kind)

    def apply(self, obj: Json, kind: str = "", about: frozenset[int] = frozenset()) -> Json:
        """The object as it may be sent. `about`: the students this row tells something
        about (the student themself, a guardian's children, an enrollment's student)."""
        out: Json = {}
        kind = obj.pop("_kind", kind)  # an enrollment's row kind: student or staff
        personal = kind in (STUDENT, GUARDIAN) or bool(about)
        for name, value in obj.items():
            spec = self.specs.get(name)
            if spec is None:
                continue  # never a field the schema does not list (e.g. a password)
            if self.selection is not None and name not in self.selection:
                continue
            if not self.allowed(name, kind):
                if spec.required and spec.text:
                    # Required by the schema but withheld: a value that tells nothing.
                    out[name] = WITHHELD.get(name, "")
                continue
            if name == "metadata":
                value = self._metadata(value, kind)
                if not value:
                    continue
            out[name] = value
            if personal:
                self._note(name, kind)
        if personal and about:
            self.students.update(about)
            if self.type == "enrollment" or self.reveals_classes:
                self.elements.add(cols.SCHEDULE)  # who is in which class
        return out

    def _metadata(self, value: Any, kind: str) -> Json:
        """Extension keys: JSON `metadata.x` is CSV column `metadata.x`, allowed one by one."""
        if not isinstance(value, dict):
            return {}
        file = self.specs["metadata"].file or FILE_OF[self.type]
        return {
            key: v for key, v in value.items() if self.view.allows(file, f"metadata.{key}", kind)
        }

    def _note(self, name: str, kind: str) -> None:
        spec = self.specs[name]
        row_kind = kind or STUDENT
        if name == "sourcedId":
            if not self.view.pseudonymous:
                self.elements.add(PARENT_ID if kind == GUARDIAN else LOCAL_ID)
            return
        if spec.file is None or spec.column is None or name in _STRUCTURE:
            return
        if name == "metadata" and self.type == "demographics":
            for _field, (column, carry) in cols.INDICATORS.items():
                if self.view.allows("demographics", column, STUDENT):
                    self.elements.update(carry.elements)
            return
        if name == "roles":
            if self.view.school_links(row_kind):
                self.elements.add(cols.SCHOOL_ENROLLMENT)
            return
        try:
            carry = cols.carried(spec.file, row_kind, spec.column)
        except KeyError:
            return
        self.elements.update(carry.elements)
