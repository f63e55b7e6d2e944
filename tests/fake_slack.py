"""A fake Slack on 127.0.0.1 for the real Bolt App and WebClient: the Web API (recording every
call), response URLs, and a Socket Mode websocket speaking the envelope protocol; plus helpers
that sign and send HTTP-mode requests as Slack does."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from bot.config import Settings
from bot.slackbot.app import run

BOT_TOKEN = "xoxb-1111-2222-TESTBOTTOKENSECRET"
APP_TOKEN = "xapp-1-A0NEWS-3333-TESTAPPTOKENSECRET"
SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543secret"
BOT_USER = "U0NEWSBOT"
BOT_ID = "B0NEWSBOT"
TEAM = "T0NEWSROOM"
WAIT_SECONDS = 20.0  # how long a test waits for something to happen before it fails


@dataclass
class Call:
    """One request the bot made: the API method (or `response:NAME`), its arguments, headers."""

    method: str
    args: dict
    headers: dict = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)  # when it arrived (benchmarks/chat_load.py)

    def text(self) -> str:
        """Everything the message would show, as JSON: fallback text and blocks."""
        return json.dumps(self.args, ensure_ascii=False)


class FakeSlack:
    """Serves the Web API under /api/, response URLs under /response/ and Socket Mode under
    /link/, from a thread of its own; tests read `calls` and push Socket Mode envelopes."""

    def __init__(self, bot_token: str = BOT_TOKEN, app_token: str = APP_TOKEN):
        self.bot_token = bot_token
        self.app_token = app_token
        self.calls: list[Call] = []
        self.acks: dict[str, dict] = {}  # envelope_id -> the bot's acknowledgement
        self.messages: dict[str, list[dict]] = defaultdict(list)  # channel -> messages posted
        self._failures: dict[str, deque] = defaultdict(deque)
        self._sent: dict[str, tuple[dict, web.WebSocketResponse]] = {}  # events_api, unacked
        self._ts = itertools.count(1)
        self._changed = threading.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self._opened = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(WAIT_SECONDS)
        return self

    def __exit__(self, *exc) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(WAIT_SECONDS)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(WAIT_SECONDS)
        self._loop.close()

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_get("/link/", self._socket_mode)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    # -- what tests use -------------------------------------------------------------------

    def fail(
        self, method: str, *, status: int = 200, body: dict | None = None, headers=None
    ) -> None:
        """The next call of `method` gets this answer instead of a success."""
        body = body or {"ok": False, "error": "fatal_error"}
        self._failures[method].append(_Failure(status, body, headers or {}))

    def fail_after_doing(self, method: str, *, delay: float = 0.0, drop: bool = False) -> None:
        """The next call of `method` is done (a message is posted), then its answer is held
        `delay` seconds (past the client's timeout) or the connection dropped without one."""
        self._failures[method].append(_Failure(200, {}, {}, done=True, delay=delay, drop=drop))

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Slack's `disconnect` message on the newest Socket Mode connection, as Slack sends
        before it refreshes a connection ("refresh_requested") or goes away ("warning")."""
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake"}}
        self.wait_until(lambda: self._sockets, "a Socket Mode connection")
        self._run(self._sockets[-1].send_str(json.dumps(message)))

    def close_sockets(self, *, after: tuple[str, dict] | None = None) -> str | None:
        """Close every Socket Mode connection from Slack's side, as a network fault or a
        restart does; with `after` (kind, payload), that envelope is sent first and the close
        follows at once, before the bot can acknowledge it. Returns that envelope's id."""
        self.wait_until(lambda: self._sockets, "a Socket Mode connection")

        async def close() -> str | None:
            sent = None
            if after is not None:
                sent = await self._send_envelope(self._sockets[-1], *after, retry_attempt=0)
            for ws in list(self._sockets):
                await ws.close(code=1011, message=b"server going away")
            return sent

        return self._run(close())

    def connections(self) -> int:
        """How many Socket Mode connections were opened (apps.connections.open answered)."""
        with self._changed:
            return self._opened

    def posted(self, thread_ts: str) -> list[Call]:
        """The chat.postMessage calls that answered in the thread of `thread_ts`."""
        return [
            c for c in self.calls_to("chat.postMessage") if c.args.get("thread_ts") == thread_ts
        ]

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(WAIT_SECONDS)

    def calls_to(self, method: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method]

    def wait_for_calls(self, method: str, count: int = 1) -> list[Call]:
        """Wait until `method` has been called `count` times; the calls so far."""
        self.wait_until(lambda: len(self.calls_to(method)) >= count, f"{count} x {method}")
        return self.calls_to(method)

    def wait_until(self, condition, what: str) -> None:
        """`eventually`, saying which calls the fake had seen when it gives up."""
        from tests.conftest import eventually

        try:
            eventually(condition, WAIT_SECONDS, what)
        except AssertionError as error:
            raise AssertionError(
                f"{error}; calls so far: {[c.method for c in self.calls]}"
            ) from None

    def send_envelope(self, kind: str, payload: dict, *, retry_attempt: int = 0) -> str:
        """Push a Socket Mode envelope (events_api, slash_commands, interactive) to the bot."""
        self.wait_until(lambda: self._sockets, "a Socket Mode connection")
        return self._run(self._send_envelope(self._sockets[-1], kind, payload, retry_attempt))

    async def _send_envelope(
        self, ws: web.WebSocketResponse, kind: str, payload: dict, retry_attempt: int
    ) -> str:
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        if kind == "events_api":  # redelivered on the next connection until acknowledged
            with self._changed:
                self._sent[envelope_id] = (envelope, ws)
        await ws.send_str(json.dumps(envelope))
        return envelope_id

    async def _redeliver(self, ws: web.WebSocketResponse) -> None:
        """Events sent on a connection now closed and never acknowledged: sent again, as Slack
        retries an event, with retry_attempt counted up."""
        with self._changed:
            lost = [
                (envelope_id, envelope)
                for envelope_id, (envelope, old) in self._sent.items()
                if old.closed and envelope_id not in self.acks
            ]
            for envelope_id, _ in lost:
                del self._sent[envelope_id]
        for _, envelope in lost:
            attempt = envelope["retry_attempt"] + 1
            await self._send_envelope(ws, envelope["type"], envelope["payload"], attempt)

    def wait_for_ack(self, envelope_id: str) -> dict:
        self.wait_until(lambda: envelope_id in self.acks, f"the ack of envelope {envelope_id}")
        return self.acks[envelope_id]

    # -- the server -----------------------------------------------------------------------

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = dict(request.query)
        raw = await request.read()
        if request.content_type == "application/json" and raw:
            args.update(json.loads(raw))
        elif raw:
            args.update(dict(urllib.parse.parse_qsl(raw.decode("utf-8"))))
        self._record(Call(method, args, dict(request.headers)))
        wanted = self.app_token if method == "apps.connections.open" else self.bot_token
        if request.headers.get("Authorization") != f"Bearer {wanted}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if self._failures[method]:
            failure = self._failures[method].popleft()
            if not failure.done:
                return web.json_response(
                    failure.body, status=failure.status, headers=failure.headers
                )
            answer = self._success(method, args)
            if failure.delay:
                await asyncio.sleep(failure.delay)
            if failure.drop:
                request.transport.close()  # the work is done, the answer never comes
            return web.json_response(answer)
        return web.json_response(self._success(method, args))

    def _success(self, method: str, args: dict) -> dict:
        ts = f"{int(time.time())}.{next(self._ts):06d}"  # Slack's: seconds, then a count
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://newsroom.slack.com/",
                "team": "Newsroom",
                "user": "newsbot",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            message = {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "ts": ts, **args}
            if isinstance(message.get("metadata"), str):  # form-encoded: JSON in a field
                message["metadata"] = json.loads(message["metadata"])
            with self._changed:
                self.messages[args.get("channel", "")].append(message)
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}
        if method in ("conversations.history", "conversations.replies"):
            return {"ok": True, "messages": self._history(method, args), "has_more": False}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "apps.connections.open":
            with self._changed:
                self._opened += 1
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link/?ticket={uuid.uuid4()}"}
        return {"ok": True}

    def _history(self, method: str, args: dict) -> list[dict]:
        """A channel's messages newest first, or a thread's oldest first, as Slack gives them;
        metadata only when include_all_metadata is asked for."""
        with self._changed:
            held = list(self.messages.get(args.get("channel", ""), []))
        oldest = float(args.get("oldest") or 0)
        held = [m for m in held if float(m["ts"]) > oldest]
        if method == "conversations.replies":
            held = [m for m in held if m.get("thread_ts") == args.get("ts")]
        else:
            held.reverse()
        held = held[: int(args.get("limit") or 100)]
        with_metadata = str(args.get("include_all_metadata")).lower() in ("true", "1")
        return [{k: v for k, v in m.items() if k != "metadata" or with_metadata} for m in held]

    async def _response_url(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self._record(Call(f"response:{name}", await request.json(), dict(request.headers)))
        return web.Response(text="ok")

    async def _socket_mode(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "fake-slack", "approximate_connection_time": 18060},
            "connection_info": {"app_id": "A0NEWS"},
        }
        await ws.send_str(json.dumps(hello))
        with self._changed:
            self._sockets.append(ws)
            self._changed.notify_all()
        await self._redeliver(ws)
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                with self._changed:
                    if "envelope_id" in data:
                        self.acks[data["envelope_id"]] = data
                    self._changed.notify_all()
        with self._changed:
            self._sockets.remove(ws)
            self._changed.notify_all()
        return ws


@dataclass
class _Failure:
    """How the fake answers one call on purpose: an error answer, or the work done and then
    the answer held back (`delay`) or never sent (`drop`)."""

    status: int
    body: dict
    headers: dict
    done: bool = False
    delay: float = 0.0
    drop: bool = False


# -- HTTP mode: requests as Slack sends them -------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def signature(secret: str, timestamp: str, body: str) -> str:
    """Slack's v0 signature: HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def send(
    url: str,
    body: str,
    *,
    content_type: str,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    headers: dict | None = None,
) -> tuple[int, str]:
    """POST `body` signed with `secret`, as Slack does; returns (status, response text)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    sent = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(secret, stamp, body),
        **(headers or {}),
    }
    request = urllib.request.Request(url, data=body.encode(), headers=sent, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def event_body(event: dict, event_id: str | None = None) -> str:
    """An Events API `event_callback` envelope around `event`."""
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM,
            "api_app_id": "A0NEWS",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
    )


def events_api(event: dict, event_id: str = "") -> dict:
    """The Events API's envelope around an event (its id from the event's ts unless given)."""
    return {
        "team_id": TEAM,
        "api_app_id": "A0NEWS",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{event['ts'].replace('.', '')}",
        "event_time": 1712000000,
    }


def mention(text: str, *, channel: str = "C0NEWS", user: str = "U0REPORTER", ts: str = "") -> dict:
    """An app_mention event: `@newsbot text` in a channel."""
    ts = ts or _new_ts()
    return {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }


def message(text: str, *, channel: str, user: str = "U0REPORTER", **fields) -> dict:
    """A message event; `channel_type` "im" for a DM, `thread_ts` for a thread reply."""
    ts = fields.pop("ts", None) or _new_ts()
    event = {"type": "message", "user": user, "text": text, "ts": ts, "channel": channel}
    event.setdefault("channel_type", "channel")
    event.update(fields)
    return event


def command_body(command: str, text: str, *, response_url: str, **fields) -> str:
    """A slash command's form body."""
    form = {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "channel_id": "C0NEWS",
        "channel_name": "newsroom",
        "user_id": "U0REPORTER",
        "user_name": "reporter",
        "command": command,
        "text": text,
        "api_app_id": "A0NEWS",
        "response_url": response_url,
        "trigger_id": "1.2.3",
        **fields,
    }
    return urllib.parse.urlencode(form)


def action_payload(posted: Call, action_id: str, *, user: str, response_url: str) -> dict:
    """The block_actions payload of a press on a button of a message the bot posted."""
    button = next(
        element
        for block in posted.args.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    )
    channel = posted.args.get("channel", "C0NEWS")
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "newsroom"},
        "user": {"id": user, "username": "reader", "team_id": TEAM},
        "api_app_id": "A0NEWS",
        "container": {"type": "message", "channel_id": channel, "is_ephemeral": False},
        "channel": {"id": channel, "name": "newsroom"},
        "message": {"ts": "1700000000.000001", "thread_ts": posted.args.get("thread_ts")},
        "response_url": response_url,
        "trigger_id": "1.2.3",
        "actions": [{**button, "block_id": "answer_actions", "action_ts": "1"}],
    }


def action_body(payload: dict) -> str:
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


_tss = itertools.count(1)


def _new_ts() -> str:
    return f"1710000000.{next(_tss):06d}"


# -- the bot under test ----------------------------------------------------------------------


def settings_for(fake: FakeSlack, **overrides) -> Settings:
    """Settings for a bot that talks to `fake` instead of Slack."""
    values = {
        "slack_bot_token": BOT_TOKEN,
        "slack_app_token": APP_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": fake.api_url,
        "rate_limit_per_minute": 0,
        **overrides,
    }
    return Settings(**values)


class RunningBot:
    """`bot.slackbot.app.run` in a thread, exactly as `python -m bot slack` runs it; leaving the
    block stops it and waits for every answer in progress, so what it posted is final."""

    def __init__(
        self,
        fake: FakeSlack,
        settings: Settings,
        archive,
        feedback,
        *,
        http: bool,
        health_port: int | None = None,
        **options,
    ):
        self.fake = fake
        self.options = options  # more of run's keywords (answering, delivery)
        self.http = http
        self.health_port = health_port
        self.port = free_port()
        self.stop = threading.Event()
        self.status: int | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(settings, archive, feedback), daemon=True
        )

    def _run(self, settings, archive, feedback) -> None:
        try:
            self.status = run(
                settings,
                archive,
                feedback,
                http=self.http,
                port=self.port,
                host="127.0.0.1",
                stop=self.stop,
                health_port=self.health_port,
                **self.options,
            )
        except BaseException as error:  # handed to the test in __exit__
            self.error = error

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def __enter__(self) -> RunningBot:
        self._thread.start()
        if self.http:
            self._wait_for_health()
        else:
            self.fake.wait_until(lambda: self.fake._sockets or self.error, "Socket Mode")
        if self.error:
            raise self.error
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self._thread.join(WAIT_SECONDS)
        assert not self._thread.is_alive(), "the bot did not stop"
        if self.error and not exc[0]:
            raise self.error

    def _wait_for_health(self) -> None:
        from tests.health_probe import wait_for_health

        wait_for_health(self.port, stop=lambda: self.error)

    def event(self, event: dict, event_id: str | None = None, headers=None) -> tuple[int, str]:
        body = event_body(event, event_id)
        return send(self.events_url, body, content_type=JSON, headers=headers)

    def command(self, command: str, text: str, **fields) -> tuple[int, str]:
        fields.setdefault("response_url", self.fake.response_url("command"))
        return send(self.events_url, command_body(command, text, **fields), content_type=FORM)

    def press(self, posted: Call, action_id: str, *, user: str = "U0READER") -> tuple[int, str]:
        payload = action_payload(
            posted, action_id, user=user, response_url=self.fake.response_url("button")
        )
        return send(self.events_url, action_body(payload), content_type=FORM)


JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
