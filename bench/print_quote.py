"""One 30-line quote as PDF: cold (fresh process: imports + font set-up + render) and warm, for both fonts.

    PYTHONPATH=. python bench/print_quote.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import os, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {here!r})
from print_samples import document
from crm_tui.io.pdf.fonts import choose_font
from crm_tui.io.pdf.render import render_pdf
from crm_tui.io.templates import template_for
t_import = time.perf_counter()
tpl = template_for("quote")
tpl.font = {font!r}
font = choose_font(tpl.font, 0, tpl.source)
t_font = time.perf_counter()
doc = document("quote", 30)
pdf = render_pdf(doc, tpl, font=font)
t_first = time.perf_counter()
warm = []
for _ in range(20):
    s = time.perf_counter()
    render_pdf(document("quote", 30), tpl, font=font)
    warm.append(time.perf_counter() - s)
warm.sort()
print(f"{{(t_import - t0) * 1000:.0f}} {{(t_font - t_import) * 1000:.0f}} {{(t_first - t_font) * 1000:.0f}} "
      f"{{warm[len(warm) // 2] * 1000:.1f}} {{len(pdf)}} {{font.embedded}}")
"""


def run(font: str) -> list[str]:
    env = dict(os.environ, CRM_HOME=tempfile.mkdtemp(prefix="crm-bench-"))
    env["PYTHONPATH"] = str(HERE.parent) + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, "-c", CHILD.format(here=str(HERE), font=font)], env=env,
                         capture_output=True, text=True, check=True)
    return out.stdout.split()


def main() -> None:
    from crm_tui.io.pdf.fonts import system_candidates

    fonts = [("STSong-Light (CID, not embedded)", "STSong-Light")]
    for path, _index in system_candidates():
        if os.path.isfile(path):
            fonts.insert(0, (f"{Path(path).name} (embedded TrueType)", path))
            break
    print("30-line quote PDF, one fresh process per font")
    print(f"{'font':40} {'imports':>8} {'font set-up':>12} {'1st PDF':>8} {'cold total':>11} {'warm PDF':>9} {'size':>8}")
    for label, font in fonts:
        imp, setup, first, warm, size, _embedded = run(font)
        cold = int(setup) + int(first)
        print(f"{label:40} {imp:>6} ms {setup:>9} ms {first:>5} ms {cold:>5} ms (+imports) {warm:>6} ms "
              f"{int(size) // 1024:>5} KB")
    print("cold total = font set-up + first document (the aim: < 100 ms); imports are paid once per process.")


if __name__ == "__main__":
    main()
