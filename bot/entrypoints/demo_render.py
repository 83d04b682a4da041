"""Slack surfaces for a terminal: Block Kit and mrkdwn turned into Rich panels, for `bravo demo`.

Each surface (a channel message, a DM, an ephemeral reply, a modal, App Home, an uploaded file)
is one panel titled by where it appears. Emoji shortcodes become emoji, `*bold*` bold, `_italic_`
italic, quotes are marked, mentions read as names, context lines are dimmed and buttons look like
`[ Buttons ]`. Without a terminal (a pipe, `NO_COLOR`) the same text comes out without colour.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.emoji import Emoji
from rich.measure import Measurement
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

Names = Mapping[str, str]  # Slack ids (users and channels) -> what people see

SURFACE_STYLES = {
    "channel": "green",
    "dm": "magenta",
    "ephemeral": "yellow",
    "modal": "blue",
    "home": "cyan",
    "file": "magenta",
}
_ENTITY = re.compile(r"<([^<>]+)>")
_EMPHASIS = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|(?<![\w*])\*(?P<bold>\S(?:[^*]*?\S)?)\*(?![\w*])"
    r"|(?<![\w_])_(?P<italic>\S(?:[^_]*?\S)?)_(?![\w_])"
    r"|(?<![\w~])~(?P<strike>\S(?:[^~]*?\S)?)~(?![\w~])"
)
_STYLES = {"code": "bold cyan", "bold": "bold", "italic": "italic", "strike": "strike"}


def make_console(file=None, *, no_color: bool = False) -> Console:
    """Colour and boxes on a terminal; plain text in a pipe or with NO_COLOR set."""
    file = file or sys.stdout
    plain = no_color or not file.isatty()
    return Console(
        file=file, no_color=plain, force_terminal=not plain, highlight=False, emoji=False
    )


def entities(text: str, names: Names) -> str:
    """Slack's `<@U…>`, `<#C…>`, `<!here>`, `<!date…>` and links as people read them."""

    def one(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + names.get(target[1:], label or target[1:]).split()[0]
        if target.startswith("#"):
            return "#" + (label or names.get(target[1:], target[1:]))
        if target.startswith("!subteam^"):
            return label or "@team"
        if target.startswith("!date^"):
            return label
        if target.startswith("!"):
            return "@" + target[1:]
        return label or target

    text = _ENTITY.sub(one, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def emoji(text: str) -> str:
    """`:white_check_mark:` as ✅ (codes Rich does not know are left as they are)."""
    return Emoji.replace(text)


def mrkdwn(text: str, names: Names, *, style: str = "") -> Text:
    """Slack mrkdwn (several lines) as styled terminal text; quotes marked on their first line."""
    lines = []
    for line in entities(text or "", names).split("\n"):
        quoted = _quoted(line)
        body = _inline(emoji(line[2:] if quoted else line))
        lines.append(Text("│ ", style="dim") + body if quoted else body)
    result = Text("\n").join(lines)
    if style:
        result.stylize(style)
    return result


def paragraph(text: str, names: Names, *, style: str = "") -> RenderableType:
    """Slack mrkdwn as a block: quoted lines keep their bar on every wrapped line."""
    parts: list[RenderableType] = []
    plain: list[str] = []
    for line in (text or "").split("\n"):
        if _quoted(line):
            if plain:
                parts.append(mrkdwn("\n".join(plain), names, style=style))
                plain = []
            parts.append(_Quote(mrkdwn(line[2:], names, style=style)))
        else:
            plain.append(line)
    if plain:
        parts.append(mrkdwn("\n".join(plain), names, style=style))
    return parts[0] if len(parts) == 1 else Group(*parts)


def _quoted(line: str) -> bool:
    return line.startswith("> ") or line == ">"


class _Quote:
    """A quoted line: a bar down its left side, italic."""

    def __init__(self, text: Text) -> None:
        self.text = text
        self.text.stylize("italic")

    def __rich_console__(self, console: Console, options: ConsoleOptions):
        for line in self.text.wrap(console, max(options.max_width - 2, 8)):
            yield Text("│ ", style="dim") + line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(4, options.max_width)


def _inline(line: str) -> Text:
    text = Text()
    at = 0
    for match in _EMPHASIS.finditer(line):
        text.append(line[at : match.start()])
        kind = match.lastgroup or "code"
        inner = match.group(kind)
        start = len(text)
        text.append_text(_inline(inner) if kind != "code" else Text(inner))
        text.stylize(_STYLES[kind], start)
        at = match.end()
    text.append(line[at:])
    return text


def _plain(obj: Any, names: Names, *, style: str = "") -> Text:
    """A Block Kit text object (plain_text or mrkdwn)."""
    if not isinstance(obj, dict):
        return mrkdwn(str(obj or ""), names, style=style)
    if obj.get("type") == "plain_text":
        return Text(emoji(obj.get("text", "")), style=style)
    return mrkdwn(obj.get("text", ""), names, style=style)


def button(label: str, style: str | None = None) -> Text:
    colour = {"primary": "bold green", "danger": "bold red"}.get(style or "", "bold")
    return Text("[ ", style="dim") + Text(emoji(label), style=colour) + Text(" ]", style="dim")


def _element(element: dict[str, Any], names: Names) -> Text:
    """An interactive element as it looks: a button, a select, a text field."""
    kind = element.get("type", "")
    if kind == "button":
        return button(element.get("text", {}).get("text", ""), element.get("style"))
    if kind == "radio_buttons" or kind == "checkboxes":
        chosen = (element.get("initial_option") or {}).get("value")
        parts = [
            Text(("(•) " if o.get("value") == chosen else "( ) ") + emoji(o["text"]["text"]))
            for o in element.get("options", [])
        ]
        return Text("   ").join(parts)
    placeholder = (element.get("placeholder") or {}).get("text", "")
    initial = element.get("initial_options") or []
    if initial:
        placeholder = ", ".join(emoji(o["text"]["text"]) for o in initial)
    if kind == "conversations_select" or kind == "channels_select":
        chosen = element.get("initial_conversation") or element.get("initial_channel")
        placeholder = "#" + names.get(chosen, chosen) if chosen else placeholder
    arrow = "" if kind == "plain_text_input" else " ▾"
    return Text("[ ", style="dim") + Text(emoji(placeholder) + arrow) + Text(" ]", style="dim")


def blocks(items: list[dict[str, Any]] | None, names: Names) -> list[RenderableType]:
    """Block Kit blocks as renderables, one or more per block."""
    out: list[RenderableType] = []
    for block in items or []:
        kind = block.get("type")
        if kind == "header":
            out.append(_plain(block.get("text"), names, style="bold underline"))
        elif kind == "section":
            out.extend(_section(block, names))
        elif kind == "context":
            for item in block.get("elements", []):
                if item.get("type") == "image":
                    continue  # an avatar: nothing to read
                out.append(_plain(item, names, style="dim"))
        elif kind == "actions":
            row = [_element(e, names) for e in block.get("elements", [])]
            out.append(Text("  ").join(row))
        elif kind == "divider":
            out.append(Text("─" * 24, style="dim"))
        elif kind == "image":
            out.append(Text(f"(image: {block.get('alt_text', '')})", style="dim"))
        elif kind == "input":
            label = _plain(block.get("label"), names, style="bold")
            if block.get("optional"):
                label.append(" (optional)", style="dim")
            out.append(label)
            out.append(Text("  ") + _element(block.get("element") or {}, names))
            if block.get("hint"):
                out.append(Text("  ") + _plain(block["hint"], names, style="dim"))
        elif kind == "rich_text":
            out.append(Text(_rich_text(block), style=""))
    return out


def _section(block: dict[str, Any], names: Names) -> list[RenderableType]:
    out: list[RenderableType] = []
    text = block.get("text")
    if text:
        plain = isinstance(text, dict) and text.get("type") == "plain_text"
        out.append(_plain(text, names) if plain else paragraph(_text_of(text), names))
    fields = block.get("fields") or []
    if fields:
        grid = Table.grid(padding=(0, 4))
        grid.add_column()
        grid.add_column()
        for i in range(0, len(fields), 2):
            pair = [_field(f, names) for f in fields[i : i + 2]]
            grid.add_row(*pair)
        out.append(grid)
    accessory = block.get("accessory") or {}
    if accessory.get("type") in ("button", "static_select", "users_select"):
        out.append(_element(accessory, names))
    return out


def _text_of(obj: Any) -> str:
    return obj.get("text", "") if isinstance(obj, dict) else str(obj or "")


def _field(obj: dict[str, Any], names: Names) -> Text:
    """A section field, `*Label*\\nvalue`, on one line: `Label  value`."""
    return Text("  ").join(_plain(obj, names).split("\n"))


def _rich_text(block: dict[str, Any]) -> str:
    def walk(node: Any) -> str:
        if isinstance(node, dict):
            return node.get("text", "") + "".join(walk(e) for e in node.get("elements", []))
        return ""

    return emoji(walk(block))


def message(args: dict[str, Any], names: Names) -> list[RenderableType]:
    """A message's blocks, or its text when it has none."""
    items = args.get("blocks")
    if isinstance(items, str):
        import json

        items = json.loads(items)
    if items:
        return blocks(items, names)
    return [paragraph(args.get("text", ""), names)]


def modal(view: dict[str, Any], names: Names) -> list[RenderableType]:
    """A modal's inputs and its submit and close buttons."""
    body = blocks(view.get("blocks"), names)
    footer = [button(view["close"]["text"])] if view.get("close") else []
    if view.get("submit"):
        footer.append(button(view["submit"]["text"], "primary"))
    return [*body, Text(""), Text("  ").join(footer)] if footer else body


def csv_preview(data: bytes, columns: tuple[str, ...], rows: int = 4) -> RenderableType:
    """The first rows of a CSV file, a few columns, as a small table."""
    reader = list(csv.DictReader(io.StringIO(data.decode("utf-8", "replace"))))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    shown = [c for c in columns if reader and c in reader[0]]
    for column in shown:
        table.add_column(column, overflow="ellipsis", no_wrap=True, max_width=28)
    for row in reader[:rows]:
        table.add_row(*(str(row[c])[:10] if c == "date" else str(row[c]) for c in shown))
    more = len(reader) - rows
    if more > 0:
        return Group(table, Text(f"… and {more} more rows", style="dim"))
    return table


def panel(surface: str, title: str, body: list[RenderableType], *, plain: bool) -> Panel:
    """One Slack surface: a box titled by where it shows (ASCII-free boxes only on a terminal)."""
    return Panel(
        Group(*body),
        title=Text(emoji(title), style="bold"),
        title_align="left",
        border_style=SURFACE_STYLES.get(surface, "white"),
        box=box.ROUNDED if not plain else box.SQUARE,
        padding=(0, 1),
        expand=True,
    )


# The demo's closing words: what to try next (the README's ten-minute path).
NEXT_STEPS = (
    (
        "bravo manifest --socket",
        "paste it at https://api.slack.com/apps: Create New App, From a manifest",
    ),
    ("cp .env.example .env", "paste the bot token (xoxb-…) and the app-level token (xapp-…)"),
    ("bravo check", "every line should say ok"),
    ("bravo socket", "then in Slack: /invite @Bravo, and /kudos @teammate for …"),
)


def plural(count: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{count} {noun if count == 1 else plural}"


def ending(
    console: Console, counts: dict[str, int], want: dict[str, int], messages: int, path: Path
) -> None:
    """What the demo stored and posted, whether it adds up, where the data is, what next."""
    console.rule(characters="─")
    n = plural
    console.print(
        f"Stored: {n(counts['recognitions'], 'recognition')} ({counts['switched']} switched to "
        f"another kind), {n(counts['stories'], 'story')}, {counts['applause']} applause; posted "
        f"{n(counts['principles'], 'daily principle')} and {n(counts['digests'], 'digest')}; "
        f"opened {n(counts['modals'], 'modal')}, published {n(counts['homes'], 'App Home view')}, "
        f"exported {n(counts['files'], 'file')}. Bravo sent {n(messages, 'Slack message')}; none "
        "left this machine."
    )
    if counts == want:
        console.print(Text("✓ Everything stored and posted is what this week adds up to.", "green"))
    else:
        wrong = ", ".join(
            f"{k} {counts[k]} (expected {want[k]})" for k in want if counts[k] != want[k]
        )
        console.print(Text(f"✗ The demo did not add up: {wrong}", "bold red"))
    console.print(Text.assemble("\nThe demo's database: ", (str(path), "bold")))
    console.print("  Look inside it, for example as the CSV a manager would export:")
    console.print(
        Text(f"  DATABASE_URL=sqlite:///{path} bravo export --team T0001 --period 2026-11", "bold"),
        soft_wrap=True,
    )
    console.print(
        '\nPut Bravo in your own Slack in ten minutes (README: "Put Bravo in your Slack in ten '
        'minutes"):'
    )
    for number, (command, then) in enumerate(NEXT_STEPS, 1):
        console.print(Text.assemble(f"  {number}. ", (command, "bold")), soft_wrap=True)
        console.print(f"     {then}", soft_wrap=True)
