"""Writing many rows fast: batches (COPY on PostgreSQL), dates kept as generated, and the
timing of each step."""

import time
from collections.abc import Iterable
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

BATCH = 5000
PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def insert(model, rows: Iterable, *, batch: int = BATCH, dated: bool = False) -> list:
    """Write model instances in batches of `batch`: bulk_create, or on PostgreSQL the same
    rows through COPY (see `copy_batch`). No signals, no save(): no history rows, no log
    entries; the generator writes those itself. Returns the objects, with their primary keys.
    `dated`: the rows carry their own values for the model's auto_now / auto_now_add fields
    (see `keeping_dates`)."""
    created: list = []
    with keeping_dates(model) if dated else nullcontext():
        for chunk in batched(rows, batch):
            created += write_batch(model, chunk)
    return created


def write_rows(
    model, fields: tuple[str, ...], rows: Iterable[tuple], *, batch: int = BATCH, ids: bool = False
):
    """Plain rows (tuples of the values of `fields`, foreign keys by their `_id`) for the
    largest tables: a million model instances would cost minutes in `Model.__init__` alone.
    On PostgreSQL straight into COPY, every other column at its default (dates set on save at
    now); elsewhere through model instances and bulk_create. Returns the new primary keys in
    order when `ids`, else the number of rows."""
    written: list[int] = []
    count = 0
    for chunk in batched(rows, batch):
        if connection.vendor == "postgresql":
            keys = copy_rows(model, fields, chunk, ids)
        else:
            with keeping_dates(model, only=fields):
                objects = model.objects.bulk_create(
                    [model(**dict(zip(fields, row, strict=True))) for row in chunk]
                )
            keys = [obj.pk for obj in objects] if ids else []
        written += keys
        count += len(chunk)
    return written if ids else count


def copy_rows(model, fields: tuple[str, ...], rows: list[tuple], ids: bool) -> list[int]:
    from psycopg.types.json import Jsonb

    db = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    rest = [f for f in meta.concrete_fields if f not in given and not f.primary_key]
    now = timezone.now()
    tail = [
        now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_db_prep_save(f.get_default(), db)
        for f in rest
    ]
    json_at = [i for i, f in enumerate(given) if f.get_internal_type() == "JSONField"]
    columns = ([meta.pk] if ids else []) + given + rest
    names = ", ".join(db.ops.quote_name(f.column) for f in columns)
    keys: list[int] = []
    with db.cursor() as cursor:
        if ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            keys = [pk for (pk,) in cursor.fetchall()]
        with cursor.copy(f"COPY {db.ops.quote_name(meta.db_table)} ({names}) FROM STDIN") as copy:
            for n, row in enumerate(rows):
                values = list(row)
                for i in json_at:
                    values[i] = Jsonb(values[i])
                copy.write_row(([keys[n]] if ids else []) + values + tail)
    return keys


def write_batch(model, objects: list) -> list:
    if connection.vendor == "postgresql":
        return copy_batch(model, objects)
    return model.objects.bulk_create(objects)


def copy_batch(model, objects: list) -> list:
    """bulk_create's work through COPY: primary keys taken from the table's sequence first,
    then every concrete field prepared as bulk_create prepares it (pre_save for the dates,
    get_db_prep_save for the value). Django 5.2 sends a bulk_create on PostgreSQL as arrays
    to UNNEST, and psycopg escapes array text in Python, one regex match per quote: 1,000
    applications' forms took 3 s that way; COPY takes a tenth of it."""
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the proxy costs a lookup per use
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    fields = model._meta.concrete_fields
    # Fields whose plain values go to COPY as they are (Django's preparation returns them
    # unchanged on PostgreSQL); JSON, dates set on save and any other value are prepared.
    plain = [
        f.get_internal_type() != "JSONField"
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
        for f in fields
    ]
    table = db.ops.quote_name(model._meta.db_table)
    columns = ", ".join(db.ops.quote_name(f.column) for f in fields)
    with db.cursor() as cursor:
        missing = [obj for obj in objects if obj.pk is None]
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(missing)],
            )
            for obj, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = pk
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                values = obj.__dict__
                row = []
                for f, simple in zip(fields, plain, strict=True):
                    value = values[f.attname] if simple else f.pre_save(obj, True)
                    if not (simple and type(value) in PLAIN_TYPES):
                        value = f.get_db_prep_save(value, db)
                    row.append(value)
                copy.write_row(row)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = db.alias
    return objects


def batched(rows: Iterable, size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextmanager
def keeping_dates(*models, only=None):
    """Let bulk_create write the dates the generator chose into auto_now / auto_now_add
    fields: a year of applications created within one minute would make every date filter,
    deadline and "waiting for n days" meaningless. Restored on the way out. Every row must
    then carry those dates itself (`only`: just these fields, by name)."""
    changed = []
    for model in models:
        for field in model._meta.concrete_fields:
            if only is not None and field.name not in only and field.attname not in only:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                changed.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in changed:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def moments(rng, start: datetime, end: datetime, count: int) -> list[datetime]:
    """`count` increasing moments between start and end (one per step of a path)."""
    span = max((end - start).total_seconds(), 1.0)
    points = sorted(rng.random() * span for _ in range(count))
    return [start + timedelta(seconds=p) for p in points]


class Steps:
    """Prints each step's rows and seconds as it finishes, and the totals at the end."""

    def __init__(self, write):
        self.write = write
        self.started = time.perf_counter()
        self.done: list[tuple[str, int, float]] = []

    @contextmanager
    def step(self, label: str):
        started = time.perf_counter()
        counter = {"rows": 0}
        yield counter
        seconds = time.perf_counter() - started
        self.done.append((label, counter["rows"], seconds))
        # Chinese characters take two columns: pad by width, not by length.
        pad = 24 - sum(2 if ord(ch) > 0x2E80 else 1 for ch in label)
        self.write(f"  {label}{' ' * max(pad, 1)}{counter['rows']:>12,}{seconds:>9.1f} s")

    def total(self) -> tuple[int, float]:
        return sum(rows for _l, rows, _s in self.done), time.perf_counter() - self.started
