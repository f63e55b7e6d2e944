"""HTTP mode: POST /slack/events to Bolt's App.dispatch, GET /healthz for health checks."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from bot import health

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
HEALTH_PATH = health.PATH
MAX_BODY_BYTES = 1_000_000  # Slack's payloads are a few kilobytes


def serve(
    app: App, host: str, port: int, stop: threading.Event, check: Callable[[], health.Report]
) -> None:
    """Serve until `stop` is set; requests in flight are finished first."""
    asyncio.run(_serve(app, host, port, stop, check))


async def _serve(
    app: App, host: str, port: int, stop: threading.Event, check: Callable[[], health.Report]
) -> None:
    # Dispatch (signature check, middleware, ack) runs off the event loop; the listeners
    # themselves then run in Bolt's own worker threads.
    dispatchers = ThreadPoolExecutor(max_workers=8, thread_name_prefix="slack-dispatch")
    web_app = web.Application(client_max_size=MAX_BODY_BYTES)
    web_app.router.add_post(EVENTS_PATH, _events_handler(app, dispatchers))
    web_app.router.add_get(HEALTH_PATH, _health_handler(check, dispatchers))
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        log.info("Serving Slack events on http://%s:%d%s", host, port, EVENTS_PATH)
        loop = asyncio.get_running_loop()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="slack-stop") as waiter:
            await loop.run_in_executor(waiter, stop.wait)
    finally:
        await runner.cleanup()
        dispatchers.shutdown(wait=True)


def _events_handler(app: App, dispatchers: ThreadPoolExecutor):
    async def events(request: web.Request) -> web.Response:
        try:
            body = (await request.read()).decode("utf-8")
        except UnicodeDecodeError:
            return web.Response(status=400, text="the body is not UTF-8")
        bolt_request = BoltRequest(
            body=body,
            query=request.query_string,
            headers={name.lower(): request.headers.getall(name) for name in request.headers},
        )
        loop = asyncio.get_running_loop()
        response = await loop.run_in_executor(dispatchers, app.dispatch, bolt_request)
        return to_aiohttp(response)

    return events


def _health_handler(check: Callable[[], health.Report], pool: ThreadPoolExecutor):
    async def healthz(request: web.Request) -> web.Response:
        loop = asyncio.get_running_loop()  # the check reads files: off the event loop
        report = await loop.run_in_executor(pool, health.safe_report, check)
        headers = {"Cache-Control": "no-store"}
        return web.json_response(report.body(), status=report.status, headers=headers)

    return healthz


def to_aiohttp(response: BoltResponse) -> web.Response:
    headers = {
        name: values[0]
        for name, values in response.headers.items()
        if values and name.lower() not in ("content-length", "set-cookie")
    }
    return web.Response(status=response.status, body=response.body.encode("utf-8"), headers=headers)
