"""Run by test_messaging_crash as a separate process: deliver the outbox over the real SMTP channel, and kill
this process with SIGKILL right after the server accepted message number KILL_AFTER, before it is marked sent."""

from __future__ import annotations

import os
import signal
import sys


def main(url: str, kill_after: int) -> None:
    from crm_tui.db.engine import make_engine
    from crm_tui.db.session import read_session
    from crm_tui.services.messaging import channels, outbox

    engine = make_engine(url)
    with read_session(engine) as s:
        chans = channels.from_settings(s)
    real_send = chans["email"].send
    sent = [0]

    def send_then_die(msg):
        real_send(msg)
        sent[0] += 1
        if sent[0] == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)

    chans["email"].send = send_then_die
    outbox.deliver_pending(engine, chans)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
