"""The library: articles in, answers out. Knows nothing of chat platforms."""
