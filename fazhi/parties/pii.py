"""Personal information of parties: normalisation, masking and the audited reveal.

ID numbers, phones and addresses are stored once (on `Party`) and shown masked everywhere —
list, detail, API, export, history. A user whose role holds VIEW_PII may reveal one field of
one party; every reveal is a `parties.pii_viewed` domain event (who, when, which field, from
which record). Masking is idempotent: masking a masked value gives the same value, so a masked
export re-imports unchanged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from fazhi.parties.choices import PII_FIELDS, PII_LABELS

MASK_CHAR = "*"
_SPACES = re.compile(r"\s+")
_ID18 = re.compile(r"^\d{17}[\dX]$")
_ID15 = re.compile(r"^\d{15}$")
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


# --- normalisation --------------------------------------------------------------------------
def normalise_text(value: str | None) -> str:
    """Full-width → half-width (NFKC), trimmed, inner runs of spaces collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value or "")).strip()


def normalise_name(value: str | None) -> str:
    """Names compare without any spaces (张 三 = 张三) and with ASCII upper-cased."""
    return normalise_text(value).replace(" ", "").upper()


def normalise_id(value: str | None) -> str:
    return normalise_text(value).replace(" ", "").replace("-", "").upper()


def normalise_phone(value: str | None) -> str:
    """Digits only; a leading +86/0086 is dropped so 138… and +86 138… match."""
    digits = re.sub(r"\D", "", normalise_text(value))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            return digits[len(prefix) :]
    return digits


def id_checksum_ok(number: str) -> bool:
    """GB 11643 check digit of an 18-digit citizen ID number."""
    if not _ID18.match(number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == number[17]


def id_problem(number: str, kind: str) -> str:
    """A Chinese message when `number` is not a plausible ID / credit code, else ""."""
    if not number:
        return ""
    if MASK_CHAR in number:
        return "含有脱敏字符“*”，请填写完整号码或留空"
    if kind == "organisation":
        if _USCC.match(number) or _ID18.match(number):
            return ""
        return "统一社会信用代码应为18位数字或大写字母"
    if _ID15.match(number):
        return ""
    if not _ID18.match(number):
        return "居民身份证号码应为18位（最后一位可为X）"
    if not id_checksum_ok(number):
        return "居民身份证号码校验位不正确，请核对"
    return ""


def phone_problem(phone: str) -> str:
    if not phone:
        return ""
    if MASK_CHAR in phone:
        return "含有脱敏字符“*”，请填写完整号码或留空"
    if not 7 <= len(normalise_phone(phone)) <= 15:
        return "联系电话应为7至15位数字"
    return ""


def _digest(prefix: str, text: str) -> str:
    return hashlib.sha256(f"fazhi.parties:{prefix}:{text}".encode()).hexdigest()


def id_key(id_number: str | None) -> str:
    """The match key of an ID number (a hash: the number itself is stored only once)."""
    number = normalise_id(id_number)
    return _digest("id", number) if number else ""


def contact_key(name: str | None, phone: str | None) -> str:
    """The match key of a name with a phone; "" without a phone (names alone never match)."""
    n, p = normalise_name(name), normalise_phone(phone)
    return _digest("np", f"{n}|{p}") if n and p else ""


# --- masking --------------------------------------------------------------------------------
def _keep(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return value[:1] + MASK_CHAR * (len(value) - 1) if len(value) > 1 else MASK_CHAR
    return value[:head] + MASK_CHAR * (len(value) - head - tail) + value[len(value) - tail :]


def mask_id(value: str | None) -> str:
    """4101**********1234 — first four and last four characters."""
    if not value:
        return ""
    return _keep(str(value), 4, 4)


def mask_phone(value: str | None) -> str:
    """138****5678 — first three and last four digits (shorter numbers: last two)."""
    if not value:
        return ""
    value = str(value)
    return _keep(value, 3, 4) if len(value) >= 11 else _keep(value, 0, 2)


def mask_address(value: str | None) -> str:
    """河南省孟州市**** — up to the first six characters (at most half)."""
    if not value:
        return ""
    value = str(value)
    if MASK_CHAR * 4 in value:
        return value
    return value[: min(6, len(value) // 2)] + MASK_CHAR * 4


MASKERS = {"id_number": mask_id, "phone": mask_phone, "address": mask_address}


def mask(field: str, value: str | None) -> str:
    return MASKERS[field](value)


def is_masked(value: Any) -> bool:
    return isinstance(value, str) and MASK_CHAR in value


def masked_copy(party: Any) -> Any:
    """Mask the PII attributes of a loaded party in place (it then refuses to be saved)."""
    for name in PII_FIELDS:
        setattr(party, name, mask(name, getattr(party, name)))
    party._pii_masked = True
    return party


# --- reveal ---------------------------------------------------------------------------------
def can_reveal(user: Any, party: Any, via: models.Model | None = None) -> bool:
    """May `user` see the party's PII: VIEW_PII on the party itself, or on a record (`via`)
    that names the party (e.g. a village mediator on a dispute of their village)."""
    from fazhi.core import scope
    from fazhi.core.roles import VIEW_PII

    if scope.visible(user, party, VIEW_PII):
        return True
    if via is None or not scope.visible(user, via, VIEW_PII):
        return False
    from fazhi.parties.registry import record_names_party

    return record_names_party(via, party)


def reveal(user: Any, party: Any, field: str, *, via: models.Model | None = None) -> str:
    """The unmasked value of one PII field, for a user allowed to see it; records the view.

    Outside the user's view scope: 404. Visible but not allowed: 403.
    """
    from fazhi.core import scope
    from fazhi.core.audit import record_event
    from fazhi.parties.models import Party

    if field not in PII_FIELDS:
        raise ValueError(f"not a personal-information field: {field}")
    raw = Party.objects.get(pk=party.pk)
    if not scope.visible(user, raw):
        # seen only through a record of the user's that names this party; otherwise it does
        # not exist for the user (404 like a missing one: no existence oracle)
        from fazhi.parties.registry import record_names_party

        if via is None or not scope.visible(user, via) or not record_names_party(via, raw):
            raise Http404("记录不存在或无权访问。")
    if not can_reveal(user, raw, via):
        raise PermissionDenied("您的角色无权查看当事人的个人信息。")
    value = getattr(raw, field)
    where = ""
    if via is not None:
        where = f"{via._meta.app_label}.{via._meta.model_name}:{via.pk}"
    record_event(
        "parties.pii_viewed",
        f"查看当事人{raw.name}的{PII_LABELS[field]}" + (f"（经{via}）" if via is not None else ""),
        township=raw.township_id,
        actor=user,
        obj=raw,
        payload={"field": field, "via": where},
    )
    return value
