"""The supervisors' board as the desktop holds it (Qt-free): the rows the server pushed, how long
each state and call has lasted NOW (ticked locally from when each row arrived, so nothing is
polled), the filters, the summary by state and the thresholds that flag a long call or a long
未就绪. The widgets (qt/board.py, views/board.py) show what this computes."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from common.supervision import Board, BoardEvent, BoardRow, Team

# What the board shows for a seat: its reported state, or one of these.
ON_CALL = "on_call"  # a live call, whatever state the machine is in (ready, not ready, ...)
LOST = "lost"  # the seat stopped reporting
NEVER = "never"  # no report since it was made
SHOWN_STATES = (ON_CALL, "ready", "not_ready", "after_call_work", "break", "offline", LOST)
STATE_NAMES = {  # (zh_CN, en)
    ON_CALL: ("通话中", "On a call"),
    "ready": ("就绪", "Ready"),
    "not_ready": ("未就绪", "Not ready"),
    "after_call_work": ("话后处理", "Wrap-up"),
    "break": ("小休", "Break"),
    "offline": ("离线", "Offline"),
    LOST: ("失联", "Lost"),
    NEVER: ("未上报", "No report"),
}


def state_name(state: str, english: bool) -> str:
    names = STATE_NAMES.get(state)
    return (names[1] if english else names[0]) if names else state


def shown_state(row: BoardRow) -> str:
    """The one state a row is shown (and filtered and counted) as."""
    if row.presence == "lost":
        return LOST
    if row.presence == "never" or not row.state:
        return NEVER
    if row.call is not None and row.state != "offline":
        return ON_CALL
    return row.state


def duration_text(seconds: float | None) -> str:
    """1:05, 12:30, 1:02:03; '' for nothing."""
    if seconds is None:
        return ""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass
class Thresholds:
    long_call_s: float = 600.0
    long_not_ready_s: float = 900.0


@dataclass
class BoardFilter:
    team_id: int | None = None  # None: every team
    state: str = ""  # one of SHOWN_STATES, '' for all
    text: str = ""  # in the agent's name, user name, number, queue or campaign

    def matches(self, row: BoardRow) -> bool:
        if self.team_id is not None and row.team_id != self.team_id:
            return False
        if self.state and shown_state(row) != self.state:
            return False
        needle = self.text.strip().casefold()
        if needle:
            call = row.call
            haystack = [row.agent, row.display_name, row.team, row.reason]
            if call is not None:
                haystack += [call.number, call.queue, call.campaign]
            if not any(needle in (h or "").casefold() for h in haystack):
                return False
        return True


@dataclass
class LiveRow:
    """A row as last pushed, with the moment (local, monotonic) it arrived."""

    row: BoardRow
    received: float

    def state_seconds(self, now: float) -> float | None:
        if self.row.state_since is None and not self.row.state_seconds:
            return None
        return self.row.state_seconds + max(0.0, now - self.received)

    def call_seconds(self, now: float) -> float | None:
        call = self.row.call
        if call is None:
            return None
        return call.duration_s + max(0.0, now - self.received)


@dataclass
class BoardModel:
    """Rows by agent id, in the order of the server's board (teams, then agents)."""

    thresholds: Thresholds = field(default_factory=Thresholds)
    clock: Callable[[], float] = time.monotonic
    rows: dict[int, LiveRow] = field(default_factory=dict)
    teams: list[Team] = field(default_factory=list)
    server_at: str = ""

    def load(self, board: Board) -> None:
        now = self.clock()
        self.teams = list(board.teams)
        self.server_at = board.at
        self.rows = {r.agent_id: LiveRow(r, now) for r in board.agents}

    def update(self, row: BoardRow) -> bool:
        """One changed row; True when it is new to the board (the table grows)."""
        new = row.agent_id not in self.rows
        self.rows[row.agent_id] = LiveRow(row, self.clock())
        if new and row.team_id is not None and all(t.id != row.team_id for t in self.teams):
            self.teams.append(Team(id=row.team_id, name=row.team))
        return new

    def apply(self, event: BoardEvent) -> int | None:
        """An event of the stream: the whole board (None) or one row (its agent id)."""
        if event.kind == "board" and event.board is not None:
            self.load(event.board)
            return None
        if event.kind == "seat" and event.seat is not None:
            self.update(event.seat)
            return event.seat.agent_id
        return None

    def ordered(self) -> list[LiveRow]:
        """Grouped by team (by name, agents without a team last), then by agent."""
        return sorted(
            self.rows.values(),
            key=lambda r: (r.row.team_id is None, r.row.team, r.row.display_name or r.row.agent),
        )

    def summary(self, rows: Iterable[LiveRow] | None = None) -> Counter[str]:
        """How many seats are in each shown state."""
        chosen = self.rows.values() if rows is None else rows
        return Counter(shown_state(r.row) for r in chosen)

    def flags(self, live: LiveRow, now: float | None = None) -> set[str]:
        """'long_call' and/or 'long_not_ready' when a threshold is passed."""
        moment = self.clock() if now is None else now
        found: set[str] = set()
        state = shown_state(live.row)
        call_s = live.call_seconds(moment)
        if state == ON_CALL and call_s is not None and call_s >= self.thresholds.long_call_s:
            found.add("long_call")
        state_s = live.state_seconds(moment)
        if (
            state == "not_ready"
            and state_s is not None
            and state_s >= self.thresholds.long_not_ready_s
        ):
            found.add("long_not_ready")
        return found
