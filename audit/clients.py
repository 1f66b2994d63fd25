"""Who is asking, as far as the network tells: for throttles, lock-outs and access records."""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or with `DJANGO_TRUSTED_PROXY_HOPS` proxies in
    front, the address the outermost trusted proxy saw in X-Forwarded-For. Anything that is
    not an address falls back to REMOTE_ADDR."""
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if hops and len(forwarded) >= hops and _is_address(forwarded[-hops]):
        return forwarded[-hops]
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if _is_address(remote) else "0.0.0.0"


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
