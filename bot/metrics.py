"""Prometheus metrics of one bot process, served at ``/metrics`` (see ``bot.services.http``).

Counters and histograms are updated where things happen (delivery outcomes in the outbox,
command latency in ``NewsBot.handle_command``, poll duration in the delivery loop); gauges
that describe stored state (articles, stories, outbox depth, failing sources) are read from
the database when Prometheus scrapes, so they are right across several processes.

prometheus-client is the reference implementation of the exposition format, maintained by
the Prometheus project; one registry per process (not the global default) keeps tests that
build several bots from sharing series by accident.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

ARTICLES_INGESTED = Counter(
    "newsbot_articles_ingested",
    "Articles stored as new or updated, by start-up ingest and source polls",
    registry=REGISTRY,
)
DELIVERIES = Counter(
    "newsbot_deliveries",
    "Outbox deliveries by platform and outcome (sent, failed, retried, lost = taken over)",
    ["platform", "outcome"],
    registry=REGISTRY,
)
COMMAND_SECONDS = Histogram(
    "newsbot_command_seconds",
    "Time to answer a /news command, by platform",
    ["platform"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
POLL_SECONDS = Histogram(
    "newsbot_poll_seconds",
    "Time of one poll of all configured sources (folders and feeds)",
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0),
    registry=REGISTRY,
)
ARTICLES = Gauge("newsbot_articles", "Articles stored", registry=REGISTRY)
STORIES = Gauge("newsbot_stories", "Stories in this process's catalog", registry=REGISTRY)
OUTBOX_DEPTH = Gauge(
    "newsbot_outbox_depth",
    "Deliveries waiting or being sent (pending + claimed)",
    registry=REGISTRY,
)
OUTBOX_OLDEST = Gauge(
    "newsbot_outbox_oldest_seconds",
    "Age of the oldest delivery still waiting or being sent (0 when none)",
    registry=REGISTRY,
)
SOURCES_FAILING = Gauge(
    "newsbot_sources_failing",
    "Configured sources (folders, feeds) currently failing, by kind",
    ["kind"],
    registry=REGISTRY,
)


def delivery(platform: str, outcome: str) -> None:
    """Count one delivery outcome: ``sent``, ``failed``, ``retried`` or ``lost``."""
    DELIVERIES.labels(platform=platform, outcome=outcome).inc()


@contextmanager
def timed(histogram: Histogram, **labels: str) -> Iterator[None]:
    """Observe the block's wall time, also when it raises."""
    start = time.perf_counter()
    try:
        yield
    finally:
        (histogram.labels(**labels) if labels else histogram).observe(time.perf_counter() - start)
