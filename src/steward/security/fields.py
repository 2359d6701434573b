"""Model fields that encrypt on the way into the database and decrypt on the way out (R116).

`EncryptedTextField` and `EncryptedBinaryField` seal every non-NULL value with the keyring's
current key in `get_prep_value`, the one door every ORM write (save, create, bulk_create,
update) and `steward.sqlbulk` go through, and open it in `from_db_value`, which the ORM runs
for model instances, `values()` and `values_list()` alike. The column never holds plaintext.

What this costs, by design: the database cannot compare, search, sort or de-duplicate these
columns (each value has a random nonce, so equal texts differ). Lookups other than `isnull`
are refused outright instead of silently matching nothing; ordering and DISTINCT on these
columns must happen in Python after reading (see `steward.records.parts`).

`context` (default `<app_label>.<model>.<field>`) is bound into every value: moving a value to
another column makes it fail to decrypt. Renaming the model or the field changes the default,
so a rename must pass the old `context=` explicitly.
"""

from __future__ import annotations

from typing import Any

from django.core import validators
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import IsNull

from steward.security import crypto


class FieldDecryptionError(crypto.CryptoError):
    """A stored value failed to decrypt; names the table, row and column."""


class EncryptedField(models.Field):
    """Shared behaviour of the encrypted fields; not a field by itself."""

    encrypted = True

    def __init__(self, *args: Any, context: str = "", **kwargs: Any) -> None:
        self._explicit_context = context
        self.context = context
        super().__init__(*args, **kwargs)

    def contribute_to_class(
        self, cls: type[models.Model], name: str, *args: Any, **kw: Any
    ) -> None:
        super().contribute_to_class(cls, name, *args, **kw)
        if not self._explicit_context:
            self.context = f"{cls._meta.label_lower}.{name}"

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self._explicit_context:
            kwargs["context"] = self._explicit_context
        return name, path, args, kwargs

    def get_lookup(self, lookup_name: str) -> Any:
        # Comparing ciphertexts is meaningless (random nonces): refuse rather than match nothing.
        return IsNull if lookup_name == "isnull" else None

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def where(self, pk: Any = None) -> str:
        table = self.model._meta.db_table
        row = f"row {pk}" if pk is not None else "row ?"
        return f"table {table}, {row}, column {self.column}"

    def _failure(
        self, exc: crypto.CryptoError, stored: Any, connection: Any
    ) -> FieldDecryptionError:
        return FieldDecryptionError(
            f"{self.where(_row_of(self, stored, connection))}: {_reason(exc)}"
        )


class EncryptedTextField(EncryptedField, models.TextField):
    """A text column held encrypted. `max_length` is checked in Python (the column is TEXT:
    the ciphertext is longer than the text)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return crypto.keyring().seal_text(str(value), self.context)

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if value is None:
            return None
        try:
            return crypto.keyring().open_text(value, self.context)
        except crypto.CryptoError as exc:
            raise self._failure(exc, value, connection) from exc


class EncryptedBinaryField(EncryptedField, models.BinaryField):
    """A binary column held encrypted; reads give `bytes`."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return crypto.keyring().seal(bytes(value), self.context)

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if value is None:
            return None
        try:
            return crypto.keyring().open(bytes(value), self.context)
        except crypto.CryptoError as exc:
            raise self._failure(exc, value, connection) from exc


def encrypted_fields() -> list[EncryptedField]:
    """Every encrypted field of every installed, concrete model, in a stable order."""
    from django.apps import apps

    found = [
        field
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
        for field in model._meta.local_concrete_fields
        if isinstance(field, EncryptedField)
    ]
    return sorted(found, key=lambda f: (f.model._meta.db_table, f.column))


def _reason(exc: crypto.CryptoError) -> str:
    text = str(exc)
    # The keyring's own message starts with the context; the field names the place instead.
    return text.split(": ", 1)[1] if ": " in text else text


def _row_of(field: EncryptedField, stored: Any, connection: Any) -> Any:
    """The primary key of the row holding `stored` (unique: every value has its own nonce).

    Only on the failure path, so that the error names the row an operator must look at.
    """
    meta = field.model._meta
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote(meta.pk.column)} FROM {quote(meta.db_table)} "  # noqa: S608 - names from model metadata, quoted
        f"WHERE {quote(field.column)} = %s"
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, [stored])
            found = cursor.fetchone()
    except Exception:  # the error being reported matters more than this detail
        return None
    return found[0] if found else None
