"""The stories the bot can show: built by the engine from stored articles, kept up to date
incrementally (a change rebuilds only the stories it touches), searchable by ref, topic
and words. Storage only stores and reads; the clustering decisions live here."""

from .catalog import Catalog, keep_ids

__all__ = ["Catalog", "keep_ids"]
