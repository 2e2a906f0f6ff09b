"""Normalisation, validation and masking of personal information."""

import pytest

from fazhi.parties import pii


def test_id_number_masks_keeping_four_and_four():
    assert pii.mask_id("11010519491231002X") == "1101**********002X"


def test_phone_masks_middle_four():
    assert pii.mask_phone("13812345678") == "138****5678"


def test_address_keeps_at_most_six_characters():
    assert pii.mask_address("河南省孟州市化工镇某村三组") == "河南省孟州市****"
    assert pii.mask_address("某村") == "某****"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_number", "11010519491231002X"),
        ("phone", "13812345678"),
        ("address", "河南省孟州市化工镇"),
    ],
)
def test_masking_is_idempotent(field, value):
    once = pii.mask(field, value)
    assert pii.mask(field, once) == once


def test_full_width_and_spaces_normalise():
    assert pii.normalise_id(" １１０１０５１９４９１２３１００２ｘ ") == "11010519491231002X"
    assert pii.normalise_phone("+86 138-1234-5678") == "13812345678"
    assert pii.normalise_name("张 三") == "张三"


def test_id_checksum_is_checked():
    assert pii.id_problem("11010519491231002X", "person") == ""
    assert "校验位" in pii.id_problem("110105194912310021", "person")
    assert "18位" in pii.id_problem("12345", "person")
    assert "脱敏" in pii.id_problem("1101**********002X", "person")


def test_keys_are_hashes_not_the_number():
    key = pii.id_key("11010519491231002X")
    assert len(key) == 64 and "1101" not in key
    assert pii.contact_key("张三", "") == ""  # a name alone never matches
    assert pii.contact_key("张 三", "138 1234 5678") == pii.contact_key("张三", "13812345678")
