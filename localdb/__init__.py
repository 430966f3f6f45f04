"""The client's one SQLite file: connection, atomic transactions, and each capability's own
migrations (see `localdb.database`). No Qt, no desktop-app imports."""

from localdb.database import LocalDatabase, UnlockedAccess

__all__ = ["LocalDatabase", "UnlockedAccess"]
