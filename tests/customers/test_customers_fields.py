"""Field rules: phones, credit codes, e-mail, money, labels — good values normalised, bad ones explained."""

from decimal import Decimal

import pytest

from crm_tui.services.customers import fields as F


@pytest.mark.parametrize("raw, stored", [
    ("13800138000", "13800138000"),
    ("+86 138-0013-8000", "13800138000"),
    ("0086 13800138000", "13800138000"),
    ("8613800138000", "13800138000"),
    (13800138000.0, "13800138000"),
    ("13800138000.0", "13800138000"),
    ("１３８００１３８０００", "13800138000"),  # full-width digits
    ("138 0013 8000", "13800138000"),
])
def test_mobile_accepted(raw, stored):
    assert F.clean_mobile(raw) == stored


@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "138001380001", "abc", "", "0539-8123456"])
def test_mobile_refused(raw):
    with pytest.raises(ValueError, match="11-digit mobile"):
        F.clean_mobile(raw)


@pytest.mark.parametrize("raw, stored", [
    ("0539-8123456", "0539-8123456"),
    ("(0539) 8123456", "0539-8123456"),
    ("05398123456", "0539-8123456"),
    ("01012345678", "010-12345678"),
    ("021-87654321-801", "021-87654321-801"),
    ("0539-8123456转801", "0539-8123456-801"),
    ("4008001234", "400-800-1234"),
    ("800-820-8820", "800-820-8820"),
    (5398123456.0, None),  # a landline that lost its leading 0 in Excel
])
def test_landline(raw, stored):
    if stored is None:
        with pytest.raises(ValueError):
            F.clean_landline(raw)
    else:
        assert F.clean_landline(raw) == stored


@pytest.mark.parametrize("raw", ["8123456", "0539-81234", "0539-812345678", "phone", "13800138000"])
def test_landline_refused(raw):
    with pytest.raises(ValueError, match="landline"):
        F.clean_landline(raw)


@pytest.mark.parametrize("code", ["9144030071526726XG", "91330100716105852F", "91110000100010433L",
                                  "91350100m000100y43"])
def test_real_credit_codes_pass(code):
    assert F.clean_credit_code(code) == code.upper()


def test_credit_code_check_character_and_alphabet():
    with pytest.raises(ValueError, match="check character does not match"):
        F.clean_credit_code("9144030071526726XA")
    with pytest.raises(ValueError, match="18-character"):
        F.clean_credit_code("9144030071526726X")
    with pytest.raises(ValueError, match="except I, O, S, V, Z"):
        F.clean_credit_code("9144030071526726IG")


def test_credit_code_that_arrived_as_a_number_is_refused():
    # Excel shows 913701001234567890 as 9.13701E+17 and keeps only 15 significant digits.
    with pytest.raises(ValueError, match="Excel has already rounded"):
        F.clean_credit_code(913701001234567890.0)
    with pytest.raises(ValueError, match="Excel has already rounded"):
        F.clean_credit_code("9.13701E+17")


def test_email_money_labels_names():
    assert F.clean_email(" li@example.com ") == "li@example.com"
    with pytest.raises(ValueError):
        F.clean_email("li@example")
    assert F.clean_money("1,000.50") == Decimal("1000.50")
    assert F.clean_money("￥2000") == Decimal("2000.00")
    with pytest.raises(ValueError, match="amount"):
        F.clean_money("two thousand")
    assert F.labels("A类，重点 / 县城、重点") == "A类,重点,县城"
    assert F.labels("  ") is None
    assert F.name_key("北京华夏（集团） 有限公司") == F.name_key("北京华夏(集团)有限公司")
    with pytest.raises(ValueError, match="required"):
        F.clean_name("   ")
