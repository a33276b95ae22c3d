"""The front-matter fast path must never disagree with real YAML: same dict, or step aside."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from digests.ingest.fastyaml import load_simple
from digests.ingest.yamlsafe import BoundedLoader

SCALARS = [
    "plain words",
    "2025-02-30",  # no such day: both readers keep it as text
    "0000-00-00",
    "Ai",
    "5 min read",
    "42",
    "0",
    "007",
    "+3",
    "-3",
    "1.5",
    "1e3",
    ".5",
    "1_000",
    "2025-10-21",
    "2025-10-21T14:30:00Z",
    "2025-1-2",
    "10:30",
    "yes",
    "No",
    "on",
    "off",
    "null",
    "~",
    "true",
    "'single ''quoted'' value'",
    '"double quoted"',
    '"with \\" escape"',
    "'a: b'",
    "a: b",
    "http://x.example/a?b=c&d=e#frag",
    "value # comment",
    "#notcomment",
    "[a, b]",
    '["A", "B c"]',
    "[]",
    "{a: 1}",
    "&anchor x",
    "*ref",
    "!tag x",
    "|",
    ">-",
    "@at",
    "`tick`",
    "%pct",
    "émoji ✓",
    "ends with colon:",
    "- dash",
    "?q",
    ".inf",
    "'unterminated",
    "trailing  ",
    "",
]


def test_corpus_shaped_front_matter_is_read_without_yaml() -> None:
    block = (
        "title: >-\n  Netflix goes ‘all in’ on generative AI as entertainment industry remains\n  divided\n"
        "date: '2025-10-21'\nauthor: AIVibe\ntags:\n  - Ai\n  - Llm\ncategory: Work\n"
        'readTime: "6 min read"\nkeywords: ["Productivity", "Machine Learning"]\nsource: >-\n'
        "  https://techcrunch.com/2025/10/21/netflix/\n"
    )
    result = load_simple(block)
    assert result == yaml.safe_load(block)
    assert result is not None and result["title"].endswith("remains divided")


def test_unquoted_dates_are_dates_like_yaml_makes_them() -> None:
    assert load_simple("date: 2025-10-21\n") == {"date": date(2025, 10, 21)}


@pytest.mark.parametrize(
    "block", ["a:\n  nested: 1\n", "a: &x 1\nb: *x\n", "a: 'multi\n  line'\n", "- top\n- list\n"]
)
def test_anything_beyond_the_simple_subset_is_left_to_yaml(block: str) -> None:
    assert load_simple(block) is None


_value = st.sampled_from(SCALARS)
_line = st.one_of(
    st.tuples(st.sampled_from(["title", "date", "tags", "x", "readTime", "yes", "1"]), _value).map(
        lambda kv: f"{kv[0]}: {kv[1]}\n"
    ),
    st.tuples(
        st.sampled_from(["tags", "list"]),
        st.lists(_value, min_size=1, max_size=3),
        st.sampled_from(["  ", "", "    "]),
    ).map(lambda t: f"{t[0]}:\n" + "".join(f"{t[2]}- {v}\n" for v in t[1])),
    st.tuples(
        st.sampled_from(["excerpt", "source"]),
        st.sampled_from([">-", ">", "|", "|-", ">+"]),
        st.lists(_value, min_size=1, max_size=3),
    ).map(lambda t: f"{t[0]}: {t[1]}\n" + "".join(f"  {v}\n" for v in t[2])),
    st.sampled_from(["\n", "  \n", "# comment\n", "key:\n", "odd line\n", "  indented: 1\n"]),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_line, min_size=1, max_size=6).map("".join))
def test_fast_path_agrees_with_yaml_or_steps_aside(block: str) -> None:
    fast = load_simple(block)
    if fast is None:
        return
    assert fast == yaml.load(block, Loader=BoundedLoader)
