"""The admin's Teams dialog (layout only): the teams on the left (add, rename), every user on
the right with the team they are in, changed with the combo box in their row; below them the
center's policy on telling an agent that their call is monitored (one check box)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from common.roles import CALL_SUPERVISORS
from common.supervision import Team
from common.wire import UserInfo

ROLE_NAMES = {  # (zh_CN, en)
    "agent": ("座席代表", "Agent"),
    "team_leader": ("班长", "Team leader"),
    "supervisor": ("业务主管", "Supervisor"),
    "trainer": ("培训师", "Trainer"),
    "manager": ("呼叫中心经理", "Manager"),
    "admin": ("管理员", "Admin"),
}


class TeamsDialog(QDialog):
    create_requested = Signal(str)
    rename_requested = Signal(int, str)
    assign_requested = Signal(int, object)  # user id, team id or None
    refresh_requested = Signal()
    policy_requested = Signal(bool)  # show_monitored wanted (the box clicked by the user)

    def __init__(self, english: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.english = english
        self.setObjectName("teamsDialog")
        self.setWindowTitle(self.tr("Teams"))
        self.teams: list[Team] = []
        self.users: list[UserInfo] = []

        self.team_list = QListWidget()
        self.team_list.setObjectName("teamList")
        self.team_list.currentItemChanged.connect(self._team_chosen)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("teamName")
        self.name_edit.setPlaceholderText(self.tr("Team name"))
        self.name_edit.setMaxLength(64)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setObjectName("teamAdd")
        self.add_button.clicked.connect(lambda: self.create_requested.emit(self.name_edit.text()))
        self.rename_button = QPushButton(self.tr("Rename"))
        self.rename_button.setObjectName("teamRename")
        self.rename_button.clicked.connect(self._rename)
        left = QGridLayout()
        left.addWidget(QLabel(self.tr("Team list")), 0, 0, 1, 2)
        left.addWidget(self.team_list, 1, 0, 1, 2)
        left.addWidget(self.name_edit, 2, 0, 1, 2)
        left.addWidget(self.add_button, 3, 0)
        left.addWidget(self.rename_button, 3, 1)

        self.user_table = QTableWidget(0, 3)
        self.user_table.setObjectName("teamUsers")
        self.user_table.setHorizontalHeaderLabels(
            [self.tr("User"), self.tr("Role"), self.tr("Team")]
        )
        self.user_table.verticalHeader().hide()
        self.user_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.user_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.user_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        right = QVBoxLayout()
        self.users_label = QLabel(
            self.tr(
                "Who is in which team (agents, and the team leaders and supervisors who watch them)"
            )
        )
        self.users_label.setWordWrap(True)
        right.addWidget(self.users_label)
        right.addWidget(self.user_table, 1)

        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 5)
        # The center's policy (issue 14): `clicked` (the user's click only), so showing what
        # the server holds never sends it back.
        self.show_monitored_box = QCheckBox(
            self.tr("Tell agents when their call is being monitored (listen, whisper, barge)")
        )
        self.show_monitored_box.setObjectName("showMonitored")
        self.show_monitored_box.clicked.connect(
            lambda: self.policy_requested.emit(self.show_monitored_box.isChecked())
        )
        self.notice = QLabel()
        self.notice.setObjectName("teamsNotice")
        self.notice.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.refresh_button = buttons.addButton(
            self.tr("Refresh"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.refresh_button.clicked.connect(self.refresh_requested.emit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.show_monitored_box)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)
        self.resize(760, 460)

    def _team_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.name_edit.setText(item.text())

    def _rename(self) -> None:
        team_id = self.current_team_id()
        if team_id is not None:
            self.rename_requested.emit(team_id, self.name_edit.text())

    def current_team_id(self) -> int | None:
        item = self.team_list.currentItem()
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return int(data) if isinstance(data, int) else None

    def select_team(self, name: str) -> None:
        for row in range(self.team_list.count()):
            item = self.team_list.item(row)
            if item is not None and item.text() == name:
                self.team_list.setCurrentItem(item)

    def show_teams(self, teams: list[Team], users: list[UserInfo]) -> None:
        chosen = self.current_team_id()
        self.teams, self.users = teams, users
        self.team_list.clear()
        for team in teams:
            item = QListWidgetItem(team.name)
            item.setData(Qt.ItemDataRole.UserRole, team.id)
            self.team_list.addItem(item)
            if team.id == chosen:
                self.team_list.setCurrentItem(item)
        member_of = {m.id: t.id for t in teams for m in t.members}
        # The people a team is for first (agents, then who watches them), the rest after.
        order = {"agent": 0, **{r: 1 for r in CALL_SUPERVISORS}}
        shown = sorted(
            (u for u in users if not u.disabled),
            key=lambda u: (order.get(u.role, 2), u.username),
        )
        self.user_table.setRowCount(len(shown))
        for row, user in enumerate(shown):
            name = (
                f"{user.display_name} ({user.username})"
                if user.display_name and user.display_name != user.username
                else user.username
            )
            self.user_table.setItem(row, 0, QTableWidgetItem(name))
            names = ROLE_NAMES.get(user.role)
            role = (names[1] if self.english else names[0]) if names else user.role
            self.user_table.setItem(row, 1, QTableWidgetItem(role))
            box = QComboBox()
            box.setObjectName(f"team_of_{user.username}")
            box.addItem(self.tr("(no team)"), None)
            for team in teams:
                box.addItem(team.name, team.id)
            box.setCurrentIndex(max(0, box.findData(member_of.get(user.id))))
            box.currentIndexChanged.connect(
                lambda _i, b=box, uid=user.id: self.assign_requested.emit(uid, b.currentData())
            )
            self.user_table.setCellWidget(row, 2, box)

    def show_policy(self, show_monitored: bool) -> None:
        self.show_monitored_box.setChecked(show_monitored)

    def set_busy(self, busy: bool) -> None:
        for widget in (
            self.add_button,
            self.rename_button,
            self.refresh_button,
            self.user_table,
            self.show_monitored_box,
        ):
            widget.setEnabled(not busy)

    def show_notice(self, text: str, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet("color: #a00000;" if error else "")
