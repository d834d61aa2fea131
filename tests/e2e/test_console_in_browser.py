"""The console in headless Chromium (Debian's, driven by Selenium): each role signs in with
the keyboard, walks every page, sees what it may read and is refused the rest; an auditor
runs the chain verify and reads a replay; the API docs work with no internet. No page asks
any host but the server. Screenshots land in var/test-artifacts/console/.

These run on SQLite only: what the pages show is the same on PostgreSQL, which the console's
HTTP tests (test_console_over_http.py) cover on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.browser import (
    all_text,
    foreign,
    requested_urls,
    screenshot,
    start_chromium,
    tab_through,
    text_of,
    unlabelled_controls,
)
from tests.e2e.conftest import Api
from tests.e2e.console import DAY, Region, populated

ROLES = ("agency", "institution", "auditor", "archivist")
MAY_OPEN = {
    "agency": {"overview", "settlements", "budgets"},
    "institution": {"overview", "settlements", "budgets"},
    "auditor": {"overview", "audit", "settlements", "budgets", "archive"},
    "archivist": {"overview", "archive"},
}


@pytest.fixture
def backend() -> str:
    return "sqlite"


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    driver = start_chromium()
    try:
        yield driver
    finally:
        driver.quit()


def urls(base: str, region: Region) -> dict[str, str]:
    """Each page, asked something it can answer."""
    code = {"institution_code": "H31010100001"}
    return {
        "overview": f"{base}/console/",
        "audit": f"{base}/console/audit?" + urlencode({"aggregate_id": region.person_id}),
        "settlements": f"{base}/console/settlements?"
        + urlencode({**code, "day": DAY, "settlement_id": region.settlement_id}),
        "budgets": f"{base}/console/budgets?"
        + urlencode({**code, "year": "2026", "scheme": "resident"}),
        "archive": f"{base}/console/archive?year=2026",
    }


def sign_in_by_keyboard(driver: WebDriver, base: str, token: str) -> None:
    driver.get(f"{base}/")
    WebDriverWait(driver, 10).until(ready.url_to_be(f"{base}/console/login"))
    field = driver.switch_to.active_element  # the token field has the focus
    assert field.get_attribute("id") == "token"
    field.send_keys(token, Keys.ENTER)
    WebDriverWait(driver, 10).until(ready.url_to_be(f"{base}/console/"))


def sign_out(driver: WebDriver) -> None:
    driver.find_element(By.CSS_SELECTOR, "form.who button").click()
    WebDriverWait(driver, 10).until(ready.url_contains("/console/login"))


def wait_for_views(api: Api, position: int) -> None:
    assert api.container.views.wait_for(position, 10)


def test_each_role_walks_every_page_and_sees_only_what_it_may_read(
    api: Api, browser: WebDriver
) -> None:
    region = populated(api)
    wait_for_views(api, region.position)
    base = str(api.client.base_url)
    requested_urls(browser)  # drain the log of earlier tests
    refused, keyboard = {}, {}

    for role in ROLES:
        sign_in_by_keyboard(browser, base, api.tokens[role])
        nav = set(all_text(browser, "header nav a"))
        assert text_of(browser, "[data-role]") == role
        assert len(nav) == len(MAY_OPEN[role])
        for name, url in urls(base, region).items():
            browser.get(url)
            alerts = all_text(browser, "[role=alert]")
            if name in MAY_OPEN[role]:
                assert alerts == [], (role, name, alerts)
                assert unlabelled_controls(browser) == [], (role, name)
                if name not in {page for _, page in keyboard}:  # once a page is enough
                    count, reached = tab_through(browser)
                    keyboard[(role, name)] = (count, len(reached))
                screenshot(browser, f"{role}-{name}")
            else:
                refused[(role, name)] = browser.find_element(By.TAG_NAME, "h1").text
        sign_out(browser)

    assert {k: v for k, v in keyboard.items() if v[0] != v[1]} == {}
    assert set(refused.values()) == {"403 — FORBIDDEN"}
    assert set(refused) == {(r, p) for r in ROLES for p in urls(base, region)} - {
        (r, p) for r in ROLES for p in MAY_OPEN[r]
    }
    assert foreign(requested_urls(browser), base) == []


def test_an_auditor_verifies_the_chain_and_reads_a_version_beside_the_previous(
    api: Api, browser: WebDriver
) -> None:
    region = populated(api)
    wait_for_views(api, region.position)
    base = str(api.client.base_url)
    head = api.container.region.head()
    requested_urls(browser)
    sign_in_by_keyboard(browser, base, api.tokens["auditor"])

    browser.find_element(By.ID, "verify").send_keys(Keys.ENTER)
    WebDriverWait(browser, 30).until(
        ready.text_to_be_present_in_element((By.ID, "verify-status"), "Verify complete")
    )
    progress = browser.find_element(By.ID, "verify-bar").get_attribute("value")
    screenshot(browser, "auditor-verified")
    browser.get(f"{base}/console/")
    remembered = text_of(browser, "[data-verified]")

    browser.get(f"{base}/console/audit?" + urlencode({"aggregate_id": region.person_id}))
    browser.find_element(By.CSS_SELECTOR, "table[data-table=events] tbody tr:last-child a").click()
    WebDriverWait(browser, 10).until(ready.url_contains("/console/audit/aggregates/"))
    changed = all_text(browser, "tr[data-changed] th")
    screenshot(browser, "auditor-replay")

    assert progress == str(head)
    assert remembered == str(head)
    assert changed and unlabelled_controls(browser) == []
    assert foreign(requested_urls(browser), base) == []


def test_the_api_docs_work_with_no_internet(api: Api, browser: WebDriver) -> None:
    base = str(api.client.base_url)
    requested_urls(browser)

    browser.get(f"{base}/docs")
    WebDriverWait(browser, 20).until(
        ready.presence_of_element_located((By.CSS_SELECTOR, ".swagger-ui .opblock"))
    )
    screenshot(browser, "docs-swagger-ui")
    browser.get(f"{base}/redoc")
    WebDriverWait(browser, 20).until(
        ready.presence_of_element_located((By.CSS_SELECTOR, "[data-section-id]"))
    )
    screenshot(browser, "docs-redoc")

    assert foreign(requested_urls(browser), base) == []


def submit(browser: WebDriver, form_label: str, **fields: str) -> None:
    """Fill a form's fields by id (dates set as values) and submit it with the keyboard."""
    form = browser.find_element(By.CSS_SELECTOR, f'form[aria-label="{form_label}"]')
    for field_id, value in fields.items():
        element = form.find_element(By.ID, field_id)
        if element.get_attribute("type") == "date":
            browser.execute_script("arguments[0].value = arguments[1]", element, value)
        else:
            element.send_keys(value)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").send_keys(Keys.ENTER)


def test_an_archivist_holds_releases_and_exports_a_package_in_the_browser(
    api: Api, browser: WebDriver
) -> None:
    region = populated(api)
    wait_for_views(api, region.position)
    base = str(api.client.base_url)
    requested_urls(browser)
    sign_in_by_keyboard(browser, base, api.tokens["archivist"])
    browser.get(f"{base}/console/archive")
    labelled = unlabelled_controls(browser)
    count, reached = tab_through(browser)

    submit(
        browser,
        "Place a hold",
        **{"h-ids": region.person_id, "h-basis": "稽核调查", "h-reason": "案件调查需要"},
    )
    WebDriverWait(browser, 10).until(
        ready.presence_of_element_located((By.CSS_SELECTOR, "[data-notice]"))
    )
    placed = text_of(browser, "[data-notice]")
    active = all_text(browser, "table[data-table=holds] tbody tr")
    held = all_text(browser, "table[data-table=records] [data-held]")
    screenshot(browser, "archivist-hold-placed")
    release = browser.find_element(By.CSS_SELECTOR, "table[data-table=holds] form")
    release.find_element(By.NAME, "reason").send_keys("调查结束", Keys.ENTER)
    WebDriverWait(browser, 10).until(
        ready.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-notice]"), "released")
    )
    released = all_text(browser, "table[data-table=holds] tbody tr")

    submit(
        browser, "Export a retention package", **{"p-since": "2026-03-01", "p-until": "2026-03-31"}
    )
    WebDriverWait(browser, 30).until(ready.url_contains("/console/archive/packages/"))
    summary = text_of(browser, "[data-summary]")
    screenshot(browser, "archivist-package-summary")

    assert labelled == [] and count == len(reached)
    assert "placed" in placed and len(active) == 1 and "active" in active[0]
    assert len(held) == 2  # the person's enrollment and claim
    assert len(released) == 1 and "released" in released[0]
    assert summary.startswith("yibao retention package — summary")
    assert foreign(requested_urls(browser), base) == []
