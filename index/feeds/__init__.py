"""Watched feeds: which are watched, and polling them for new and changed stories."""
