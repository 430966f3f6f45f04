"""What to tell the user when a call to the server fails, in their language, with what to do."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from sync.api_client import ApiError, AuthError, OfflineError


def error_text(exc: BaseException) -> str:
    if isinstance(exc, AuthError):
        return QCoreApplication.translate(
            "ErrorText", "Your session has ended: log in again (File ▸ Log in…)."
        )
    if isinstance(exc, ApiError):
        return exc.message  # the server's words, already in the user's language
    if isinstance(exc, OfflineError):
        return QCoreApplication.translate(
            "ErrorText", "The server cannot be reached; nothing was sent. Try again in a moment."
        )
    text = QCoreApplication.translate("ErrorText", "Something went wrong: %1")
    return text.replace("%1", str(exc))


def conflict_text(question: dict[str, Any]) -> str:
    """Who dealt with the question first, and how (from the question as it now stands)."""
    status = question.get("status", "")
    if status == "answered":
        text = QCoreApplication.translate("ErrorText", "%1 answered this question first:")
        text = text.replace("%1", question.get("answered_by") or "?")
        text += "\n" + question.get("answer", "")
    elif status == "rejected":
        text = QCoreApplication.translate("ErrorText", "This question was rejected meanwhile: %1")
        text = text.replace("%1", question.get("reject_reason", ""))
    elif status == "merged":
        text = QCoreApplication.translate(
            "ErrorText", "This question was merged into a similar one meanwhile."
        )
    elif status == "claimed":
        text = QCoreApplication.translate("ErrorText", "%1 has claimed this question.")
        text = text.replace("%1", question.get("claimed_by") or "?")
    else:
        text = QCoreApplication.translate(
            "ErrorText", "Someone changed this question since you opened it."
        )
    keep = QCoreApplication.translate(
        "ErrorText", "Your text is kept here; “Copy my text” puts it on the clipboard."
    )
    return f"{text}\n{keep}"
