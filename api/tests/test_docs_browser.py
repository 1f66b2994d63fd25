"""The API docs as a developer's browser shows them: Swagger UI draws the introduction and the
resource groups in the browser's language, on a desk and on a phone."""

import pytest

# The live server's flush would otherwise leave no roles for the tests after this one.
pytestmark = pytest.mark.usefixtures("committed")


@pytest.mark.parametrize(
    ("locale", "heading", "first_group", "first_summary"),
    [
        ("ko-KR", "토큰 받기", "간담회", "간담회 목록"),
        ("en-US", "Getting a token", "Meetings", "List meetings"),
    ],
)
@pytest.mark.parametrize("width", [1366, 360])
def test_the_docs_show_how_to_get_a_token_and_the_groups(
    live_server, browser, locale, heading, first_group, first_summary, width
):
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-tag")
    assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator(".info a", has_text="/admin/my-token/").get_attribute("href") == (
        "/admin/my-token/"
    )
    groups = page.locator(".opblock-tag").all_inner_texts()
    assert groups[0].strip() == first_group
    assert page.locator(".opblock-summary-description").first.inner_text() == first_summary
    # Nothing wider than the screen: the introduction wraps on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
