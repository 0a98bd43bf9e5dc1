"""Model fields for sensitive identifiers."""

from django.db import models

from dangjian.core import crypto


class EncryptedTextField(models.TextField):
    """Stores AES-GCM ciphertext, gives plaintext in Python.

    Not filterable: pair it with a blind-index column for lookups.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in ("isnull",):
            raise TypeError(f"EncryptedTextField does not support '{lookup_name}' lookups")
        return super().get_lookup(lookup_name)
