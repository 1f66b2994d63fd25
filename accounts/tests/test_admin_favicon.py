"""The admin's pages carry the site's icon, as the public pages do, and its own styles (Korean
wraps between words in the lists)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_links_the_favicon(client, coordinator):
    client.force_login(coordinator)
    for path in ("/admin/", "/admin/events/meeting/", "/admin/followups/stakeholderrequest/"):
        page = client.get(path).content.decode()
        assert "favicon.ico" in page and "favicon.svg" in page, path
        assert "admin-extra.css" in page, path
