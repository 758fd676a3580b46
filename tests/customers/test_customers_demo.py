"""The demo step: a few hundred customers of the demo company with contacts, logs and reviews."""

import pytest
from sqlalchemy import func, select

from crm_tui.db.models.customers import Contact, ContactLog, Customer
from crm_tui.db.models.people import User
from crm_tui.db.session import read_session
from crm_tui.services.common.checks import run_checks


@pytest.mark.xdist_group("demo")
def test_demo_customers(demo):
    engine, counts = demo.engine, demo.counts
    assert 200 <= counts["customers"] <= 500 and counts["contact logs"] > 300 and counts["reviews"] > 100
    with read_session(engine) as s:
        n = s.scalar(select(func.count()).select_from(Customer))
        assert n == counts["customers"]
        assert s.scalar(select(func.count(func.distinct(Contact.customer_id)))) == n  # every one has a contact
        county = s.scalars(select(Customer.address).where(Customer.classification.like("%县城%"))).all()
        assert len(county) > 20 and all("县" in a for a in county)
        pool = s.scalar(select(func.count()).select_from(Customer).where(Customer.owner_id.is_(None)))
        assert 5 <= pool < n // 10
        # the 流通部 representatives with a 片区 have their customers in it
        for login, area in (("zhengkai", "南坊片区"), ("wangfang", "河东片区")):
            areas = s.scalars(select(Customer.area).join(User, User.id == Customer.owner_id)
                              .where(User.login == login)).all()
            assert areas and set(areas) == {area}
        # logs are written by the customer's owner; reviews by their manager
        assert s.scalar(select(func.count()).select_from(ContactLog).join(Customer)
                        .where(ContactLog.author_id != Customer.owner_id)) == 0
        assert len(set(s.scalars(select(Customer.name)))) == n
    assert not any(problems for problems in run_checks(engine).values())
