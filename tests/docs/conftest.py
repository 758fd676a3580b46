"""A small organisation for the documents tests: a manager over two salespeople, a clerk, two customers.

    admin (administrator)
    mgr (manager) ── s1, s2 (salespeople)
    clerk
    customers: A (owner s1), B (owner s2)
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from crm_tui.db.session import transaction


@pytest.fixture
def org(engine, admin, make_user):
    from crm_tui.services.customers import records

    mgr = make_user("mgr", "manager", "钱经理", password=None)
    s1 = make_user("s1", "salesperson", "孙伟", password=None, supervisor_id=mgr.id)
    s2 = make_user("s2", "salesperson", "李娜", password=None)
    clerk = make_user("clerk", "clerk", "蒋涛", password=None)
    with transaction(engine, admin) as s:
        a = records.create_customer(s, admin, name="深圳华联商贸有限公司", owner_id=s1.id)
        b = records.create_customer(s, admin, name="临沂金锣超市", owner_id=s2.id)
    return SimpleNamespace(admin=admin, mgr=mgr, s1=s1, s2=s2, clerk=clerk, a=a, b=b)


@pytest.fixture
def tx(engine):
    return lambda actor: transaction(engine, actor)


@pytest.fixture
def sample(tmp_path):
    """``sample(name, content)`` -> path of a new file outside the data folder."""
    def make(name: str = "合同.txt", content: bytes | str = "报价说明\n") -> object:
        folder = tmp_path / "outside"
        folder.mkdir(exist_ok=True)
        path = folder / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path
    return make
