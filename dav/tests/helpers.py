"""Hand-written DAV requests through Django's test client (the whole middleware stack)."""

import base64
import xml.etree.ElementTree as ET

from dav import services
from dav.xml import CALDAV, CALSERVER, DAV

NS = {"D": DAV, "C": CALDAV, "CS": CALSERVER}

PROPFIND_ALL = b"""<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>"""


def app_password(user, name="test app") -> str:
    _password, secret = services.app_password_create(user=user, name=name)
    return secret


def basic(username, password) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def propfind(*props: str) -> bytes:
    """A PROPFIND body asking for `props`, each as "D:name", "C:name" or "CS:name"."""
    names = "".join(f"<{prop}/>" for prop in props)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<D:propfind xmlns:D="{DAV}" xmlns:C="{CALDAV}" xmlns:CS="{CALSERVER}">'
        f"<D:prop>{names}</D:prop></D:propfind>"
    ).encode()


class Dav:
    """A calendar app's requests, signed in with an app password."""

    def __init__(self, client, user, secret=None, address="203.0.113.9"):
        self.client = client
        self.user = user
        self.secret = secret or app_password(user)
        self.address = address
        self.calendar = f"/dav/calendars/{user.username}/meetings/"

    def request(self, method, path, body=b"", auth=True, **headers):
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if auth:
            extra.setdefault("HTTP_AUTHORIZATION", basic(self.user.username, self.secret))
        response = self.client.generic(
            method, path, body, content_type="application/xml", REMOTE_ADDR=self.address, **extra
        )
        response.body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        )
        return response

    def propfind(self, path, body=PROPFIND_ALL, depth="0", **headers):
        return self.request("PROPFIND", path, body, depth=depth, **headers)

    def report(self, body, path=None, **headers):
        return self.request("REPORT", path or self.calendar, body, depth="1", **headers)

    def sync(self, token="", props="<D:getetag/>", limit=None):
        limit = f"<D:limit><D:nresults>{limit}</D:nresults></D:limit>" if limit else ""
        body = (
            f'<D:sync-collection xmlns:D="DAV:" xmlns:C="{CALDAV}">'
            f"<D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level>{limit}"
            f"<D:prop>{props}</D:prop></D:sync-collection>"
        ).encode()
        return self.report(body)


def multistatus(response) -> dict:
    """{href: {"status": code or None, "props": {name: element}, "missing": [names]}}."""
    assert response.status_code == 207, (response.status_code, response.body[:500])
    root = ET.fromstring(response.body)
    found = {}
    for item in root.findall("D:response", NS):
        href = item.findtext("D:href", namespaces=NS)
        status = item.findtext("D:status", namespaces=NS)
        entry = {"status": int(status.split()[1]) if status else None, "props": {}, "missing": []}
        for propstat in item.findall("D:propstat", NS):
            code = int(propstat.findtext("D:status", namespaces=NS).split()[1])
            for prop in propstat.find("D:prop", NS):
                if code == 200:
                    entry["props"][_short(prop.tag)] = prop
                else:
                    entry["missing"].append(_short(prop.tag))
        found[href] = entry
    return found


def sync_token(response) -> str:
    return ET.fromstring(response.body).findtext("D:sync-token", namespaces=NS)


def _short(name: str) -> str:
    for prefix, uri in NS.items():
        name = name.replace(f"{{{uri}}}", f"{prefix}:")
    return name
