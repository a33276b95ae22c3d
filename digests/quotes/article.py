"""The per-article reader every rule works with: name resolution plus the phrase and
document rules.
"""

from __future__ import annotations

from digests.quotes.documents import DocumentRoles
from digests.quotes.phrases import SpeakerPhrases


class Article(DocumentRoles, SpeakerPhrases):
    """Per-article state: the text, its name index and its company, with every look-up the
    attribution rules use."""
