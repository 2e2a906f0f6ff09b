"""Stable English values with Chinese labels. Never store labels."""

from django.db import models


class PartyKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人或其他组织"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


#: the personal-information fields of a party: stored once, masked everywhere
PII_FIELDS = ("id_number", "phone", "address")
PII_LABELS = {"id_number": "证件号码", "phone": "联系电话", "address": "住址"}
