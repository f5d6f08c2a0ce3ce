"""Model fields the apps share."""

import json

from django.db import models


class OrderedJSONField(models.JSONField):
    """A JSONField whose objects keep their key order on PostgreSQL too.

    PostgreSQL's ``jsonb`` (Django's JSONField) stores an object with its keys re-sorted; a
    measurement's model and result depend on the order (the model's "blocks" fix the order of
    every array the engine returns, and a re-run must give the very same numbers). On
    PostgreSQL this field is a ``json`` column, which keeps the text as written; key lookups
    (``result__index``) work on it as on ``jsonb``, containment lookups do not (none is used).
    SQLite keeps the order anyway.
    """

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        if not prepared:
            value = self.get_prep_value(value)
        from psycopg.types.json import Json

        encoder = self.encoder
        return Json(value, dumps=(lambda v: json.dumps(v, cls=encoder)) if encoder else json.dumps)

    def from_db_value(self, value, expression, connection):
        # psycopg decodes a ``json`` column itself (json.loads keeps the key order); only
        # ``jsonb`` comes back as text for Django to decode.
        if value is not None and not isinstance(value, str):
            return value
        return super().from_db_value(value, expression, connection)
