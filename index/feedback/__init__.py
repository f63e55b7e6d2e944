"""What the newsroom asks: the question log, the answers shown and the votes on them."""
