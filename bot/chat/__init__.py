"""What both chat bots share: answering queue, rate limit, delivery, state, news, feeds."""
