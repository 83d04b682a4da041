"""Installations and OAuth state in the database (SQLite and PostgreSQL): tokens sealed with
MultiFernet, org-wide installs served for each workspace of the organisation, single-use state,
`bravo keys rotate`, and per-workspace clients (with Slack's token rotation)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation

from bot.domain import installs
from bot.domain.deps import Deps
from bot.domain.model import Workspace
from bot.domain.tokens import UnreadableToken
from bot.entrypoints import cli
from bot.entrypoints.cipher import FernetCipher
from bot.entrypoints.runtime import slack_client
from bot.settings import load_settings
from bot.slack.clients import WorkspaceClients
from bot.slack.installs import BravoInstallationStore, BravoStateStore

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def deps(services) -> Deps:
    return Deps(
        uow=services.uow, clock=services.clock, defaults=services.defaults, cipher=FernetCipher(OLD)
    )


def installation(
    team: str | None, token: str, *, enterprise: str | None = None, org: bool = False, **extra
):
    return Installation(
        app_id="A0BRAVO",
        enterprise_id=enterprise,
        team_id=team,
        team_name="Acme",
        bot_token=token,
        bot_id="B1",
        bot_user_id="UBOT",
        bot_scopes="commands,chat:write",
        user_id="U0ANA",
        is_enterprise_install=org,
        installed_at=NOW.timestamp(),
        **extra,
    )


def test_tokens_are_stored_sealed_and_found_opened(deps, db):
    store = BravoInstallationStore(deps)
    store.save(installation("T1", "xoxb-1-secret-one"))
    stored = db.scalar("SELECT bot_token FROM installations")
    assert "secret-one" not in stored and stored.startswith("gAAAA")
    found = store.find_installation(enterprise_id=None, team_id="T1")
    assert found.bot_token == "xoxb-1-secret-one" and found.bot_scopes == ["commands", "chat:write"]
    assert store.find_bot(enterprise_id=None, team_id="T2") is None
    assert store.find_installation(enterprise_id=None, team_id="T1", user_id="U0OTHER") is None


def test_an_org_wide_install_serves_every_workspace_of_its_organisation(deps):
    store = BravoInstallationStore(deps)
    store.save(installation(None, "xoxb-org-token", enterprise="E1", org=True))
    for team in ("T1", "T2"):
        bot = store.find_bot(enterprise_id="E1", team_id=team, is_enterprise_install=True)
        assert bot.bot_token == "xoxb-org-token"
    assert store.find_bot(enterprise_id="E2", team_id="T3") is None
    workspace = Workspace(7, "T9", "E1", "UTC", "en", 5)
    assert installs.bot_token_for(workspace, uow=deps.uow(), cipher=deps.cipher) == "xoxb-org-token"
    store.delete_all(enterprise_id="E1", team_id=None)
    assert store.find_bot(enterprise_id="E1", team_id="T1", is_enterprise_install=True) is None


def test_a_reinstall_replaces_the_token_and_uninstall_deletes_it(deps):
    store = BravoInstallationStore(deps)
    store.save(installation("T1", "xoxb-old"))
    store.save(installation("T1", "xoxb-new"))
    assert store.find_bot(enterprise_id=None, team_id="T1").bot_token == "xoxb-new"
    store.delete_installation(enterprise_id=None, team_id="T1")
    assert store.find_bot(enterprise_id=None, team_id="T1") is None


def test_oauth_state_is_single_use_and_expires(deps, services):
    states = BravoStateStore(deps)
    state = states.issue()
    assert states.consume(state) is True
    assert states.consume(state) is False
    assert states.consume("never-issued") is False
    late = states.issue()
    # Ten minutes to come back from Slack; later, the state is refused (and swept).
    assert installs.consume_state(late, NOW + timedelta(minutes=11), uow=deps.uow()) is False


def test_keys_rotate_reseals_every_token_with_the_first_key(deps, db, monkeypatch):
    BravoInstallationStore(deps).save(
        installation("T1", "xoxb-1-rotate-me", bot_refresh_token="xoxe-1-r")
    )
    before = db.scalar("SELECT bot_token FROM installations")
    for name in ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.setenv("BRAVO_ENCRYPTION_KEY", f"{NEW},{OLD}")
    assert cli.main(["keys", "rotate"]) == 0
    after = db.scalar("SELECT bot_token FROM installations")
    assert after != before
    only_new = Deps(uow=deps.uow, clock=deps.clock, cipher=FernetCipher(NEW))
    found = installs.find_install("T1", None, uow=only_new.uow(), cipher=only_new.cipher)
    assert (found.bot_token, found.bot_refresh_token) == ("xoxb-1-rotate-me", "xoxe-1-r")
    with pytest.raises(UnreadableToken):  # the old key alone opens nothing any more
        installs.find_install("T1", None, uow=deps.uow(), cipher=FernetCipher(OLD))


def test_keys_rotate_without_the_old_key_stops_with_one_line(deps, db, monkeypatch, capsys):
    BravoInstallationStore(deps).save(installation("T1", "xoxb-1-sealed-with-old"))
    monkeypatch.delenv("SLACK_CLIENT_ID", raising=False)
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.setenv("BRAVO_ENCRYPTION_KEY", NEW)
    assert cli.main(["keys", "rotate"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


def test_each_workspace_gets_a_client_with_its_own_token(deps, standin):
    store = BravoInstallationStore(deps)
    store.save(installation("T1", "xoxb-one"))
    store.save(installation("T2", "xoxb-two"))
    settings = load_settings(SLACK_API_URL=standin.api_url, SLACK_BOT_TOKEN="")
    clients = WorkspaceClients(
        deps,
        make_client=lambda t: slack_client(settings, t),
        client_id="1111.2222",
        client_secret="s",
    )
    one, two = Workspace(1, "T1", None, "UTC", "en", 5), Workspace(2, "T2", None, "UTC", "en", 5)
    assert clients(one).token == "xoxb-one" and clients(two).token == "xoxb-two"
    assert clients(one) is clients(one)  # cached per token
    assert clients(Workspace(3, "T3", None, "UTC", "en", 5)).token is None


def test_a_token_about_to_expire_is_refreshed_and_stored_sealed(deps, standin, db):
    standin.oauth.add_team("T1", "Acme", installer="U0ANA")
    standin.oauth.rotation = True
    standin.oauth.client_secret = "s"
    standin.oauth.refresh_tokens["xoxe-1-old"] = "T1"
    soon = int((datetime.now(UTC) + timedelta(minutes=5)).timestamp())
    store = BravoInstallationStore(deps)
    store.save(
        installation(
            "T1", "xoxe.xoxb-old", bot_refresh_token="xoxe-1-old", bot_token_expires_at=soon
        )
    )
    settings = load_settings(SLACK_API_URL=standin.api_url, SLACK_BOT_TOKEN="")
    clients = WorkspaceClients(
        deps,
        make_client=lambda t: slack_client(settings, t),
        client_id="1111.2222",
        client_secret="s",
    )
    token = clients(Workspace(1, "T1", None, "UTC", "en", 5)).token
    assert token != "xoxe.xoxb-old" and token in standin.oauth.tokens
    refreshed = store.find_bot(enterprise_id=None, team_id="T1")
    assert refreshed.bot_token == token and refreshed.bot_refresh_token != "xoxe-1-old"
    assert token not in db.scalar("SELECT bot_token FROM installations")


@pytest.mark.parametrize(
    ("locale", "language"),
    [("nl-NL", "nl"), ("nl-BE", "nl"), ("en-GB", "en"), ("de-DE", "en"), (None, "en")],
)
def test_the_installers_locale_picks_the_language(locale, language):
    assert installs.language_from_locale(locale, "en") == language


def test_oauth_mode_without_a_valid_key_refuses_to_start_with_one_line(monkeypatch, capsys):
    monkeypatch.setenv("SLACK_CLIENT_ID", "1111.2222")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "s")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "x")
    for key in ("", "not-a-fernet-key"):
        monkeypatch.setenv("BRAVO_ENCRYPTION_KEY", key) if key else monkeypatch.delenv(
            "BRAVO_ENCRYPTION_KEY", raising=False
        )
        assert cli.main(["serve"]) == 2
        err = capsys.readouterr().err
        assert "BRAVO_ENCRYPTION_KEY" in err and err.strip().count("\n") == 0, err
