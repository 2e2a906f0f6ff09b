"""What `load_demo` writes, as a JSON fingerprint to compare two versions of the loaders (not a
test): rows per model, a digest of every model's rows (its own field values, foreign keys as the
natural text of the row they point to, primary keys and clock times left out), and every
registry figure of every township for every year from 2021 to this year.

    .venv/bin/python bench/demo_fingerprint.py var/bench/before.json
    .venv/bin/python bench/demo_fingerprint.py var/bench/after.json --compare var/bench/before.json
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_demo_fp .venv/bin/python bench/demo_fingerprint.py …

Loads the demo on a fresh database of its own (SQLite under var/bench/, or DATABASE_URL's).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys

from _setup import django_setup, vendor

#: fields whose value is the clock or a per-run identifier, not the demo's content
_VOLATILE = {
    "request_id",
    "job",
    "job_id",  # load_demo-<random>
    "password",
    "last_login",
    "date_joined",
    "token",
    "key",
    "entry_hash",  # evidence chain: hashes over the recorded time
    "prev_hash",
    "seal",
    "receipt_code_hash",  # a salted hash of a random receipt code
    "inspections.Inspection.code",  # random
}


_RANDOM_CODE = re.compile("检查码[0-9A-Z]{10}")  # an inspection's random code in a label


def _row_text(obj, cache: dict) -> str:
    from django.db import models

    parts = []
    for f in obj._meta.concrete_fields:
        if f.primary_key or f.name in _VOLATILE or f"{obj._meta.label}.{f.name}" in _VOLATILE:
            continue
        if isinstance(f, models.DateTimeField):
            continue  # created/updated/at: the clock
        value = getattr(obj, f.attname)
        if f.is_relation and value is not None:
            key = (f.related_model, value)
            if key not in cache:
                target = f.related_model._default_manager.filter(pk=value).first()
                cache[key] = f"{f.related_model._meta.label}:{target}" if target else "?"
            value = cache[key]
        elif f.name in ("before", "after", "payload", "snapshot") or isinstance(
            f, models.JSONField
        ):
            value = "<json>"  # snapshots carry primary keys
        if isinstance(value, str):
            value = _RANDOM_CODE.sub("检查码*", value)
        parts.append(f"{f.name}={value}")
    return "|".join(parts)


def fingerprint() -> dict:
    from django.apps import apps

    from fazhi.core.models import Township
    from fazhi.indicators import registry

    out: dict = {"rows": {}, "digest": {}, "figures": {}, "texts": {}}
    cache: dict = {}
    for model in apps.get_models():
        label = model._meta.label
        if not (label.startswith(("core.", "auth.User")) or model.__module__.startswith("fazhi.")):
            continue
        rows = model._default_manager.all()
        out["rows"][label] = rows.count()
        texts = sorted(_row_text(o, cache) for o in rows.iterator())
        out["digest"][label] = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
        out["texts"][label] = texts
    codes = [m.code for m in registry.metrics()]
    for township in Township.objects.order_by("name"):
        for year in range(2021, dt.date.today().year + 1):
            figures = registry.compute_many(codes, township, registry.Period.year(year))
            out["figures"][f"{township.name}/{year}"] = {
                code: [str(f.value), str(f.numerator), str(f.denominator), f.status]
                for code, f in figures.items()
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--compare", help="an earlier fingerprint to compare with")
    args = parser.parse_args()
    django_setup("demo_fingerprint")
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    out = fingerprint()
    with open(args.output, "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, indent=1, sort_keys=True)
    n_fig = sum(len(v) for v in out["figures"].values())
    print(
        f"{vendor()}: {sum(out['rows'].values()):,} rows in {len(out['rows'])} models, {n_fig:,} figures"
    )
    if not args.compare:
        return
    with open(args.compare, encoding="utf-8") as fh:
        old = json.load(fh)
    differences = 0
    for part in ("rows", "digest", "figures"):
        for key in sorted(set(old[part]) | set(out[part])):
            if old[part].get(key) != out[part].get(key):
                differences += 1
                print(f"  {part} {key}: {old[part].get(key)} → {out[part].get(key)}")
                if part == "digest" and key in old.get("texts", {}):
                    gone = sorted(set(old["texts"][key]) - set(out["texts"][key]))[:2]
                    new = sorted(set(out["texts"][key]) - set(old["texts"][key]))[:2]
                    for a, b in zip(gone, new, strict=False):
                        print(f"    - {a[:600]}\n    + {b[:600]}")
    print("identical" if not differences else f"{differences} differences")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
