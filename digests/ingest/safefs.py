"""Find and open article files so that no file can hang, flood or crash a reader.

Everything here looks with ``lstat`` before it opens: only regular files are read.
FIFOs (an open blocks forever), devices (``/dev/zero`` never ends), sockets,
symlink loops and links that leave the source folder are reported with a reason
and never opened; links to folders are not followed (a link back to ``.`` would
make a walk endless). Names that are not UTF-8 are reported too: such a path can
be neither stored, nor printed, nor serialised to JSON, so the file is skipped
with a message saying to rename it. The reader, the folder walk of
``newsbot digest``/start-up and the bot's file watcher all use this one module.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from typing import NamedTuple

from .decode import MAX_BYTES
from .result import IngestFailure

MAX_DEPTH = 64  # folder levels below a source folder; deeper is not an article archive

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def shown(path: str) -> str:
    """``path`` safe to print, log, store and serialise: bytes that are not UTF-8
    (kept by Python as lone surrogates) are written as ``\\xNN``."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def bad_name(path: str) -> str | None:
    """The reason ``path``'s name cannot be used, or None."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8; rename the file (e.g. with convmv) so it can be read"
    return None


def kind_of(mode: int) -> str | None:
    """What a non-regular file is ("a named pipe (FIFO)"…), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(os.path.join(root, ""))


def check_link(path: str, root: str | None) -> tuple[str, os.stat_result]:
    """Resolve the symlink ``path``: its target and the target's lstat, or IngestFailure
    (a loop, a dangling link, a link out of ``root``, a link to anything but a file)."""
    try:
        target = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise IngestFailure(
                "symlink loop (the link points back to itself); remove it"
            ) from None
        raise IngestFailure(
            f"symlink to a missing file ({exc.strerror or exc}); remove or fix the link"
        ) from None
    if root is not None and not _within(target, root):
        raise IngestFailure(
            f"symlink points outside the source folder (to {shown(target)}); not read — "
            "copy the file in, or add its folder to the sources"
        )
    st = os.lstat(target)
    kind = kind_of(st.st_mode)
    if kind == "a folder":
        raise IngestFailure(
            "symlink to a folder; links to folders are not followed — add the folder to the "
            "sources instead"
        )
    if kind is not None:
        raise IngestFailure(f"symlink to {kind}, not a regular file; not read")
    return target, st


def regular(path: str, root: str | None = None) -> tuple[str, os.stat_result]:
    """``(real path, stat)`` of a regular file, following a symlink only to a regular
    file inside ``root``; IngestFailure for anything else. Nothing is opened."""
    reason = bad_name(path)
    if reason:
        raise IngestFailure(reason)
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise IngestFailure(f"cannot read file: {exc.strerror or exc}") from None
    if stat.S_ISLNK(st.st_mode):
        return check_link(path, root)
    kind = kind_of(st.st_mode)
    if kind == "a folder":
        raise IngestFailure("is a folder; pass it to load_paths to read the files inside")
    if kind is not None:
        raise IngestFailure(f"is {kind}, not a regular file; not read")
    return path, st


def read_regular(path: str, *, limit: int = MAX_BYTES) -> tuple[bytes, os.stat_result]:
    """Read the regular file ``path`` (already checked by :func:`regular`), at most
    ``limit`` bytes. Opened without following links and without blocking, and checked
    again by ``fstat``: a file swapped for a FIFO or device after the check is refused."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise IngestFailure("became a symlink while being read; not read") from None
        raise IngestFailure(f"cannot read file: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        kind = kind_of(st.st_mode)
        if kind is not None:
            raise IngestFailure(f"is {kind}, not a regular file; not read")
        if st.st_size > limit:
            raise IngestFailure(
                f"file too large ({st.st_size / 1048576:.1f} MB > {limit / 1048576:.0f} MB "
                "limit); split it or remove embedded media"
            )
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise IngestFailure(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise IngestFailure(
            f"file too large (more than {limit / 1048576:.0f} MB, still growing?); "
            "split it or remove embedded media"
        )
    return data, st


def read_head(path: str, size: int) -> bytes:
    """The first ``size`` bytes of a regular file (to sniff its type), or b""."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        if kind_of(os.fstat(fd).st_mode) is not None:
            return b""
        return os.read(fd, size)
    finally:
        os.close(fd)


class Found(NamedTuple):  # a tuple: built per file on every re-scan, so it must be cheap
    """One walked entry: a readable file (``problem`` None) or one to report."""

    path: str  # as found under the root (a link's own path, not its target)
    st: os.stat_result | None  # lstat of the file (of the target for a good link)
    problem: str | None = None
    real: str | None = None  # the file read: the path itself, or a good link's target


def walk(root: str, suffixes: frozenset[str] | tuple[str, ...]) -> Iterator[Found]:
    """Entries under the real folder ``root`` whose names end in ``suffixes``, sorted
    by name per folder, hidden names skipped, folder links never followed.

    Article-named entries that cannot be read come back with a ``problem``; so do
    folders that cannot be listed and names that are not UTF-8 (any suffix: a
    non-UTF-8 name may well be an article). Never raises for what is in the folder.
    """
    yield from _walk(root, root, tuple(s.lower() for s in suffixes), 0)


def _walk(top: str, root: str, suffixes: tuple[str, ...], depth: int) -> Iterator[Found]:
    try:
        with os.scandir(top) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        if top != root:
            yield Found(shown(top), None, f"cannot list folder: {exc.strerror or exc}")
        else:
            raise
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if bad_name(name):
            yield Found(shown(entry.path), None, _bad_name_reason(entry))
            continue
        try:
            is_link = entry.is_symlink()
            is_dir = not is_link and entry.is_dir(follow_symlinks=False)
        except OSError as exc:
            yield Found(entry.path, None, f"cannot read: {exc.strerror or exc}")
            continue
        if is_dir:
            if depth >= MAX_DEPTH:
                yield Found(
                    entry.path, None, f"folders nested more than {MAX_DEPTH} deep; not read"
                )
            else:
                yield from _walk(entry.path, root, suffixes, depth + 1)
            continue
        if not name.lower().endswith(suffixes):
            if is_link and os.path.isdir(entry.path):  # `ln -s . loop`: report, never follow
                yield Found(
                    entry.path,
                    None,
                    "symlink to a folder; links to folders are not followed — add the folder "
                    "to the sources instead",
                )
            continue
        try:
            if is_link:
                real, st = check_link(entry.path, root)
            else:
                real, st = entry.path, entry.stat(follow_symlinks=False)
                kind = kind_of(st.st_mode)
                if kind is not None:
                    raise IngestFailure(f"is {kind}, not a regular file; not read")
        except IngestFailure as exc:
            yield Found(entry.path, _lstat(entry.path), exc.reason)
            continue
        except OSError as exc:  # raced with a delete or rename
            yield Found(entry.path, None, f"cannot read: {exc.strerror or exc}")
            continue
        yield Found(entry.path, st, None, real)


def _bad_name_reason(entry: os.DirEntry[str]) -> str:
    try:
        folder = entry.is_dir(follow_symlinks=False)
    except OSError:
        folder = False
    if folder:
        return "folder name is not valid UTF-8; its files are not read — rename it"
    return "file name is not valid UTF-8; rename the file (e.g. with convmv) so it can be read"


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None
