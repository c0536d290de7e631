"""Which IP addresses a fetch of an outside URL may reach: public unicast ones only.

`ipaddress`'s `is_global` is not enough on its own. IPv6 has several ways to carry an IPv4
address, and a socket connects to the IPv4 address inside (on hosts with the matching
translation: NAT64, a 6to4 relay, dual-stack mapping), so `::ffff:127.0.0.1`,
`64:ff9b::a9fe:a9fe` (169.254.169.254, the cloud metadata service) or `::7f00:1` would
reach the machine or its network while counting as "global". Each embedded IPv4 address is
checked as an IPv4 address; forms with no reason to appear in a public DNS answer
(IPv4-compatible, IPv4-translated, local NAT64, site-local, Teredo) are refused outright.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_REFUSED_V6 = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "::/96",  # IPv4-compatible (deprecated), includes :: and ::1
        "::ffff:0:0:0/96",  # IPv4-translated (RFC 2765)
        "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215)
        "fec0::/10",  # site-local (deprecated, still routed by some stacks)
        "2001::/32",  # Teredo: the client address inside is obfuscated
        "100::/64",  # discard-only
    )
)


# Special-purpose IPv4 blocks, spelled out: `is_global` differs across Python versions.
_REFUSED_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",
        "100.64.0.0/10",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "240.0.0.0/4",
    )
)


def parse_address(address: str) -> IPAddress | None:
    """An IP address from `getaddrinfo` (zone id dropped), or None if it is not one."""
    try:
        return ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None


def _public_v4(ip: ipaddress.IPv4Address) -> bool:
    if any(ip in network for network in _REFUSED_V4):
        return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def is_public(address: str) -> bool:
    """Whether a fetch may connect to `address` (an IPv4 or IPv6 literal)."""
    ip = parse_address(address)
    if ip is None:
        return False
    if isinstance(ip, ipaddress.IPv4Address):
        return _public_v4(ip)
    if ip.ipv4_mapped is not None:
        return _public_v4(ip.ipv4_mapped)
    if ip in _NAT64:
        return _public_v4(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        return _public_v4(ip.sixtofour)
    if any(ip in network for network in _REFUSED_V6):
        return False
    return ip.is_global and not (
        ip.is_multicast or ip.is_reserved or ip.is_site_local or ip.is_link_local
    )
