"""The stand-in's OAuth side and its many workspaces: an authorize page whose "Allow" link sends
the browser back to the app with a code and the state, `oauth.v2.access` (codes it issued, and
refresh tokens when token rotation is on), and one bot token per team, which `auth.test`,
`users.info` and `users.list` answer for: a user of another team is not found with it.

Teams are added with `slack.oauth.add_team(...)`; until one is, the stand-in answers as a single
workspace and ignores tokens, as it always did.
"""

from __future__ import annotations

import base64
import itertools
import threading
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

AUTHORIZE_PATH = "/oauth/v2/authorize"


@dataclass
class Team:
    team_id: str | None
    name: str
    installer: str
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    org_wide: bool = False
    bot_user: str = "UBRAVO0001"
    locale: str = "en-US"

    @property
    def key(self) -> str:
        return self.team_id or f"org:{self.enterprise_id}"


class OAuthTeams:
    def __init__(self, standin: Any, client_id: str = "1111.2222", client_secret: str = "") -> None:
        self.standin = standin
        self.client_id, self.client_secret = client_id, client_secret
        self.app_id = "A0BRAVO"
        self.teams: dict[str, Team] = {}
        self.installing: str | None = None  # the team the authorize page approves for
        self.redirect_uri: str | None = None  # the app's configured redirect URL
        self.rotation = False  # issue refresh tokens and expiring access tokens
        self.expires_in = 43200
        self.codes: dict[str, str] = {}
        self.tokens: dict[str, str] = {}  # token -> team key
        self.refresh_tokens: dict[str, str] = {}
        self.revoked: set[str] = set()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    @property
    def active(self) -> bool:
        return bool(self.teams)

    def add_team(self, team_id: str | None, name: str, *, installer: str, **extra: Any) -> Team:
        team = Team(team_id, name, installer, **extra)
        self.teams[team.key] = team
        self.installing = self.installing or team.key
        return team

    def revoke(self, team_key: str) -> None:
        """Every token of the team stops working (an uninstall)."""
        with self._lock:
            self.revoked |= {t for t, key in self.tokens.items() if key == team_key}

    def tokens_of(self, team_key: str) -> list[str]:
        with self._lock:
            return [t for t, key in self.tokens.items() if key == team_key]

    # -- the authorize page ------------------------------------------------------------------
    def authorize_page(self, query: str) -> tuple[int, str]:
        args = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        team = self.teams.get(args.get("team") or self.installing or "")
        redirect = args.get("redirect_uri") or self.redirect_uri
        if team is None or not redirect or args.get("client_id") != self.client_id:
            return 400, "<html><body><p>invalid_request</p></body></html>"
        code = f"code-{next(self._ids)}-{team.key}"
        with self._lock:
            self.codes[code] = team.key
            self.scopes = tuple(filter(None, args.get("scope", "").split(",")))
        state = args.get("state", "")
        allow = f"{redirect}?{urlencode({'code': code, 'state': state})}"
        deny = f"{redirect}?{urlencode({'error': 'access_denied', 'state': state})}"
        scopes = escape(args.get("scope", ""))
        html = (
            "<!DOCTYPE html><html><head><title>Slack: authorize</title></head><body>"
            f"<h1>Bravo is requesting permission to access {escape(team.name)}</h1>"
            f"<p id='scopes'>{scopes}</p>"
            f"<a id='allow' href='{escape(allow, quote=True)}'>Allow</a> "
            f"<a id='deny' href='{escape(deny, quote=True)}'>Cancel</a></body></html>"
        )
        return 200, html

    # -- the Web API ------------------------------------------------------------------------
    def answer(
        self, method: str, args: dict[str, Any], authorization: str | None
    ) -> dict[str, Any] | None:
        """The answer when OAuth teams decide it, else None (the plain stand-in answers)."""
        if method == "oauth.v2.access":
            return self._access(args, authorization)
        if not self.active:
            return None
        token = (authorization or "").removeprefix("Bearer ").strip() or None
        if token is None:
            return {"ok": False, "error": "not_authed"}
        if token in self.revoked:
            return {"ok": False, "error": "token_revoked"}
        team = self.teams.get(self.tokens.get(token, ""))
        if team is None:
            return {"ok": False, "error": "invalid_auth"}
        if method == "auth.test":
            return self._auth_test(team)
        if method == "users.info":
            user = self._users(team).get(args.get("user", ""))
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            if str(args.get("include_locale", "")).lower() in ("1", "true"):
                user = user | {"locale": user.get("locale", team.locale)}
            return {"ok": True, "user": user}
        if method == "users.list":
            return {"ok": True, "members": list(self._users(team).values())}
        return None

    def _users(self, team: Team) -> dict[str, dict[str, Any]]:
        """The team's members (an org-wide install sees its whole organisation)."""
        teams = {
            t.team_id
            for t in self.teams.values()
            if t.team_id == team.team_id
            or (team.org_wide and t.enterprise_id == team.enterprise_id)
        }
        return {uid: u for uid, u in self.standin.users.items() if u.get("team_id") in teams}

    def _auth_test(self, team: Team) -> dict[str, Any]:
        return {
            "ok": True,
            "url": f"https://{team.name.lower().replace(' ', '-')}.slack.com/",
            "team": team.name,
            "user": "bravo",
            "team_id": team.team_id,
            "enterprise_id": team.enterprise_id,
            "user_id": team.bot_user,
            "bot_id": "B" + team.bot_user[1:],
            "is_enterprise_install": team.org_wide,
        }

    def _client_ok(self, args: dict[str, Any], authorization: str | None) -> bool:
        client_id, secret = args.get("client_id"), args.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, secret = decoded.partition(":")
        return client_id == self.client_id and (
            not self.client_secret or secret == self.client_secret
        )

    def _access(self, args: dict[str, Any], authorization: str | None) -> dict[str, Any]:
        if not self._client_ok(args, authorization):
            return {"ok": False, "error": "invalid_client_id"}
        with self._lock:
            if args.get("grant_type") == "refresh_token":
                key = self.refresh_tokens.pop(str(args.get("refresh_token")), None)
                if key is None:
                    return {"ok": False, "error": "invalid_refresh_token"}
            else:
                key = self.codes.pop(str(args.get("code")), None)
                if key is None:
                    return {"ok": False, "error": "invalid_code"}
        return self._grant(self.teams[key])

    def _grant(self, team: Team) -> dict[str, Any]:
        serial = next(self._ids)
        prefix = "xoxe.xoxb-" if self.rotation else "xoxb-"
        token = f"{prefix}{serial}-{team.key.replace(':', '-')}-secret{serial:04d}"
        answer: dict[str, Any] = {
            "ok": True,
            "access_token": token,
            "token_type": "bot",
            "scope": ",".join(self.scopes),
            "bot_user_id": team.bot_user,
            "app_id": self.app_id,
            "team": None if team.org_wide else {"id": team.team_id, "name": team.name},
            "enterprise": (
                {"id": team.enterprise_id, "name": team.enterprise_name or team.enterprise_id}
                if team.enterprise_id
                else None
            ),
            "is_enterprise_install": team.org_wide,
            "authed_user": {"id": team.installer},
        }
        with self._lock:
            self.tokens[token] = team.key
            if self.rotation:
                refresh = f"xoxe-1-refresh{serial:04d}"
                self.refresh_tokens[refresh] = team.key
                answer |= {"refresh_token": refresh, "expires_in": self.expires_in}
        return answer

    scopes: tuple[str, ...] = ()


def authorize_path(path: str) -> bool:
    return urlsplit(path).path == AUTHORIZE_PATH
