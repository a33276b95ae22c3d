"""Hand-written articles and a recording adapter for the bot-core tests (no corpus text)."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.base import ChannelRef, DeliveryError, PostedMessage
from digests.models import Article, Digest, Story
from tests.factories import article

T0 = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
GENERAL = ChannelRef("console", "local", "general")


def _a(
    aid: str, title: str, text: str, tags: tuple[str, ...], source: str, hours_ago: float
) -> Article:
    return article(aid, title, text, source=source, hours_ago=hours_ago, now=T0, tags=tags)


ARTICLES = [
    _a(
        "a1robots0000001",
        "Harbour Robotics unveils warehouse AI that plans its own routes",
        "Harbour Robotics showed a warehouse system on Tuesday whose machine-learning planner "
        "chooses routes for forklifts without a human dispatcher.\n\n"
        '"The planner learns the building the way a new employee would, only faster," said Ines Okoro, '
        "the company's chief engineer.",
        ("AI", "Robots"),
        "robots.example.com",
        2,
    ),
    _a(
        "a2campus0000002",
        "University lab trains a language model on public-domain books only",
        "Researchers at Northfield University released a language model trained only on books whose "
        "copyright has expired, to show that useful AI need not depend on scraped web text.\n\n"
        "The team said the model is weaker at current events but strong at summarising long documents.",
        ("AI",),
        "campus.example.org",
        30,
    ),
    _a(
        "c1coast00000003",
        "Coastal town raises its sea wall after a record storm",
        "Engineers in Port Wren began raising the town's sea wall by a metre after last winter's storm "
        "pushed water into the high street for the first time in a century.\n\n"
        "The council expects the work to finish before the next storm season.",
        ("Climate",),
        "coast.example.net",
        1,
    ),
    _a(
        "c2solar00000004",
        "Solar farm approved on a former airfield",
        "Planners approved a solar farm on the disused Elmstead airfield, enough to power about "
        "twelve thousand homes, after a two-year consultation with neighbours.",
        ("Climate", "Energy"),
        "energy.example.com",
        5,
    ),
    _a(
        "s1cup0000000005",
        "Riverside Rovers win the county cup in extra time",
        "Riverside Rovers beat Hill End 2-1 after extra time in the county cup final, their first "
        "trophy in eleven years.",
        ("Sport",),
        "sport.example.com",
        3,
    ),
]


class RecordingAdapter:
    """An Adapter that records what it was asked to post and numbers the messages."""

    name = "console"

    def __init__(self) -> None:
        self.sent: list[tuple[ChannelRef, Digest | Story, str]] = []
        self.first_attempts: list[bool] = []
        self.fail: DeliveryError | None = None
        self._n = 0

    async def start(self) -> None:
        return None

    async def send(
        self,
        channel: ChannelRef,
        content: Digest | Story,
        *,
        idempotency_key: str,
        first_attempt: bool = False,
        skip_parts: frozenset[int] = frozenset(),
        on_posted: object = None,
    ) -> list[PostedMessage]:
        # posts the whole content each time; the bot records its parts when send returns
        if self.fail is not None:
            raise self.fail
        self.sent.append((channel, content, idempotency_key))
        self.first_attempts.append(first_attempt)
        stories = content.stories if isinstance(content, Digest) else (content,)
        out = [PostedMessage(channel, self._next())] if isinstance(content, Digest) else []
        out += [PostedMessage(channel, self._next(), s.id) for s in stories]
        return out

    async def aclose(self) -> None:
        return None

    def _next(self) -> str:
        self._n += 1
        return f"msg-{self._n}"

    def posted_story_ids(self) -> list[str]:
        return [
            s.id
            for _, content, _ in self.sent
            for s in (content.stories if isinstance(content, Digest) else (content,))
        ]
