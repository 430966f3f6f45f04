"""The trainer's editor in the real app against the real backend over HTTP: a new article
written by keyboard and mouse with its live preview and the save indicator, submitted and
approved; two trainers changing the same article from the same base (the second one's edit
arrives stale: the conflict view shows base / mine / theirs, the lines that do not overlap
merged already, the overlapping ones left to settle; the approved result holds both changes);
the history's side-by-side diff and restore."""

from __future__ import annotations

import uuid as uuidlib
from typing import Any

from PySide6.QtCore import Qt

from agent_app.authoring.conflicts import marked_regions
from agent_app.shell.app import AppController
from common.authoring import ProposalContent, ProposalIn
from common.merge import has_markers
from sync.api_client import ApiClient
from tests.helpers.corpus import type_text

BASE_BODY = (
    "1. 核实客户身份\n2. 查询宽带账号状态\n3. 告知办理时限为两个工作日\n4. 复述：办理内容和时限\n"
)


def type_lines(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Chinese through input-method commits, each line ended with the Return key."""
    for line in text.split("\n"):
        type_text(widget, line)
        if line is not text.split("\n")[-1]:
            qtbot.keyClick(widget, Qt.Key.Key_Return)


def open_desk(qtbot, app: AppController):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: app.authoring is not None and app.authoring.editor is not None)
    desk = app.authoring
    assert desk is not None and desk.editor is not None
    return desk


def submitted(client: ApiClient, title: str) -> list[Any]:
    return [p for p in client.proposals(state="submitted") if p.content.title == title]


def published(client: ApiClient, article_uuid: str) -> Any:
    return client.proposals(article_uuid=article_uuid)


def approve_when_submitted(qtbot, manager: ApiClient, title: str) -> Any:  # type: ignore[no-untyped-def]
    found: list[Any] = []
    qtbot.waitUntil(lambda: bool(found.extend(submitted(manager, title)) or found), timeout=20_000)
    assert len(found) == 1
    return manager.approve_proposal(found[0].uuid)


def test_a_new_article_typed_previewed_saved_submitted_and_published(
    qtbot, backend, logged_in_app, api
) -> None:  # type: ignore[no-untyped-def]
    trainer = backend.new_user("trainer")
    manager = api(backend.url, backend.new_user("manager"))
    app = logged_in_app(backend.url, trainer)
    desk = open_desk(qtbot, app)
    assert desk.view.isVisible()  # the 知识编写 pane is in the window

    # 新建 ▸ 常见问题 (the menu's action; its button is a popup)
    [faq] = [a for a in desk.view.new_button.menu().actions() if a.objectName() == "new-faq"]
    faq.trigger()
    editor = desk.editor.window.editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.title_edit.isEnabled())
    assert "## 问题" in editor.body_edit.toPlainText()  # the FAQ template
    assert not editor.submit_button.isEnabled()  # no title yet
    assert "标题" in editor.problems_label.text()

    type_text(editor.title_edit, "宽带报装要带什么材料")
    editor.body_edit.selectAll()
    qtbot.keyClick(editor.body_edit, Qt.Key.Key_Delete)
    with qtbot.waitSignal(desk.editor.editor.preview_shown, timeout=5_000):
        type_lines(qtbot, editor.body_edit, "## 需要的材料\n- 身份证原件\n- 房产证明")
    qtbot.waitUntil(lambda: "房产证明" in editor.preview.toHtml(), timeout=5_000)
    assert "身份证原件" in editor.preview.toPlainText()
    assert "##" not in editor.preview.toPlainText()  # rendered, not shown as typed
    qtbot.waitUntil(lambda: editor.saved_label.text().startswith("已保存草稿"), timeout=5_000)
    [row] = [
        d for d in desk.store.for_user(trainer) if d.content["title"] == "宽带报装要带什么材料"
    ]
    assert "- 房产证明" in row.content["body"]

    # A contact point checked as typed, the message in Chinese.
    type_text(editor.contact_edit, "XX99")
    qtbot.waitUntil(lambda: "接触点" in editor.problems_label.text(), timeout=5_000)
    assert not editor.submit_button.isEnabled()
    editor.contact_edit.clear()
    type_text(editor.contact_edit, "AA1102")
    qtbot.waitUntil(lambda: editor.submit_button.isEnabled(), timeout=5_000)

    qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已提交" in editor.state_label.text(), timeout=5_000)
    assert not editor.title_edit.isEnabled()  # waiting for review: read-only
    window = desk.editor.window
    window.tabs.setCurrentWidget(window.history)  # the trainer looks at something else
    approved = approve_when_submitted(qtbot, manager, "宽带报装要带什么材料")
    assert approved.state == "published"
    assert approved.author_username == trainer
    # The next sync rounds bring the state back: the editor says so, where it is (the
    # trainer is not taken off the tab they are on).
    qtbot.waitUntil(lambda: "发布" in editor.state_label.text(), timeout=20_000)
    assert window.tabs.currentWidget() is window.history


def _propose(client: ApiClient, article_uuid: str, base: int | None, body: str) -> str:
    proposal = ProposalIn(
        uuid=str(uuidlib.uuid4()),
        article_uuid=article_uuid,
        base_version=base,
        content=ProposalContent(
            type="flow", title="宽带故障报修流程", body=body, contact_point="AA1102"
        ),
    )
    return client.submit_proposal(proposal).uuid


def test_two_trainers_from_the_same_base_conflict_view_then_both_changes_published(
    qtbot, backend, logged_in_app, api
) -> None:  # type: ignore[no-untyped-def]
    other = api(backend.url, backend.new_user("trainer"))
    manager = api(backend.url, backend.new_user("manager"))
    article_uuid = str(uuidlib.uuid4())
    manager.approve_proposal(_propose(other, article_uuid, None, BASE_BODY))

    trainer = backend.new_user("trainer")
    app = logged_in_app(backend.url, trainer)
    desk = open_desk(qtbot, app)
    # The published article reaches this workstation with the feed; the list finds it.
    desk.view.search.setText("宽带故障报修")
    qtbot.waitUntil(lambda: desk.view.select_uuid(article_uuid), timeout=20_000)
    qtbot.mouseClick(desk.view.edit_button, Qt.MouseButton.LeftButton)
    editor = desk.editor.window.editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.title_edit.isEnabled())
    assert editor.body_edit.toPlainText() == BASE_BODY

    # Meanwhile the other trainer changes step 1 and step 3, and it is published (version 2).
    theirs = BASE_BODY.replace("1. 核实客户身份", "1. 核实客户身份（服务密码）").replace(
        "两个工作日", "三个工作日"
    )
    manager.approve_proposal(_propose(other, article_uuid, 1, theirs))

    # This trainer, still on version 1, changes step 3 too (overlap) and adds a note at the end.
    text = editor.body_edit.toPlainText()
    mine = text.replace("两个工作日", "一个工作日") + "\n注意：偏远地区另行通知\n"
    editor.body_edit.selectAll()
    qtbot.keyClick(editor.body_edit, Qt.Key.Key_Delete)
    editor.body_edit.insertPlainText(mine)  # pasted
    qtbot.waitUntil(lambda: editor.submit_button.isEnabled(), timeout=5_000)
    qtbot.keyClick(editor.body_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    # It arrives stale: the server keeps it as a conflict; the next refresh opens the view.
    window = desk.editor.window
    conflict = window.conflict
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is conflict, timeout=30_000)
    assert conflict.base_edit.toPlainText() == BASE_BODY
    assert conflict.mine_edit.toPlainText() == mine
    assert conflict.theirs_edit.toPlainText() == theirs
    merged = conflict.merged()
    assert "核实客户身份（服务密码）" in merged  # theirs, not overlapping: merged already
    assert "偏远地区另行通知" in merged  # mine, not overlapping: merged already
    assert has_markers(merged) and len(marked_regions(merged)) == 1
    assert not conflict.resubmit_button.isEnabled()
    assert "1" in conflict.count_label.text()

    # Keyboard: Alt+Down to the conflict; mouse: keep both.
    conflict.merged_edit.setFocus()
    conflict.merged_edit.moveCursor(conflict.merged_edit.textCursor().MoveOperation.End)
    qtbot.keyClick(conflict.merged_edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    region = conflict.current_region()
    assert region is not None
    qtbot.mouseClick(conflict.both_button, Qt.MouseButton.LeftButton)
    assert not has_markers(conflict.merged())
    assert conflict.resubmit_button.isEnabled()
    qtbot.mouseClick(conflict.resubmit_button, Qt.MouseButton.LeftButton)

    result = approve_when_submitted(qtbot, manager, "宽带故障报修流程")
    assert result.state == "published" and result.base_version == 2
    body = manager.revisions(article_uuid)[-1].article.body
    assert "核实客户身份（服务密码）" in body  # the other trainer's change
    assert "偏远地区另行通知" in body  # this trainer's change
    assert "三个工作日" in body and "一个工作日" in body  # the overlap, both kept as settled

    # History: three versions, the newest compared with the one before it, then restored.
    window.show_tab(window.history)
    history = window.history
    with qtbot.waitSignal(desk.editor.history.loaded, timeout=10_000):
        desk.editor.show_history(article_uuid)
    assert history.table.rowCount() == 3
    assert history.table.item(0, 0).text() == "3"
    assert history.table.item(0, 2).text()  # who approved it
    assert "偏远地区另行通知" in history.right_text.toPlainText()
    assert "偏远地区另行通知" not in history.left_text.toPlainText()
    history.table.setFocus()
    qtbot.keyClick(history.table, Qt.Key.Key_Down)  # version 2 against version 1
    assert history.right_combo.currentData() == 2 and history.left_combo.currentData() == 1
    assert "服务密码" in history.right_text.toHtml()
    # Restore version 1: a new draft with its text, based on version 3.
    qtbot.waitUntil(lambda: history.table.currentRow() == 1)
    history.table.selectRow(2)
    qtbot.mouseClick(history.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is editor, timeout=5_000)
    qtbot.waitUntil(lambda: editor.body_edit.toPlainText() == BASE_BODY, timeout=5_000)
    draft = desk.editor.editor.draft
    assert draft is not None and draft.base_version == 3 and draft.state == "draft"


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def test_an_attachment_added_offline_is_uploaded_and_published_with_the_article(
    qtbot, backend, logged_in_app, api, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    trainer = backend.new_user("trainer")
    manager = api(backend.url, backend.new_user("manager"))
    app = logged_in_app(backend.url, trainer)
    desk = open_desk(qtbot, app)
    desk.editor.new_article("complaint_guide")
    editor = desk.editor.window.editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.title_edit.isEnabled())
    assert "## 升级条件" in editor.body_edit.toPlainText()  # the complaint guide's template
    type_text(editor.title_edit, "网点地图投诉处理")
    picture = tmp_path / "网点地图.png"
    picture.write_bytes(PNG)
    desk.editor.editor.add_attachment(picture)  # what the file dialog hands over
    qtbot.waitUntil(lambda: editor.attachment_list.count() == 1, timeout=5_000)
    assert "网点地图.png" in editor.attachment_list.item(0).text()
    # Sent to the server as soon as it is added (the client is online).
    sha = editor.content()["attachments"][0]["sha256"]
    qtbot.waitUntil(lambda: desk.store.pending_uploads(trainer) == [], timeout=10_000)
    assert manager.download_attachment(sha) == PNG
    qtbot.waitUntil(lambda: editor.submit_button.isEnabled(), timeout=5_000)
    editor.submit_button.click()
    approved = approve_when_submitted(qtbot, manager, "网点地图投诉处理")
    [attachment] = approved.content.attachments
    assert (attachment.sha256, attachment.name, attachment.mime) == (
        sha,
        "网点地图.png",
        "image/png",
    )
