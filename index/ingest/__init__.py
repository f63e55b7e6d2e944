"""Ingesting: sources (files, folders, URLs, standard input) into the archive."""
