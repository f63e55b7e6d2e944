"""The Discord surface: a discord.py client, its commands and how replies reach Discord."""
