"""Which URLs the bot may fetch: http(s) to public addresses only.

A chat user can type any URL into ``/news feed add``, and a feed can link its items
anywhere, so without this the bot could be made to probe the operator's internal
network (cloud metadata at 169.254.169.254, admin panels on 10.x, localhost). Two
checks close that door:

* :func:`check_url` before a request: scheme, then the host — a literal address
  (including the legacy ``2130706433`` / ``0x7f.1`` spellings) or every address a
  name resolves to — must be public;
* :class:`GuardedResolver` at connect time: aiohttp asks it for the addresses it is
  about to connect to, and it refuses the lot if any is private. The check and the
  connection use the same answer, so a name that resolves to a public address for
  the check and to 127.0.0.1 for the connection (DNS rebinding) gets nowhere.

``allow_private`` (``NEWSBOT_ALLOW_PRIVATE_URLS``) turns both off, for tests on
127.0.0.1 and for operators who really do read feeds from their own network.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolve = Callable[[str], Awaitable[Iterable[str]]]
ALLOW_HINT = "set NEWSBOT_ALLOW_PRIVATE_URLS=on to allow addresses on your own network"

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_LEGACY_V4 = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.I)


class BlockedURL(ValueError):
    """A URL the bot must not fetch; the message says why and what to do."""


def blocked_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` is off limits (``"loopback"``, ``"private"``…), or None when it is public.

    IPv6 addresses that carry an IPv4 one (``::ffff:10.0.0.1``, 6to4, Teredo) are
    judged by the IPv4 address inside.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            return blocked_reason(inner)
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("carrier-grade NAT", isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    )
    for name, hit in checks:
        if hit:
            return name
    return None if ip.is_global else "non-public"


def literal_address(host: str) -> IPAddress | None:
    """``host`` as an IP address when it is one, in any spelling a resolver accepts
    (``[::1]``, ``127.1``, ``0x7f000001``, ``2130706433``); None for a name."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if _LEGACY_V4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _refuse(host: str, ip: IPAddress, reason: str) -> BlockedURL:
    shown = host if host.strip("[]") == str(ip) else f"{host} ({ip})"
    return BlockedURL(f"refused: {shown} is a {reason} address; {ALLOW_HINT}")


def check_host_literal(url: str, *, allow_private: bool) -> str:
    """Scheme and literal-address checks, no DNS; returns the host. Raises :class:`BlockedURL`."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise BlockedURL(f"{url!r} is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise BlockedURL(
            f"only http:// and https:// URLs can be fetched, not {parts.scheme or 'no scheme'}:"
            " (write the full address, e.g. https://example.com/feed.xml)"
        )
    if not host:
        raise BlockedURL(f"{url!r} has no host name")
    if not allow_private:
        ip = literal_address(host)
        if ip is not None and (reason := blocked_reason(ip)):
            raise _refuse(host, ip, reason)
        if host.rstrip(".").lower() == "localhost" or host.lower().endswith(".localhost"):
            raise BlockedURL(f"refused: {host} is a loopback name; {ALLOW_HINT}")
    return host


async def _system_resolve(host: str) -> list[str]:
    resolver = DefaultResolver()
    try:
        return [r["host"] for r in await resolver.resolve(host, 0, socket.AF_UNSPEC)]
    finally:
        await resolver.close()


async def check_url(url: str, *, allow_private: bool, resolve: Resolve | None = None) -> str:
    """Refuse a URL the bot must not fetch; returns its host. ``resolve`` (a name → its
    addresses; the system resolver by default) is consulted for names: every address
    it returns must be public. DNS failures are left to the fetch, which reports them."""
    host = check_host_literal(url, allow_private=allow_private)
    if allow_private or literal_address(host) is not None:
        return host
    try:
        addresses = list(await (resolve or _system_resolve)(host))
    except OSError:
        return host  # "cannot resolve" is the fetch's error to report
    check_addresses(host, addresses)
    return host


def check_addresses(host: str, addresses: Iterable[str]) -> None:
    """Raise :class:`BlockedURL` when any of ``host``'s resolved addresses is not public."""
    for address in addresses:
        ip = literal_address(address)
        if ip is None:
            raise BlockedURL(f"refused: {host} resolved to {address!r}, not an address")
        if reason := blocked_reason(ip):
            raise _refuse(host, ip, reason)


class BlockedAddressError(OSError):
    """Raised inside aiohttp's connector; :mod:`.web` turns it into a clear fetch error."""


class GuardedResolver(AbstractResolver):
    """aiohttp resolver that refuses a name with any non-public address (see module doc).

    aiohttp does not call a resolver for literal addresses, so those are checked by
    :func:`check_host_literal` before every request and every redirect.
    """

    def __init__(self, inner: AbstractResolver | None = None) -> None:
        self._inner = inner or DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        try:
            check_addresses(host, [r["host"] for r in results])
        except BlockedURL as exc:
            raise BlockedAddressError(str(exc)) from None
        return results

    async def close(self) -> None:
        await self._inner.close()


def is_blocked_error(exc: BaseException) -> str | None:
    """The refusal message when ``exc`` (or what caused it) is a :class:`BlockedAddressError`."""
    seen: set[int] = set()
    current: Any = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, BlockedAddressError):
            return str(current)
        os_error = getattr(current, "os_error", None)
        if isinstance(os_error, BlockedAddressError):
            return str(os_error)
        current = current.__cause__ or current.__context__
    return None
