"""Errors raised while reading project files.

Every reader raises a subclass of :class:`ImportFileError`, itself a :class:`ValueError`, so
callers (the CLI, the upload view) can catch one type and show its message, which always says
what is wrong and where, without a traceback.
"""

from __future__ import annotations


class ImportFileError(ValueError):
    """A project file could not be read; the message names the element or field at fault."""


class MspdiError(ImportFileError):
    """An MSPDI (Microsoft Project XML) file is hostile, malformed or not a project."""


class ProjectJsonError(ImportFileError):
    """A hitpm JSON project file is malformed or fails validation."""


class XerError(ImportFileError):
    """A Primavera P6 XER file is malformed; the message names the table, line and field."""


class TableFileError(ImportFileError):
    """A CSV or XLSX task list cannot be imported; the message names the row and column."""
