"""Cell parsers: one function per kind of value, raw cell -> typed value.

Every parser takes one non-empty raw cell (``str``, ``float``, ``int``, ``bool``, ``datetime``/``date``/
``time`` as ``crm_tui.io.tabular`` delivers them) and returns the typed value, or raises ``CellError``
whose ``expected`` says in words what the cell should hold ("expected an 11-digit mobile number starting
with 1"). Empty cells never reach a parser: ``importing.read_and_validate`` turns them into ``None`` or a
"required" error according to ``FieldSpec.required``.

Parsers (``p(raw) -> value``):

==================  =========================================================================
``text``            NFKC, trimmed, internal whitespace collapsed, zero-width characters dropped;
                    1001.0 -> "1001"; a line break between Chinese characters is dropped
``multiline_text``  like text, but keeps line breaks (remarks, addresses)
``code_text``       an identifier; refuses numbers Excel has already rounded (> 15 digits)
``mobile``          China mobile, +86/0086/separators stripped, floats recovered -> "13800138000"
``landline``        "(010)12345678", "010 12345678", "010—12345678" -> "010-12345678"; 400/800 ->
                    "400-123-4567"; a number cell that lost the area code's 0 is refused with advice
``phone``           mobile or landline, normalised as above (two numbers in a cell: refused, saying so)
``email``           "Name@Example.COM" -> "Name@example.com"; "zs@163。com" -> "zs@163.com"
``money``           Decimal with 2 places; "1,000.50", "￥2000", "¥2,000", "1.5万"; floats exactly (repr)
``decimal``         Decimal, exact
``quantity``        Decimal with at most 4 decimal places
``rate``            tax rate: "13%", 0.13, 13 -> Decimal("0.13")
``integer``         int; 12.0 and "1,200" accepted
``date``            datetime.date from a date cell, an Excel serial, 20261103, or text such as
                    2026/11/03, 2026-11-3, 2026.11.03, 2026年11月3日; 23/11/2026 or 11/23/2026 only
                    when the day is over 12 (11/3/2026 is refused: day and month cannot be told apart)
``datetime``        datetime.datetime from the same plus a time: "2026-11-03 09:15", "2026/11/3 9:15:00"
``boolean``         是/否, yes/no, y/n, true/false, 1/0
``credit_code``     18-character 统一社会信用代码 with its GB 32100-2015 check character
==================  =========================================================================

Factories and combinators: ``text_max(n)``, ``one_of(mapping)``, ``nonnegative(parser)``,
``in_units(parser, 10000)`` (a money column headed 信用额度(万元)).
``normalize_key(text)`` is the normalisation used to compare names (duplicates within a file, matching
existing records): NFKC, case-folded, all whitespace removed. ``is_placeholder(raw)`` tells 无, -, /, N/A
and the like (``PLACEHOLDERS``) that mean an empty cell.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from crm_tui.core.money import FEN, parse_money, parse_rate, round_money
from crm_tui.core.text import nfkc as _nfkc
from crm_tui.core.text import normalize_key as text_key
from crm_tui.i18n import _

Parser = Callable[[Any], Any]

# Excel keeps 15 significant digits; a longer number typed into a number cell is already rounded.
MAX_EXACT_DIGITS = 15
_EXACT_LIMIT = 10**MAX_EXACT_DIGITS


class CellError(ValueError):
    """A cell that cannot be parsed; ``expected`` is the user-facing explanation (already translated)."""

    def __init__(self, expected: str):
        super().__init__(expected)
        self.expected = expected


# --- text ---------------------------------------------------------------------------------------

# A line break between two Chinese characters is a wrap typed into a narrow cell (Alt+Enter), not a space.
_CJK_LINE_BREAK = re.compile(
    r"(?<=[\u2e80-\u9fff\uf900-\ufaff])[^\S\n\r]*[\r\n]+\s*(?=[\u2e80-\u9fff\uf900-\ufaff])"
)


def _number_text(value: float | int) -> str:
    """A number cell shown as text: 1001.0 -> "1001", 12.5 -> "12.5"."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT_LIMIT:
            return str(int(value))
        return repr(value)
    return str(value)


def _as_text(raw: Any) -> str:
    cls = raw.__class__
    if cls is str:
        return raw
    if cls is bool:
        return "TRUE" if raw else "FALSE"
    if cls is float or cls is int:
        return _number_text(raw)
    if cls is dt.datetime:
        return raw.isoformat(sep=" ", timespec="minutes" if not raw.second else "seconds")
    if cls is dt.date or cls is dt.time:
        return raw.isoformat()
    return str(raw)


def text(raw: Any) -> str:
    """Any cell as one line of text: NFKC (full-width letters, digits, spaces), trimmed, spaces collapsed.

    A line break between two Chinese characters is dropped (``临沂华夏商贸\\n有限公司`` is one name); other
    line breaks become a space.
    """
    s = raw if raw.__class__ is str else _as_text(raw)
    if not s.isascii():
        s = _nfkc(s)
        if "\n" in s or "\r" in s:
            s = _CJK_LINE_BREAK.sub("", s)
    return " ".join(s.split())


def multiline_text(raw: Any) -> str:
    """Like ``text`` but line breaks are kept (each line cleaned, blank lines at the ends dropped)."""
    s = _nfkc(_as_text(raw)).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(" ".join(line.split()) for line in s.split("\n")).strip("\n")


def text_max(limit: int) -> Parser:
    """A ``text`` parser that refuses more than ``limit`` characters."""

    def parse(raw: Any) -> str:
        s = text(raw)
        if len(s) > limit:
            raise CellError(
                _("expected at most {limit} characters (this has {n})").format(limit=limit, n=len(s))
            )
        return s

    parse.__name__ = f"text_max_{limit}"
    return parse


def normalize_key(value: Any) -> str:
    """The form used to compare names: NFKC, case-folded, every space removed (``core.text.normalize_key``)."""
    return text_key(_as_text(value))


# What people write into a cell that has nothing to say: 无, 暂无, -, /, N/A, NULL (exported databases).
PLACEHOLDERS = frozenset(r"无 暂无 没有 空 / \ - -- --- — —— n/a na null none nil \n".split())


_PLACEHOLDER_FIRST = frozenset("无暂没空/\\-—nN－／＼ｎＮ")


def is_placeholder(raw: Any) -> bool:
    """True for a cell that only says "nothing here" (see ``PLACEHOLDERS``)."""
    if raw.__class__ is not str or len(raw) > 8:
        return False
    s = raw.strip()
    return s[:1] in _PLACEHOLDER_FIRST and normalize_key(s) in PLACEHOLDERS


def _rounded_number_error() -> CellError:
    return CellError(
        _(
            "a long number that Excel has already rounded; format the column as text, "
            "type the value again and re-import"
        )
    )


_SCIENTIFIC = re.compile(r"[-+]?\d(\.\d+)?E\+?\d+", re.IGNORECASE)


def code_text(raw: Any) -> str:
    """An identifier (code, ID number, account). Numbers are accepted only while Excel keeps them exact.

    Text such as ``9.1110108E+17`` (what Excel writes to CSV for a rounded long number) is refused too.
    """
    if raw.__class__ is float:
        if not raw.is_integer():
            raise CellError(_("expected a code, not a fraction"))
        if abs(raw) >= _EXACT_LIMIT:
            raise _rounded_number_error()
        return str(int(raw))
    if raw.__class__ is int and abs(raw) >= _EXACT_LIMIT:
        raise _rounded_number_error()  # workbooks store doubles: an int this long was rounded too
    s = text(raw)
    if _SCIENTIFIC.fullmatch(s):
        raise _rounded_number_error()
    return s


# --- phones and e-mail --------------------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9]\d{9}")
_DASHES = "\u2010-\u2015\u2212"  # hyphens, en and em dashes (——, typed with a Chinese input method), minus
_PHONE_JUNK = re.compile(f"[\\s\\-()./{_DASHES}]")
# what separates two numbers typed into one cell: 13800138000/13900139000, 0539-8123456、13800138000
_NUMBER_SEPARATORS = re.compile(r"[\s/、,，;；|或]+")


def _phone_digits(raw: Any) -> str:
    if raw.__class__ is float:
        if not raw.is_integer():
            return repr(raw)  # will fail the pattern
        return str(int(raw))
    return _nfkc(_as_text(raw)).strip()


def _strip_country(s: str) -> str:
    if s.startswith("+86"):
        return s[3:]
    if s.startswith("0086"):
        return s[4:]
    return s


def _several_numbers(raw: Any) -> CellError | None:
    """The error for a cell holding two or more phone numbers, or None (only called for a cell that failed)."""
    if raw.__class__ is not str:
        return None
    parts = _NUMBER_SEPARATORS.split(_nfkc(raw))
    if sum(1 for p in parts if sum(ch.isdigit() for ch in p) >= 7) < 2:
        return None
    return CellError(
        _(
            "several phone numbers in one cell; keep one here and move the others to another column or the remarks"
        )
    )


def _mobile(raw: Any) -> str | None:
    if raw.__class__ is str and _MOBILE.fullmatch(raw):
        return raw  # already clean: the common case, kept fast
    if raw.__class__ is float and 1e10 <= raw < 2e10 and raw.is_integer():  # a number cell: the other common case
        s = str(int(raw))
        return s if _MOBILE.fullmatch(s) else None
    s = _PHONE_JUNK.sub("", _strip_country(_phone_digits(raw)))
    if len(s) == 13 and s.startswith("86"):
        s = s[2:]
    return s if _MOBILE.fullmatch(s) else None


def mobile(raw: Any) -> str:
    """A mainland China mobile number -> 11 digits."""
    value = _mobile(raw)
    if value is None:
        raise _several_numbers(raw) or CellError(_("expected an 11-digit mobile number starting with 1"))
    return value


_LANDLINE_CHARS = re.compile(f"[\\d\\s\\-()./+#{_DASHES}]*(?:(?:转|分机|ext\\.?|x)\\s*\\d+)?", re.IGNORECASE)
_GROUPS = re.compile(r"\d+")
_LANDLINE_OK = re.compile(r"0\d{2,3}-[1-9]\d{6,7}(?:-\d{1,6})?")  # already normalised


def _landline(raw: Any) -> str | None:
    return _landline_text(_phone_digits(raw))


def _lost_zero(raw: Any, fallback: str) -> CellError:
    """The error for a phone that failed: a clearer one when a number cell dropped the area code's 0.

    5398123456 is most likely 0539-8123456, but it is not taken as that (the sheet is fixed where the user
    can see it); 1012345678 gets no hint: it could as well be 010-12345678 as a mobile missing a digit.
    """
    if (raw.__class__ is float or raw.__class__ is int) and raw > 0:
        digits = _phone_digits(raw)
        if 9 <= len(digits) <= 11 and digits[0] != "1":
            likely = _landline_text("0" + digits)
            if likely is not None:
                return CellError(
                    _(
                        "the area code has lost its leading 0 (the cell is a number); "
                        "format the column as text and type it as {likely}"
                    ).format(likely=likely)
                )
    return _several_numbers(raw) or CellError(fallback)


def _landline_text(digits: str) -> str | None:
    s = _strip_country(digits)
    had_country = s is not digits
    if not _LANDLINE_CHARS.fullmatch(s):
        return None
    groups = _GROUPS.findall(s)
    if not groups:
        return None
    joined = "".join(groups)
    if joined[:3] in ("400", "800") and len(joined) == 10:
        return f"{joined[:3]}-{joined[3:6]}-{joined[6:]}"
    first = groups[0]
    if not first.startswith("0"):
        if had_country and len(first) in (2, 3) and len(groups) > 1:  # +86 10 12345678: area without its 0
            groups[0] = first = "0" + first
        else:
            return None
    if len(first) < 3:
        return None  # "0", "0/0/2026": no area code
    if len(first) in (3, 4) and len(groups) > 1:
        area, rest = first, groups[1:]
    else:
        # no separator after the area code: 010, 020-029 have three digits, the others four
        cut = 3 if first[1] in "12" else 4
        area, rest = first[:cut], [first[cut:], *groups[1:]]
    local = ""
    while rest and len(local) < 7:
        local += rest.pop(0)
    if not (7 <= len(local) <= 8) or local.startswith("0"):
        return None
    ext = "".join(rest)
    if len(ext) > 6:
        return None
    return f"{area}-{local}-{ext}" if ext else f"{area}-{local}"


def landline(raw: Any) -> str:
    """A fixed-line number -> ``0AA(A)-NNNNNNN(N)[-ext]``, or a 400/800 number -> ``400-123-4567``."""
    if raw.__class__ is str and _LANDLINE_OK.fullmatch(raw):
        return raw
    value = _landline(raw)
    if value is None:
        raise _lost_zero(
            raw, _("expected a landline number with area code, such as 010-12345678 or 400-123-4567")
        )
    return value


def phone(raw: Any) -> str:
    """A mobile or a landline number, normalised."""
    if raw.__class__ is str and _LANDLINE_OK.fullmatch(raw):
        return raw  # an already normalised landline: half the 电话 column of a typical sheet
    value = _mobile(raw)
    if value is not None:
        return value
    value = _landline(raw)
    if value is None:
        raise _lost_zero(raw, _("expected a mobile number (11 digits) or a landline such as 010-12345678"))
    return value


_DOMAIN_PART = r"[^@\s.,;:<>()\[\]'\"，；：、。]+"
_EMAIL = re.compile(rf"[^@\s,;<>()\[\]，；、]+@{_DOMAIN_PART}(\.{_DOMAIN_PART})+")
_EMAIL_TAIL = ".,;:。，；：、"  # punctuation typed after an address


def email(raw: Any) -> str:
    """An e-mail address; the domain is lower-cased (the local part is kept: it may be case-sensitive).

    ``。`` typed with a Chinese input method counts as a dot (``zs@163。com``); punctuation after the address
    is dropped. A cell with two addresses is refused with a message saying so.
    """
    s = text(raw)
    if not _EMAIL.fullmatch(s):
        if not s.isascii():
            s = s.replace("。", ".")
        s = s.rstrip(_EMAIL_TAIL)
        if not _EMAIL.fullmatch(s):
            if sum(1 for part in _NUMBER_SEPARATORS.split(s) if "@" in part) > 1:
                raise CellError(_("several e-mail addresses in one cell; keep one"))
            raise CellError(_("expected an e-mail address such as name@example.com"))
    local, domain = s.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


# --- numbers ------------------------------------------------------------------------------------


def _number_cell(raw: Any) -> Decimal | None:
    """Decimal of a number cell (floats exactly via repr), or None for text."""
    cls = raw.__class__
    if cls is float:
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise CellError(_("expected a number"))
        return Decimal(repr(raw))
    if cls is int or cls is Decimal:
        return Decimal(raw)
    if cls is bool:
        raise CellError(_("expected a number, not TRUE/FALSE"))
    return None


def money(raw: Any) -> Decimal:
    """An amount in yuan -> Decimal with two places.

    Text must have at most two decimals; a float from a workbook is rounded half-up to the fen (formula
    results such as 0.30000000000000004 are common and Excel shows them rounded).
    """
    try:
        if raw.__class__ is float and raw - raw == 0:  # finite: the usual cell from a workbook
            return Decimal(repr(raw)).quantize(FEN, ROUND_HALF_UP)
        value = _number_cell(raw)
        if value is not None:
            return value.quantize(FEN, ROUND_HALF_UP)
        return _money_text(raw)
    except InvalidOperation:  # more digits than a Decimal keeps: 1E+30 is not an amount
        raise _too_large() from None


def _too_large() -> CellError:
    return CellError(_("a number far too large for this column"))


def _money_text(raw: Any) -> Decimal:
    scale = 1
    s = _nfkc(_as_text(raw)).strip()
    wan = _WAN.fullmatch(s)
    if wan:  # 5万 / 1.5万元: amounts in ten-thousands are common in Chinese sheets
        s, scale = wan[1], 10000
    try:
        value = parse_money(s) * scale
    except (ValueError, InvalidOperation):
        raise CellError(_("expected an amount such as 1,000.50 or ¥2000")) from None
    if value != value.quantize(FEN):
        raise CellError(_("expected an amount with at most 2 decimal places"))
    return value.quantize(FEN)


_QUANTUM = Decimal("0.0001")
_WAN = re.compile(r"(.*?\d)\s*万\s*元?")
_NUMBER_TEXT = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")


def decimal(raw: Any) -> Decimal:
    """Any number, exactly (thousands separators allowed in text)."""
    value = _number_cell(raw)
    if value is not None:
        return value
    s = "".join(_nfkc(_as_text(raw)).split()).replace(",", "")
    if not _NUMBER_TEXT.fullmatch(s):
        raise CellError(_("expected a number"))
    return Decimal(s)


def quantity(raw: Any) -> Decimal:
    """A quantity: a number with at most 4 decimal places (floats from a workbook are rounded to 4)."""
    value = decimal(raw)
    try:
        places = value.quantize(_QUANTUM)
    except InvalidOperation:
        raise _too_large() from None
    if value != places:
        if raw.__class__ is not float:
            raise CellError(_("expected a quantity with at most 4 decimal places"))
        return round_money(value, 4)
    return value


def rate(raw: Any) -> Decimal:
    """A tax rate: 13%, 0.13 or 13 -> Decimal('0.13')."""
    if raw.__class__ is float:
        raw = repr(raw)
    elif raw.__class__ is bool:
        raise CellError(_("expected a tax rate such as 13%, 0.13 or 13"))
    try:
        return parse_rate(raw)
    except (ValueError, InvalidOperation):
        raise CellError(_("expected a tax rate such as 13%, 0.13 or 13")) from None


def integer(raw: Any) -> int:
    value = _number_cell(raw) if raw.__class__ is not str else None
    if value is None:
        s = "".join(_nfkc(_as_text(raw)).split()).replace(",", "")
        if not re.fullmatch(r"[-+]?\d+(\.0*)?", s):
            raise CellError(_("expected a whole number"))
        value = Decimal(s)
    if value != value.to_integral_value():
        raise CellError(_("expected a whole number"))
    return int(value)


def in_units(parse: Parser, factor: int) -> Parser:
    """A money parser for a column whose header gives the unit (``信用额度(万元)``: ``factor`` 10000).

    Numbers in the cells are multiplied by ``factor`` and handed to ``parse`` (which applies its own rules,
    e.g. not negative); a cell that names its own unit (``50万``, ``500000元``) is taken as written.
    """

    def wrapped(raw: Any):
        value = _number_cell(raw)
        if value is None:
            s = _nfkc(_as_text(raw)).strip()
            if "万" in s or "元" in s:
                return parse(raw)
            try:
                value = parse_money(s)
            except (ValueError, InvalidOperation):
                raise CellError(_("expected an amount such as 1,000.50 or ¥2000")) from None
        value *= factor
        try:
            exact = value == value.quantize(FEN)
        except InvalidOperation:
            raise _too_large() from None
        if not exact and raw.__class__ is not float:
            raise CellError(_("expected an amount with at most 2 decimal places"))
        return parse(value)

    wrapped.__name__ = f"in_units_{factor}_{getattr(parse, '__name__', 'value')}"
    return wrapped


def nonnegative(parse: Parser) -> Parser:
    """Wrap a number parser so that negative values are refused."""

    def wrapped(raw: Any):
        value = parse(raw)
        if value < 0:
            raise CellError(_("expected a number that is not negative"))
        return value

    wrapped.__name__ = f"nonnegative_{getattr(parse, '__name__', 'value')}"
    wrapped.__wrapped__ = parse  # type: ignore[attr-defined]
    return wrapped


# --- dates and times ----------------------------------------------------------------------------

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # serial 1 = 1900-01-01 (serials from 61 on; 1900 is not leap)
_MIN_SERIAL = 61  # 1900-03-01: below it Excel counts its fictitious 1900-02-29, and 3 is a typo, not a date
_MAX_SERIAL = 2958466  # 10000-01-01
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_YEAR_LAST = re.compile(r"(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4})")  # 23/11/2026, 11/23/2026
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TIME_TEXT = re.compile(r"(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*(?:分)?")
_DATETIME_TEXT = re.compile(r"(?P<d>.+?)(?:(?:\s+|T)(?P<t>\d{1,2}\s*[:时].*))?")


def _date_expected() -> CellError:
    return CellError(_("expected a date such as 2026-11-03, 2026/11/3 or 2026年11月3日"))


def _datetime_expected() -> CellError:
    return CellError(_("expected a date and time such as 2026-11-03 09:15"))


def _from_serial(serial: float) -> dt.datetime | None:
    if 19000101 <= serial <= 29991231 and serial == int(serial):
        return _compact(str(int(serial)))  # 20261103 typed as a number
    if not (_MIN_SERIAL <= serial < _MAX_SERIAL):
        return None
    days = int(serial)
    seconds = round((serial - days) * 86400)
    return _EXCEL_EPOCH + dt.timedelta(days=days, seconds=seconds)


def _compact(s: str) -> dt.datetime | None:
    m = _COMPACT_DATE.fullmatch(s)
    if not m:
        return None
    try:
        return dt.datetime(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _parse_date_text(s: str) -> dt.datetime | None:
    m = _DATE_TEXT.fullmatch(s)
    if m:
        try:
            return dt.datetime(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = _YEAR_LAST.fullmatch(s)
    if m:
        return _year_last(s, int(m[1]), int(m[3]), int(m[4]))
    return _compact(s)


def _year_last(s: str, first: int, second: int, year: int) -> dt.datetime | None:
    """Day and month before the year (US and European exports): taken only when it cannot be misread."""
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first:
        month, day = first, second
    elif first == second:
        day = month = first
    else:
        raise CellError(
            _(
                "expected a date with the year first, such as 2026-11-03: "
                "in {value} the day and the month cannot be told apart"
            ).format(value=s)
        )
    try:
        return dt.datetime(year, month, day)
    except ValueError:
        return None


def _parse_time_text(s: str) -> dt.time | None:
    m = _TIME_TEXT.fullmatch(s)
    if not m:
        return None
    try:
        return dt.time(int(m[1]), int(m[2]), int(m[3] or 0))
    except ValueError:
        return None


def _to_datetime(raw: Any) -> dt.datetime | None:
    cls = raw.__class__
    if cls is dt.datetime:
        return raw
    if cls is dt.date:
        return dt.datetime(raw.year, raw.month, raw.day)
    if cls is float or cls is int:
        return _from_serial(raw)
    if cls is not str:
        return None
    s = " ".join(_nfkc(raw).split())
    m = _DATETIME_TEXT.fullmatch(s)
    if not m:
        return None
    day = _parse_date_text(m["d"])
    if day is None:
        return None
    if m["t"] is None:
        return day
    t = _parse_time_text(m["t"])
    if t is None:
        return None
    return day.replace(hour=t.hour, minute=t.minute, second=t.second)


def date(raw: Any) -> dt.date:
    """A calendar date. A date with a time of day keeps only the date."""
    value = _to_datetime(raw)
    if value is None:
        raise _date_expected()
    return value.date()


def datetime(raw: Any) -> dt.datetime:
    """A date with an optional time of day (midnight when none is given); naive local time."""
    value = _to_datetime(raw)
    if value is None:
        raise _datetime_expected()
    return value


# --- yes/no and choices -------------------------------------------------------------------------

_TRUE = frozenset(("是", "yes", "y", "true", "t", "1", "√", "✓", "对"))
_FALSE = frozenset(("否", "no", "n", "false", "f", "0", "×", "✗", "错"))


def boolean(raw: Any) -> bool:
    if raw.__class__ is bool:
        return raw
    if raw.__class__ in (float, int) and raw in (0, 1):
        return bool(raw)
    s = normalize_key(raw)
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise CellError(_("expected 是 or 否 (yes or no)"))


def one_of(choices: Mapping[str, Any]) -> Parser:
    """A parser accepting the given labels (compared by ``normalize_key``) and returning their values.

    ``one_of({"正常": "active", "active": "active", "归档": "archived", "archived": "archived"})``
    """
    table = {normalize_key(label): value for label, value in choices.items()}
    labels = ", ".join(dict.fromkeys(choices))

    def parse(raw: Any):
        try:
            return table[normalize_key(raw)]
        except KeyError:
            raise CellError(_("expected one of: {labels}").format(labels=labels)) from None

    parse.__name__ = "one_of"
    return parse


# --- unified social credit code (统一社会信用代码) -------------------------------------------------

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_VALUE = {ch: i for i, ch in enumerate(CREDIT_ALPHABET)}
_CREDIT_SHAPE = re.compile(f"[{CREDIT_ALPHABET}]{{18}}")


def credit_check_character(first17: str) -> str:
    """The GB 32100-2015 check character of the first 17 characters."""
    total = sum(map(operator.mul, map(_CREDIT_VALUE.__getitem__, first17[:17]), CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code(raw: Any) -> str:
    """An 18-character unified social credit code, upper-case, with a valid check character."""
    if raw.__class__ in (float, int):
        raise _rounded_number_error()
    s = "".join((raw if raw.__class__ is str and raw.isascii() else _nfkc(_as_text(raw))).split()).upper()
    if _SCIENTIFIC.fullmatch(s):
        raise _rounded_number_error()
    if not _CREDIT_SHAPE.fullmatch(s):
        raise CellError(
            _(
                "expected an 18-character unified social credit code (digits and capital letters except I, O, S, V, Z)"
            )
        )
    if credit_check_character(s[:17]) != s[17]:
        raise CellError(
            _("not a valid unified social credit code: the check character does not match (a typo?)")
        )
    return s
