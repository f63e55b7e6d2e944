"""Chat under load: each bot through the project's fake servers, a burst then a steady load.

    python benchmarks/chat_load.py [--passages 200000] [--seconds 60] [--rate 5] [--keep DIR]
                                   [--bots slack-http,slack-socket,discord]

It builds an archive of `--passages` passages from the real paragraphs in ../shared/eval, as
benchmarks/scale.py does (`python -m bot ingest`, then `compact`; `--keep DIR` builds it there
once and reuses it), then runs each bot exactly as `python -m bot slack [--http]` and
`python -m bot discord` run it, in this process, against tests/fake_slack.py and
tests/fake_discord.py on 127.0.0.1 with the real slack-bolt, slack_sdk and discord.py clients.
Each bot gets two phases of the eval sets' questions, mentions from twenty people:

- burst: sixty questions within two seconds;
- steady: `--rate` questions a second for `--seconds` seconds.

For each it prints the questions asked, those answered (one reply: the quotes, the honest "no
answer", or the busy notice, counted apart), lost (no reply within two minutes of the last
question: must be 0), duplicated (more than one reply: must be 0), and the reply latency as
the asker sees it (question sent -> the reply reaching the fake server): p50, p95, max.
The per-person rate limit is off (RATE_LIMIT_PER_MINUTE=0): twenty people asking fifteen
questions a minute each would otherwise be told to slow down, which is not what is measured.
The load generator and the fake servers share the process (and its cores) with the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from scale import source_articles, write_corpus  # noqa: E402

from bot.chat.answer_queue import BUSY  # noqa: E402
from index.archive import Archive  # noqa: E402
from index.feedback.store import FeedbackStore  # noqa: E402
from tests.fake_discord import BOT_ID, run_bot, user  # noqa: E402
from tests.fake_slack import TEAM, FakeSlack, RunningBot, mention, settings_for  # noqa: E402

PEOPLE = 20
BURST, BURST_SECONDS = 60, 2.0
PATIENCE = 120.0  # seconds after the last question before a missing reply counts as lost
BOTS = ("slack-http", "slack-socket", "discord")


def build(work: Path, passages: int) -> Path:
    """The data directory of an archive of `passages` passages (built once per --keep)."""
    data, done = work / "data", work / f"built-{passages}"
    if done.exists():
        return data
    articles, _, vocabulary = source_articles()
    corpus = work / "corpus"
    written = write_corpus(corpus, passages, articles, vocabulary)
    python = [sys.executable, "-m", "bot"]
    started = time.monotonic()
    subprocess.run([*python, "ingest", "--data", str(data), str(corpus)], check=True, cwd=ROOT)
    subprocess.run([*python, "compact", "--data", str(data)], check=True, cwd=ROOT)
    print(f"archive: {written:,} passages, built in {time.monotonic() - started:.0f} s")
    done.touch()
    return data


def plans(questions: list[str], rate: float, seconds: float, seed: int) -> dict[str, list]:
    """Each phase's (when, person, question), when in seconds from the phase's start; each bot
    its own questions (`seed`), so that none is helped by what the one before it cached."""
    rng = random.Random(seed)
    pick = rng.sample(questions, min(len(questions), BURST + int(rate * seconds)))
    burst = [(BURST_SECONDS * n / BURST, n % PEOPLE, q) for n, q in enumerate(pick[:BURST])]
    steady = [(n / rate, n % PEOPLE, q) for n, q in enumerate(pick[BURST:])]
    return {"burst": burst, "steady": steady}


def figures(bot: str, phase: str, sent: dict, replies: dict) -> dict:
    """sent: question key -> time asked; replies: key -> [(time, kind)] as the fake got them."""
    latencies, lost, duplicated, busy = [], 0, 0, 0
    for key, asked in sent.items():
        got = sorted(replies.get(key, []))
        if not got:
            lost += 1
            continue
        duplicated += len(got) > 1
        busy += got[0][1] == "busy"
        latencies.append((got[0][0] - asked) * 1000)
    latencies.sort()
    return {
        "bot": bot,
        "phase": phase,
        "questions": len(sent),
        "answered": len(latencies) - busy,
        "busy": busy,
        "lost": lost,
        "duplicated": duplicated,
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0,
        "max": latencies[-1] if latencies else 0.0,
    }


# -- Slack -------------------------------------------------------------------------------------


def slack(archive, feedback, plan: dict, http: bool) -> list[dict]:
    name = "slack-http" if http else "slack-socket"
    rows = []
    with FakeSlack() as fake:
        settings = settings_for(fake, rate_limit_per_minute=0)
        running = RunningBot(fake, settings, archive, feedback, http=http)
        with running as bot, ThreadPoolExecutor(max_workers=PEOPLE * 2) as senders:
            for phase, questions in plan.items():
                sent = _slack_phase(fake, bot, senders, questions, http)
                rows.append(figures(name, phase, sent, _slack_replies(fake, sent)))
    return rows


def _slack_phase(fake, bot, senders, questions, http: bool) -> dict:
    sent: dict[str, float] = {}

    def ask(event: dict) -> None:
        sent[event["ts"]] = time.monotonic()
        if http:
            bot.event(event)
        else:
            envelope = {"team_id": TEAM, "type": "event_callback", "event": event}
            envelope["event_id"] = "Ev" + event["ts"].replace(".", "")
            fake.send_envelope("events_api", envelope)

    start = time.monotonic()
    for when, person, question in questions:
        time.sleep(max(0.0, start + when - time.monotonic()))
        event = mention(question, user=f"U0PERSON{person:02d}", ts=_new_ts())
        if http:
            senders.submit(ask, event)  # an HTTP request waits for the ack: not in line
        else:
            ask(event)
    deadline = time.monotonic() + PATIENCE + BURST_SECONDS
    while time.monotonic() < deadline:
        if len(sent) == len(questions) and all(_slack_replies(fake, sent).get(ts) for ts in sent):
            break
        time.sleep(0.25)
    return sent


_counter = iter(range(1, 10**6))
_STARTED = int(time.time())


def _new_ts() -> str:
    """A message ts no earlier run used (the data directory remembers the ones answered)."""
    return f"{_STARTED}.{next(_counter):06d}"


def _slack_replies(fake, sent: dict) -> dict:
    replies = defaultdict(list)
    for method in ("chat.postMessage", "chat.postEphemeral"):
        for call in fake.calls_to(method):
            ts = call.args.get("thread_ts")
            if ts in sent:
                replies[ts].append((call.at, "busy" if BUSY in call.args.get("text", "") else "ok"))
    return replies


# -- Discord -----------------------------------------------------------------------------------


def discord(archive, feedback, plan: dict) -> list[dict]:
    people = [user(810000000000000000 + n, f"person{n}") for n in range(PEOPLE)]

    async def scenario(fake):
        rows = []
        loop = asyncio.get_running_loop()
        for phase, questions in plan.items():
            sent: dict[str, float] = {}
            start = loop.time()
            for when, person, question in questions:
                await asyncio.sleep(max(0.0, start + when - loop.time()))
                asked = time.monotonic()
                message = await fake.post(people[person], f"<@{BOT_ID}> {question}")
                sent[message["id"]] = asked
            deadline = loop.time() + PATIENCE
            while loop.time() < deadline and not all(_discord_replies(fake, sent).values()):
                await asyncio.sleep(0.25)
            rows.append(figures("discord", phase, sent, _discord_replies(fake, sent)))
        return rows

    seconds = sum(q[-1][0] for q in plan.values()) + 2 * PATIENCE + 60
    return run_bot(archive, feedback, scenario, timeout=seconds, rate_limit_per_minute=0).result


def _discord_replies(fake, sent: dict) -> dict:
    replies: dict[str, list] = {key: [] for key in sent}
    made: dict[str, float] = {}
    for call in fake.calls:
        if call.method == "POST" and isinstance(call.response, dict) and "id" in call.response:
            made.setdefault(call.response["id"], call.at)
    for message_id, at in made.items():
        message = fake._messages.get(int(message_id)) or {}
        asked = str((message.get("message_reference") or {}).get("message_id"))
        if asked in replies:
            text = str(message.get("content") or "")
            replies[asked].append((at, "busy" if BUSY in text else "ok"))
    return replies


# -- the table -----------------------------------------------------------------------------------


def table(rows: list[dict]) -> str:
    head = "| bot | load | questions | answered | busy | lost | duplicated | p50 ms | p95 ms |"
    lines = [head + " max ms |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['bot']} | {r['phase']} | {r['questions']} | {r['answered']} | {r['busy']} "
            f"| {r['lost']} | {r['duplicated']} | {r['p50']:.0f} | {r['p95']:.0f} "
            f"| {r['max']:.0f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=200_000, help="the archive's size")
    parser.add_argument("--seconds", type=float, default=60, help="the steady load's length")
    parser.add_argument("--rate", type=float, default=5, help="questions a second, steady")
    parser.add_argument("--keep", type=Path, help="build the archive here once and reuse it")
    parser.add_argument("--bots", default=",".join(BOTS), help="which bots, comma-separated")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="chat-load-"))
    work.mkdir(parents=True, exist_ok=True)
    data = build(work, args.passages)
    _, questions, _ = source_articles()
    rows: list[dict] = []
    with Archive(data) as archive:
        feedback = FeedbackStore(work / "load-feedback.sqlite3")
        archive.ask(questions[0])  # loads the relevance model
        for seed, bot in enumerate(args.bots.split(",")):
            plan = plans(questions, args.rate, args.seconds, seed)
            if bot == "discord":
                rows += discord(archive, feedback, plan)
            else:
                rows += slack(archive, feedback, plan, http=bot == "slack-http")
            print(table([r for r in rows if r["bot"] == bot]), flush=True)
        feedback.close()
    print()
    print(
        f"python benchmarks/chat_load.py --passages {args.passages} --seconds {args.seconds:g} "
        f"--rate {args.rate:g}: {args.passages:,} passages, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}"
    )
    print(table(rows))
    return 1 if any(r["lost"] or r["duplicated"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
