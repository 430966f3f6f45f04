"""The seat's own records, Qt-free: the agent state machine, call records and state changes.

Everything here is pure logic over the client's database (localdb, tables of its own) with an
injectable clock; the Qt layer drives it (timers, phone events) and shows it.
"""
