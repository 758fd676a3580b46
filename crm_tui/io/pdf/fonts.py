"""Chinese fonts for the PDF writer.

reportlab embeds TrueType outlines (``glyf``) only; fonts with CFF outlines (``.otf``, Noto/Source Han CJK,
even when named ``.ttf``/``.ttc``) make it fail, so they are skipped. The order of choice:

1. the template's ``font`` (and ``font_index`` for a ``.ttc`` collection),
2. the settings' ``[print] font`` / ``font_index``,
3. a known system font (WenQuanYi Micro Hei / Zen Hei, SimSun, SimHei, Microsoft YaHei, AR PL UMing …),
4. reportlab's standard CID font STSong-Light, which is not embedded: the PDF viewer supplies the glyphs
   (Adobe Reader, poppler and most viewers do; the text stays extractable).

A font configured explicitly that cannot be used is an error naming the setting; a system candidate that
fails is passed over. Registration is done once per process (parsing a 5 MB TTC takes ~80 ms).
"""

from __future__ import annotations

import os
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from crm_tui.core.errors import ValidationError
from crm_tui.i18n import _

CID_FONT = "STSong-Light"

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
    origin: str = ""  # "template", "settings", "system" or "cid", for messages and the README

    def describe(self) -> str:
        if not self.embedded:
            return _("{font} (standard CID font, not embedded)").format(font=self.name)
        return _("{path} (embedded TrueType, index {index})").format(path=self.path, index=self.index)


_registered: dict[tuple[str, int], str] = {}
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


def register_truetype(path: str | Path, index: int = 0) -> str:
    """Register a TrueType font (once) and return its reportlab name; raises ValueError if unusable."""
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
    _registered[key] = name
    return name


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
        return FontChoice(register_truetype(full, index), True, full, index, origin)
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
    """The first usable system CJK TrueType font, else the CID font; decided once per process."""
    global _auto_choice
    if _auto_choice is None:
        _auto_choice = FontChoice(register_cid(), False, origin="cid")
        for path, index in system_candidates():
            if not os.path.isfile(path):
                continue
            try:
                _auto_choice = FontChoice(register_truetype(path, index), True, path, index, "system")
                break
            except ValueError:
                continue
    return _auto_choice
