"""Encrypt the families' record copies (the PDF and the zip of the whole record) at rest
(R116, #10): the copies made before are sealed with the current key; reversible."""

from django.db import migrations

import steward.security.fields
from steward.security.crypto_migration import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="requestcopy",
            name="archive",
            field=steward.security.fields.EncryptedBinaryField(),
        ),
        migrations.AlterField(
            model_name="requestcopy",
            name="pdf",
            field=steward.security.fields.EncryptedBinaryField(),
        ),
        encrypt_existing("requests", [("requestcopy", "pdf"), ("requestcopy", "archive")]),
    ]
