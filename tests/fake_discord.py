"""A fake Discord on 127.0.0.1: REST API and gateway websocket speaking Discord's JSON protocol."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from aiohttp import WSMsgType, web

BOT_ID = 900000000000000001
APP_ID = 900000000000000002
GUILD_ID = 900000000000000003
CHANNEL_ID = 900000000000000004
EDITOR_ROLE_ID = 900000000000000005
BOT_ROLE_ID = 900000000000000006
EDITOR_ROLE = "Newsroom editors"
MANAGE_GUILD = 1 << 5
HEARTBEAT_MS = 500  # short, so that a test run sees the heartbeat loop work

BOT = {"id": str(BOT_ID), "username": "newsbot", "discriminator": "0", "avatar": None}
BOT |= {"bot": True, "global_name": None, "flags": 0}

T = TypeVar("T")


def user(user_id: int, name: str) -> dict:
    return {"id": str(user_id), "username": name, "discriminator": "0", "avatar": None}


MEMBER = user(800000000000000001, "reader")  # no Manage Server, no editor role
MODERATOR = user(800000000000000002, "moderator")  # Manage Server
EDITOR = user(800000000000000003, "editor")  # the DISCORD_EDITOR_ROLE role


@dataclass
class Call:
    """One REST request as the fake received it."""

    method: str
    path: str
    query: dict
    body: dict | list | None
    authorized: bool  # the Authorization header was "Bot <the expected token>"
    response: dict | list | None = None
    at: float = field(default_factory=time.monotonic)  # when it arrived (benchmarks/chat_load.py)


@dataclass
class _Failure:
    method: str
    path: re.Pattern
    status: int
    times: int
    done: bool = False  # the request is carried out, then its answer held or dropped
    delay: float = 0.0
    drop: bool = False


@dataclass
class FakeDiscord:
    """Start with `await fake.start()`; point the client at `api_base` and `gateway_url`."""

    token: str
    calls: list[Call] = field(default_factory=list)
    identify: dict | None = None
    heartbeats: int = 0
    _failures: list[_Failure] = field(default_factory=list)
    _answered: set[int] = field(default_factory=set)  # interactions given their response
    _live: bool = False
    _resumable: bool = True
    _messages: dict[int, dict] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(910000000000000000))
    _seq: itertools.count = field(default_factory=lambda: itertools.count(1))
    _socket: web.WebSocketResponse | None = None
    _request: web.Request | None = None  # the gateway connection's HTTP request
    _events: list[dict] = field(default_factory=list)  # this session's dispatches, for RESUME
    _nonces: dict[tuple[int, str], dict] = field(default_factory=dict)  # enforce_nonce
    session: int = 0  # counts IDENTIFYs: each starts a session
    connections: int = 0  # gateway connections opened
    resumes: int = 0  # RESUMEs accepted
    _changed: asyncio.Condition | None = None
    _runner: web.AppRunner | None = None
    port: int = 0

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        if self._socket is not None and not self._socket.closed:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def fail(self, method: str, path: str, status: int = 500, times: int = 1) -> None:
        """Answer the next `times` requests matching `path` (a regex) with `status`; a 429
        comes as Discord sends it (`retry_after` in the body, through its proxy: `Via`)."""
        self._failures.append(_Failure(method, re.compile(path), status, times))

    def fail_after_doing(
        self, method: str, path: str, *, delay: float = 0.0, drop: bool = False
    ) -> None:
        """The next request matching `path` is carried out (a message is made), then its
        answer is held `delay` seconds (past the client's timeout) or never sent (`drop`)."""
        failure = _Failure(method, re.compile(path), 200, 1, done=True, delay=delay, drop=drop)
        self._failures.append(failure)

    async def answered(self, message: dict, timeout: float = 15) -> dict:
        """The bot's reply to `message` once Discord holds it (failed tries do not count)."""
        await self.wait_for(lambda _call: bool(self.replies_to(message)), timeout)
        return self.replies_to(message)[0]

    def replies_to(self, message: dict) -> list[dict]:
        """The messages Discord holds that reply to `message`: what people see."""
        return [
            m
            for m in self._messages.values()
            if str((m.get("message_reference") or {}).get("message_id")) == message["id"]
        ]

    async def wait_for(self, predicate: Callable[[Call], bool], timeout: float = 15) -> Call:
        """The first recorded call matching `predicate`, waiting for it if need be."""
        return await self._until(lambda: next(filter(predicate, self.calls), None), timeout)

    async def _until(self, found: Callable[[], T | None], timeout: float) -> T:
        """What `found()` gives once it gives something: checked at each call the fake records."""

        async def waiting() -> T:
            async with self._changed:
                while not (result := found()):
                    await self._changed.wait()
                return result

        return await asyncio.wait_for(waiting(), timeout)

    async def wait_ready(self, timeout: float = 15) -> None:
        """Until the client has identified and been sent READY and GUILD_CREATE."""
        await self.wait_for(lambda c: c.method == "GATEWAY" and c.path == "GUILD_CREATE", timeout)

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    # --- REST --------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        authorized = request.headers.get("Authorization") == f"Bot {self.token}"
        call = Call(request.method, path, dict(request.query), body, authorized)
        failure = self._failure(call)
        if failure is not None and not failure.done:
            status, response = failure.status, {"message": "Simulated failure", "code": 0}
        else:
            status, response = self._answer(call)
        call.response = response
        await self._record(call)
        headers = {"Content-Type": "application/json"}  # exactly: discord.py reads only this
        if status == 429:
            response = {"message": "You are being rate limited.", "retry_after": 0.5}
            response["global"] = False
            headers |= {"Via": "1.1 google", "Retry-After": "1"}
        if failure is not None and failure.done:
            await asyncio.sleep(failure.delay)
            if failure.drop:
                request.transport.close()  # done, and the answer never comes
        if status == 204:
            return web.Response(status=204)
        return web.Response(status=status, body=json.dumps(response).encode(), headers=headers)

    def _failure(self, call: Call) -> _Failure | None:
        for failure in self._failures:
            if failure.times and call.method == failure.method and failure.path.search(call.path):
                failure.times -= 1
                return failure
        return None

    def _answer(self, call: Call) -> tuple[int, dict | list | None]:
        needs_token = not call.path.startswith(("/interactions/", "/webhooks/"))
        if needs_token and not call.authorized:
            return 401, {"message": "401: Unauthorized", "code": 0}
        method, path, body = call.method, call.path, call.body or {}
        if (method, path) == ("GET", "/users/@me"):
            return 200, BOT
        if (method, path) == ("GET", "/oauth2/applications/@me"):
            return 200, _application()
        if (method, path) == ("GET", "/gateway/bot"):
            return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": {}}
        if method == "PUT" and re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path):
            guild = re.search(r"/guilds/(\d+)/", path)
            return 200, [self._command(c, guild and guild.group(1)) for c in call.body or []]
        posted = re.fullmatch(r"/channels/(\d+)/messages", path)
        if posted and method == "POST":
            channel_id, nonce = int(posted.group(1)), body.get("nonce")
            if nonce and body.get("enforce_nonce") and (channel_id, nonce) in self._nonces:
                return 200, self._nonces[channel_id, nonce]  # Discord's: the one made before
            made = self._message(channel_id, body)
            if nonce and body.get("enforce_nonce"):
                self._nonces[channel_id, nonce] = made
            return 200, made
        fetched = re.fullmatch(r"/channels/\d+/messages/(\d+)", path)
        if fetched and method == "GET" and int(fetched.group(1)) in self._messages:
            return 200, self._messages[int(fetched.group(1))]
        if match := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path):
            try:
                return 200, self._callback(int(match.group(1)), match.group(2), body)
            except _Refused as refused:
                return refused.status, refused.body
        if re.fullmatch(r"/webhooks/\d+/[^/]+/messages/@original", path) and method == "PATCH":
            return 200, self._message(CHANNEL_ID, body, interaction=True)
        if re.fullmatch(r"/webhooks/\d+/[^/]+", path) and method == "POST":
            return 200, self._message(CHANNEL_ID, body, interaction=True)
        return 404, {"message": "404: Not Found", "code": 0}

    def _command(self, command: dict, guild_id: str | None) -> dict:
        made = {"id": str(next(self._ids)), "application_id": str(APP_ID), "version": "1"}
        made |= {"type": 1, "options": [], "default_member_permissions": None, "nsfw": False}
        made |= command
        if guild_id:
            made["guild_id"] = guild_id
        return made

    def _message(self, channel_id: int, body: dict, *, interaction: bool = False) -> dict:
        message = {
            "id": str(next(self._ids)),
            "channel_id": str(channel_id),
            "guild_id": str(GUILD_ID),
            "author": BOT,
            "content": body.get("content") or "",
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 19 if body.get("message_reference") else 0,
            "flags": body.get("flags") or 0,
        }
        if body.get("message_reference"):
            message["message_reference"] = body["message_reference"]
        if interaction:
            message["webhook_id"] = str(APP_ID)
            message["application_id"] = str(APP_ID)
        self._messages[int(message["id"])] = message
        return message

    def _callback(self, interaction_id: int, token: str, body: dict) -> dict:
        if interaction_id in self._answered:
            raise _Refused(400, {"message": "Interaction has already been acknowledged.",
                                 "code": 40060})  # fmt: skip
        self._answered.add(interaction_id)
        kind = body.get("type")
        data = body.get("data") or {}
        outcome = {"id": str(interaction_id), "type": 2}
        outcome["response_message_loading"] = kind == 5
        outcome["response_message_ephemeral"] = bool((data.get("flags") or 0) & 64)
        resource: dict = {"type": kind}
        if kind == 4:
            message = self._message(CHANNEL_ID, data, interaction=True)
            outcome["response_message_id"] = message["id"]
            resource["message"] = message
        return {"interaction": outcome, "resource": resource}

    # --- gateway -----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket, self._request = socket, request
        self._live = False  # events go out once the client has identified or resumed
        self.connections += 1
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_MS}})
        async for frame in socket:
            if frame.type != WSMsgType.TEXT:
                break
            payload = json.loads(frame.data)
            if payload["op"] == 1:
                self.heartbeats += 1
                await socket.send_json({"op": 11})
            elif payload["op"] == 2:
                await self._identified(socket, payload["d"])
            elif payload["op"] == 6:
                await self._resume(socket, payload["d"])
        if self._socket is socket:
            self._live = False
        return socket

    async def _resume(self, socket: web.WebSocketResponse, resume: dict) -> None:
        """RESUME: the events the client missed since `seq`, in order, then RESUMED; a session
        that is not this one is invalid (op 9, not resumable), as Discord answers."""
        if resume.get("token") != self.token:
            await socket.close(code=4004, message=b"Authentication failed.")
            return
        if not self._resumable or resume.get("session_id") != f"fake-session-{self.session}":
            await socket.send_json({"op": 9, "d": False})
            return
        self.resumes += 1
        missed = [e for e in self._events if e["s"] > (resume.get("seq") or 0)]
        for event in missed:
            await socket.send_json(event)
        self._live = True
        await self.send_event("RESUMED", {})

    async def reconnect(self) -> None:
        """Op 7, Reconnect: Discord asks the client to reconnect and resume."""
        await self._socket.send_json({"op": 7, "d": None})

    async def invalidate(self, resumable: bool) -> None:
        """Op 9, Invalid Session; when not resumable the session is over (the client must
        identify afresh, and what it missed is not sent again)."""
        if not resumable:
            self._resumable = False  # the session's id is refused from now on
        await self._socket.send_json({"op": 9, "d": resumable})

    async def drop_gateway(self) -> None:
        """The connection drops without a close frame, as a network fault does."""
        self._live = False
        if self._request is not None and self._request.transport is not None:
            self._request.transport.abort()

    async def _identified(self, socket: web.WebSocketResponse, identify: dict) -> None:
        self.identify = identify
        if identify.get("token") != self.token:
            await socket.close(code=4004, message=b"Authentication failed.")
            return
        self.session += 1
        self._resumable = True
        self._events = []
        self._live = True
        ready = {
            "v": 10,
            "user": BOT,
            "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
            "session_id": f"fake-session-{self.session}",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 0},
        }
        await self.send_event("READY", ready)
        await self.send_event("GUILD_CREATE", _guild())

    async def send_event(self, name: str, data: dict) -> None:
        """Send a DISPATCH event to the connected client; between connections it is kept for
        a RESUME, as Discord keeps a session's events."""
        assert self._socket is not None, "no client connected"
        event = {"op": 0, "t": name, "s": next(self._seq), "d": data}
        self._events.append(event)
        if self._live and not self._socket.closed:
            with contextlib.suppress(ConnectionError):
                await self._socket.send_json(event)
        await self._record(Call("GATEWAY", name, {}, data, True))

    async def close_gateway(self, code: int) -> None:
        if self._socket is not None:
            await self._socket.close(code=code)

    # --- what users do -----------------------------------------------------------------------

    async def post(self, author: dict, content: str, *, reply_to: dict | None = None) -> dict:
        """A member posts in the channel; `<@BOT_ID>` in `content` mentions the bot."""
        mentioned = [BOT] if f"<@{BOT_ID}>" in content or reply_to else []
        message = {
            "id": str(next(self._ids)),
            "channel_id": str(CHANNEL_ID),
            "guild_id": str(GUILD_ID),
            "author": author,
            "member": {"roles": [], "joined_at": _now(), "deaf": False, "mute": False},
            "content": content,
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": mentioned,
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }
        if reply_to is not None:
            message["type"] = 19
            message["message_reference"] = {
                "type": 0,
                "message_id": reply_to["id"],
                "channel_id": reply_to["channel_id"],
                "guild_id": str(GUILD_ID),
            }
            message["referenced_message"] = reply_to
        await self.send_event("MESSAGE_CREATE", message)
        return message

    async def slash(self, author: dict, name: str, **options) -> dict:
        """A member runs a slash command ("feeds add": a group's subcommand); returns the
        interaction sent."""
        name, _, sub = name.partition(" ")
        data = {"id": str(next(self._ids)), "name": name, "type": 1}
        given = [
            {"name": key, "type": _option_type(value), "value": value}
            for key, value in options.items()
        ]
        data["options"] = [{"name": sub, "type": 1, "options": given}] if sub else given
        return await self._interact(author, 2, data)

    async def click(self, author: dict, message: dict, custom_id: str) -> dict:
        """A member clicks a button of `message` (as the bot sent it)."""
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._interact(author, 3, data, message=message)

    async def _interact(self, author: dict, kind: int, data: dict, **extra) -> dict:
        interaction = {
            "id": str(next(self._ids)),
            "application_id": str(APP_ID),
            "type": kind,
            "token": f"interaction-token-{next(self._ids)}",
            "version": 1,
            "guild_id": str(GUILD_ID),
            "channel_id": str(CHANNEL_ID),
            "channel": _channel(),
            "member": _member(author),
            "data": data,
            "locale": "en-US",
            "guild_locale": "en-US",
            "app_permissions": str(_BOT_PERMISSIONS),
            "attachment_size_limit": 10 * 1024 * 1024,
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 0,
            **extra,
        }
        await self.send_event("INTERACTION_CREATE", interaction)
        return interaction

    # --- reading what the bot sent -----------------------------------------------------------

    async def reply_to(self, message: dict, timeout: float = 15) -> Call:
        """The bot's message sent in reply to `message`."""

        def answers(call: Call) -> bool:
            body = call.body if isinstance(call.body, dict) else {}
            reference = body.get("message_reference") or {}
            return call.method == "POST" and str(reference.get("message_id")) == message["id"]

        return await self.wait_for(answers, timeout)

    async def responses(self, interaction: dict, count: int = 1, timeout: float = 15) -> list[Call]:
        """The first `count` REST calls answering `interaction` (callback, edits, follow-ups)."""

        def answering(call: Call) -> bool:
            return interaction["token"] in call.path

        def enough() -> list[Call] | None:
            found = [c for c in self.calls if answering(c)]
            return found if len(found) >= count else None

        return await self._until(enough, timeout)


_BOT_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 38)


class _Refused(Exception):
    def __init__(self, status: int, body: dict):
        self.status, self.body = status, body


def _option_type(value) -> int:
    return 5 if isinstance(value, bool) else 4 if isinstance(value, int) else 3


def _member(author: dict) -> dict:
    roles = [str(EDITOR_ROLE_ID)] if author["id"] == EDITOR["id"] else []
    permissions = MANAGE_GUILD if author["id"] == MODERATOR["id"] else 0
    permissions |= (1 << 10) | (1 << 11)
    return {
        "user": author,
        "roles": roles,
        "permissions": str(permissions),
        "joined_at": _now(),
        "deaf": False,
        "mute": False,
        "flags": 0,
    }


def _channel() -> dict:
    return {
        "id": str(CHANNEL_ID),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": "news",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "flags": 0,
    }


def _role(role_id: int, name: str, permissions: int, **extra) -> dict:
    role = {"id": str(role_id), "name": name, "permissions": str(permissions), "position": 0}
    role |= {"color": 0, "hoist": False, "managed": False, "mentionable": False, "flags": 0}
    return role | extra


def _guild() -> dict:
    everyone = (1 << 10) | (1 << 11) | (1 << 16)
    return {
        "id": str(GUILD_ID),
        "name": "Newsroom",
        "owner_id": MODERATOR["id"],
        "roles": [
            _role(GUILD_ID, "@everyone", everyone),
            _role(EDITOR_ROLE_ID, EDITOR_ROLE, everyone, position=1),
            _role(
                BOT_ROLE_ID, "newsbot", _BOT_PERMISSIONS, managed=True, tags={"bot_id": BOT["id"]}
            ),
        ],
        "channels": [_channel()],
        "members": [
            {"user": BOT, "roles": [str(BOT_ROLE_ID)], "joined_at": _now(), "deaf": False}
            | {"mute": False, "flags": 0}
        ],
        "member_count": 4,
        "large": False,
        "unavailable": False,
        "joined_at": _now(),
        "emojis": [],
        "stickers": [],
        "features": [],
        "threads": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "premium_tier": 0,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "afk_timeout": 300,
        "system_channel_flags": 0,
        "preferred_locale": "en-US",
        "icon": None,
        "splash": None,
        "banner": None,
        "description": None,
    }


def _application() -> dict:
    return {
        "id": str(APP_ID),
        "name": "newsbot",
        "icon": None,
        "description": "",
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": 0,
        "owner": user(800000000000000009, "owner"),
        "team": None,
        "summary": "",
        "rpc_origins": [],
        "interactions_endpoint_url": None,
    }


def _now() -> str:
    return datetime.now(UTC).isoformat()


# --- running the real bot against the fake ---------------------------------------------------

TOKEN = "MTIzNDU2Nzg5.fake-discord-token.for-tests-only"


@dataclass
class BotRun:
    """What a run of the bot left behind."""

    result: object
    status: int
    announced: list[str]
    fake: FakeDiscord


def run_bot(
    archive,
    feedback,
    scenario,
    *,
    timeout: float = 60,
    defer_after=None,
    sync: bool = False,
    health_port: int | None = None,
    prepare: Callable[[FakeDiscord], None] | None = None,
    answering=None,
    delivery=None,
    **settings,
):
    """Run the real bot (bot.discordbot.app.serve) against a fresh fake Discord.

    `scenario(fake)` is awaited once the client is connected; then the bot is stopped.
    Everything is bounded by `timeout` seconds, so a broken bot fails instead of hanging.
    `sync` and `health_port` are serve's (`discord --sync`, `--health-port`); `prepare(fake)`
    runs before the bot starts (to make the fake fail a request, say). `answering` and
    `delivery` are serve's too (the answering queue, the retries of replies).
    """
    from bot.config import Settings
    from bot.discordbot.app import DEFER_AFTER, serve

    async def main() -> BotRun:
        fake = await FakeDiscord(settings.pop("expected_token", TOKEN)).start()
        if prepare is not None:
            prepare(fake)
        config = Settings(
            discord_token=settings.pop("token", TOKEN),
            discord_api_base=fake.api_base,
            discord_gateway_url=fake.gateway_url,
            **settings,
        )
        stop = asyncio.Event()
        announced: list[str] = []
        bot = asyncio.create_task(
            serve(
                config,
                archive,
                feedback,
                stop=stop,
                announce=announced.append,
                defer_after=DEFER_AFTER if defer_after is None else defer_after,
                sync=sync,
                health_port=health_port,
                answering=answering,
                **({"delivery": delivery} if delivery is not None else {}),
            )
        )
        try:
            ready = asyncio.create_task(fake.wait_ready(timeout))
            await asyncio.wait({ready, bot}, return_when=asyncio.FIRST_COMPLETED)
            result = await scenario(fake) if ready.done() and not ready.exception() else None
            ready.cancel()
        finally:
            stop.set()
            status = await asyncio.wait_for(bot, 15)
            await fake.close()
        return BotRun(result, status, announced, fake)

    return asyncio.run(asyncio.wait_for(main(), timeout))
