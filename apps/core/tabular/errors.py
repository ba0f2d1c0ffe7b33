"""The one exception of the tabular library: a Swedish message meant for the person who uploaded."""

from __future__ import annotations


class TabularError(ValueError):
    """The file (or a cell of it) cannot be used; ``message`` is Swedish and shown as it is.

    A ValueError, so django-import-export widgets and Django forms treat it as bad input.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class CellError(TabularError):
    """One cell's value is not what the column takes; the caller adds the row and column."""


def shown(value, limit: int = 30) -> str:
    """A value as it may appear inside a message: one line, at most ``limit`` characters."""
    text = " ".join(str(value)[: limit * 4].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
