"""Offline and crash-safe authoring (issue 13): a trainer edits with the server stopped, the
client is killed (kill -9) mid-typing, restarted, and the draft submitted: the proposal arrives
exactly once at the real server and the draft's text is intact.

The client is a child process running the real store and outbox code (agent_app/shell/
local_data.py), saving as the editor does: one transaction per pause in typing."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from agent_app.authoring.drafts import OUTBOX_KIND, fetch_states
from agent_app.shell.local_data import LocalData
from common.demo_accounts import DEMO_PASSWORD
from sync.api_client import ApiClient, OfflineError
from sync.state import SyncKey
from sync.worker import SyncWorker
from tests.helpers.backend import TestBackend

REPO_ROOT = Path(__file__).resolve().parents[3]
TITLE = "断网时写的宽带资费说明"

TYPING_CLIENT = """
import sys
from pathlib import Path
from agent_app.shell.local_data import LocalData
data = LocalData(Path(sys.argv[1]))
store, owner = data.authoring, sys.argv[2]
draft = store.new_draft(owner, {"type": "faq", "title": sys.argv[3], "body": ""})
print("draft", draft.uuid, flush=True)
body = ""
i = 0
while True:
    body += f"第{i}行：离线时写下的资费说明\\n"
    store.save(draft.uuid, owner, {"type": "faq", "title": sys.argv[3], "body": body})
    print("saved", i, flush=True)  # after the commit: this text must survive
    i += 1
"""


def body_upto(n: int) -> str:
    return "".join(f"第{i}行：离线时写下的资费说明\n" for i in range(n + 1))


def test_kill_9_while_editing_offline_then_submit_arrives_exactly_once(tmp_path: Path) -> None:
    server_dir = tmp_path / "server"
    server_dir.mkdir()
    backend = TestBackend(server_dir)
    url = backend.start()
    trainer = backend.new_user("trainer")
    manager = backend.new_user("manager")
    backend.stop()  # from here on the trainer works offline

    folder = tmp_path / "laptop"
    child = subprocess.Popen(
        [sys.executable, "-c", TYPING_CLIENT, str(folder), trainer, TITLE],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    wanted = random.Random(13).randrange(40, 200)
    last = -1
    draft_uuid = ""
    try:
        assert child.stdout is not None
        for line in child.stdout:
            kind, value = line.split()
            if kind == "draft":
                draft_uuid = value
                continue
            last = int(value)
            if last >= wanted:
                break
    finally:
        child.kill()  # SIGKILL: no cleanup, no flush, mid-save
        child.wait(30)
        assert child.stdout is not None
        # What it printed before it died: each line came after a committed save.
        for line in child.stdout:
            if line.startswith("saved "):
                last = max(last, int(line.split()[1]))
        child.stdout.close()

    # Restarted: the draft holds every save that committed (perhaps the one in flight too),
    # whole: never a torn text.
    data = LocalData(folder)
    try:
        draft = data.authoring.get(draft_uuid, trainer)
        assert draft is not None and draft.state == "draft"
        body = draft.content["body"]
        assert body in (body_upto(last), body_upto(last + 1))
        assert data.authoring.for_user(manager) == []  # another user sees none of it

        proposal = data.authoring.submit(draft_uuid, trainer, note="离线编写")
        assert data.outbox.count() == 1
        # Still offline: the push fails and the proposal waits.
        offline = ApiClient(url)
        try:
            try:
                offline.login(trainer, DEMO_PASSWORD)
                raise AssertionError("the server should be down")
            except OfflineError:
                pass
        finally:
            offline.close()
    finally:
        data.close()

    # The client closes with the proposal unsent; the server comes back (same database).
    back = TestBackend(server_dir)
    back_url = back.start()
    data = LocalData(folder)
    client = ApiClient(back_url)
    boss = ApiClient(back_url)
    try:
        client.login(trainer, DEMO_PASSWORD)
        worker = SyncWorker(data.database, data.registry, client, SyncKey(back_url, trainer))
        assert worker.push_pending() == 1
        assert data.outbox.count() == 0
        # An acknowledgement lost on the way (the client crashed before writing it): sent again.
        data.database.execute("UPDATE outbox SET sent_at = NULL WHERE kind = ?", [OUTBOX_KIND])
        worker.push_pending()
        boss.login(manager, DEMO_PASSWORD)
        arrived = [p for p in boss.proposals(state="submitted") if p.content.title == TITLE]
        assert [p.uuid for p in arrived] == [proposal]  # exactly once
        assert arrived[0].content.body == body  # the text as it was typed
        assert arrived[0].note == "离线编写" and arrived[0].author_username == trainer
        # The trainer's draft hears the server's answer with the next refresh.
        boss.reject_proposal(proposal, "请补充资费的生效时间")
        assert data.authoring.refresh(client, trainer) == 1
        rejected = data.authoring.get(draft_uuid, trainer)
        assert rejected is not None and rejected.state == "rejected"
        assert rejected.comment == "请补充资费的生效时间"
    finally:
        client.close()
        boss.close()
        data.close()
        back.stop()


def test_states_of_proposals_still_in_the_outbox_are_skipped(tmp_path: Path, backend, api) -> None:  # type: ignore[no-untyped-def]
    """A refresh asks about every proposal that waits: one the server has answers, one still
    queued here (a 404 there) is simply not news yet."""
    trainer = backend.new_user("trainer")
    client = api(backend.url, trainer)
    data = LocalData(tmp_path / "laptop")
    try:
        store = data.authoring
        sent = store.submit(
            store.new_draft(trainer, {"type": "faq", "title": "已发送", "body": "a"}).uuid, trainer
        )
        queued = store.submit(
            store.new_draft(trainer, {"type": "faq", "title": "未发送", "body": "b"}).uuid, trainer
        )
        worker = SyncWorker(data.database, data.registry, client, SyncKey(backend.url, trainer))
        data.database.execute("UPDATE outbox SET sent_at = 'held' WHERE uuid = ?", [queued])
        assert worker.push_pending() == 1
        states = fetch_states(client, [sent, queued])
        assert [(s["uuid"], s["state"]) for s in states] == [(sent, "submitted")]
        api(backend.url, backend.new_user("manager")).reject_proposal(sent, "太简单")
        assert store.refresh(client, trainer) == 1
        assert store.waiting(trainer) == [queued]
    finally:
        data.close()
