"""``NEWSBOT_HTTP_PORT``: ``/healthz``, ``/readyz`` and ``/metrics`` for supervisors,
load balancers and Prometheus. Off unless the port is set; bound to 127.0.0.1 unless
``NEWSBOT_HTTP_HOST`` says otherwise (metrics name channels' platforms, not contents, but
nothing here needs to face the internet).

- ``/healthz``: 200 while the process and its event loop are alive (liveness);
- ``/readyz``: 200 when the database answers, every adapter is connected and sources were
  polled recently, else 503; the JSON body names each check;
- ``/metrics``: Prometheus text format (see :mod:`bot.metrics`).
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot import metrics
from bot.health import RunningBot, readiness, refresh_gauges

log = logging.getLogger(__name__)


def build_app(bot: RunningBot) -> web.Application:
    """The aiohttp application (tests serve it on an ephemeral port)."""

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        result = await readiness(bot)
        return web.json_response(
            {"status": "ok" if result.ok else "not ready", "checks": result.checks},
            status=200 if result.ok else 503,
        )

    async def metrics_page(_: web.Request) -> web.Response:
        try:
            await refresh_gauges(bot)
        except Exception:  # stale gauges beat no metrics at all while the database is down
            log.warning("could not read stored-state gauges for /metrics", exc_info=True)
        return web.Response(
            body=generate_latest(metrics.REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_page)
    return app


async def run(app: RunningBot) -> None:
    """Started by ``NewsBot.run`` with the other services; serves until cancelled."""
    port = app.settings.newsbot_http_port
    if port is None:
        return
    host = app.settings.newsbot_http_host
    runner = web.AppRunner(build_app(app), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        log.info("health and metrics on http://%s:%d (/healthz, /readyz, /metrics)", host, port)
        await asyncio.Event().wait()  # until cancelled
    finally:
        await runner.cleanup()
