"""The install pages (server-rendered HTML, every text escaped) and the installer's welcome DM.
Pure builders: strings in, strings out."""

from __future__ import annotations

from html import escape

from bot.i18n import translator

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;"
    "color:#1d1c1d;line-height:1.5}a.button{display:inline-block;background:#4a154b;color:#fff;"
    "padding:.7rem 1.4rem;border-radius:.4rem;text-decoration:none;font-weight:600}"
)


def _page(language: str, title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def build_install_page(language: str, authorize_url: str) -> str:
    """What Bravo does, and the "Add to Slack" button (to Slack's authorize page)."""
    _ = translator(language)
    features = ["install.what.kudos", "install.what.stories", "install.what.posts"]
    body = (
        f"<p>{escape(_('install.lead'))}</p>"
        + _list([_(key) for key in [*features, "install.what.balance"]])
        + f'<p><a class="button" id="add-to-slack" href="{escape(authorize_url, quote=True)}">'
        f"{escape(_('install.button'))}</a></p>"
        f"<p><small>{escape(_('install.privacy'))}</small></p>"
    )
    return _page(language, _("install.title"), body)


def build_install_success(language: str, team: str) -> str:
    """What to do next: open Slack, invite Bravo, `/bravo help`."""
    _ = translator(language)
    steps = [_("install.success.open"), _("install.success.invite"), _("install.success.help")]
    body = (
        f"<p>{escape(_('install.success.lead', team=team))}</p>"
        + "<ol>"
        + "".join(f"<li>{escape(step)}</li>" for step in steps)
        + "</ol>"
    )
    return _page(language, _("install.success.title"), body)


def build_install_failure(language: str, reason: str, install_path: str) -> str:
    """Nothing was installed; try again."""
    _ = translator(language)
    body = (
        f"<p>{escape(_('install.failure.lead', reason=reason))}</p>"
        f'<p><a class="button" id="try-again" href="{escape(install_path, quote=True)}">'
        f"{escape(_('install.failure.retry'))}</a></p>"
    )
    return _page(language, _("install.failure.title"), body)


def build_welcome(language: str, team: str, timezone: str) -> str:
    """The installer's first DM: the three settings to make."""
    return translator(language)("install.welcome", team=team, timezone=timezone)
