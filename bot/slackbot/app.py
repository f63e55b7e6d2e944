"""The Slack bot: a Bolt App with thin listeners, run in Socket Mode or over HTTP (`--http`)."""

from __future__ import annotations

import logging
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import health
from bot.chat.answer_queue import AnswerQueue
from bot.chat.feeds import BackgroundWatcher
from bot.chat.ratelimit import RateLimiter
from bot.chat.state import ChatState
from bot.config import Settings
from bot.render import blocks
from bot.slackbot import http as slack_http
from bot.slackbot import startup as startup
from bot.slackbot import text as slack_text
from bot.slackbot.ask import Asker
from bot.slackbot.delivery import PATIENT, Policy, retry_handlers
from bot.slackbot.feeds import FeedsCommand
from bot.slackbot.ingest import Ingester
from bot.slackbot.link import Reconnector
from bot.slackbot.news import NewsPoster
from bot.slackbot.replies import Place, Replier
from bot.slackbot.text import Command
from index.archive import Archive
from index.errors import InputError
from index.feedback.store import FeedbackStore

log = logging.getLogger(__name__)
WORKERS = 8  # Bolt's worker threads: searches, fetches and posts run there, never in dispatch
ANSWERED_SUBTYPES = (None, "thread_broadcast", "file_share")  # messages a person typed


@dataclass
class SlackBot:
    """A built bot: the Bolt App, its Web API client, and what must be closed after it."""

    app: App
    client: WebClient
    identity: dict  # auth.test: the bot's user, user_id and team
    state: ChatState
    executor: ThreadPoolExecutor
    answering: AnswerQueue
    watching: BackgroundWatcher

    def close(self) -> None:
        """Wait for answers in progress, stop watching feeds, then close the bot's state."""
        self.executor.shutdown(wait=True)  # listeners done: nothing more is queued
        self.answering.close(wait=True)
        self.watching.close()
        self.state.close()


def build(
    settings: Settings,
    archive: Archive,
    feedback: FeedbackStore,
    *,
    workers: int = WORKERS,
    answering: AnswerQueue | None = None,
    delivery: Policy = PATIENT,
) -> SlackBot:
    """The real App against `settings.slack_api_url`; checks the bot token with auth.test.

    `answering`: the bounded queue questions are answered from (bot/chat/answer_queue.py);
    `delivery`: requests' timeout and the retries of replies (bot/slackbot/delivery.py)."""
    client = WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url.rstrip("/") + "/",
        timeout=delivery.timeout,
        retry_handlers=retry_handlers(),
    )
    identity = startup.check_bot_token(client, settings.slack_api_url)
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="slack-worker")
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret,
        listener_executor=executor,
        name="newsbot",
    )
    state = ChatState(archive.data_dir / "slack.sqlite3")
    replier = Replier(client, delivery)
    answering = answering or AnswerQueue(name="slack-answer")
    limiter = RateLimiter(settings.rate_limit_per_minute)
    asker = Asker(archive, feedback, state, limiter, replier, answering)
    news = settings.slack_news_channel
    watching = BackgroundWatcher(
        settings,
        archive,
        announce=NewsPoster(client, news) if news else None,
        where=f"SLACK_NEWS_CHANNEL {news}",
    )
    feeds = FeedsCommand(settings, watching, replier)
    _listen(app, settings, state, asker, Ingester(settings, archive, replier), replier, feeds)
    return SlackBot(app, client, identity, state, executor, answering, watching.start())


def run(
    settings: Settings,
    archive: Archive,
    feedback: FeedbackStore,
    *,
    http: bool = False,
    port: int = 3000,
    host: str = "0.0.0.0",
    stop: threading.Event | None = None,
    health_port: int | None = None,
    answering: AnswerQueue | None = None,
    delivery: Policy = PATIENT,
) -> int:
    """Run until Ctrl-C, SIGTERM or `stop`; returns the exit status. HTTP mode answers health
    checks on its own port; `health_port` serves them on 127.0.0.1 as well (Socket Mode)."""
    settings.require_slack(http=http)
    stop = stop or threading.Event()
    bot = build(settings, archive, feedback, answering=answering, delivery=delivery)
    who = f"@{bot.identity.get('user')} in {bot.identity.get('team')}"
    try:
        with startup.stop_on_signals(stop):
            if http:
                check = health.HealthCheck(archive, "slack-http", watcher=bot.watching.alive)
                where = f"http://{host}:{port}{slack_http.EVENTS_PATH}"
                print(f"Slack bot {who}: serving {where}", file=sys.stderr)
                try:
                    with health.serving(check, health_port):
                        slack_http.serve(bot.app, host, port, stop, check)
                except OSError as error:
                    raise InputError(f"cannot listen on port {port}: {error.strerror}") from None
            else:
                _socket_mode(bot, settings, archive, stop, who, health_port)
    finally:
        bot.close()
    return 0


def _listen(
    app: App,
    settings: Settings,
    state: ChatState,
    asker: Asker,
    ingester: Ingester,
    replier: Replier,
    feeds: FeedsCommand,
) -> None:
    """Register the listeners: each turns a Slack payload into a Place and a call, no more."""

    def route(order: Command, place: Place) -> None:
        if order.kind == "help":
            with replier.guard(place, "sending help"):
                replier.post(place, blocks.help_message())
        elif order.kind == "ingest":
            ingester.ingest(place, order.urls)
        else:
            asker.ask(place, order.question)

    @app.middleware
    def skip_events_seen_before(body, request, next):
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not state.claim(f"event:{event_id}"):
            retry = request.headers.get("x-slack-retry-num", ["0"])[0]
            log.info("Skipped event %s: handled before (retry %s)", event_id, retry)
            return BoltResponse(status=200, body="")  # not 404, or Slack would retry again
        return next()

    @app.event("app_mention")
    def on_mention(event, context):
        if _from_bot(event) or not state.claim(_message_key(event)):
            return
        thread = event.get("thread_ts") or event["ts"]  # a mention is answered in its thread
        place = Place(event["channel"], event["user"], thread_ts=thread)
        route(slack_text.command(event.get("text") or "", context.bot_user_id), place)

    @app.event("message")
    def on_message(event, context):
        if _from_bot(event) or event.get("subtype") not in ANSWERED_SUBTYPES:
            return
        text, me, thread = event.get("text") or "", context.bot_user_id, event.get("thread_ts")
        if event.get("channel_type") == "im":
            place = Place(event["channel"], event["user"], thread_ts=thread, direct=True)
        elif thread and thread != event["ts"] and not slack_text.mentions(text, me):
            if slack_text.mentions_someone_else(text, me):
                return  # people talking to each other in the bot's thread
            if not state.thread_question(event["channel"], thread):
                return  # a thread the bot never answered in
            place = Place(event["channel"], event["user"], thread_ts=thread)
        else:
            return  # channel chatter; mentions arrive as app_mention
        if state.claim(_message_key(event)):
            route(slack_text.command(text, me), place)

    @app.command("/ask", middleware=[_ack_at_once])
    def on_ask(command):
        place = Place(
            command["channel_id"],
            command["user_id"],
            response_url=command.get("response_url"),
            ephemeral=settings.slack_ask_ephemeral,
        )
        question = slack_text.plain(command.get("text") or "")
        if question:
            asker.ask(place, question, asked_by=command["user_id"])
            return
        with replier.guard(place, "sending help"):
            replier.notify(place, blocks.help_message())

    @app.command("/ingest", middleware=[_ack_at_once])
    def on_ingest(command):
        place = Place(
            command["channel_id"], command["user_id"], response_url=command.get("response_url")
        )
        ingester.ingest(place, slack_text.urls(command.get("text") or ""))

    @app.command("/feeds", middleware=[_ack_at_once])
    def on_feeds(command):
        place = Place(
            command["channel_id"], command["user_id"], response_url=command.get("response_url")
        )
        feeds.handle(place, command.get("text") or "")

    @app.action(blocks.ACTION_MORE, middleware=[_ack_at_once])
    def on_more(body, action):
        asker.more(_action_place(body), action["value"])

    @app.action(blocks.ACTION_VOTE_UP, middleware=[_ack_at_once])
    def on_vote_up(body, action):
        asker.vote(_action_place(body), action["value"], +1)

    @app.action(blocks.ACTION_VOTE_DOWN, middleware=[_ack_at_once])
    def on_vote_down(body, action):
        asker.vote(_action_place(body), action["value"], -1)


def _ack_at_once(ack, next):
    """Acknowledge in the dispatching thread, before the listener waits for a worker."""
    ack()
    next()


def _from_bot(event: dict) -> bool:
    """Bots (this one too) are never answered, so that no two bots talk to each other."""
    if event.get("bot_id") or event.get("subtype") == "bot_message":
        return True
    return event.get("user") in (None, "USLACKBOT")


def _message_key(event: dict) -> str:
    return f"message:{event.get('channel')}:{event.get('ts')}"


def _action_place(body: dict) -> Place:
    container = body.get("container") or {}
    return Place(
        (body.get("channel") or {}).get("id") or container.get("channel_id", ""),
        body["user"]["id"],
        thread_ts=(body.get("message") or {}).get("thread_ts"),
        response_url=body.get("response_url"),
        ephemeral=bool(container.get("is_ephemeral")),
    )


def _socket_mode(
    bot: SlackBot,
    settings: Settings,
    archive: Archive,
    stop: threading.Event,
    who: str,
    health_port: int | None,
) -> None:
    handler = SocketModeHandler(bot.app, app_token=settings.slack_app_token, web_client=bot.client)
    heard = health.Heard()
    handler.client.on_message_listeners.append(lambda _message: heard.note())
    reconnector = Reconnector(handler.client)

    def link() -> health.Link:
        """Connected, and when Slack last sent a message or answered the client's ping."""
        session = handler.client.current_session
        pong = getattr(session, "last_ping_pong_time", None)  # the built-in client's
        if pong is not None:
            heard.note(pong)
        return health.Link(handler.client.is_connected(), heard.at)

    check = health.HealthCheck(
        archive, "slack-socket-mode", watcher=bot.watching.alive, link=link, platform="Slack"
    )
    try:
        with health.serving(check, health_port):
            try:
                handler.connect()
            except SlackApiError as error:
                raise startup.app_token_refused(error) from None
            print(f"Slack bot {who}: connected in Socket Mode", file=sys.stderr)
            while not stop.wait(0.5):
                reconnector.tick()
    finally:
        handler.close()
