"""SeatDesk desktop client (PySide6): only agent_app/ui and agent_app/qt* import Qt."""
