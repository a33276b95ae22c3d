"""Reading one article file: field mapping, ids, and every kind of bad input."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digests.ingest import IngestFailure, parse_bytes, parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

FRONT = "---\ntitle: {title}\ndate: {date}\nsource: {source}\n---\n{body}\n"
BODY = "The council voted on Monday to approve the plan.\n\nIt takes effect next year."


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def md(
    title: str = "Plan approved",
    date: str = "2025-10-21",
    source: str = "https://a.example/x",
    body: str = BODY,
) -> str:
    return FRONT.format(title=title, date=date, source=source, body=body)


# --- front matter -------------------------------------------------------------------


def test_front_matter_fields_map_to_the_article() -> None:
    article = parse_file(FIXTURES / "markdown_article.md")
    assert article.title == "Acme’s robots learn to fold laundry & more"
    assert article.url == "https://www.example-news.com/2025/10/21/acme-robots-laundry/?id=7"
    assert article.source == "example-news.com"
    assert article.author == "Jane Writer"
    assert article.published == datetime(2025, 10, 21, 14, 30, tzinfo=UTC)
    assert article.tags == ("AI", "Robotics")
    assert article.category == "Hardware"
    assert article.image == "https://images.example.com/robot.jpg"
    assert article.extra["readTime"] == "4 min read"
    assert article.extra["series"] == "Robots Week"  # unknown fields are kept
    assert article.extra["excerpt"].startswith("Acme Robotics showed a humanoid")
    assert article.path == str((FIXTURES / "markdown_article.md").resolve())


def test_excerpt_is_never_the_text() -> None:
    article = parse_file(FIXTURES / "markdown_article.md")
    assert "would ship to..." not in article.text
    assert article.text.startswith("Acme Robotics on Tuesday showed a humanoid robot")


def test_html_body_is_cleaned_and_title_decoded() -> None:
    article = parse_file(FIXTURES / "html_article.md")
    assert article.title == 'Widgets Inc. raises $20M to build "smarter" widgets'
    assert article.text.split("\n\n") == [
        "Widgets Inc. has raised $20 million in a Series A round led by Example Ventures, the company said on Friday.",
        "The startup’s founder, Priya Raman, said the money would pay for a second factory. “Demand has tripled since spring,” Raman said.",
        "• A second factory in 2026",
        "• Hiring 50 engineers",
        "Investors have poured money into hardware startups this year & expect more deals.",
    ]
    assert article.published == datetime(2025, 10, 3, tzinfo=UTC)


# --- plain text ------------------------------------------------------------------------


def test_plain_text_takes_the_first_line_as_title_and_mtime_as_date(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_bytes((FIXTURES / "plain_article.txt").read_bytes())
    stamp = datetime(2025, 5, 6, 7, 8, 9, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    article = parse_file(path)
    assert article.title == "City Council Approves Riverside Park Expansion"
    assert article.published == datetime(2025, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert article.extra["date_from"] == "mtime"
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("The city council voted 7-2")
    assert paragraphs[1].startswith("• Green space:")  # bullets kept: they carry quotes
    assert paragraphs[-1].endswith("—Dana Ortiz, council member")
    for junk in (
        "Why the Vote Matters",
        "FAQ",
        "When will construction",
        "Internal links",
        "Reaction",
    ):
        assert junk not in article.text


# --- ids ----------------------------------------------------------------------------------


def test_id_comes_from_the_canonical_url_so_tracking_query_does_not_matter(tmp_path: Path) -> None:
    a = parse_file(
        write(tmp_path, "a.md", md(source="https://www.a.example/story?utm_source=x&src=rss"))
    )
    b = parse_file(write(tmp_path, "b.md", md(source="http://a.example/story/#comments")))
    c = parse_file(write(tmp_path, "c.md", md(source="https://a.example/other-story")))
    assert a.id == b.id != c.id
    assert len(a.id) == 16 and int(a.id, 16) >= 0
    assert a.url == "https://www.a.example/story"


def test_without_url_the_id_comes_from_the_file_path(tmp_path: Path) -> None:
    first = write(tmp_path, "one.txt", "Title one\nBody sentence here.\n")
    second = write(tmp_path, "two.txt", "Title one\nBody sentence here.\n")
    assert parse_file(first).id == parse_file(first).id
    assert parse_file(first).id != parse_file(second).id


# --- input that is fine -------------------------------------------------------------------


def test_bom_and_crlf_are_read_silently(tmp_path: Path) -> None:
    plain = parse_file(write(tmp_path, "a.md", md()))
    crlf = parse_file(
        write(tmp_path, "b.md", b"\xef\xbb\xbf" + md().replace("\n", "\r\n").encode())
    )
    assert (crlf.title, crlf.text, crlf.published) == (plain.title, plain.text, plain.published)


def test_cp1252_files_are_read_with_their_smart_quotes(tmp_path: Path) -> None:
    data = md(title="Council\x92s plan", body="She said \x93yes\x94 to the plan on Monday.").encode(
        "latin-1"
    )
    article = parse_file(write(tmp_path, "legacy.md", data))
    assert article.title == "Council’s plan"
    assert article.text == "She said “yes” to the plan on Monday."
    assert article.extra["encoding"] == "cp1252"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-10-21", datetime(2025, 10, 21, tzinfo=UTC)),
        ("'2025-10-21T16:30:00+02:00'", datetime(2025, 10, 21, 14, 30, tzinfo=UTC)),
        ("'Tue, 21 Oct 2025 14:30:00 GMT'", datetime(2025, 10, 21, 14, 30, tzinfo=UTC)),
        ("October 21, 2025", datetime(2025, 10, 21, tzinfo=UTC)),
        ("21 Oct 2025", datetime(2025, 10, 21, tzinfo=UTC)),
        ("2025/10/21", datetime(2025, 10, 21, tzinfo=UTC)),
        ("21/10/2025", datetime(2025, 10, 21, tzinfo=UTC)),
        ("1761057000", datetime(2025, 10, 21, 14, 30, tzinfo=UTC)),
        ("'1761057000000'", datetime(2025, 10, 21, 14, 30, tzinfo=UTC)),
    ],
)
def test_odd_but_unambiguous_dates_are_read(tmp_path: Path, value: str, expected: datetime) -> None:
    assert parse_file(write(tmp_path, "d.md", md(date=value))).published == expected


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n\t\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (md(title="[unclosed").encode(), "invalid YAML front matter at line 2"),
        (b"---\ntitle: x\ndate: 2025-01-01\nno closing line\n", "front matter is not closed"),
        (b"---\n- just\n- a list\n---\nbody text here.\n", "not a list of 'field: value' lines"),
        (b"---\ndate: 2025-10-21\n---\nBody text here.\n", "missing 'title'"),
        (b"---\ntitle: Hello\n---\nBody text here.\n", "missing 'date'"),
        (md(date="next tuesday").encode(), "unreadable date 'next tuesday'"),
        (md(date="03/04/2025").encode(), "ambiguous date"),
        (md(body="<figure><img src='x.png'></figure>").encode(), "no article text"),
        (b"\xff\xfe\x81\x8d\x8f\x90\x9d text", "not UTF-8"),
    ],
)
def test_bad_files_fail_with_a_reason_naming_the_problem(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    with pytest.raises(IngestFailure) as info:
        parse_file(write(tmp_path, "bad.md", content))
    assert reason in info.value.reason


def test_oversized_files_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as fh:
        fh.truncate(5 * 1024 * 1024 + 1)
    with pytest.raises(IngestFailure, match="too large"):
        parse_file(path)


def test_a_folder_or_missing_file_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(IngestFailure, match="is a folder"):
        parse_file(tmp_path)
    with pytest.raises(IngestFailure, match="cannot read file"):
        parse_file(tmp_path / "nope.md")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_raise_nothing_but_ingest_failure(data: bytes) -> None:
    for name in ("x.md", "x.txt"):
        try:
            article = parse_bytes(data, f"/tmp/{name}", mtime=0.0)
        except IngestFailure as exc:
            assert exc.reason
        else:
            assert article.title and article.text


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["title", "date", "tags", "source", "author", "category", "coverImage", "x"]
        ),
        st.one_of(
            st.none(),
            st.text(max_size=30),
            st.integers(),
            st.lists(st.text(max_size=10), max_size=3),
        ),
    ),
    st.text(max_size=200),
)
def test_arbitrary_front_matter_values_raise_nothing_but_ingest_failure(
    meta: dict, body: str
) -> None:
    import yaml

    data = ("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body).encode()
    try:
        parse_bytes(data, "/tmp/x.md")
    except IngestFailure as exc:
        assert exc.reason
