"""Bytes from disk or the network → text, or a reason a person can act on.

UTF-8 (with or without BOM) and CRLF line endings are normal input and pass
silently. Files that are not UTF-8 fall back to cp1252: that is what Windows
editors and older CMSs write, and nearly every byte sequence in such a text
decodes to the intended "smart quotes" and accents, so the article is kept
rather than lost (``extra["encoding"]`` records it). Binary data (NUL bytes or
many control characters) is refused instead of being decoded into garbage.
"""

from __future__ import annotations

from .result import IngestFailure

MAX_BYTES = 5 * 1024 * 1024
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13})


def decode_bytes(data: bytes, *, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """Return ``(text, encoding)`` with ``\\n`` line endings; raise IngestFailure otherwise."""
    if len(data) > max_bytes:
        raise IngestFailure(
            f"file too large ({len(data) / 1048576:.1f} MB > {max_bytes / 1048576:.0f} MB limit); "
            "split it or remove embedded media"
        )
    if not data.strip():
        raise IngestFailure("empty file; add a title line and the article text, or delete it")
    head = data[:8192]
    if b"\x00" in head or _mostly_control(head):
        raise IngestFailure("binary file, not text; only Markdown, plain text or RSS/Atom are read")
    encoding = "utf-8"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise IngestFailure(
                f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "re-save the file as UTF-8"
            ) from None
        encoding = "cp1252"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise IngestFailure("binary file, not text; only Markdown, plain text or RSS/Atom are read")
    if not text.strip():
        raise IngestFailure("empty file; add a title line and the article text, or delete it")
    return text, encoding


def _mostly_control(head: bytes) -> bool:
    if not head:
        return False
    stripped = head.translate(None, _CONTROL_BYTES)
    return len(head) - len(stripped) > len(head) // 20
