"""Matching the file's rows to existing customers: one pass over a small table and the indexed look-up of a
large one find the same customers by code, credit code and name key."""

from crm_tui.db.session import transaction
from crm_tui.services.customers import imports


def test_scan_and_lookup_find_the_same_customers(engine, org, add_customer):
    a = add_customer(org.clerk, "临沂华夏商贸有限公司", code="C1", credit_code="9144030071526726XG")
    b = add_customer(org.clerk, "ＡＢＣ　超市", code="K9")
    add_customer(org.clerk, "不相干的公司", code="Z1")
    codes, credits, names = {"C1", "K9", "NOPE"}, {"9144030071526726XG"}, {"abc超市", "没有这家"}
    with transaction(engine, org.admin) as s:
        scanned = imports._matches(s, codes, credits, names)  # 3 customers < 6 values: one pass
        looked_up = imports._matches(s, {"C1", "K9"}, set(), set())  # 3 customers >= 2 values: the index
        by_index = (imports._lookup(s, imports.Customer.code, codes),
                    imports._lookup(s, imports.Customer.credit_code, credits),
                    imports._lookup(s, imports.Customer.name_key, names))
    assert scanned == by_index
    assert {v[0] for v in scanned[0].values()} == {a, b} and scanned[1]["9144030071526726XG"][0] == a
    assert scanned[2]["abc超市"][0] == b and looked_up[0] == by_index[0]
