"""The exceptions chainload raises. Catch :class:`Error` for all of them."""

from __future__ import annotations


class Error(Exception):
    """Base class of every chainload error."""


class ValidationError(Error, ValueError):
    """A value outside its allowed domain: negative sets, a NaN load, an empty program ..."""


class UnknownNameError(Error, KeyError):
    """A muscle, exercise, chain or other name that does not exist (the message suggests near ones)."""

    def __str__(self) -> str:  # KeyError would print the message with quotes around it
        return str(self.args[0]) if self.args else ""


class FileFormatError(ValidationError):
    """A data file that cannot be read: the message names the file and, where known, the line."""


class UnknownInputNameError(UnknownNameError, ValidationError):
    """An unknown key, exercise, model or other name in an input (a file, an argument): both a
    KeyError (a name not found) and a ValueError (a bad input), so either catch works. The
    message names where it was found and the nearest valid names."""


class ResourceError(Error, MemoryError):
    """Work refused or stopped for want of a resource: an estimate past
    ``chainload.config.memory_budget``, a thread that could not be started, memory exhausted."""


class UnknownKeyWarning(UserWarning):
    """An unknown key in a data file read with ``strict=False`` (ignored, with this warning)."""
