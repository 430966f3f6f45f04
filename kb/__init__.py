"""SeatDesk knowledge base core: storage, Chinese search, import/export. Never imports Qt."""
