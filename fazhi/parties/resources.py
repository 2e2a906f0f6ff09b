"""The party index as a resource: list, detail, add, edit, API and Excel — with PII masked.

Every queryset the generic machinery gets from this resource yields masked copies (lists,
detail, edit form, API, export, the importer's comparison), so a generic page cannot leak an
ID number. Unmasked values come only from `pii.reveal` (audited) and from the explicit
"含个人信息" export for VIEW_PII roles (audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from rest_framework import serializers

from fazhi.core.api.generic import ScopedSerializer
from fazhi.core.choices import Role
from fazhi.core.forms import ScopedModelForm
from fazhi.core.resources import Resource, register
from fazhi.core.roles import VIEW
from fazhi.parties import pii, services
from fazhi.parties.choices import PII_FIELDS
from fazhi.parties.models import Party, PartyMerge

GROUP = "当事人索引"
PII_HELP = "已脱敏显示；保持不变则不修改，如需更正请填写完整的新内容。"

#: clerks who keep the index (merge/split, edit details): not village-level roles
Party.scope_write_roles = frozenset(
    {
        Role.PLATFORM_ADMIN,
        Role.TOWNSHIP_ADMIN,
        Role.TOWNSHIP_OPERATOR,
        Role.DEPARTMENT_OFFICER,
    }
)


class MaskedPartyIterable(ModelIterable):
    """Yields parties with their PII masked (the instances refuse to be saved)."""

    def __iter__(self):
        for obj in super().__iter__():
            yield pii.masked_copy(obj)


def masked(queryset: QuerySet) -> QuerySet:
    queryset = queryset.all()
    queryset._iterable_class = MaskedPartyIterable
    return queryset


@dataclass
class PartyResource(Resource):
    def queryset(self, user: Any, action: str = VIEW) -> QuerySet:
        return masked(super().queryset(user, action))


class PartyForm(ScopedModelForm):
    class Meta:
        model = Party
        fields = [
            "township",
            "kind",
            "name",
            "gender",
            "ethnicity",
            "id_number",
            "phone",
            "address",
            "representative",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in PII_FIELDS:
                self.fields[name].help_text = PII_HELP
        for name in PII_FIELDS:
            self.fields[name].widget.attrs["autocomplete"] = "off"


class PartySerializer(ScopedSerializer):
    """PII fields are write-only in effect: reads return them masked."""

    merged_into = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Party
        fields = [
            "id",
            "township",
            "kind",
            "name",
            "gender",
            "ethnicity",
            "id_number",
            "phone",
            "address",
            "representative",
            "note",
            "merged_into",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, instance: Party) -> dict[str, Any]:
        data = super().to_representation(instance)
        for name in PII_FIELDS:
            data[name] = pii.mask(name, data.get(name))
        return data


PARTIES = register(
    PartyResource(
        Party,
        "parties",
        fields=[
            "kind",
            "name",
            "gender",
            "ethnicity",
            "id_number",
            "phone",
            "address",
            "representative",
            "note",
        ],
        list_columns=[
            "name",
            "kind",
            "id_number_shown",
            "phone_shown",
            "township",
            "status_label",
        ],
        filter_fields=["township", "kind"],
        search_fields=["name"],  # never search by PII: it would reveal it by probing
        natural_key=["township", "name"],
        select_related=["township", "merged_into"],
        form_class=PartyForm,
        serializer_class=PartySerializer,
        detail_template="parties/party_detail.html",
        create=services.create_party,
        update=services.update_party,
        group=GROUP,
    )
)


#: merges and splits are made only by `services.merge_parties` / `split_party` (from the party
#: page): the merge records' pages, API and Excel are read-only for every role
PartyMerge.scope_write_roles = frozenset()


def _moved_count(merge: PartyMerge) -> int:
    return len(merge.moved or [])


def _kept_count(merge: PartyMerge) -> int:
    return len(merge.kept or [])


MERGES = register(
    Resource(
        PartyMerge,
        "merges",
        fields=["survivor", "alias", "reason", "split_on", "split_reason"],
        io_fields=["township", "survivor", "alias", "reason", "split_on", "split_reason"],
        list_columns=["alias", "survivor", "reason", "created_at", "split_on", "township"],
        filter_fields=["township"],
        search_fields=["reason", "alias__name", "survivor__name"],
        natural_key=["township", "survivor", "alias"],
        select_related=["township", "survivor", "alias"],
        detail_extra=[("迁移的引用(条)", _moved_count), ("未迁移的引用(条)", _kept_count)],
        group=GROUP,
    )
)
