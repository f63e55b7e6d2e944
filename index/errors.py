"""The expected failures: their messages are safe to show to users as they are."""


class InputError(Exception):
    """An expected failure, mostly bad input from a user or a source; the message says what was
    wrong and is safe to show (it never holds a secret or a traceback)."""


class ReadError(InputError):
    """A source (file, URL, feed entry) that could not be read into an article."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class FetchError(InputError):
    """A URL that could not or may not be fetched."""

    retry_after: float | None = None  # seconds the server asked to wait (429, 503), if it did


class QuestionError(InputError):
    """A question that cannot be asked as it is (empty, too long)."""


class ArchiveBusy(InputError):
    """The archive stayed busy with another writer for too long; nothing was lost."""


class NotFound(InputError):
    """An article named by id or URL that the archive does not hold."""


class ModelMissing(Exception):
    """The offline relevance model or the English word list is not installed or cannot be
    loaded: an install to repair, not a question to answer without it. The message names the
    file and the fix."""
