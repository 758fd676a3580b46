"""The knowledge base: add and edit (audited, versioned), and search with 1-, 2- and 3-character Chinese terms
through the customers' search engine, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from crm_tui.core.errors import ConflictError, PermissionDenied, ValidationError
from crm_tui.db.models.system import AuditEntry
from crm_tui.services.docs import kb


@pytest.fixture
def articles(org, tx):
    with tx(org.mgr) as s:
        ids = {
            "warranty": kb.add_article(s, org.mgr, "空调保修政策", "整机保修**三年**，压缩机十年。",
                                       category="售后政策", tags="保修 空调"),
            "script": kb.add_article(s, org.mgr, "电话开场白", "您好，我是华夏商贸的小王。", category="销售话术",
                                     tags=["电话", "开场"]),
            "product": kb.add_article(s, org.mgr, "冰箱能效等级", "一级能效最省电。", category="产品知识"),
        }
    return ids


def _found(s, actor, query):
    return {r.id for r in kb.search_articles(s, actor, query)}


def test_search_finds_one_two_and_three_character_terms(org, tx, articles):
    with tx(org.s1) as s:  # everyone reads the knowledge base
        assert _found(s, org.s1, "保") == {articles["warranty"]}
        assert _found(s, org.s1, "保修") == {articles["warranty"]}
        assert _found(s, org.s1, "压缩机") == {articles["warranty"]}
        assert _found(s, org.s1, "华夏商贸") == {articles["script"]}  # 4 characters: trigram then substring
        assert _found(s, org.s1, "能效") == {articles["product"]}
        assert _found(s, org.s1, "话术") == {articles["script"]}  # the category
        assert _found(s, org.s1, "开场") == {articles["script"]}  # a tag
        assert _found(s, org.s1, "电") == {articles["script"], articles["product"]}
        assert _found(s, org.s1, "kt") == {articles["warranty"]}  # the title's pinyin initials
        assert _found(s, org.s1, "保修 冰箱") == set()  # every word must match
        assert _found(s, org.s1, "") == set(articles.values())
        assert [r.id for r in kb.search_articles(s, org.s1, "", category="产品知识")] == [articles["product"]]


def test_edit_reindexes_is_audited_and_versioned(org, tx, articles):
    aid = articles["warranty"]
    with tx(org.mgr) as s:
        v = kb.edit_article(s, org.mgr, aid, version=1, title="空调延保政策", tags="延保")
    assert v == 2
    with tx(org.s1) as s:
        assert _found(s, org.s1, "延保") == {aid}
        assert _found(s, org.s1, "保修") == {aid}  # still in the body
        assert _found(s, org.s1, "空调保修") == set()
        art = kb.get_article(s, org.s1, aid)
        assert (art.title, art.tags, art.version, art.updated_by) == ("空调延保政策", "延保", 2, "钱经理")
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "kb_articles",
                                                     AuditEntry.entity_id == str(aid))
                            .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert json.loads(entries[1].changes)["title"] == ["空调保修政策", "空调延保政策"]
    with tx(org.mgr) as s, pytest.raises(ConflictError, match="version 2, yours 1"):
        kb.edit_article(s, org.mgr, aid, version=1, body="x")


def test_who_may_edit_and_bad_input(org, tx, articles):
    with tx(org.s1) as s, pytest.raises(PermissionDenied):
        kb.edit_article(s, org.s1, articles["script"], body="改")
    with tx(org.s1) as s:
        own = kb.add_article(s, org.s1, "我的经验", "多跑腿")
        kb.edit_article(s, org.s1, own, body="多跑腿，多记录")
    with tx(org.s1) as s, pytest.raises(ValidationError, match="title") as err:
        kb.add_article(s, org.s1, "   ", "正文")
    assert err.value.field == "title"
    with tx(org.s1) as s, pytest.raises(ValidationError, match="at most 200"):
        kb.add_article(s, org.s1, "长" * 201, "")
    with tx(org.s1) as s:
        assert kb.find_article(s, "我的经验") == own
        assert kb.find_article(s, f"#{own}") == own
        assert kb.categories(s)[:3] == ["产品知识", "销售话术", "售后政策"]
