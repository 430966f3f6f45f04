"""Moving an entry of the center's lists (agent_app/admin/center_codes.py): the list is
renumbered 0, 1, 2, ... and only the orders that change are sent; business lines stay on their
side of the built-in ones, which the server always lists first."""

from __future__ import annotations

from agent_app.admin.center_codes import Entry, moved


def entries(*specs: tuple[str, int, bool]) -> list[Entry]:
    return [
        Entry(code, code, code, sort_order=order, builtin=builtin) for code, order, builtin in specs
    ]


def test_a_move_renumbers_and_sends_only_what_changes() -> None:
    listed = entries(("a", 0, True), ("b", 1, True), ("c", 2, False), ("d", 3, False))
    assert moved(listed, "d", -1) == [("d", 2), ("c", 3)]
    assert moved(listed, "a", -1) == [] and moved(listed, "d", 1) == []
    # Orders that were never numbered (equal, or with gaps) come out as 0, 1, 2, ...
    uneven = entries(("a", 5, False), ("b", 5, False), ("c", 9, False))
    assert moved(uneven, "c", -1) == [("a", 0), ("c", 1), ("b", 2)]


def test_business_lines_stay_on_their_side_of_the_built_in_ones() -> None:
    listed = entries(("a", 0, True), ("b", 1, True), ("c", 2, False), ("d", 3, False))
    assert moved(listed, "c", -1, grouped=True) == []
    assert moved(listed, "b", 1, grouped=True) == []
    assert moved(listed, "d", -1, grouped=True) == [("d", 2), ("c", 3)]
    assert moved(listed, "c", -1) == [("c", 1), ("b", 2)], "other lists mix freely"
