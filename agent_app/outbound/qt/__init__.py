"""Outbound controllers: the worklist, reminders, the supervisor's campaign screens."""
