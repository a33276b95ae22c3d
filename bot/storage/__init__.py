"""The bot's persistent state: articles and stories (with full-text search), channels,
subscriptions, posted messages, reactions and processed platform events.

``Storage(url)`` then ``await storage.upgrade()``; the schema lives in
:mod:`bot.storage.schema` (its ``Base`` is shared with other bot packages).
"""

from .schema import Base
from .store import Storage, StorageError, StoredReaction, UpsertResult

__all__ = ["Base", "Storage", "StorageError", "StoredReaction", "UpsertResult"]
