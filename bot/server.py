"""`bravo serve`: the WSGI app under gunicorn, one Bolt app and engine per worker process."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from bot.settings import Settings


class BravoServer(BaseApplication):
    def __init__(self, settings: Settings, options: dict[str, object]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Runs in each worker after the fork, so no engine or socket is shared between workers.
        from bot.runtime import build_app, build_runtime
        from bot.slack.wsgi import build_wsgi

        runtime = build_runtime(self.settings)
        return build_wsgi(build_app(runtime), healthy=runtime.healthy)


def serve(settings: Settings, *, workers: int, threads: int) -> None:
    BravoServer(
        settings,
        {
            "bind": f"0.0.0.0:{settings.port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 30,
            "graceful_timeout": 10,
            "keepalive": 5,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": settings.log_level.lower(),
        },
    ).run()
