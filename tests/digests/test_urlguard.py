"""The URL/address validator: refusals are checked on the validator alone, with literal
addresses and a stub resolver — nothing here connects anywhere."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from digests.ingest.urlguard import (
    BlockedAddressError,
    BlockedURL,
    GuardedResolver,
    blocked_reason,
    check_url,
    literal_address,
)

BLOCKED = [
    "http://127.0.0.1/feed",
    "http://127.9.9.9/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://172.31.255.254/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://224.0.0.1/",
    "http://0.0.0.0/",
    "http://[::1]/",
    "http://[::]/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[fe80::1]/",
    "http://[ff02::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:10.0.0.1]/",
    "http://[2002:a00:1::]/",  # 6to4 wrapping 10.0.0.1
    "http://2130706433/",  # 127.0.0.1 as one number
    "http://0x7f.1/",
    "http://127.1/",
    "http://localhost:8080/",
    "http://api.localhost/",
]


@pytest.mark.parametrize("url", BLOCKED)
async def test_private_literal_addresses_are_refused(url: str) -> None:
    async def never(host: str) -> list[str]:
        raise AssertionError("a literal address must not be resolved")

    with pytest.raises(BlockedURL, match="NEWSBOT_ALLOW_PRIVATE_URLS"):
        await check_url(url, allow_private=False, resolve=never)


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "file:///etc/passwd", "gopher://x/", "example.com/feed"]
)
async def test_only_http_and_https(url: str) -> None:
    with pytest.raises(BlockedURL, match="only http:// and https://"):
        await check_url(url, allow_private=True)


async def test_names_resolving_to_private_addresses_are_refused() -> None:
    answers = {
        "intranet.example": ["10.0.0.7"],
        "mixed.example": ["93.184.215.14", "192.168.0.9"],  # one bad address is enough
        "v6.example": ["2606:4700::1", "fd00::5"],
        "public.example": ["93.184.215.14", "2606:4700::1"],
    }

    async def stub(host: str) -> list[str]:
        return answers[host]

    for host in ("intranet.example", "mixed.example", "v6.example"):
        with pytest.raises(BlockedURL, match=host):
            await check_url(f"https://{host}/rss", allow_private=False, resolve=stub)
    assert await check_url("https://public.example/rss", allow_private=False, resolve=stub) == (
        "public.example"
    )


async def test_allow_private_lets_loopback_through() -> None:
    assert await check_url("http://127.0.0.1:8080/feed", allow_private=True) == "127.0.0.1"


def test_blocked_reason_names_the_range() -> None:
    assert blocked_reason(ipaddress.ip_address("10.0.0.1")) == "private"
    assert blocked_reason(ipaddress.ip_address("127.0.0.1")) == "loopback"
    assert blocked_reason(ipaddress.ip_address("169.254.1.1")) == "link-local"
    assert blocked_reason(ipaddress.ip_address("100.100.0.1")) == "carrier-grade NAT"
    assert blocked_reason(ipaddress.ip_address("::ffff:192.168.0.1")) == "private"
    assert blocked_reason(ipaddress.ip_address("93.184.215.14")) is None
    assert blocked_reason(ipaddress.ip_address("2606:4700::1")) is None
    assert literal_address("example.com") is None


class _StubResolver:
    """Stands in for aiohttp's resolver: answers from a table, never touches DNS."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[dict]:
        return [
            {"hostname": host, "host": a, "port": port, "family": family, "proto": 0, "flags": 0}
            for a in self.answers[host]
        ]

    async def close(self) -> None:
        pass


async def test_guarded_resolver_refuses_at_connect_time() -> None:
    """What aiohttp's connector sees: the addresses it would connect to are checked, so a
    name that passed an earlier check and now resolves to a private address (DNS
    rebinding) is still refused."""
    stub = _StubResolver({"rebind.example": ["93.184.215.14"]})
    guard = GuardedResolver(stub)  # type: ignore[arg-type]
    assert [r["host"] for r in await guard.resolve("rebind.example", 80)] == ["93.184.215.14"]
    stub.answers["rebind.example"] = ["127.0.0.1"]
    with pytest.raises(BlockedAddressError, match="loopback"):
        await guard.resolve("rebind.example", 80)
