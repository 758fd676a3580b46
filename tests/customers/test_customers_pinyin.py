"""Pinyin: initials, full readings, heteronyms, context readings, sort order."""

from crm_tui.core import pinyin


def test_initials_and_full():
    full, initials = pinyin.name_fields("北京华夏科技有限公司")
    assert full.split()[0] == "beijinghuaxiakejiyouxiangongsi"
    assert initials.split()[0] == "bjhxkjyxgs"


def test_every_reading_of_heteronyms_is_kept():
    # pypinyin reads 单 as "dan" (the county 单县 is "shan xian"): every reading must be findable.
    full, initials = pinyin.name_fields("单县百货")
    assert "danxianbaihuo" in full.split()
    assert "shanxianbaihuo" in full.split()
    assert "sxbh" in initials.split() and "dxbh" in initials.split()


def test_place_names_pypinyin_misreads_sort_right():
    assert pinyin.sort_key("单县百货") == "shanxianbaihuo"
    assert pinyin.sort_key("费县超市") == "bixianchaoshi"
    assert "feixianchaoshi" in pinyin.name_fields("费县超市")[0].split()


def test_context_reading_comes_first():
    assert pinyin.sort_key("重庆火锅") == "chongqinghuoguo"
    assert pinyin.sort_key("长城宾馆").startswith("changcheng")
    assert pinyin.sort_key("银行") == "yinhang"


def test_latin_and_digits_are_kept_whole():
    full, initials = pinyin.name_fields("ABC商贸123号")
    assert full.split()[0] == "abcshangmao123hao"
    assert initials.split()[0] == "abcsm123h"


def test_umlaut_is_written_v():
    assert pinyin.sort_key("绿地") == "lvdi"


def test_pinyin_order_is_not_code_point_order():
    names = ["张三商行", "阿里超市", "北京华夏", "重庆火锅", "东方红"]
    assert sorted(names) != sorted(names, key=pinyin.sort_key)
    assert sorted(names, key=pinyin.sort_key) == ["阿里超市", "北京华夏", "重庆火锅", "东方红", "张三商行"]


def test_empty():
    assert pinyin.name_fields("") == ("", "")
    assert pinyin.name_fields("!!") == ("", "")
