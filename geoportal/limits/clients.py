"""The client's address: the one function every limit keys on.

A forwarded address (`X-Forwarded-For`) is believed only when the connection comes from a
proxy listed in KOMIN_TRUSTED_PROXIES; anyone else could write any address there and
become a new client on every request."""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def trusted_proxies() -> tuple[Network, ...]:
    entries = getattr(settings, "KOMIN_TRUSTED_PROXIES", ()) or ()
    if isinstance(entries, str):
        entries = entries.split(",")
    return _networks(tuple(e.strip() for e in entries if e.strip()))


def _address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    raw = raw.strip()
    if raw.startswith("[") and "]" in raw:  # "[2001:db8::1]:443"
        raw = raw[1 : raw.index("]")]
    elif raw.count(":") == 1:  # "203.0.113.7:51234"
        raw = raw.split(":")[0]
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address, proxies: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_address(request) -> str:
    """REMOTE_ADDR, or, when that is a trusted proxy, the nearest address in
    X-Forwarded-For that is not one (read right to left: each proxy appends the address
    it received the request from, so only the part our own proxies wrote is reliable)."""
    meta = request.META
    peer = _address(meta.get("REMOTE_ADDR", "")) or ipaddress.ip_address("0.0.0.0")
    proxies = trusted_proxies()
    if not proxies or not _trusted(peer, proxies):
        return str(peer)
    hops = [h for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:  # garbage written by the client itself: stop at what we trust
            break
        client = address
        if not _trusted(address, proxies):
            break
    return str(client)


def client_identity(request) -> str:
    """What a per-client limit counts: the address, or for IPv6 its /64, since one
    subscriber usually holds a whole /64 and could otherwise take a new address per try."""
    address = ipaddress.ip_address(client_address(request))
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
