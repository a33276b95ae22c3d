"""Slack adapter: ``/news`` commands, reactions as feedback, Block Kit stories and digests.

``SlackAdapter(SlackConfig(...), on_command, on_reaction)`` implements
:class:`adapters.base.Adapter`. Imports only ``digests``, ``adapters.base`` and the
Slack SDKs.
"""

from .adapter import SlackAdapter, SlackStartError
from .config import SlackConfig

__all__ = ["SlackAdapter", "SlackConfig", "SlackStartError"]
