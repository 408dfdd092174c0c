"""The news pages in the site's page cache (:mod:`ikone.pagecache`).

What is news-specific is *when* the cached pages go stale: the news services make them stale
after a post is published, changed or withdrawn (``transaction.on_commit(bump_version)``).
The cache itself — keys, the per-process layer, the early middleware — is generic and lives
in the bottom layer.
"""

from ikone.pagecache import bump_version, cache_anonymous_page

__all__ = ["bump_version", "cache_anonymous_page"]
