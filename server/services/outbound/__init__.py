"""Outbound campaigns on the server (issue 12, docs/outbound.md): the calling calendar, the retry
engine, the record hand-out and its locks, attempts, campaigns, do-not-call numbers, surveys,
the feedback report and progress; the list import lives in list_import.py and import_rows.py."""
