"""The surfaces: command line, Slack and Discord, all on top of index/."""
