"""Supervision (issue 14, docs/supervision.md): teams, each seat's live state and the board,
its push across app servers, monitor grants and the monitoring audit."""
