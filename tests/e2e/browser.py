"""Headless Chromium for the console's tests: Debian's `chromium` and `chromedriver`
(`make test` installs them), driven by Selenium, with the network log kept so a test can
check that a page asked no host but the server."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

ROOT = Path(__file__).parents[2]
ARTIFACTS = (
    Path(os.environ.get("YIBAO_TEST_ARTIFACTS", ROOT / "var" / "test-artifacts")) / "console"
)
LOCAL_SCHEMES = ("data", "blob", "about", "chrome", "devtools")


def start_chromium() -> WebDriver:
    """A headless Chromium with the performance (network) log on; no browser download."""
    binary = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    assert binary and driver, "chromium and chromium-driver are missing: run `make chromium`"
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        "--lang=en-US",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def requested_urls(driver: WebDriver) -> list[str]:
    """Every URL the pages asked for since the last call (the log is drained)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def foreign(urls: list[str], base_url: str) -> list[str]:
    """The URLs that went to another host than the server's."""
    server = urlsplit(base_url).netloc
    return [
        u for u in urls if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).netloc != server
    ]


def screenshot(driver: WebDriver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.execute_script(
        "document.activeElement && document.activeElement.blur(); scrollTo(0, 0);"
    )
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(int(height), 600), 4000))
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 900)
    return path


UNLABELLED = """
const named = el => (el.labels && el.labels.length > 0 && el.labels[0].textContent.trim())
  || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
  || (el.tagName === 'BUTTON' && el.textContent.trim());
return Array.from(document.querySelectorAll('input, select, textarea, button'))
  .filter(el => el.type !== 'hidden' && !named(el))
  .map(el => el.outerHTML);
"""

FOCUSABLE = """
const found = Array.from(document.querySelectorAll('a[href], button, input, select, textarea'))
  .filter(el => el.type !== 'hidden' && !el.disabled && el.offsetParent !== null
               && el.tabIndex >= 0);
found.forEach((el, i) => { el.dataset.tabI = String(i); });
return found.length;
"""


def unlabelled_controls(driver: WebDriver) -> list[str]:
    """Form controls without a label, aria-label or text: a screen reader cannot name them."""
    found: list[str] = driver.execute_script(UNLABELLED)
    return found


def tab_through(driver: WebDriver) -> tuple[int, set[int]]:
    """Number the page's focusable controls, press Tab from the top of the page until each
    was reached (a date field takes a Tab per part: at most four a control), and return (how
    many there are, which ones the keyboard reached)."""
    count = int(driver.execute_script(FOCUSABLE))
    driver.execute_script("document.activeElement && document.activeElement.blur();")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    reached: set[int] = set()
    for _ in range(4 * count):
        if len(reached) == count:
            break
        active = driver.switch_to.active_element
        index = active.get_attribute("data-tab-i")
        if index is not None:
            reached.add(int(index))
        active.send_keys(Keys.TAB)
    return count, reached


def focusable_count(driver: WebDriver) -> int:
    return int(driver.execute_script(FOCUSABLE))


def text_of(driver: WebDriver, css: str) -> str:
    return str(driver.find_element(By.CSS_SELECTOR, css).text)


def all_text(driver: WebDriver, css: str) -> list[str]:
    return [str(e.text) for e in driver.find_elements(By.CSS_SELECTOR, css)]


def attribute(driver: WebDriver, css: str, name: str) -> Any:
    return driver.find_element(By.CSS_SELECTOR, css).get_attribute(name)
