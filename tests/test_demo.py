"""`bravo demo` runs the real app offline, shows the whole product and checks its own outcome.

The three runs (English, Dutch, two Dutch days into a chosen database) start together and are
read as plain text: piped, with NO_COLOR, the way a log or a CI job sees them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.i18n import catalog

ROOT = Path(__file__).resolve().parents[1]
SHORTCODE = re.compile(r":[a-z0-9_+-]+:")
CATALOG_KEY = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")
SEEN = {
    "en": {
        "love": "#customer-love",
        "stories": "#stories",
        "principle": "Principle of the day",
        "applause": "Applaud · 2",
        "balance": "Balance:",
        "full_ranking": "full ranking",
        "export": "[ Export CSV ]",
        "team_month": "Your team this month",
    },
    "nl": {
        "love": "#klantgeluk",
        "stories": "#verhalen",
        "principle": "Principe van de dag",
        "applause": "Applaus · 2",
        "balance": "Balans:",
        "full_ranking": "volledige ranglijst",
        "export": "[ CSV exporteren ]",
        "team_month": "Je team deze maand",
    },
}


def _start(tmp: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRAVO_"))}
    env.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot.entrypoints.cli", "demo", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env | {"NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
        cwd=tmp,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    tmp = tmp_path_factory.mktemp("demo")
    started = {
        "en": _start(tmp, "--language", "en"),
        "nl": _start(tmp, "--language", "nl"),
        "nl-2": _start(tmp, "--language", "nl", "--days", "2", "--db", str(tmp / "two.db")),
    }
    done = {}
    for name, process in started.items():
        out, err = process.communicate(timeout=120)
        done[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    done["tmp"] = tmp
    return done


def panels(out: str) -> list[tuple[str, str]]:
    """(title, body) of each Slack surface the demo printed."""
    found, title, body = [], None, []
    for line in out.splitlines():
        if line.startswith("┌─ "):
            title, body = line[3:].rstrip("┐─ "), []
        elif line.startswith("└") and title is not None:
            found.append((title, "\n".join(body)))
            title = None
        elif title is not None:
            body.append(line.strip("│ "))
    return found


def bodies(out: str, title: str) -> list[str]:
    """The text of each panel titled `title`, its wrapped lines joined again."""
    return [" ".join(body.split()) for t, body in panels(out) if t == title]


def flat(out: str) -> str:
    return " ".join(out.split())


def catalog_keys(language: str) -> set[str]:
    """Every message key of the Slack app's catalogs (its gettext msgids)."""
    return {k for k in catalog(language) if CATALOG_KEY.match(k)}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_demo_shows_the_whole_product(runs, language):
    result, seen = runs[language], SEEN[language]
    out = result.stdout
    assert result.returncode == 0, out[-3000:] + result.stderr
    assert "✓ Everything stored and posted is what this week adds up to." in out
    assert "Stored: 15 recognitions (1 switched to another kind), 1 story, 2 applause" in flat(out)
    assert "none left this machine" in out
    assert [line for line in out.splitlines() if "done (day" in line][-1].startswith(
        "✓ Fri 27 Nov done (day 5 of 5)"
    )
    love = bodies(out, seen["love"])
    assert any(seen["principle"] in body for body in love), "no daily principle"
    assert any(seen["balance"] in body for body in love), "no digest with the balance"
    assert any("Jansen" in body for body in bodies(out, seen["stories"])), "no story"
    updates = bodies(out, f"{seen['stories']} · the card updates")
    assert any(seen["applause"] in body for body in updates), "no applause"
    assert any(t.startswith("modal: ") for t, _ in panels(out)), "no kudos modal"
    mine = bodies(out, "only Ana sees, in #support")
    assert any(seen["full_ranking"] in b and seen["export"] in b for b in mine), "no manager board"
    assert any(".csv" in body for body in bodies(out, "DM to Ana de Wit · files")), "no export"
    assert "Bo Jansen in #support: /bravo me" in flat(out)
    assert any("@Bo" in body for body in bodies(out, "only Bo sees, in #support"))
    assert bodies(out, "App Home of Bo Jansen"), "no member's App Home"
    assert any(seen["team_month"] in body for body in bodies(out, "App Home of Ana de Wit"))
    assert any("✅" not in body for body in bodies(out, "only Dee sees, in #support"))
    assert "@channel" in out and "<!channel>" not in out and "<@U" not in out


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_demo_prints_no_raw_markup_or_message_keys(runs, language):
    out = runs[language].stdout
    assert SHORTCODE.findall(out) == []
    assert "*" not in out.replace("**", "")  # bold is shown as bold (or plainly), not as *x*
    leaked = [key for key in catalog_keys(language) if key in out]
    assert leaked == []
    assert "\x1b[" not in out  # no colour codes in a pipe


def test_the_demo_plays_two_days_into_the_database_it_was_given(runs):
    result, db = runs["nl-2"], runs["tmp"] / "two.db"
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert db.exists() and f"The demo's database: {db}" in result.stdout
    out = result.stdout
    assert "done (day 2 of 2)" in out and "Wednesday" not in out
    assert "Stored: 5 recognitions (1 switched to another kind), 0 stories" in flat(out)
    assert "bravo manifest --socket" in out and "bravo socket" in out


def test_the_demo_keeps_an_existing_database(runs):
    again = _start(runs["tmp"], "--days", "1", "--db", str(runs["tmp"] / "two.db"))
    out, _ = again.communicate(timeout=60)
    assert again.returncode == 2 and "already exists" in out
