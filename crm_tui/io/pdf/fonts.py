"""Chinese fonts for the PDF writer.

reportlab embeds TrueType outlines (``glyf``) only; fonts with CFF outlines (``.otf``, Noto/Source Han CJK,
even when named ``.ttf``/``.ttc``) make it fail, so they are skipped. The order of choice:

1. the template's ``font`` (and ``font_index`` for a ``.ttc`` collection),
2. the settings' ``[print] font`` / ``font_index``,
3. a known system font (WenQuanYi Micro Hei / Zen Hei, SimSun, SimHei, Microsoft YaHei, AR PL UMing …),
4. the font the package ships (``assets/fonts``: WenQuanYi Micro Hei cut down to GB2312, Apache-2.0), so a
   PDF shows Chinese on any machine and in any viewer.

A font is always embedded. The standard CID font STSong-Light (not embedded: the viewer must supply the
glyphs, and many draw boxes) is used only when a template or the settings name it. A font configured
explicitly that cannot be used is an error naming the setting; a system candidate that fails is passed
over. Registration is done once per process (parsing a 5 MB TTC takes ~80 ms).
"""

from __future__ import annotations

import os
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from crm_tui.core.errors import CrmError, ValidationError
from crm_tui.i18n import _

CID_FONT = "STSong-Light"
BUNDLED_FONT = "wqy-microhei-gb2312.ttf"  # made by tools/make_font_subset.py; LICENSE beside it

# (path, subfont index); first found and usable wins.
_LINUX = [
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
]
_WINDOWS_NAMES = [("simsun.ttc", 0), ("simhei.ttf", 0), ("msyh.ttc", 0), ("simkai.ttf", 0)]
_MAC = [
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
    ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
]
_USER_FONT_DIRS = ["~/.local/share/fonts", "~/.fonts"]
_USER_FONT_NAMES = ["wqy-microhei.ttc", "wqy-zenhei.ttc", "simsun.ttc", "simhei.ttf", "msyh.ttc"]


@dataclass(frozen=True)
class FontChoice:
    name: str  # the reportlab font name to draw with
    embedded: bool
    path: str = ""  # the font file, empty for the CID font
    index: int = 0
    origin: str = ""  # "template", "settings", "system", "bundled" or "cid", for messages and the README
    family: str = ""  # the font's own family name, e.g. WenQuanYi Micro Hei

    def describe(self) -> str:
        if not self.embedded:
            return _("{font} (standard CID font, not embedded)").format(font=self.name)
        return _("{path} (embedded TrueType, index {index})").format(path=self.path, index=self.index)

    def summary(self) -> str:
        """One line for the user: which font a PDF embeds and where it came from."""
        if not self.embedded:
            return self.describe()
        where = {"bundled": _("bundled subset"), "system": _("system font {path}"),
                 "settings": _("from the settings: {path}"), "template": _("from the template: {path}")}
        return f"{self.family or self.name} ({where.get(self.origin, '{path}').format(path=self.path)})"


_registered: dict[tuple[str, int], tuple[str, str]] = {}  # (path, index) -> (reportlab name, family)
_auto_choice: FontChoice | None = None


def system_candidates() -> list[tuple[str, int]]:
    found = list(_LINUX)
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR", r"C:\Windows")
        found = [(str(Path(windir) / "Fonts" / n), i) for n, i in _WINDOWS_NAMES]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            found += [(str(Path(local) / "Microsoft" / "Windows" / "Fonts" / n), i) for n, i in _WINDOWS_NAMES]
    elif sys.platform == "darwin":
        found = list(_MAC)
    for folder in _USER_FONT_DIRS:
        found += [(str(Path(folder).expanduser() / n), 0) for n in _USER_FONT_NAMES]
    return found


def outline_kind(path: str | Path, index: int = 0) -> str:
    """``truetype``, ``cff`` or ``unknown`` from the sfnt header (of subfont ``index`` in a collection)."""
    with open(path, "rb") as fh:
        head = fh.read(12)
        if head[:4] == b"ttcf":
            count = struct.unpack(">I", head[8:12])[0]
            if index >= count:
                return f"index {index} out of range (the collection has {count} fonts)"
            fh.seek(12 + 4 * index)
            fh.seek(struct.unpack(">I", fh.read(4))[0])
            head = fh.read(4)
    tag = head[:4]
    if tag == b"OTTO":
        return "cff"
    if tag in (b"\x00\x01\x00\x00", b"true"):
        return "truetype"
    return "unknown"


def bundled_font_path() -> Path:
    from importlib import resources

    return Path(str(resources.files("crm_tui") / "assets" / "fonts" / BUNDLED_FONT))


def register_truetype(path: str | Path, index: int = 0) -> str:
    """Register a TrueType font (once) and return its reportlab name; raises ValueError if unusable."""
    return _register(path, index)[0]


def _register(path: str | Path, index: int = 0) -> tuple[str, str]:
    """(reportlab name, family name) of a registered TrueType font; raises ValueError if unusable."""
    key = (str(path), index)
    if key in _registered:
        return _registered[key]
    if not Path(path).is_file():
        raise ValueError(_("file not found"))
    kind = outline_kind(path, index)
    if kind == "cff":
        raise ValueError(_("it has CFF (OpenType) outlines, which reportlab cannot embed; "
                           "use a TrueType font such as WenQuanYi Micro Hei or SimSun"))
    if kind != "truetype":
        raise ValueError(_("not a TrueType font ({kind})").format(kind=kind))
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    name = f"CJK-{Path(path).stem}-{index}"
    try:
        font = TTFont(name, str(path), subfontIndex=index)
    except (TTFError, OSError, struct.error) as exc:
        raise ValueError(str(exc)) from exc
    pdfmetrics.registerFont(font)
    # Paragraph markup may ask for bold/italic faces; a CJK font has none, so map them all to itself.
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    family = getattr(font.face, "familyName", b"") or b""
    _registered[key] = (name, family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family))
    return _registered[key]


def _truetype_choice(path: str, index: int, origin: str) -> FontChoice:
    name, family = _register(path, index)
    return FontChoice(name, True, path, index, origin, family)


def register_cid() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
        pdfmetrics.registerFontFamily(CID_FONT, normal=CID_FONT, bold=CID_FONT, italic=CID_FONT,
                                      boldItalic=CID_FONT)
    return CID_FONT


def _explicit(path: str, index: int, where: str, origin: str) -> FontChoice:
    if path.strip().upper() == CID_FONT.upper():
        return FontChoice(register_cid(), False, origin=origin)
    full = str(Path(path).expanduser())
    try:
        return _truetype_choice(full, index, origin)
    except ValueError as exc:
        raise ValidationError(_("{where}: cannot use the font {path}: {why}").format(
            where=where, path=full, why=exc), field="font") from exc


def choose_font(template_font: str = "", template_index: int = 0, template_source: str = "") -> FontChoice:
    """The font to print with (see the module doc for the order)."""
    if template_font:
        return _explicit(template_font, template_index, f"{template_source}: field font", "template")
    from crm_tui.config import get_settings

    section = get_settings().get("print", {})
    configured = str(section.get("font", "") or "")
    if configured:
        index = section.get("font_index", 0)
        return _explicit(configured, int(index or 0), "settings [print] font", "settings")
    return auto_font()


def auto_font() -> FontChoice:
    """The first usable system CJK TrueType font, else the bundled one; decided once per process."""
    global _auto_choice
    if _auto_choice is None:
        for path, index in system_candidates():
            if not os.path.isfile(path):
                continue
            try:
                _auto_choice = _truetype_choice(path, index, "system")
                break
            except ValueError:
                continue
        else:
            _auto_choice = bundled_font()
    return _auto_choice


def bundled_font() -> FontChoice:
    """The font the package ships; an installation without it cannot print Chinese, which is an error."""
    path = bundled_font_path()
    try:
        return _truetype_choice(str(path), 0, "bundled")
    except ValueError as exc:
        raise CrmError(_("No Chinese font to embed in the PDF: the bundled font {path} is unusable ({why}); "
                         "reinstall crm-tui or set [print] font.").format(path=path, why=exc)) from exc
