"""The demo step: knowledge-base articles in the three categories and text documents attached to customers."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from crm_tui.db.models.customers import Customer
from crm_tui.db.models.docs import Attachment, KbArticle
from crm_tui.db.models.people import User
from crm_tui.db.session import read_session
from crm_tui.services.demo import docs as demo_docs
from crm_tui.services.docs import attachments as att
from crm_tui.services.docs import kb


@pytest.mark.xdist_group("demo")
def test_demo_documents_and_articles(demo):
    engine, counts = demo.engine, demo.counts
    assert counts["knowledge-base articles"] == len(demo_docs.ARTICLES)
    assert counts["attached documents"] == 3
    with read_session(engine) as s:
        articles = s.scalars(select(KbArticle).order_by(KbArticle.id)).all()
        assert {a.category for a in articles} == {"产品知识", "销售话术", "售后政策"}
        assert {s.get(User, a.author_id).role for a in articles} == {"manager"}
        assert [r.title for r in kb.search_articles(s, demo.admin, "话术")] == ["客户嫌价格高怎么办", "电话开场白"]
        assert {r.title for r in kb.search_articles(s, demo.admin, "保")} == {"退换货政策", "保修期说明",
                                                                            "商用冷柜选型要点"}
        rows = s.scalars(select(Attachment).order_by(Attachment.id)).all()
        for row in rows:
            customer = s.get(Customer, row.customer_id)
            template = next(t for name, t, _note in demo_docs.DOCUMENTS if name == row.file_name)
            expected = template.format(name=customer.name).encode()
            assert row.checksum == hashlib.sha256(expected).hexdigest() and row.size == len(expected)
            assert row.uploaded_by == customer.owner_id  # filed by the customer's salesperson
        owner = s.get(User, rows[0].uploaded_by)
        from crm_tui.core.actor import Actor

        mine = att.list_attachments(s, Actor.from_user(owner))
        assert {r.id for r in mine} >= {rows[0].id}
