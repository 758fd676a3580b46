"""Settings come from the TOML file of the CRM_HOME in force, even when CRM_HOME changes within one process."""

from __future__ import annotations

from crm_tui import config


def test_settings_follow_crm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_HOME", str(tmp_path / "shop-a"))
    config.update_settings("sales", require_payment_before_delivery=True)
    assert config.get_settings()["sales"]["require_payment_before_delivery"] is True
    monkeypatch.setenv("CRM_HOME", str(tmp_path / "shop-b"))  # another office's folder: its own (default) settings
    assert config.get_settings()["sales"]["require_payment_before_delivery"] is False
    monkeypatch.setenv("CRM_HOME", str(tmp_path / "shop-a"))
    assert config.get_settings()["sales"]["require_payment_before_delivery"] is True
    assert "require_payment_before_delivery = true" in (tmp_path / "shop-a/config/settings.toml").read_text()
