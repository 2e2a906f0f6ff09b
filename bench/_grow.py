"""Grow any module table with set-based SQL, from the model's own fields (PostgreSQL only).

One `INSERT … SELECT … FROM generate_series(1, rows) AS s(n)` per table; the values are
expressions over `n`, built from each concrete field:

- township: row n belongs to township `first + (n - 1) % T` (the same count for every township);
- a foreign key to a model this run grew (or laid out: the bench's villages and parties, one per
  township in township order) points at a row **of the same township** (the target block's rows
  m ≡ n - 1 mod T); nullable ones are set on about two rows in three; a key to a model without a
  township (users, content types) is NULL when it may be, else the table's first row;
- a field with choices draws one of them (a hash of n and the field, so two fields do not move
  together); booleans are true on about half the rows (`is_active`-like fields on nine in ten);
- dates: one base day a row (the model's first date field), spread evenly over YEARS; every
  other date field 0–59 days after it, a deadline (`due`, `…due_on`) 10–59 days after it (so the
  row's other dates meet it on about half the rows, not all, not none), an expiry 3 years on;
  a nullable one (not the first) is empty on about one row in four;
- integers and decimals: a hash of n below a bound that fits the column; `year` fields are the
  base day's year; text: a value holding n (unique where a unique constraint needs it), or ''
  on one row in four where blank is allowed.

`OVERRIDES` gives a table's column its own expression where a figure needs a specific value.
The order of the fill follows the foreign keys (a target before the rows that point at it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

YEARS = (2021, 2025)  # inclusive: the measured year 2025 holds a fifth of every table's rows
_SPAN = "1826"  # days from 2021-01-01 to 2025-12-31


def h(salt: int) -> str:
    """A non-negative pseudo-random integer of n (PostgreSQL's hashint8), one stream per salt."""
    return f"(hashint8(n::bigint * 7919 + {salt * 1_000_003}) & 1073741823)"


DAY = f"(DATE '{YEARS[0]}-01-01' + ({h(1)} % {_SPAN})::int)"

#: table → column → SQL expression over n (and DAY); applied after the generic values
OVERRIDES: dict[str, dict[str, str]] = {
    # most years' plans are met by a few events, not by the ~25 a plan of 0–49 would need
    "outreach_responsibilityitem": {"planned": f"(1 + {h(2)} % 3)"},
    # the court finds non-performance on one judgment in five (not on most, as one choice of four)
    "legal_judgment": {"court_finding": f"CASE WHEN {h(3)} % 5 = 0 THEN 'refused' ELSE '' END"},
}


@dataclass
class Layout:
    """A block of rows with contiguous ids whose row m (0-based) belongs to township m % T."""

    base: int
    count: int


@dataclass
class Grower:
    first_township: int
    townships: int
    layouts: dict[Any, Layout] = field(default_factory=dict)
    salt: int = 100
    offset: int = 0  # added to n in text values, so that a later block's values stay unique

    def _salt(self) -> int:
        self.salt += 1
        return self.salt

    def target(self, model: Any) -> str | None:
        """An id of `model` in the same township as row n, or None when none is laid out."""
        lay = self.layouts.get(model)
        if lay is None:
            return None
        per = lay.count // self.townships * self.townships
        if per == 0:
            return None
        # rows m ≡ n-1 (mod T) of the block belong to the same township; vary m with n
        return f"({lay.base} + ((n - 1) % {per}))"

    def expressions(self, model: Any, overrides: dict[str, str]) -> tuple[list[str], list[str]]:
        from django.db import connection, models

        unique_cols = _unique_char_columns(model)
        columns, values = [], []
        dates = 0
        for f in model._meta.concrete_fields:
            if f.primary_key and isinstance(f, models.AutoField | models.BigAutoField):
                continue
            col = f.column
            columns.append(connection.ops.quote_name(col))
            if col in overrides:
                values.append(overrides[col])
                continue
            internal = f.get_internal_type()
            s = self._salt()
            if f.name == "township":
                values.append(f"{self.first_township} + ((n - 1) % {self.townships})")
            elif f.is_relation:
                ref = self.target(f.related_model)
                if ref is not None:
                    values.append(
                        f"CASE WHEN {h(s)} % 3 = 0 THEN NULL ELSE {ref} END" if f.null else ref
                    )
                elif f.null:
                    values.append("NULL")
                else:
                    table = f.related_model._meta.db_table
                    values.append(f"(SELECT MIN(id) FROM {table})")
            elif f.name in ("created_at", "updated_at"):
                values.append("CURRENT_TIMESTAMP")
            elif f.name == "version":
                values.append("1")
            elif f.choices:
                opts = [v for v, _ in f.flatchoices]
                if all(isinstance(v, int) for v in opts):
                    arr = ", ".join(str(v) for v in opts)
                else:
                    arr = ", ".join("'" + str(v).replace("'", "''") + "'" for v in opts)
                values.append(f"(ARRAY[{arr}])[1 + {h(s)} % {len(opts)}]")
            elif internal in ("DateField", "DateTimeField"):
                if f.name == "due" or f.name.endswith("due_on"):
                    # a deadline: the other dates of the row meet it on about half the rows
                    day = f"({DAY} + (10 + {h(s)} % 50)::int)"
                elif f.name.startswith("expires"):
                    day = f"({DAY} + (1095 + {h(s)} % 30)::int)"
                elif dates == 0:
                    day = DAY
                else:
                    day = f"({DAY} + ({h(s)} % 60)::int)"
                dates += 1
                if internal == "DateTimeField":
                    day = f"({day})::timestamp + interval '9 hours'"
                if f.null and dates > 1:
                    day = f"CASE WHEN {h(s + 5000)} % 4 = 0 THEN NULL ELSE {day} END"
                values.append(day)
            elif internal == "BooleanField":
                cut = 10 if f.name.startswith("is_") else 2
                values.append(f"({h(s)} % {cut} <> 0)")
            elif f.name.endswith("year"):
                values.append(f"EXTRACT(YEAR FROM {DAY})::int")
            elif internal in (
                "IntegerField",
                "PositiveIntegerField",
                "PositiveSmallIntegerField",
                "SmallIntegerField",
                "BigIntegerField",
                "PositiveBigIntegerField",
            ):
                values.append(f"({h(s)} % 50)")
            elif internal == "DecimalField":
                bound = 10 ** min(6, f.max_digits - f.decimal_places)
                values.append(f"({h(s)} % {bound})")
            elif internal == "FloatField":
                values.append(f"({h(s)} % 100)::float")
            elif internal == "JSONField":
                default = f.get_default()
                values.append("'[]'" if isinstance(default, list) else "'{}'")
            elif internal == "UUIDField":
                values.append("gen_random_uuid()")
            elif internal in ("CharField", "TextField", "SlugField"):
                text = f"'{model._meta.model_name[:3]}' || (n + {self.offset})"
                if f.max_length:
                    text = f"left({text}, {f.max_length})"
                if f.blank and col not in unique_cols:
                    text = f"CASE WHEN {h(s)} % 4 = 0 THEN '' ELSE {text} END"
                values.append(text)
            elif f.null:
                values.append("NULL")
            else:
                values.append("''")
        return columns, values

    def fill(self, model: Any, rows: int) -> float:
        """Insert `rows` rows of `model` (a multiple of the townships), lay them out for later
        foreign keys; the seconds it took."""
        import time

        from django.db import connection

        table = model._meta.db_table
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            before = cursor.fetchone()[0]
            self.offset = before
            columns, values = self.expressions(model, OVERRIDES.get(table, {}))
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - bench SQL
                f"SELECT {', '.join(values)} FROM generate_series(1, {rows}) AS s(n)"
            )
            cursor.execute(
                f"SELECT MIN(id), MAX(id), COUNT(*) FROM {table} WHERE id > %s", [before]
            )
            lo, hi, count = cursor.fetchone()
        assert count == rows and hi - lo + 1 == rows, (table, lo, hi, count)
        self.layouts[model] = Layout(lo, rows)
        return time.perf_counter() - t0


def _unique_char_columns(model: Any) -> set[str]:
    from django.db import models

    out = set()
    groups = [list(u) for u in model._meta.unique_together]
    groups += [
        list(c.fields) for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)
    ]
    groups += [[f.name] for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    for names in groups:
        fields = [model._meta.get_field(n) for n in names]
        chars = [
            f for f in fields if f.get_internal_type() in ("CharField", "TextField", "SlugField")
        ]
        out.update(f.column for f in chars)
    return out


def order(models_: list[Any]) -> list[Any]:
    """The models with every required foreign-key target among them placed first."""
    done: list[Any] = []
    pending = list(models_)
    while pending:
        for m in pending:
            deps = {
                f.related_model
                for f in m._meta.concrete_fields
                if f.is_relation and f.related_model in pending and f.related_model is not m
            }
            if not deps:
                done.append(m)
                pending.remove(m)
                break
        else:
            raise ValueError(f"foreign-key cycle among {pending}")
    return done
