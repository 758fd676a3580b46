"""Build the CJK font the package ships for PDFs on machines without one: WenQuanYi Micro Hei (Apache-2.0),
cut down to GB2312 (6,763 hanzi and its symbols), ASCII, fullwidth forms and the symbols documents use.

A build-time tool (needs ``pip install fonttools``), not a runtime dependency. Rerun it after changing the
character set; the result is committed:

    python tools/make_font_subset.py [/usr/share/fonts/truetype/wqy/wqy-microhei.ttc]

The source is ``apt-get install fonts-wqy-microhei``. reportlab embeds TrueType (glyf) outlines only, which
this font has; hinting is dropped (PDF viewers do not use it) to keep the file small.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
TARGET = Path(__file__).resolve().parent.parent / "crm_tui" / "assets" / "fonts" / "wqy-microhei-gb2312.ttf"

# Beyond GB2312: what invoices, quotes and statements print (currency, units, dashes, quotes, marks).
EXTRA = "\u00a0\u3000¥￥€£©®™°±×÷·•…‰‘’“”—–―№℃µ²³½¼¾←↑→↓√∞≤≥≠≈【】〔〕《》〈〉「」『』、。·〇"


def gb2312_chars() -> set[str]:
    """Every character of GB2312: rows 0xA1–0xF7, cells 0xA1–0xFE, as Python's codec decodes them."""
    found = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                found.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def wanted() -> set[int]:
    chars = gb2312_chars() | {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    return {ord(c) for c in chars | set(EXTRA)}


def build(source: str = SOURCE, target: Path = TARGET) -> tuple[int, int]:
    """Write the subset; (characters kept, bytes written)."""
    font = TTCollection(source).fonts[0]  # 0: WenQuanYi Micro Hei (1 is its monospaced twin)
    codes = wanted() & set(font.getBestCmap())
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = []  # no GSUB/GPOS: reportlab draws glyph by glyph
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep copyright and licence in the file
    options.notdef_outline = True
    options.recalc_bounds = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return len(codes), target.stat().st_size


if __name__ == "__main__":
    kept, size = build(*(sys.argv[1:2] or [SOURCE]))
    missing = wanted() - set(TTCollection(sys.argv[1] if len(sys.argv) > 1 else SOURCE).fonts[0].getBestCmap())
    print(f"{TARGET}: {kept} characters, {size / 1e6:.2f} MB; not in the source font: "
          f"{' '.join(chr(c) for c in sorted(missing)) or 'none'}")
