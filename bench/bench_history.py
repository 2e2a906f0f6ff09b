"""The shared write layer of the bulk writers against the ORM's bulk_create (not a test).

    .venv/bin/python bench/bench_history.py [--rows 10000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_perf_bench .venv/bin/python bench/bench_history.py

For N disputes (dates, a decimal, foreign keys, choices, texts: the columns a ledger writes),
each side in its own transaction, rolled back:
  - rows: `core.bulkinsert.insert_objects(objs)` against `Dispute.objects.bulk_create(objs)`
    (the same unsaved instances, copied);
  - history: inside `audit.batched()`, per dispute `snapshot` + `record_change` (create) +
    `snapshot` + `record_change` (update of two fields) + `record_event` — the whole path:
    snapshot, diff with labels, JSON, the bulk insert — against `ChangeRecord.objects.
    bulk_create` + `DomainEvent.objects.bulk_create` of the same rows with every value already
    computed (the ORM only inserting).
Prints CPU seconds of this process for each and the ratio (ours / the ORM's).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import decimal
import time

from _setup import django_setup, vendor


class _Undo(Exception):
    pass


def cpu(fn) -> float:
    from django.db import transaction

    c0 = time.process_time()
    try:
        with transaction.atomic():
            fn()
            raise _Undo
    except _Undo:
        pass
    return time.process_time() - c0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    args = parser.parse_args()
    django_setup("history")

    from django.contrib.auth.models import User

    from fazhi.core import audit
    from fazhi.core.bulkinsert import insert_objects
    from fazhi.core.choices import ChangeAction
    from fazhi.core.models import ChangeRecord, County, DomainEvent, Township, Village
    from fazhi.disputes.models import Dispute

    county = County.objects.create(name="基准县", province="基准省")
    township = Township.objects.create(county=county, name="基准镇")
    villages = Village.objects.bulk_create(
        Village(township=township, name=f"村{j:02d}") for j in range(20)
    )
    user = User.objects.create_user("bench_op", password="x", first_name="张三")
    n = args.rows
    first = dt.date(2023, 1, 1)
    print(f"database: {vendor()}, {n:,} disputes")

    def disputes() -> list[Dispute]:
        return [
            Dispute(
                township=township,
                village=villages[i % 20],
                received_on=first + dt.timedelta(days=i % 1000),
                source="screening",
                kind="neighbor" if i % 3 else "marriage",
                title=f"第{i}件纠纷",
                description=f"第{i}件：因宅基地界址发生争执，双方多次协商未果。",
                amount=decimal.Decimal(i % 7 * 1000),
                people_count=2 + i % 4,
                created_by=user,
                updated_by=user,
            )
            for i in range(n)
        ]

    template = disputes()
    objs = copy.deepcopy(template)  # copied outside the clock
    orm_rows = cpu(lambda: Dispute.objects.bulk_create(objs, batch_size=1000))
    objs = copy.deepcopy(template)
    ours_rows = cpu(lambda: insert_objects(objs))
    print(
        f"rows     insert_objects {ours_rows:6.2f} s CPU | bulk_create {orm_rows:6.2f} s CPU"
        f" | ratio {ours_rows / orm_rows:5.2f}"
    )

    saved = copy.deepcopy(template)
    insert_objects(saved)  # kept: the history refers to them

    def history() -> None:
        with audit.batched():
            for d in saved:
                snap = audit.snapshot(d)
                audit.record_change(d, ChangeAction.CREATE, None, snap, actor=user)
                after = {**snap, "status": "mediating", "mediator": None, "title": d.title + "改"}
                audit.record_change(d, ChangeAction.UPDATE, snap, after, actor=user)
                audit.record_event(
                    "disputes.accepted",
                    f"受理{d.title}",
                    township=township,
                    actor=user,
                    obj=d,
                    payload={"on": d.received_on, "amount": d.amount},
                )

    # the ORM side: the same rows, every value computed beforehand
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Dispute).pk
    changes, events = [], []
    for d in saved:
        snap = audit.snapshot(d)
        after = {**snap, "status": "mediating", "mediator": None, "title": d.title + "改"}
        for action, before, now in (
            (ChangeAction.CREATE, None, snap),
            (ChangeAction.UPDATE, snap, after),
        ):
            changes.append(
                dict(
                    township_id=township.pk,
                    content_type_id=ct,
                    object_id=str(d.pk),
                    object_repr=str(d)[:200],
                    action=action,
                    changes=audit.diff(d, before, now),
                    actor_id=user.pk,
                    actor_name="张三",
                )
            )
        events.append(
            dict(
                township_id=township.pk,
                kind="disputes.accepted",
                label=f"受理{d.title}",
                content_type_id=ct,
                object_id=str(d.pk),
                payload={"on": d.received_on.isoformat(), "amount": str(d.amount)},
                actor_id=user.pk,
                actor_name="张三",
            )
        )

    def orm_history() -> None:
        ChangeRecord.objects.bulk_create((ChangeRecord(**v) for v in changes), batch_size=1000)
        DomainEvent.objects.bulk_create((DomainEvent(**v) for v in events), batch_size=1000)

    orm = cpu(orm_history)
    ours = cpu(history)
    print(
        f"history  batched() {ours:6.2f} s CPU ({len(changes):,} changes, {len(events):,} events:"
        f" snapshot, diff, JSON, insert) | bulk_create of the computed rows {orm:6.2f} s CPU"
        f" | ratio {ours / orm:5.2f}"
    )


if __name__ == "__main__":
    main()
