"""A real django-q2 worker process delivers the outbox (not the in-line mode the other tests use)."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_real_worker_sends_queued_mail(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "manyi.settings",
        "SQLITE_PATH": str(tmp_path / "worker.sqlite3"),
        "MANYI_VAR_DIR": str(tmp_path),
        "EMAIL_URL": f"file://{tmp_path / 'mail'}",
        "Q_SYNC": "0",
        "Q_WORKERS": "1",
    }
    for key in ("DATABASE_URL", "REDIS_URL"):
        env.pop(key, None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=120)
    subprocess.run(
        [
            *manage,
            "shell",
            "-v0",
            "-c",
            "from django.db import transaction\n"
            "from manyi.common.services import hold_message\n"
            "with transaction.atomic():\n"
            "    hold_message(to='worker@example.cn', subject='队列测试', body_text='由任务进程发送')\n",
        ],
        env=env,
        check=True,
        timeout=60,
    )
    worker = subprocess.Popen(
        [*manage, "qcluster"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        status = ""
        for _ in range(60):
            time.sleep(1)
            with sqlite3.connect(env["SQLITE_PATH"]) as db:
                status = db.execute("select status from common_outboxmessage").fetchone()[0]
            if status == "sent":
                break
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert status == "sent"
    sent = list((tmp_path / "mail").glob("*.log"))
    assert sent
    assert "由任务进程发送" in sent[0].read_text(encoding="utf-8")
