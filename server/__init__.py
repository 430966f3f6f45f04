"""SeatDesk REST backend (FastAPI); grows in the sync issue. Never imports Qt."""
