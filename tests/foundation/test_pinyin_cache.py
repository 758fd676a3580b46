"""The reduced pinyin tables are kept in the folder the composition root names, and read back from it."""

from __future__ import annotations

import marshal

import pytest

from crm_tui.core import pinyin


@pytest.fixture
def fresh_tables(monkeypatch):
    """Forget the tables this process loaded, and put back the run's cache folder afterwards."""
    monkeypatch.setattr(pinyin, "_cache_dir", pinyin._cache_dir)
    pinyin._tables.cache_clear()
    yield
    pinyin._tables.cache_clear()


def test_tables_are_saved_in_the_named_folder_and_read_back(tmp_path, fresh_tables):
    pinyin.set_cache_dir(tmp_path / "cache")
    assert pinyin.full_variants("重庆")[0] == "chongqing"
    [saved] = (tmp_path / "cache").iterdir()
    chars, phrases = marshal.loads(saved.read_bytes())
    assert chars["中"][0] == "zhong"

    chars["中"] = ("marked",)  # a table read from the file shows the file's content
    saved.write_bytes(marshal.dumps((chars, phrases)))
    pinyin._tables.cache_clear()
    assert pinyin.char_readings("中") == ("marked",)


def test_without_a_folder_the_tables_stay_in_memory(tmp_path, fresh_tables, monkeypatch):
    pinyin.set_cache_dir(None)
    monkeypatch.chdir(tmp_path)
    assert pinyin.name_fields("北京华夏")[1].split()[0] == "bjhx"
    assert list(tmp_path.iterdir()) == []


def test_a_broken_cache_file_is_rebuilt(tmp_path, fresh_tables):
    pinyin.set_cache_dir(tmp_path)
    pinyin.char_readings("中")
    [saved] = tmp_path.iterdir()
    saved.write_bytes(b"not marshal")
    pinyin._tables.cache_clear()
    assert pinyin.char_readings("中")[0] == "zhong"
    assert marshal.loads(saved.read_bytes())[0]["中"][0] == "zhong"
