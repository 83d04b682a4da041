"""The install page in a real browser: headless Debian chromium goes to /slack/install, clicks
"Add to Slack", approves on the stand-in's authorize page, follows the redirect back (with
Bolt's state cookie), and lands on the success page; the installation is stored encrypted.

Nothing is downloaded: Selenium drives /usr/bin/chromium through /usr/bin/chromedriver
(.ci/run installs both with apt)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import Database
from tests.oauth_support import T1, ServedOAuthBravo, two_teams
from tests.slack_standin import SlackStandIn

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and DRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


@pytest.fixture
def served(tmp_path):
    database = Database("sqlite", tmp_path)
    slack = two_teams(SlackStandIn()).start()
    bravo = ServedOAuthBravo(database, slack, tmp_path)
    yield bravo
    bravo.stop()
    slack.stop()
    database.drop()


def test_installs_through_the_install_page_in_chromium(browser, served):
    from selenium.webdriver.common.by import By

    served.slack.oauth.installing = T1
    browser.get(served.url + "/slack/install")
    assert "Add Bravo to Slack" in browser.title
    browser.find_element(By.ID, "add-to-slack").click()
    assert browser.current_url.startswith(served.slack.url + "/oauth/v2/authorize")
    assert "Acme Support" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.ID, "allow").click()
    assert browser.current_url.startswith(served.url + "/slack/oauth_redirect")
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "Bravo is installed" in page and "/invite @Bravo" in page, page
    rows = served.db.rows("SELECT install_key, bot_token FROM installations")
    token = served.slack.oauth.tokens_of(T1)[-1]
    assert [r[0] for r in rows] == [T1]
    assert rows[0][1].startswith("gAAAA") and token not in rows[0][1]
