"""The Slack surface: a Bolt App, its listeners and how replies reach Slack."""
