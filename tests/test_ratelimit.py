"""bot/chat/ratelimit.py: a sliding minute per user, one notice when over, then silence."""

from __future__ import annotations

from bot.chat.ratelimit import RateLimiter, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_over_the_limit_a_user_is_told_once_then_dropped():
    clock = Clock()
    limiter = RateLimiter(2, clock=clock)
    assert [limiter.check("ann") for _ in range(5)] == [
        Verdict.ALLOW,
        Verdict.ALLOW,
        Verdict.NOTIFY,
        Verdict.DROP,
        Verdict.DROP,
    ]


def test_the_window_slides_and_a_new_allowance_resets_the_notice():
    clock = Clock()
    limiter = RateLimiter(2, clock=clock)
    assert limiter.check("ann") is Verdict.ALLOW  # at 0 s
    clock.now += 30
    assert limiter.check("ann") is Verdict.ALLOW  # at 30 s
    assert limiter.check("ann") is Verdict.NOTIFY
    clock.now += 29.9  # 59.9 s after the first: still inside its minute
    assert limiter.check("ann") is Verdict.DROP
    clock.now += 0.1  # the first question is a minute old: one place is free
    assert limiter.check("ann") is Verdict.ALLOW
    assert limiter.check("ann") is Verdict.NOTIFY  # told again: the earlier notice is spent


def test_users_are_counted_apart():
    limiter = RateLimiter(1, clock=Clock())
    assert limiter.check("ann") is Verdict.ALLOW
    assert limiter.check("ann") is Verdict.NOTIFY
    assert limiter.check("bob") is Verdict.ALLOW


def test_refused_questions_do_not_use_up_the_allowance():
    clock = Clock()
    limiter = RateLimiter(1, clock=clock)
    assert limiter.check("ann") is Verdict.ALLOW
    for _ in range(10):
        clock.now += 5
        limiter.check("ann")
    clock.now += 10  # 60 s after the one allowed question, 55 s after the first refused one
    assert limiter.check("ann") is Verdict.ALLOW


def test_zero_means_no_limit():
    limiter = RateLimiter(0, clock=Clock())
    assert {limiter.check("ann") for _ in range(500)} == {Verdict.ALLOW}
