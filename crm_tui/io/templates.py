"""Print templates: per document kind, a TOML file saying what the page shows and how.

The defaults ship in ``crm_tui/assets/templates/<name>.toml``; a file of the same name in the config folder
(``<config>/templates/<name>.toml``) overrides it. A user file is laid over the shipped template of its kind,
so it only needs the keys it changes (a list such as ``columns`` or ``terms`` is replaced whole).
Every key is checked on load; a bad one raises ``ValidationError`` naming the file and the field.

The printed words (labels, titles, terms) are the template's, not the interface language's: a company prints
its documents in one language whatever the clerk's screen shows.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from crm_tui.core.errors import ValidationError
from crm_tui.i18n import _

TEMPLATE_KINDS = ("quote", "order", "delivery", "purchase_order", "statement")
TEMPLATE_KINDS = (*TEMPLATE_KINDS, "sales_return", "invoice")
TEMPLATE_KINDS += ("purchase_return",)

# Column keys a template may use, with the title printed when the template gives none.
LINE_COLUMNS: dict[str, str] = {
    "seq": "序号",
    "code": "商品编码",
    "name": "品名",
    "spec": "规格型号",
    "unit": "单位",
    "quantity": "数量",
    "unit_price": "单价",
    "gross_price": "含税单价",
    "tax_rate": "税率",
    "net_amount": "不含税金额",
    "tax_amount": "税额",
    "amount": "金额",
    "remark": "备注",
    "brand": "品牌",
    "batch": "批号",
    "warehouse": "仓库",
    "delivery_date": "交货日期",
}
STATEMENT_COLUMNS: dict[str, str] = {
    "seq": "序号",
    "date": "日期",
    "kind": "业务类型",
    "number": "单据号",
    "remark": "摘要",
    "debit": "应收金额",
    "credit": "已收金额",
    "balance": "余额",
}
NUMERIC_COLUMNS = frozenset({"quantity", "unit_price", "gross_price", "tax_rate", "net_amount", "tax_amount",
                             "amount", "debit", "credit", "balance"})
CENTERED_COLUMNS = frozenset({"seq", "unit", "date", "delivery_date"})

INFO_FIELDS: dict[str, str] = {
    "number": "单号",
    "date": "日期",
    "valid_until": "有效期至",
    "delivery_date": "交货日期",
    "reference": "客户订单号",
    "salesperson": "业务员",
    "payment_terms": "付款方式",
    "delivery_address": "送货地址",
    "currency": "币种",
    "period": "对账期间",
}
PARTY_FIELDS: dict[str, str] = {
    "name": "客户名称",
    "code": "客户编号",
    "contact": "联系人",
    "phone": "电话",
    "fax": "传真",
    "email": "邮箱",
    "address": "地址",
    "tax_number": "税号",
    "bank": "开户行",
    "account": "账号",
}
# Other printed words; a template's [labels] table may override any of these and the two tables above
# (party fields as ``party_<key>``).
OTHER_LABELS: dict[str, str] = {
    "total": "合计",
    "in_words": "合计金额（大写）",
    "net_total": "不含税金额",
    "tax_total": "税额",
    "gross_total": "价税合计",
    "remarks": "备注",
    "our_address": "地址",
    "our_phone": "电话",
    "our_tax_number": "税号",
    "our_bank": "开户行",
    "our_account": "账号",
    "signatory": "代表签字",
    "sign_date": "日期",
    "opening_balance": "期初余额",
    "closing_balance": "期末余额",
    "continued": "续",
}

PAPER_SIZES = {  # millimetres, portrait
    "A3": (297.0, 420.0),
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "B5": (176.0, 250.0),
    "LETTER": (215.9, 279.4),
}
ORIENTATIONS = ("portrait", "landscape")
FORMATS = ("pdf", "xlsx")


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: float  # in characters, as in a spreadsheet; the PDF scales the sum to the page width
    align: str  # left | center | right


@dataclass
class Template:
    name: str
    kind: str
    source: str  # where it was read from, for messages
    title: str
    columns: list[Column]
    paper: str = "A4"
    orientation: str = "portrait"
    margins: tuple[float, float, float, float] = (12.0, 12.0, 14.0, 12.0)  # mm: top, right, bottom, left
    font: str = ""
    font_index: int = 0
    font_size: float = 9.0
    show_logo: bool = True
    show_company: bool = True
    show_amount_in_words: bool = True
    show_tax_summary: bool = True
    info_fields: list[str] = field(default_factory=lambda: ["number", "date"])
    party_fields: list[str] = field(default_factory=lambda: ["name", "contact", "phone", "address"])
    intro: str = ""
    terms_title: str = "说明"
    terms: list[str] = field(default_factory=list)
    footer: str = ""
    page_format: str = "第 {page} 页 / 共 {pages} 页"
    date_format: str = "%Y-%m-%d"
    our_seal: str = "供方（盖章）"
    party_seal: str = "需方（签字盖章）"
    show_signatures: bool = True
    compact: bool = False  # tighter header and seals, for half sheets (A5)
    seal_space: float = 16.0  # mm left blank above the signature lines for the seal
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, key: str) -> str:
        if key in self.labels:
            return self.labels[key]
        if key.startswith("party_"):
            return PARTY_FIELDS[key.removeprefix("party_")]
        return INFO_FIELDS.get(key) or OTHER_LABELS[key]

    def party_pairs(self, doc) -> list[tuple[str, str]]:
        """(label, value) of the party fields this template shows; empty ones are left out, except the name."""
        from crm_tui.io.print_model import party_value

        pairs = []
        for key in self.party_fields:
            value = party_value(doc.party, key)
            if value or key == "name":
                pairs.append((self.label(f"party_{key}"), value))
        return pairs

    def info_pairs(self, doc) -> list[tuple[str, str]]:
        """(label, value) of the document's particulars (number, dates …), then the adapter's own ``info``."""
        from crm_tui.io.print_model import info_value

        pairs = []
        for key in self.info_fields:
            value = info_value(doc, key, self.date_format)
            if key == "currency" and value == "CNY":
                value = "人民币"
            if value or (key in ("number", "date") and self.kind != "statement"):  # a blank to fill by hand
                pairs.append((self.label(key), value))
        return pairs + [(k, v) for k, v in doc.info if v]

    @property
    def page_size_mm(self) -> tuple[float, float]:
        w, h = PAPER_SIZES[self.paper.upper()]
        return (h, w) if self.orientation == "landscape" else (w, h)


# --- finding templates --------------------------------------------------------------------------------

def shipped_template_names() -> list[str]:
    folder = resources.files("crm_tui") / "assets" / "templates"
    return sorted(e.name.removesuffix(".toml") for e in folder.iterdir() if e.name.endswith(".toml"))


def _shipped_text(name: str) -> str | None:
    entry = resources.files("crm_tui") / "assets" / "templates" / f"{name}.toml"
    return entry.read_text(encoding="utf-8") if entry.is_file() else None


def user_template_folder() -> Path:
    from crm_tui.paths import get_paths

    return get_paths().templates


def available_templates() -> list[str]:
    names = set(shipped_template_names())
    folder = user_template_folder()
    if folder.is_dir():
        names.update(p.stem for p in folder.glob("*.toml"))
    return sorted(names)


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(_("{file}: not valid TOML: {error}").format(file=source, error=exc)) from exc


def load_template(name_or_path: str | Path, kind: str | None = None) -> Template:
    """The template called ``name_or_path`` (a name such as ``quote`` or ``delivery_a5``, or a .toml path).

    With ``kind`` given, the template must be for that kind of document.
    """
    text = path = None
    raw = str(name_or_path)
    if raw.endswith(".toml") or "/" in raw or "\\" in raw:
        path = Path(raw).expanduser()
        if not path.is_file():
            raise ValidationError(_("Template file not found: {path}").format(path=path))
        name = path.stem
    else:
        name = raw
        candidate = user_template_folder() / f"{name}.toml"
        if candidate.is_file():
            path = candidate
    if path is not None:
        text = path.read_text(encoding="utf-8")
        source = str(path)
    else:
        text = _shipped_text(name)
        source = f"crm_tui/assets/templates/{name}.toml"
        if text is None:
            raise ValidationError(_("No template called {name} (available: {names}).").format(
                name=name, names=", ".join(available_templates())))
    data = _parse(text, source)
    template_kind = data.get("kind", name if name in TEMPLATE_KINDS else None)
    if template_kind not in TEMPLATE_KINDS:
        raise ValidationError(_("{file}: field kind: expected one of {kinds}, got {value!r}").format(
            file=source, kinds=", ".join(TEMPLATE_KINDS), value=template_kind), field="kind")
    if path is not None:
        # A user file only states what it changes: lay it over the shipped template of its kind.
        base = _parse(_shipped_text(template_kind) or "", f"crm_tui/assets/templates/{template_kind}.toml")
        base_labels = base.get("labels", {})
        base.update(data)
        if isinstance(data.get("labels"), dict) and isinstance(base_labels, dict):
            base["labels"] = {**base_labels, **data["labels"]}
        data = base
    template = template_from_dict(data, name=name, source=source)
    if kind is not None and template.kind != kind:
        raise ValidationError(_("{file}: this template is for {found} documents, not {kind}.").format(
            file=source, found=template.kind, kind=kind), field="kind")
    return template


def template_for(kind: str, name: str | None = None) -> Template:
    """The template to print a ``kind`` document with: ``name`` when given, else the kind's own."""
    return load_template(name or kind, kind=kind)


def install_templates(folder: Path | None = None, overwrite: bool = False) -> list[Path]:
    """Copy the shipped templates into the config folder so they can be edited; returns the files written."""
    from crm_tui.paths import ensure_dir

    folder = ensure_dir(folder or user_template_folder())
    written = []
    for name in shipped_template_names():
        target = folder / f"{name}.toml"
        if target.exists() and not overwrite:
            continue
        target.write_text(_shipped_text(name) or "", encoding="utf-8")
        written.append(target)
    return written


# --- checking -----------------------------------------------------------------------------------------

class _Checker:
    """Reads typed values out of the template dict; every complaint names the file and the field."""

    def __init__(self, data: dict[str, Any], source: str):
        self.data = data
        self.source = source

    def fail(self, fld: str, expected: str, value: Any) -> ValidationError:
        return ValidationError(_("{file}: field {field}: expected {expected}, got {value!r}").format(
            file=self.source, field=fld, expected=expected, value=value), field=fld)

    def text(self, key: str, default: str, value: Any = None, fld: str | None = None) -> str:
        value = self.data.get(key, default) if value is None else value
        if not isinstance(value, str):
            raise self.fail(fld or key, _("text"), value)
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, _("true or false"), value)
        return value

    def number(self, value: Any, fld: str, low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (low <= value <= high):
            raise self.fail(fld, _("a number from {low} to {high}").format(low=low, high=high), value)
        return float(value)

    def choice(self, key: str, default: str, choices: list[str] | tuple[str, ...], upper: bool = False) -> str:
        value = self.data.get(key, default)
        probe = value.upper() if upper and isinstance(value, str) else value
        if probe not in choices:
            raise self.fail(key, _("one of {choices}").format(choices=", ".join(choices)), value)
        return probe

    def text_list(self, key: str, default: list[str]) -> list[str]:
        value = self.data.get(key, default)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, _("a list of texts"), value)
        return list(value)

    def keys(self, key: str, default: list[str], allowed: dict[str, str]) -> list[str]:
        values = self.text_list(key, default)
        for i, v in enumerate(values):
            if v not in allowed:
                raise self.fail(f"{key}[{i}]", _("one of {choices}").format(choices=", ".join(allowed)), v)
        return values


_TOP_KEYS = {"kind", "title", "paper", "orientation", "margins", "font", "font_index", "font_size", "show_logo",
             "show_company", "show_amount_in_words", "show_tax_summary", "info_fields", "party_fields", "intro",
             "terms_title", "terms", "footer", "page_format", "date_format", "our_seal", "party_seal",
             "show_signatures", "seal_space", "compact", "labels", "columns"}
_COLUMN_KEYS = {"key", "title", "width", "align"}


def template_from_dict(data: dict[str, Any], name: str, source: str) -> Template:
    c = _Checker(data, source)
    for key in data:
        if key not in _TOP_KEYS:
            raise ValidationError(_("{file}: unknown field {field} (known fields: {known})").format(
                file=source, field=key, known=", ".join(sorted(_TOP_KEYS))), field=key)
    kind = c.choice("kind", name, TEMPLATE_KINDS)
    allowed_columns = STATEMENT_COLUMNS if kind == "statement" else LINE_COLUMNS
    columns = _columns(c, allowed_columns)
    margins = data.get("margins", [12, 12, 14, 12])
    if not isinstance(margins, list) or len(margins) != 4:
        raise c.fail("margins", _("four numbers in millimetres: top, right, bottom, left"), margins)
    margins_mm = tuple(c.number(m, f"margins[{i}]", 0, 60) for i, m in enumerate(margins))
    page_format = c.text("page_format", "第 {page} 页 / 共 {pages} 页")
    try:
        page_format.format(page=1, pages=1)
    except (KeyError, IndexError, ValueError):
        raise c.fail("page_format", _("text with {page} and {pages} only"), page_format) from None
    date_format = c.text("date_format", "%Y-%m-%d")
    if "%" not in date_format:
        raise c.fail("date_format", _("a date pattern such as %Y-%m-%d or %Y年%m月%d日"), date_format)
    labels = data.get("labels", {})
    if not isinstance(labels, dict):
        raise c.fail("labels", _("a table of texts"), labels)
    known_labels = {*INFO_FIELDS, *OTHER_LABELS, *(f"party_{k}" for k in PARTY_FIELDS)}
    for key, value in labels.items():
        if key not in known_labels:
            choices = ", ".join(sorted(known_labels))
            raise c.fail(f"labels.{key}", _("one of {choices}").format(choices=choices), key)
        c.text(key, "", value=value, fld=f"labels.{key}")
    font_index = data.get("font_index", 0)
    if isinstance(font_index, bool) or not isinstance(font_index, int) or font_index < 0:
        raise c.fail("font_index", _("a whole number from 0"), font_index)
    return Template(
        name=name, kind=kind, source=source,
        title=c.text("title", ""),
        columns=columns,
        paper=c.choice("paper", "A4", tuple(PAPER_SIZES), upper=True),
        orientation=c.choice("orientation", "portrait", ORIENTATIONS),
        margins=margins_mm,  # type: ignore[arg-type]
        font=c.text("font", ""),
        font_index=font_index,
        font_size=c.number(data.get("font_size", 9), "font_size", 6, 16),
        show_logo=c.flag("show_logo", True),
        show_company=c.flag("show_company", True),
        show_amount_in_words=c.flag("show_amount_in_words", True),
        show_tax_summary=c.flag("show_tax_summary", True),
        info_fields=c.keys("info_fields", ["number", "date"], INFO_FIELDS),
        party_fields=c.keys("party_fields", ["name", "contact", "phone", "address"], PARTY_FIELDS),
        intro=c.text("intro", ""),
        terms_title=c.text("terms_title", "说明"),
        terms=c.text_list("terms", []),
        footer=c.text("footer", ""),
        page_format=page_format,
        date_format=date_format,
        our_seal=c.text("our_seal", "供方（盖章）"),
        party_seal=c.text("party_seal", "需方（签字盖章）"),
        show_signatures=c.flag("show_signatures", True),
        compact=c.flag("compact", False),
        seal_space=c.number(data.get("seal_space", 16), "seal_space", 0, 80),
        labels=dict(labels),
    )


def _columns(c: _Checker, allowed: dict[str, str]) -> list[Column]:
    raw = c.data.get("columns")
    if not isinstance(raw, list) or not raw:
        raise c.fail("columns", _("a list of [[columns]] tables"), raw)
    columns = []
    seen = set()
    for i, col in enumerate(raw):
        where = f"columns[{i}]"
        if not isinstance(col, dict):
            raise c.fail(where, _("a table with key, title, width"), col)
        for k in col:
            if k not in _COLUMN_KEYS:
                choices = ", ".join(sorted(_COLUMN_KEYS))
                raise c.fail(f"{where}.{k}", _("one of {choices}").format(choices=choices), k)
        key = col.get("key")
        if key not in allowed:
            raise c.fail(f"{where}.key", _("one of {choices}").format(choices=", ".join(allowed)), key)
        if key in seen:
            raise c.fail(f"{where}.key", _("a column not listed before"), key)
        seen.add(key)
        title = c.text("", allowed[key], value=col.get("title", allowed[key]), fld=f"{where}.title")
        width = c.number(col.get("width", 10), f"{where}.width", 1, 100)
        default_align = "right" if key in NUMERIC_COLUMNS else "center" if key in CENTERED_COLUMNS else "left"
        align = col.get("align", default_align)
        if align not in ("left", "center", "right"):
            raise c.fail(f"{where}.align", _("one of {choices}").format(choices="left, center, right"), align)
        columns.append(Column(key, title, width, align))
    return columns
