"""Console adapter: the zero-set-up terminal chat (``newsbot console``)."""

from .adapter import ConsoleAdapter
from .config import ConsoleConfig

__all__ = ["ConsoleAdapter", "ConsoleConfig"]
