"""Feeds added from chat: stored per channel, polled with the operator's sources, their new
items posted to the channel that added them (see :mod:`bot.feeds.runner`)."""
