"""Outbound campaigns on the desktop: the worklist, scripts and surveys (issue 12)."""
