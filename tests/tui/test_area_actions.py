"""A palette command names an area's action: it works even when that area has not been opened yet."""

import pytest

from tests.tui.helpers import settle


@pytest.mark.xdist_group("demo")
@pytest.mark.parametrize(("login", "area", "action", "screen"), [
    ("sunwei", "week", "add_item", "PlanItemForm"),        # raised: 'WeekPane' object has no attribute 'viewing'
    ("admin", "purchasing", "new", "OrderForm"),           # raised: No Tab with id
    ("admin", "products", "new", "ProductForm"),
])
async def test_an_action_of_an_area_not_yet_opened(demo, _app_errors, login, area, action, screen):
    from crm_tui.app import create_app

    password = "admin-pass" if login == "admin" else "demo1234"
    app = create_app(engine=demo.engine, auto_login=(login, password))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.run_area_action(area, action)
        await settle(pilot)
        assert type(app.screen).__name__ == screen
    assert _app_errors == []
