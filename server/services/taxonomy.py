"""The center's taxonomies: business lines and the other code lists (article categories,
wrap-up categories, not-ready reasons, outbound outcomes), managed by an admin or the manager
and synced to every client through the changes feed; and the checks an article's business
line and category pass.

Nothing is ever deleted: articles, questions and call records keep their codes, so a line or a
code is deactivated instead and clients stop offering it while still naming it.

Categories: articles carried free-text category paths before the center managed them. A path an
article is saved with that the list lacks is added to it (active), so the list stays complete
without blocking a trainer; a deactivated category is refused for articles that did not have it
(as a deactivated line is). Paths that older articles use and nobody has registered yet are
listed too (never written by a read): changing one registers it first.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from common import center_codes as kinds
from server.core.identity import CurrentUser
from server.core.security import stamp
from server.schemas import (
    AnyCodeIn,
    AnyCodePatch,
    BusinessLineIn,
    BusinessLineOut,
    BusinessLinePatch,
    CenterCodeOut,
)
from server.services.changes_feed import append_change
from server.services.errors import Conflict, Invalid, NotFound
from server.tables import articles, business_lines, center_codes

# The feed kind every client applies into its local mirror of the lines.
FEED_KIND = "business_line"


def _out(row: Any) -> BusinessLineOut:
    return BusinessLineOut(
        code=row.code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        active=bool(row.active),
        sort_order=int(row.sort_order),
        builtin=bool(row.builtin),
        updated_at=row.updated_at,
    )


def all_lines(conn: Connection) -> list[BusinessLineOut]:
    """Every line, the built-in ones first, then by sort order and code."""
    rows = conn.execute(
        sa.select(business_lines).order_by(
            business_lines.c.builtin.desc(), business_lines.c.sort_order, business_lines.c.code
        )
    ).all()
    return [_out(r) for r in rows]


def categories_in_use(conn: Connection) -> list[str]:
    """The distinct category paths of published articles (free text on each article)."""
    rows = conn.execute(
        sa.select(articles.c.category)
        .distinct()
        .where(articles.c.status == "published")
        .where(articles.c.category != "")
        .order_by(articles.c.category)
    ).all()
    return [r[0] for r in rows]


def get_line(conn: Connection, code: str) -> BusinessLineOut:
    row = conn.execute(sa.select(business_lines).where(business_lines.c.code == code)).first()
    if row is None:
        raise NotFound("no such business line / 业务线不存在")
    return _out(row)


def _publish(conn: Connection, line: BusinessLineOut) -> None:
    append_change(conn, FEED_KIND, line.code, line.model_dump())


def create_line(conn: Connection, body: BusinessLineIn, user: CurrentUser) -> BusinessLineOut:
    """Add a line (call in a write opened with appends_changes=True). A code or Chinese name
    another line has already is refused (409): the importer resolves a name to one line."""
    clash = conn.execute(
        sa.select(business_lines.c.code).where(
            sa.or_(business_lines.c.code == body.code, business_lines.c.name_zh == body.name_zh)
        )
    ).first()
    if clash is not None:
        raise Conflict("business line exists / 业务线已存在")
    order = body.sort_order
    if order is None:  # after every line so far
        order = int(conn.execute(sa.select(sa.func.max(business_lines.c.sort_order))).scalar() or 0)
        order += 1
    conn.execute(
        business_lines.insert().values(
            code=body.code,
            name_zh=body.name_zh,
            name_en=body.name_en or body.name_zh,
            active=True,
            sort_order=order,
            builtin=False,
            updated_at=stamp(),
            updated_by=user.id,
        )
    )
    line = get_line(conn, body.code)
    _publish(conn, line)
    return line


def change_line(
    conn: Connection, code: str, body: BusinessLinePatch, user: CurrentUser
) -> BusinessLineOut:
    """Rename, reorder, deactivate or reactivate a line; each change goes to the feed."""
    current = get_line(conn, code)
    values = body.model_dump(exclude_none=True)
    if body.name_zh is not None and body.name_zh != current.name_zh:
        taken = conn.execute(
            sa.select(business_lines.c.code)
            .where(business_lines.c.name_zh == body.name_zh)
            .where(business_lines.c.code != code)
        ).first()
        if taken is not None:
            raise Conflict("another business line has this name / 已有同名业务线")
    if not values or all(getattr(current, k) == v for k, v in values.items()):
        return current  # nothing changes: no feed entry either
    conn.execute(
        business_lines.update()
        .where(business_lines.c.code == code)
        .values(**values, updated_at=stamp(), updated_by=user.id)
    )
    line = get_line(conn, code)
    _publish(conn, line)
    return line


# -- the other code lists -----------------------------------------------------------------------
CODE_FEED_KIND = kinds.FEED_KIND


def _code_out(row: Any) -> CenterCodeOut:
    return CenterCodeOut(
        kind=row.kind,
        code=row.code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        meaning=row.meaning,
        active=bool(row.active),
        sort_order=int(row.sort_order),
        builtin=bool(row.builtin),
        updated_at=row.updated_at,
    )


def _unregistered(code: str, order: int) -> CenterCodeOut:
    """A category path older articles use that the list does not hold yet."""
    return CenterCodeOut(
        kind=kinds.CATEGORY,
        code=code,
        name_zh=code,
        name_en=code,
        active=True,
        sort_order=order,
        builtin=False,
        updated_at="",
    )


def _paths_in_use(conn: Connection) -> list[str]:
    """Category paths of every article that is not deleted (drafts too: they are filed)."""
    rows = conn.execute(
        sa.select(articles.c.category)
        .distinct()
        .where(articles.c.status != "deleted")
        .where(articles.c.category != "")
        .order_by(articles.c.category)
    ).all()
    return [r[0] for r in rows]


def all_codes(conn: Connection) -> dict[str, list[CenterCodeOut]]:
    """Every kind's codes (inactive ones flagged) in their order; a kind with none is listed
    empty. Unregistered category paths in use come last."""
    rows = conn.execute(
        sa.select(center_codes).order_by(
            center_codes.c.kind, center_codes.c.sort_order, center_codes.c.code
        )
    ).all()
    out: dict[str, list[CenterCodeOut]] = {kind: [] for kind in kinds.CODE_KINDS}
    for row in rows:
        out.setdefault(row.kind, []).append(_code_out(row))
    registered = {c.code for c in out[kinds.CATEGORY]}
    order = max((c.sort_order for c in out[kinds.CATEGORY]), default=0)
    for path in _paths_in_use(conn):
        # A path no list can hold ('a//b') stays its articles' free text.
        if path not in registered and kinds.code_problem(kinds.CATEGORY, path) is None:
            order += 1
            out[kinds.CATEGORY].append(_unregistered(path, order))
    return out


def _check_kind(kind: str) -> None:
    if kind not in kinds.CODE_KINDS:
        raise NotFound(f"no such list: {kind} / 没有这种代码表：{kind}")


def _row(conn: Connection, kind: str, code: str) -> Any:
    return conn.execute(
        sa.select(center_codes)
        .where(center_codes.c.kind == kind)
        .where(center_codes.c.code == code)
    ).first()


def get_code(conn: Connection, kind: str, code: str) -> CenterCodeOut:
    _check_kind(kind)
    row = _row(conn, kind, code)
    if row is None:
        raise NotFound("no such code / 代码不存在")
    return _code_out(row)


def _publish_code(conn: Connection, item: CenterCodeOut) -> None:
    append_change(conn, CODE_FEED_KIND, kinds.feed_id(item.kind, item.code), item.model_dump())


def _name_taken(conn: Connection, kind: str, name_zh: str, other_than: str = "") -> bool:
    """Two codes of one list with one Chinese name could not be told apart in a picker."""
    query = (
        sa.select(center_codes.c.code)
        .where(center_codes.c.kind == kind)
        .where(center_codes.c.name_zh == name_zh)
    )
    if other_than:
        query = query.where(center_codes.c.code != other_than)
    return conn.execute(query).first() is not None


def _insert_code(
    conn: Connection,
    kind: str,
    code: str,
    name_zh: str,
    name_en: str,
    meaning: str | None,
    order: int | None,
    user: CurrentUser,
) -> CenterCodeOut:
    if order is None:  # after every code of the list so far
        order = int(
            conn.execute(
                sa.select(sa.func.max(center_codes.c.sort_order)).where(center_codes.c.kind == kind)
            ).scalar()
            or 0
        )
        order += 1
    conn.execute(
        center_codes.insert().values(
            kind=kind,
            code=code,
            name_zh=name_zh,
            name_en=name_en or name_zh,
            meaning=meaning,
            active=True,
            sort_order=order,
            builtin=False,
            updated_at=stamp(),
            updated_by=user.id,
        )
    )
    item = get_code(conn, kind, code)
    _publish_code(conn, item)
    return item


def create_code(conn: Connection, kind: str, body: AnyCodeIn, user: CurrentUser) -> CenterCodeOut:
    """Add a code to the `kind` list (call in a write opened with appends_changes=True). A code
    or Chinese name the list has already is refused (409); a code of the wrong form, or an
    outcome without one of the seven meanings, with 422."""
    _check_kind(kind)
    meaning = getattr(body, "meaning", None)
    # The API's schema refuses these already; the checks stay for callers without it.
    name_zh = body.name_zh or (body.code if kind == kinds.CATEGORY else "")
    for field, problem in (
        ("code", kinds.code_problem(kind, body.code)),
        ("meaning", kinds.meaning_problem(kind, meaning)),
        ("name_zh", None if name_zh else "a Chinese name is needed / 需要填写中文名"),
    ):
        if problem is not None:
            raise Invalid(problem, field)
    if _row(conn, kind, body.code) is not None or _name_taken(conn, kind, name_zh):
        raise Conflict("this code or name exists already / 该代码或名称已存在")
    return _insert_code(
        conn, kind, body.code, name_zh, body.name_en, meaning, body.sort_order, user
    )


def change_code(
    conn: Connection, kind: str, code: str, body: AnyCodePatch, user: CurrentUser
) -> CenterCodeOut:
    """Rename, reorder, deactivate or reactivate a code (an outcome may also mean another of
    the seven); each change goes to the feed. An unregistered category path in use is
    registered first."""
    _check_kind(kind)
    if _row(conn, kind, code) is None and kind == kinds.CATEGORY and code in _paths_in_use(conn):
        _insert_code(conn, kind, code, code, code, None, None, user)
    current = get_code(conn, kind, code)
    meaning = getattr(body, "meaning", None)
    if meaning is not None:
        problem = kinds.meaning_problem(kind, meaning)
        if problem is not None:
            raise Invalid(problem, "meaning")
    values = body.model_dump(exclude_none=True)
    if kind != kinds.OUTCOME:
        values.pop("meaning", None)  # an empty one: nothing to store
    renamed = body.name_zh is not None and body.name_zh != current.name_zh
    if renamed and _name_taken(conn, kind, str(body.name_zh), other_than=code):
        raise Conflict("another code of this list has this name / 已有同名代码")
    if not values or all(getattr(current, k) == v for k, v in values.items()):
        return current  # nothing changes: no feed entry either
    conn.execute(
        center_codes.update()
        .where(center_codes.c.kind == kind)
        .where(center_codes.c.code == code)
        .values(**values, updated_at=stamp(), updated_by=user.id)
    )
    item = get_code(conn, kind, code)
    _publish_code(conn, item)
    return item


# -- what an article may carry ------------------------------------------------------------------
def check_article_taxonomy(
    conn: Connection,
    business_line: str,
    category: str,
    user: CurrentUser,
    current: Any | None = None,
) -> None:
    """Refuse (422) an unknown business line, and a deactivated line or category the article
    did not have already (`current`: the stored row on an update); an article keeps what it
    has, so old articles stay editable. A category path the list lacks is added to it."""
    kept_line = current is not None and current.business_line == business_line
    if business_line and not kept_line:
        line = conn.execute(
            sa.select(business_lines.c.active).where(business_lines.c.code == business_line)
        ).first()
        if line is None:
            raise Invalid(
                f"unknown business line: {business_line}; an administrator adds it first"
                f" / 未知的业务线：{business_line}，请先由管理员添加",
                "business_line",
            )
        if not line.active:
            raise Invalid(
                f"business line {business_line} is deactivated; choose another"
                f" / 业务线“{business_line}”已停用，请另选",
                "business_line",
            )
    if not category:
        return
    row = _row(conn, kinds.CATEGORY, category)
    kept_category = current is not None and current.category == category
    if row is None:
        if kinds.code_problem(kinds.CATEGORY, category) is not None:
            return  # a path no list can hold ('a//b'): the article keeps its free text
        _insert_code(conn, kinds.CATEGORY, category, category, category, None, None, user)
    elif not row.active and not kept_category:
        raise Invalid(
            f"category {category} is deactivated; choose another / 分类“{category}”已停用，请另选",
            "category",
        )
