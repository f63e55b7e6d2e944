"""Syndicated copies: one story told by several outlets, found and searched as one."""
