"""The one exception family that means "the user gave us something we cannot use".

Its message is a complete sentence. The command line prints it and exits with status 2;
the app shows it as a notification. Anything else escaping is a bug (status 1).
"""


class UserError(Exception):
    """Bad input or an unusable file; `str()` is the sentence to show."""


class ValidationError(UserError):
    """A value that breaks a rule of the data model (empty title, NUL character...)."""


class UnknownRefError(UserError):
    """A REF that matches no retrospective."""


class AmbiguousRefError(UserError):
    """A REF that matches more than one retrospective."""
