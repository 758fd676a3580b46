"""Start-up time: process start to the first drawn screen (the login screen), headless and in a real terminal.

    python bench/startup.py [--runs 7] [--db URL]

Headless: `crm` runs with CRM_STARTUP_PROBE=FILE; when the login (or setup) screen has been drawn it writes the
time into FILE and exits; the figure is that time less the launch time. Terminal: tmux runs `crm` in a 120x36 window and the screen is
polled every 10 ms until the login card shows; the figure is the time from launch until then.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRM = [sys.executable, "-m", "crm_tui"]


def prepare(home: Path, db: str | None) -> dict:
    env = dict(os.environ, CRM_HOME=str(home), CRM_PASSWORD="bench-pass", LANG="zh_CN.UTF-8",
               TEXTUAL_DISABLE_KITTY_KEY="1")
    env.pop("CRM_USER", None)
    if db:
        env["CRM_DATABASE_URL"] = db
    if not (home / "data" / "crm.db").exists() and not db:
        subprocess.run([*CRM, "demo"], env=env, check=True, capture_output=True)
    env.pop("CRM_PASSWORD")
    return env


def headless(env: dict) -> float:
    probe = Path(tempfile.mkdtemp()) / "drawn"
    start = time.time()
    subprocess.run([*CRM], env=dict(env, CRM_STARTUP_PROBE=str(probe), TERM="xterm-256color"), check=True,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=60)
    return float(probe.read_text()) - start


def in_tmux(env: dict, marker: str) -> float:
    session = f"crmbench{os.getpid()}"
    exports = " ".join(f"{k}={v!r}" for k, v in env.items() if k.startswith(("CRM_", "LANG", "TEXTUAL")))
    cmd = f"cd {ROOT} && env {exports} {' '.join(CRM)}"
    start = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "36", cmd], check=True)
    try:
        while time.perf_counter() - start < 30:
            out = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
            if marker in out:
                return time.perf_counter() - start
            time.sleep(0.01)
        raise RuntimeError("the login screen never appeared")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", help="database URL (default: a demo SQLite database in a temp CRM_HOME)")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="crm-bench-"))
    try:
        env = prepare(home, args.db)
        headless(env)  # warm the file cache and byte-code
        hl = [headless(env) for _ in range(args.runs)]
        print(f"headless, process start to login screen drawn: median {statistics.median(hl) * 1000:.0f} ms "
              f"(min {min(hl) * 1000:.0f}, max {max(hl) * 1000:.0f}, {args.runs} runs)")
        if shutil.which("tmux"):
            tt = [in_tmux(env, "登录") for _ in range(args.runs)]
            print(f"tmux 120x36, launch to login screen visible: median {statistics.median(tt) * 1000:.0f} ms "
                  f"(min {min(tt) * 1000:.0f}, max {max(tt) * 1000:.0f}, {args.runs} runs)")
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
