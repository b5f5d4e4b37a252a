"""Bytes to text: BOMs, UTF-16 without BOM, UTF-8, then a detected single-byte encoding.

Binary data (images, archives, executables) is refused rather than decoded into noise.
"""
from __future__ import annotations

import codecs

from ..errors import BinaryInput, EmptyInput, UndecodableInput

_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
# Magic numbers of common binary formats: PNG, JPEG, GIF, PDF, ZIP, gzip, ELF, 7z, RAR.
_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF",
          b"7z\xbc\xaf", b"Rar!")


def decode(data: bytes, where: str = "input") -> str:
    """Decode ``data`` to ``str``; raise a typed ``InputError`` with a fix when that is impossible."""
    if not data.strip():
        raise EmptyInput(where)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc)
    if data.startswith(_MAGIC):
        raise BinaryInput(where)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16)
    if b"\x00" in data[:8192]:
        raise BinaryInput(where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _single_byte(data, where)
    if _control_share(text) > 0.05:
        raise BinaryInput(where)
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of mostly ASCII characters has a zero byte in every other position."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) // 2 * 2]
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _single_byte(data: bytes, where: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    # charset-normalizer may pick an exotic code page for short Western text; cp1252 is the
    # common case for news (Windows-saved Word/web text) and is a superset of latin-1's letters.
    if encoding not in {"cp1252", "latin_1", "iso8859_15", "utf_8"} and _is_cp1252_text(data):
        encoding = "cp1252"
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise UndecodableInput(where) from exc


def _is_cp1252_text(data: bytes) -> bool:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    letters = sum(ch.isalpha() for ch in text)
    latin = sum(ch.isascii() or "\u00c0" <= ch <= "\u00ff" or ch in "\u2018\u2019\u201c\u201d\u2013\u2014\u20ac"
                for ch in text)
    return letters > 0 and latin / max(1, len(text)) > 0.97


def _control_share(text: str) -> float:
    sample = text[:20_000]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return bad / max(1, len(sample))
