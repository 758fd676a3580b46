"""kill -9 in the middle of a batch: nothing is sent twice, and the rest goes out after the crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from crm_tui.db.base import utcnow
from crm_tui.db.models.messaging import OutboxMessage
from crm_tui.db.session import read_session, transaction
from crm_tui.services.customers import contacts, records
from crm_tui.services.messaging import outbox, sending, templates

WORKER = Path(__file__).with_name("outbox_kill_worker.py")


def test_no_duplicates_after_sigkill_mid_batch(engine, db_url, admin, crm_home, smtp_server, smtp_settings):
    n = 8
    with transaction(engine, admin) as s:
        templates.add_template(s, admin, "年终问候", "email", "{联系人}，感谢{客户名称}一年的支持！", subject="年终问候")
        codes = []
        for i in range(n):
            cid = records.create_customer(s, admin, name=f"测试客户{i:02d}")
            contacts.add_contact(s, admin, cid, name=f"联系人{i}", email=f"c{i}@example.com")
            codes.append(f"K{cid:05d}")
        sending.send(s, admin, "年终问候", customer_codes=codes)
    smtp_server.start()

    env = {**os.environ, "CRM_HOME": str(crm_home), "PYTHONPATH": str(Path(__file__).parents[2])}
    proc = subprocess.run([sys.executable, str(WORKER), db_url, "3"], env=env, capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()

    with read_session(engine) as s:
        states = Counter(s.scalars(select(OutboxMessage.status)))
    assert states == {"sent": 2, "sending": 1, "queued": n - 3}  # killed after the 3rd was accepted, before marking

    # Still inside the lease, the interrupted message is left alone; the others go out.
    report = outbox.deliver_pending(engine)
    assert report.sent == n - 3 and report.uncertain == 0
    # Past the lease it becomes uncertain, and is not resent.
    later = utcnow() + timedelta(hours=1)
    assert outbox.deliver_pending(engine, now=later).uncertain == 1
    assert outbox.deliver_pending(engine, now=later + timedelta(hours=1)).sent == 0

    ids = [m["Message-ID"] for _rcpt, m in smtp_server.mailbox.messages]
    assert len(ids) == n and len(set(ids)) == n  # every recipient exactly once
    assert sorted(r[0] for r, _m in smtp_server.mailbox.messages) == sorted(f"c{i}@example.com" for i in range(n))
    with read_session(engine) as s:
        states = Counter(s.scalars(select(OutboxMessage.status)))
        uncertain = s.scalar(select(OutboxMessage.message_id).where(OutboxMessage.status == "uncertain"))
    assert states == {"sent": n - 1, "uncertain": 1}
    assert uncertain in ids  # the uncertain one did arrive: a person checking by Message-ID finds it
