"""Pilot flows: the knowledge base area (find with a 2-character term, read as Markdown, write and edit an
article on the form), and the attachments dialog of a customer (attach, export, open, delete)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from textual.widgets import Input, Markdown, TextArea

from crm_tui.app import CrmApp
from crm_tui.db.models.docs import Attachment, KbArticle
from crm_tui.db.session import read_session, transaction
from crm_tui.services.docs import attachments as att
from crm_tui.services.docs import kb
from tests.tui.helpers import fill, screen_text, settle


@pytest.fixture
def team(engine, admin, make_user):
    from crm_tui.services.customers import records

    mgr = make_user("mgr", "manager", "钱经理")
    s1 = make_user("s1", "salesperson", "孙伟", supervisor_id=mgr.id)
    with transaction(engine, admin) as s:
        customer = records.create_customer(s, admin, code="K1", name="深圳华联商贸", owner_id=s1.id)
    with transaction(engine, mgr) as s:
        kb.add_article(s, mgr, "空调保修政策", "## 保修期\n\n整机保修**三年**。", category="售后政策", tags="保修")
        kb.add_article(s, mgr, "电话开场白", "您好，我是华夏商贸的小王。", category="销售话术")
    return mgr, s1, customer


async def until(pilot, condition, timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the screen never showed what was expected:\n" + screen_text(pilot.app)
        await pilot.pause(0.05)


async def test_knowledge_base_find_read_write(engine, team):
    mgr, s1, _customer = team
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.screen.show_area("kb")
        await settle(pilot)
        await until(pilot, lambda: "电话开场白" in screen_text(app) and "空调保修政策" in screen_text(app))
        await pilot.press("f3")
        await fill(pilot, "#kb-find", "保修")
        await settle(pilot)
        await until(pilot, lambda: "电话开场白" not in screen_text(app))
        assert "空调保修政策" in screen_text(app) and "1 article" in screen_text(app)
        await pilot.press("enter")  # from the search box to the list
        await pilot.press("enter")  # read it
        await settle(pilot)
        assert type(app.screen).__name__ == "ArticleScreen"
        await until(pilot, lambda: "整机保修三年" in screen_text(app))
        assert app.screen.query_one("#kb-body", Markdown)
        assert "保修期" in screen_text(app) and "钱经理" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("f2")  # a new article of my own
        await settle(pilot)
        assert type(app.screen).__name__ == "ArticleForm"
        assert app.screen.focused is app.screen.query_one("#title", Input)
        await pilot.press("ctrl+s")  # no title: said and marked
        await pilot.pause()
        assert "Title is required" in screen_text(app)
        await fill(pilot, "#title", "冰箱能效")
        assert "Title is required" not in screen_text(app)  # the message goes when the field is fixed
        await fill(pilot, "#category", "产品知识")
        app.screen.query_one("#body", TextArea).insert("# 一级能效\n最省电。")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        await until(pilot, lambda: "冰箱能效" in screen_text(app) or "保修" in screen_text(app))
    with read_session(engine) as s:
        art = s.scalar(select(KbArticle).where(KbArticle.title == "冰箱能效"))
        assert (art.category, art.body, art.author_id) == ("产品知识", "# 一级能效\n最省电。", s1.id)
        assert [r.title for r in kb.search_articles(s, s1, "能效")] == ["冰箱能效"]


async def test_esc_on_a_changed_article_form_asks(engine, team):
    app = CrmApp(engine=engine, auto_login=("mgr", "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.show_area("kb")
        await settle(pilot)
        pane = app.screen.query_one("KnowledgePane")
        await until(pilot, lambda: len(pane.rows) == 2)
        pane.query_one("#kb-list").focus()
        await pilot.press("f4")
        await settle(pilot)
        await until(pilot, lambda: app.screen.query_one("#title", Input).value != "")
        await settle(pilot)
        await fill(pilot, "#tags", "改过")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "SaveChangesDialog"
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert type(app.screen).__name__ == "ArticleForm"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    with read_session(engine) as s:
        assert "改过" in [a.tags for a in s.scalars(select(KbArticle))]


async def test_attachments_from_the_customer_detail(engine, team, tmp_path, monkeypatch):
    from crm_tui.screens.customers.detail import CustomerScreen

    _mgr, s1, customer = team
    opened = []
    monkeypatch.setattr(att, "open_with_system", opened.append)
    source = tmp_path / "报价单.txt"
    source.write_text("报价\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.push_screen(CustomerScreen(customer))
        await settle(pilot)
        await until(pilot, lambda: "深圳华联商贸" in screen_text(app))
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert type(app.screen).__name__ == "AttachmentsDialog"
        assert "No attachments yet" in screen_text(app)
        app.screen.query_one("#att-path", Input).value = str(source)
        await fill(pilot, "#att-note", "first")
        await pilot.press("ctrl+o")
        await settle(pilot)
        await until(pilot, lambda: "报价单.txt" in screen_text(app) and "孙伟" in screen_text(app))
        app.screen.query_one("#att-list").focus()
        await pilot.press("enter")  # open with the system viewer: a named copy
        await settle(pilot)
        await until(pilot, lambda: bool(opened))
        assert opened[0].name == "报价单.txt" and opened[0].read_text(encoding="utf-8") == "报价\n"
        app.screen.query_one("#att-export", Input).value = str(out)
        app.screen.query_one("#att-list").focus()
        await pilot.press("f9")
        await settle(pilot)
        await until(pilot, lambda: (out / "报价单.txt").exists())
        await pilot.press("f8")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: "No attachments yet" in screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "CustomerScreen"
    with read_session(engine) as s:
        row = s.scalar(select(Attachment))
        assert row.note == "first" and row.deleted_by == s1.id
