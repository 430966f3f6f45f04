"""Supervision (issue 14, docs/supervision.md): each seat reports its state and call live, the
supervisors' board, listen / whisper / barge into a call, teams."""
