"""OAuth mode for the end-to-end tests: `bravo serve` with SLACK_CLIENT_ID/SECRET and an
encryption key and no bot token, two workspaces the stand-in knows, and an installer that walks
the real flow over HTTP (install page, authorize page, redirect with code, state and cookie)."""

from __future__ import annotations

import html.parser
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

from tests.conftest import SECRET, Database, ServedBravo
from tests.slack_standin import SlackStandIn

CLIENT_ID, CLIENT_SECRET = "1111.2222", "oauth-client-secret-0123456789"
KEY = Fernet.generate_key().decode()
COOKIE = "slack-app-oauth-state"
T1, T2 = "T0001", "T0002"
ANA, BO = "U0GIVER", "U0BO"  # workspace 1
ZOE, YAN = "U2ZOE", "U2YAN"  # workspace 2


def two_teams(slack: SlackStandIn) -> SlackStandIn:
    slack.oauth.client_secret = CLIENT_SECRET
    slack.add_user(ANA, "Ana Giver", is_admin=True)
    slack.add_user(BO, "Bo Berg")
    slack.add_user(
        ZOE, "Zoe Zwart", team_id=T2, tz="America/New_York", locale="nl-NL", is_admin=True
    )
    slack.add_user(YAN, "Yan Yu", team_id=T2)
    slack.oauth.add_team(T1, "Acme Support", installer=ANA, bot_user="UBRAVO0001")
    slack.oauth.add_team(T2, "Zebra Care", installer=ZOE, bot_user="UBRAVO0002")
    return slack


def oauth_env(db: Database, slack: SlackStandIn, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRAVO_"))}
    env.update(
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_STATE_SECRET="state-secret-0123456789",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.api_url,
        SLACK_AUTHORIZE_URL=slack.url + "/oauth/v2/authorize",
        BRAVO_ENCRYPTION_KEY=KEY,
        DATABASE_URL=db.url,
        BRAVO_TIMEZONE="Europe/Amsterdam",
        PORT=str(port),
        WEB_CONCURRENCY="2",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


class ServedOAuthBravo(ServedBravo):
    """`bravo serve` in OAuth mode (no SLACK_BOT_TOKEN), HOME in a directory the test watches."""

    def __init__(self, db: Database, slack: SlackStandIn, tmp: Path, **extra: str) -> None:
        self.extra = extra
        super().__init__(db, slack, tmp)

    def environment(self, tmp: Path) -> dict[str, str]:
        self.home = tmp / "home"
        self.home.mkdir(exist_ok=True)
        return oauth_env(self.db, self.slack, self.port, HOME=str(self.home), **self.extra)

    def before_ready(self) -> None:
        self.slack.oauth.redirect_uri = self.url + "/slack/oauth_redirect"


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "a" and found.get("id"):
            self.links[found["id"]] = found.get("href") or ""


def links(page: str) -> dict[str, str]:
    parser = _Links()
    parser.feed(page)
    return parser.links


@dataclass
class Page:
    status: int
    body: str
    headers: dict[str, str]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _lower(headers) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def get(url: str, cookie: str | None = None) -> Page:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with _opener.open(request, timeout=10) as response:
            return Page(response.status, response.read().decode(), _lower(response.headers))
    except urllib.error.HTTPError as error:
        return Page(error.code, error.read().decode(), _lower(error.headers))


@dataclass
class Attempt:
    """One walk through the flow up to the redirect back: what the browser would carry."""

    install_page: Page
    state: str
    allow_url: str

    @property
    def cookie(self) -> str:
        return f"{COOKIE}={self.state}"


def start_install(bravo: ServedBravo, team: str) -> Attempt:
    """GET /slack/install, follow "Add to Slack" to the stand-in's authorize page for `team`."""
    bravo.slack.oauth.installing = team
    page = get(bravo.url + "/slack/install")
    assert page.status == 200, page.body
    cookie = page.headers.get("set-cookie", "")
    state = cookie.split(";")[0].split("=", 1)[1]
    authorize = get(links(page.body)["add-to-slack"])
    assert authorize.status == 200, authorize.body
    return Attempt(page, state, links(authorize.body)["allow"])


def install(bravo: ServedBravo, team: str) -> Page:
    """The whole flow, approved: the page the installer lands on."""
    attempt = start_install(bravo, team)
    return get(attempt.allow_url, cookie=attempt.cookie)
