"""Renderers: an Answer in; plain text, JSON, Slack blocks or Discord embeds out."""
