"""Exceptions that surface to the user as one Chinese line (never a traceback)."""

from __future__ import annotations

from xlreport.codes import FindingCode


class XlreportError(Exception):
    """A problem the user can act on; ``str(e)`` is a complete Chinese sentence."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}{'；' + self.hint if self.hint else ''}"


class UsageError(XlreportError):
    """A wrong argument or option value (exit status 2)."""


class UnreadableFileError(XlreportError):
    """A file that cannot be read as an xlsx workbook (exit status 2); ``code`` is the
    finding code of the reason (see xlreport/checks/catalogue.py)."""

    def __init__(self, message: str, hint: str = "", code: FindingCode = "file-unreadable") -> None:
        super().__init__(message, hint)
        self.code = code
