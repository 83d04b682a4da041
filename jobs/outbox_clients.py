"""Which client sends an outbox message: the one client of single-workspace mode, or, in OAuth
mode, a client per workspace id carrying that workspace's own bot token."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient

Clients = WebClient | Callable[[int], WebClient]


def client_of(clients: Clients, workspace_id: int) -> WebClient:
    return clients if isinstance(clients, WebClient) else clients(workspace_id)
