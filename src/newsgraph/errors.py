"""The exception tree. Every message says what happened, the likely cause, and the fix.

    NewsgraphError                 base; ``http_status`` for the API, ``exit_code`` for the CLI
    ├── InputError                 the input cannot be analysed (400)
    │   ├── EmptyInput             nothing but whitespace
    │   ├── BinaryInput            bytes that are not text (images, archives, executables)
    │   ├── UndecodableInput       text in an encoding that could not be detected
    │   ├── TooLarge               over ``Settings.max_chars`` (413)
    │   ├── UnsupportedLanguage    not English, with ``Settings.language_policy = "refuse"`` (422)
    │   ├── UnsupportedFormat      a file kind newsgraph does not read
    │   └── FetchError             a URL could not be fetched (502)
    ├── SettingsError              a setting has an invalid value (exit 2)
    ├── ModelError                 a model is missing or unreadable (500)
    ├── ExtractorError             an extractor failed on one document (becomes a warning) (500)
    └── StoreError                 the database refused an operation (500)
"""
from __future__ import annotations


class NewsgraphError(Exception):
    http_status = 500
    exit_code = 1

    @property
    def code(self) -> str:
        return type(self).__name__


class InputError(NewsgraphError):
    http_status = 400
    exit_code = 2


class EmptyInput(InputError):
    def __init__(self, where: str = "input"):
        super().__init__(f"{where} is empty (no text after removing whitespace); "
                         "check the file or the 'text'/'html' field of the row")


class BinaryInput(InputError):
    def __init__(self, where: str = "input"):
        super().__init__(f"{where} looks like binary data, not text; newsgraph reads .txt, .html, "
                         ".jsonl, .csv, URLs and stdin — convert the file to text first")


class UndecodableInput(InputError):
    def __init__(self, where: str = "input"):
        super().__init__(f"{where} could not be decoded as UTF-8, UTF-16 or a single-byte "
                         "encoding; re-save it as UTF-8")


class TooLarge(InputError):
    http_status = 413

    def __init__(self, size: int, limit: int, where: str = "input"):
        super().__init__(f"{where} has {size:,} characters, over the limit of {limit:,}; split it, "
                         "or raise the limit with --max-chars / NEWSGRAPH_MAX_CHARS")


class UnsupportedLanguage(InputError):
    http_status = 422

    def __init__(self, language: str, where: str = "input"):
        super().__init__(f"{where} looks like language '{language}', not English; newsgraph's models "
                         "are English-only — pass --language-policy warn to analyse it anyway")


class UnsupportedFormat(InputError):
    def __init__(self, what: str):
        super().__init__(f"cannot read {what}; newsgraph reads .txt, .html/.htm, .jsonl, .csv, "
                         "URLs (http/https) and '-' for stdin")


class FetchError(InputError):
    http_status = 502

    def __init__(self, url: str, reason: str):
        super().__init__(f"could not fetch {url}: {reason}; check the address and the network, "
                         "or save the page and pass the file")


class SettingsError(NewsgraphError):
    http_status = 400
    exit_code = 2


class ModelError(NewsgraphError):
    pass


class ExtractorError(NewsgraphError):
    pass


class StoreError(NewsgraphError):
    pass
