"""``crm print``: adapters provide the documents; every failure is one line and a non-zero exit."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from print_samples import make_doc, make_statement, pages_text, squash

from crm_tui.cli import cli
from crm_tui.core.errors import NotFound
from crm_tui.services.printing import documents as printing


@pytest.fixture
def run(db_url, monkeypatch):
    monkeypatch.setenv("CRM_USER", "admin")
    monkeypatch.setenv("CRM_PASSWORD", "admin-pass")

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", db_url, "print", *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def adapters(admin, monkeypatch):
    """Adapters as the sales area will register them: find by number, else NotFound."""
    calls = []
    docs = {"SO202611-0001": make_doc("order", 6, number="SO202611-0001"),
            "EXT-7788": make_doc("order", 2, number="SO202611-0002")}  # found by its external reference

    def order_adapter(session, actor, number):
        calls.append((actor.login, number))
        if number not in docs:
            raise NotFound(f"no sales order {number}")
        return docs[number]

    def statement_adapter(session, actor, customer, date_from, date_to):
        calls.append((actor.login, customer, date_from, date_to))
        return make_statement(4)

    # stand-ins for this test only: the real sales adapters (registered by conftest) come back after it
    monkeypatch.setitem(printing._adapters, "order", order_adapter)
    monkeypatch.setattr(printing, "_statement_adapter", [statement_adapter])
    return calls


def _one_line_error(result, *fragments: str) -> None:
    assert result.exit_code != 0
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_print_an_order_as_pdf_and_xlsx(run, adapters, tmp_path):
    target = tmp_path / "order.pdf"
    result = run("order", "SO202611-0001", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(target)  # the path alone on stdout; the font goes to stderr
    assert result.stderr.startswith("Font: ") and "(" in result.stderr
    assert adapters == [("admin", "SO202611-0001")]
    text = squash("".join(pages_text(target.read_bytes())))
    assert "销售合同" in text and "SO202611-0001" in text

    result = run("order", "EXT-7788", "--format", "xlsx", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    written = tmp_path / "order-SO202611-0002.xlsx"
    assert result.output.strip() == str(written) and written.read_bytes()[:2] == b"PK"
    assert not result.stderr  # no font line for a workbook


def test_template_option(run, adapters, tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "contract.toml").write_text('kind = "order"\ntitle = "购 销 合 同"\n', encoding="utf-8")
    target = tmp_path / "c.pdf"
    result = run("order", "SO202611-0001", "--template", str(folder / "contract.toml"), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "购销合同" in squash("".join(pages_text(target.read_bytes())))


def test_statement(run, adapters, tmp_path):
    target = tmp_path / "st.pdf"
    result = run("statement", "--customer", "K00012", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(target))
    assert result.exit_code == 0, result.output
    from datetime import date

    assert adapters == [("admin", "K00012", date(2026, 10, 1), date(2026, 10, 31))]
    assert "客户对账单" in squash("".join(pages_text(target.read_bytes())))


def test_default_file_name_in_the_current_folder(run, adapters, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("order", "SO202611-0001")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "order-SO202611-0001.pdf").is_file()


def test_unknown_kind(run):
    _one_line_error(run("receipt", "SK1"), "Unknown document kind receipt", "purchase-order")


def test_kind_without_adapter_fails_clearly(run, admin, monkeypatch):
    # The sales area provides quote and statement adapters: take every adapter away for this test.
    monkeypatch.setattr(printing, "_adapters", {})
    monkeypatch.setattr(printing, "_statement_adapter", [])
    _one_line_error(run("quote", "QT202611-0001"), "quote", "not available")
    _one_line_error(run("purchase-order", "PO1"), "purchase_order", "not available")
    _one_line_error(run("statement", "--customer", "K1", "--from", "2026-01-01", "--to", "2026-01-31"),
                    "statement", "not available")


def test_missing_document(run, adapters):
    _one_line_error(run("order", "SO-NOPE"), "no sales order SO-NOPE")


def test_unwritable_path(run, adapters, tmp_path):
    _one_line_error(run("order", "SO202611-0001", "-o", str(tmp_path / "no" / "dir" / "x.pdf")), "Cannot write")
    assert not (tmp_path / "no").exists()


def test_bad_arguments(run, adapters):
    _one_line_error(run("order"), "number")
    _one_line_error(run("statement", "--customer", "K1", "--from", "2026-13-01", "--to", "2026-01-31"),
                    "--from", "2026-13-01")
    _one_line_error(run("statement", "--customer", "K1"), "--customer CODE --from DATE --to DATE")
    _one_line_error(run("statement", "--customer", "K1", "--from", "2026-02-01", "--to", "2026-01-31"),
                    "before it starts")
    _one_line_error(run("order", "SO202611-0001", "--template", "no_such_template"), "no_such_template")
    _one_line_error(run("order", "SO202611-0001", "--template", "quote"), "not order")


def test_print_templates_command(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["print-templates"])
    assert result.exit_code == 0, result.output
    from crm_tui.io.templates import user_template_folder

    assert (user_template_folder() / "quote.toml").is_file()
    again = runner.invoke(cli, ["print-templates"])
    assert "already" in again.output


def test_write_document_service(tmp_path):
    from crm_tui.config import update_settings

    update_settings("print", format="xlsx", folder=str(tmp_path))
    path = printing.write_document(make_doc("quote", 2))
    assert path == tmp_path / "quote-QT202611-0001.xlsx" and path.read_bytes()[:2] == b"PK"
    assert printing.default_filename(make_statement(1), "pdf") == "statement-K00012-20261001-20261031.pdf"


def test_render_refuses_an_unknown_format_and_viewer_respects_settings(tmp_path, monkeypatch):
    from crm_tui.config import update_settings
    from crm_tui.core.errors import ValidationError

    with pytest.raises(ValidationError, match="docx"):
        printing.render(make_doc("quote", 1), "docx")
    opened = []
    monkeypatch.setattr(printing, "open_with_viewer", lambda path: opened.append(path) or True)
    update_settings("print", open_after=False)
    assert printing.open_if_wanted(tmp_path / "x.pdf") is False and opened == []
    update_settings("print", open_after=True)
    assert printing.open_if_wanted(tmp_path / "x.pdf") is True and opened == [tmp_path / "x.pdf"]


def test_print_names_the_font_it_embedded(run, adapters, tmp_path, monkeypatch):
    from crm_tui.io.pdf import fonts

    monkeypatch.setattr(fonts, "system_candidates", lambda: [])  # a machine without any CJK font
    monkeypatch.setattr(fonts, "_auto_choice", None)
    result = run("order", "SO202611-0001", "-o", str(tmp_path / "o.pdf"))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "Font: WenQuanYi Micro Hei (bundled subset)"
