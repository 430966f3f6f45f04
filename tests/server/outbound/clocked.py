"""The real FastAPI app over HTTP on 127.0.0.1 with a clock the test moves (FakeClock as
`app.state.clock`, the clock the campaign routes read), on SQLite or PostgreSQL, plus users,
campaigns and records made straight in its database.

The app, its clock and the users come from tests/helpers/app_server.py (lifespan off: the
outbound routes need none of what it starts); this module adds the campaigns and records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from server.core.security import stamp
from server.tables import campaign_records, campaigns
from tests.helpers.app_server import MONDAY_10, AppServer, User, served

__all__ = ["MONDAY_10", "ClockedServer", "User", "clocked_server"]


class ClockedServer(AppServer):
    __test__ = False
    # As before the shared helper: the outbound tests made users whose display name is the
    # username.
    display_name = "{username}"

    # -- data -----------------------------------------------------------------------------------
    def campaign(self, manager: User, **fields: Any) -> dict[str, Any]:
        body = {"name": f"活动-{self.next_number()}", **fields}
        response = manager.http.post("/campaigns", json=body)
        assert response.status_code == 201, response.text
        campaign: dict[str, Any] = response.json()
        return campaign

    def records(self, campaign_id: int, phones: list[str], **values: Any) -> list[int]:
        """Records in list order (row numbers from 1), pending and due now unless `values`."""
        ids = []
        with self.db.write() as conn:
            for row, phone in enumerate(phones, start=1):
                result = conn.execute(
                    campaign_records.insert().values(
                        campaign_id=campaign_id,
                        row_number=row,
                        name=f"客户{row}",
                        phone=phone,
                        phone_key=phone,
                        fields=json.dumps({"楼盘": "阳光花园"}, ensure_ascii=False),
                        updated_at=stamp(),
                        **values,
                    )
                )
                ids.append(int(result.inserted_primary_key[0]))  # type: ignore[index]
        return ids

    def record(self, record_id: int) -> Any:
        with self.db.read() as conn:
            return conn.execute(
                sa.select(campaign_records).where(campaign_records.c.id == record_id)
            ).one()

    def set_record(self, record_id: int, **values: Any) -> None:
        with self.db.write() as conn:
            conn.execute(
                campaign_records.update().where(campaign_records.c.id == record_id).values(**values)
            )

    def campaign_row(self, campaign_id: int) -> Any:
        with self.db.read() as conn:
            return conn.execute(sa.select(campaigns).where(campaigns.c.id == campaign_id)).one()


@contextmanager
def clocked_server(backend: str, folder: Path) -> Iterator[ClockedServer]:
    with served(ClockedServer, backend, folder / "outbound.db", MONDAY_10) as server:
        yield server
