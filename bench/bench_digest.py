"""Benchmark: ``newsbot digest`` on ≥ 10,000 distinct real-text articles, cold and warm cache,
against bare python-frontmatter loading of the same files in the same run.

The articles are **recombined from the real corpus** (``../shared/corpus/articles`` +
``articles-more``), written to a temporary folder, every body different:

* each output file starts from one real article file (its front matter fields — author,
  tags, category, excerpt, cover image — and its raw body, HTML and site junk included),
* it gets a real headline of *another* article, its own URL (the base's host, a path of its
  own) and a date drawn over 19 months,
* about a third of its body's sentences are replaced by sentences of other articles, and
  the body's hash is checked against every body written so far (a repeat is re-drawn), so
  no two bodies are the same and nothing is summarised once for many files.

In the same run it measures, for the same files:

* bare loading: read each file and ``frontmatter.loads`` it, in this process;
* ``newsbot digest --format json --cache-dir EMPTY`` in a subprocess: the first run (cold
  cache) and the second (warm cache; the output must be identical);
* the peak RSS of each digest run (its largest process);

and prints the ratios (targets: cold ≤ 4× bare, warm ≤ 1.5× bare, peak RSS ≤ 400 MB). It does
it on two independent sets: seed 1 from both corpus folders, and seed 2 from
``articles-more`` alone.

    .venv/bin/python bench/bench_digest.py [--count 10000] [--sets both|1|2]

Older modes: ``--copies`` (copies of the 529 articles, each under its own URL — identical
bodies are analysed once, so it flatters us), ``--distinct`` (synthetic events with 1-3
rewrites, which scores clustering against the known events) and ``--summaries`` (our
summaries vs lead-3).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "articles"
_SOURCE_LINE = re.compile(r"^source:\s*(?:>-?\s*\n\s+)?['\"]?(\S+?)['\"]?\s*$", re.MULTILINE)


def _with_copy_url(text: str, copy: int, stem: str) -> str:
    """The same article under its own URL, so ingest gives it its own id."""
    if not text.startswith("---"):
        return text
    match = _SOURCE_LINE.search(text)
    if match:
        url = match.group(1)
        sep = "&" if "?" in url else "?"
        new = f"source: '{url}{sep}copy={copy}'"
        return text[: match.start()] + new + text[match.end() :]
    end = text.find("\n", 3)
    return (
        text[: end + 1] + f"source: 'https://bench.example/{stem}?copy={copy}'\n" + text[end + 1 :]
    )


def build_folder(corpus: Path, count: int, dest: Path) -> list[Path]:
    sources = sorted(corpus.glob("*.md"))
    if not sources:
        sys.exit(f"no .md files in {corpus}; pass --corpus PATH to the articles folder")
    copies = math.ceil(count / len(sources))
    files: list[Path] = []
    for copy in range(copies):
        for src in sources:
            text = src.read_text(encoding="utf-8")
            out = dest / f"{src.stem}--{copy:03d}.md"
            out.write_text(_with_copy_url(text, copy, src.stem), encoding="utf-8")
            files.append(out)
    return files


# --- distinct articles ------------------------------------------------------------------
#
# Copies of 529 articles cluster into 529-ish stories whatever their number, so they
# say nothing about how clustering scales or whether it over-merges. ``--distinct``
# instead writes synthetic *events*: each gets its own people, organisation, figures
# and quote, and 1-3 rewrites from different outlets, each built from paragraphs of
# three other corpus articles (names swapped for the event's, quotation marks
# removed) plus the event's facts. Rewrites of one event share facts but few word
# sequences, like the seed pair; different events share only prose and common words.
# The event id goes into an unknown front-matter field, so clusters can be scored.

_SYLLABLES = "ka ri to ve lan mor sel dun bra qui ze pho tal nes gri vo len da shi rup".split()
_FIRST = (
    "Ada Ben Cleo Dev Esme Farid Gita Hugo Ines Jonas Kemi Luca Mira Nils Oona Pavel Rosa "
    "Sami Tove Umar Vera Wen Yara Zoltan Amara Bruno Chiara Dario Elif Femi"
).split()
_ORG_KINDS = ("Labs", "Systems", "Robotics", "Health", "Energy", "Bank", "Motors", "AI", "Media")
_NAME_RUN = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+(?: [A-Z][a-z]+)+")
_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]+")
_KEEP = frozenset(
    "The A An In On At It Its This That We He She They But And As For If When".split()
)
_QUOTE_MARKS = str.maketrans("", "", '“”"')
_NUMBER_TOKEN = re.compile(r"\b\d[\d,.]*\b")
_OUTLETS = [f"outlet{i:02d}.example" for i in range(40)]
_SPAN_DAYS = 590  # the corpus spans ~19 months; so does a real folder of 12.7k files


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def _event(rng: random.Random, event: int, common_orgs: list[str], vocabulary: list[str]) -> dict:
    org = (
        rng.choice(common_orgs)
        if rng.random() < 0.3
        else f"{_word(rng, 3)} {rng.choice(_ORG_KINDS)}"
    )
    people = [f"{rng.choice(_FIRST)} {_word(rng, 3)}" for _ in range(2)]
    quote = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(9, 16)))
    return {
        "id": event,
        "org": org,
        "people": people,
        "money": f"${rng.randint(2, 900)}.{rng.randint(1, 9)} million",
        "share": f"{rng.randint(3, 95)}%",
        "quote": quote[0].upper() + quote[1:],
        "day": rng.randrange(_SPAN_DAYS),
    }


def _rewrite(
    rng: random.Random, event: dict, pool: list[list[str]], titles: list[str], words: list[str]
) -> tuple[str, str]:
    """One rewrite: borrowed prose whose names are the event's own or drawn from ``words``.

    ``words`` is a Zipf-like pool of made-up names, so borrowed paragraphs share common
    names across events (as "OpenAI" is shared) but rarely rare ones; a paragraph
    borrowed by two events therefore shares prose, not the facts that identify a story.
    """
    names = [event["org"], *event["people"]]
    swapped: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in _KEEP:
            return word
        if word not in swapped:
            swapped[word] = words[min(int(rng.paretovariate(0.6)) - 1, len(words) - 1)]
        return swapped[word]

    body: list[str] = []
    for source in rng.sample(range(len(pool)), 3):
        paras = pool[source]
        start = rng.randrange(max(1, len(paras) - 2))
        for para in paras[start : start + rng.randint(2, 3)]:
            para = _NAME_RUN.sub(lambda _m: rng.choice(names), para.translate(_QUOTE_MARKS))
            para = _CAPITALISED.sub(swap, para)
            body.append(_NUMBER_TOKEN.sub(lambda _m: str(rng.randint(2, 9999)), para))
    person = rng.choice(event["people"])
    facts = [
        f"{event['org']} said on {rng.choice(('Monday', 'Tuesday', 'Thursday'))} that the deal is "
        f"worth {event['money']}, and that {event['share']} of its customers are affected.",
        f"“{event['quote']},” {person} said.",
    ]
    for fact in facts:
        body.insert(rng.randrange(min(3, len(body)) + 1), fact)
    headline = rng.choice(titles).split(":")[0]
    title = f"{event['org']}: {headline}".replace("'", "''")
    return "\n\n".join(body), title


def build_distinct_folder(corpus: Path, count: int, dest: Path, seed: int = 7) -> list[Path]:
    """``count`` distinct synthetic articles from 1-3-article events (see above)."""
    sys.path.insert(0, str(REPO))
    from digests.ingest import load_paths

    articles = load_paths([corpus]).articles
    pool = [
        [p for p in a.text.split("\n\n") if len(p) > 80 and not p.startswith("•")] for a in articles
    ]
    pool = [paras for paras in pool if paras]
    titles = [a.title for a in articles]
    vocabulary = sorted({w for a in articles[:100] for w in re.findall(r"[a-z]{4,}", a.text)})
    rng = random.Random(seed)
    common_orgs = [f"{_word(rng, 2)} {rng.choice(_ORG_KINDS)}" for _ in range(30)]
    words = [_word(rng, rng.randint(2, 4)) for _ in range(20_000)]
    start = datetime(2025, 1, 5, 8, tzinfo=UTC)
    files: list[Path] = []
    event_id = 0
    while len(files) < count:
        event = _event(rng, event_id, common_orgs, vocabulary)
        versions = rng.choices((1, 2, 3), weights=(60, 25, 15))[0]
        for version, outlet in enumerate(rng.sample(_OUTLETS, versions)):
            body, title = _rewrite(rng, event, pool, titles, words)
            published = start + timedelta(days=event["day"], hours=rng.randint(0, 40))
            if version % 5 == 4 or rng.random() < 0.2:  # a fifth of real bodies are HTML
                body = "".join(f"<p>{p}</p>\n" for p in body.split("\n\n"))
            text = (
                f"---\ntitle: '{title}'\ndate: '{published.isoformat()}'\n"
                f"source: 'https://{outlet}/{event_id}/{version}'\nbench_event: {event_id}\n"
                f"---\n{body}\n"
            )
            out = dest / f"e{event_id:05d}-{version}.md"
            out.write_text(text, encoding="utf-8")
            files.append(out)
        event_id += 1
    return files


# --- recombined real articles (the default) ------------------------------------------------

_SENTENCE_GAP = re.compile(r"(?<=[.!?])(\s+)(?=[A-Z“\"‘'])")
_SAFE_SENTENCE = re.compile(r"^[^<>\n]{40,400}$")
_SPAN_DAYS_RECOMBINED = 580


def _split_front_matter(text: str) -> tuple[dict, str] | None:
    import yaml

    if not text.startswith("---"):
        return None
    end = text.find("\n---", 3)
    if end == -1:
        return None
    try:
        meta = yaml.safe_load(text[3:end])
    except yaml.YAMLError:
        return None
    if not isinstance(meta, dict) or not meta.get("title"):
        return None
    return meta, text[end + 4 :].lstrip("-").lstrip("\n")


def build_recombined_folder(folders: list[Path], count: int, dest: Path, seed: int) -> list[Path]:
    """``count`` distinct articles recombined sentence by sentence from real ones (see above)."""
    import hashlib

    import yaml

    bases: list[tuple[dict, str]] = []
    for folder in folders:
        for path in sorted(folder.glob("*.md")):
            parsed = _split_front_matter(path.read_text(encoding="utf-8"))
            if parsed is not None:
                bases.append(parsed)
    if not bases:
        sys.exit(f"no articles with front matter in {', '.join(map(str, folders))}")
    pool = [
        sentence
        for _, body in bases
        for sentence in _SENTENCE_GAP.split(body)[::2]
        if _SAFE_SENTENCE.match(sentence)
    ]
    titles = [str(meta["title"]) for meta, _ in bases]
    rng = random.Random(seed)
    start = datetime(2025, 1, 5, 8, tzinfo=UTC)
    seen: set[bytes] = set()
    files: list[Path] = []
    while len(files) < count:
        meta, body = bases[len(files) % len(bases)]
        parts = _SENTENCE_GAP.split(body)  # sentence, gap, sentence, gap, …
        while True:
            for i in range(0, len(parts), 2):
                if rng.random() < 0.33:
                    parts[i] = rng.choice(pool)
            new_body = "".join(parts)
            digest = hashlib.blake2b(new_body.encode(), digest_size=16).digest()
            if digest not in seen:
                break
            parts.append(" " + rng.choice(pool))  # a repeat: add a sentence and try again
        seen.add(digest)
        host = re.sub(r"^https?://([^/]+).*$", r"\1", str(meta.get("source") or "bench.example"))
        published = start + timedelta(
            days=rng.randrange(_SPAN_DAYS_RECOMBINED), minutes=rng.randrange(1440)
        )
        fields = dict(meta)
        fields["title"] = rng.choice(titles)
        fields["date"] = published.isoformat()
        fields["source"] = f"https://{host}/bench/{seed}/{len(files):05d}"
        head = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=100)
        out = dest / f"r{seed}-{len(files):05d}.md"
        out.write_text(f"---\n{head}---\n{new_body}", encoding="utf-8")
        files.append(out)
    return files


def score_clusters(folder: Path) -> None:
    """Cluster the synthetic folder in-process at growing sizes: time and pairwise precision/recall."""
    sys.path.insert(0, str(REPO))
    from digests.cluster import cluster
    from digests.ingest import load_paths

    articles = load_paths([folder]).articles
    print("clustering in one process:")
    print("articles  cluster s  us/article  stories  events  largest  pair-precision  pair-recall")
    for size in (len(articles) // 4, len(articles) // 2, len(articles)):
        sample = articles[:size]
        started = time.perf_counter()
        groups = cluster(sample, workers=1)  # one process, comparable across runs
        elapsed = time.perf_counter() - started
        events: dict[int, int] = {}
        for article in sample:
            events[article.extra["bench_event"]] = events.get(article.extra["bench_event"], 0) + 1
        true_pairs = sum(n * (n - 1) // 2 for n in events.values())
        found = right = 0
        for group in groups:
            found += len(group) * (len(group) - 1) // 2
            per_event: dict[int, int] = {}
            for article in group:
                per_event[article.extra["bench_event"]] = (
                    per_event.get(article.extra["bench_event"], 0) + 1
                )
            right += sum(n * (n - 1) // 2 for n in per_event.values())
        precision = right / found if found else 1.0
        recall = right / true_pairs if true_pairs else 1.0
        print(
            f"{size:8d}  {elapsed:9.2f}  {1e6 * elapsed / size:10.0f}  {len(groups):7d}  "
            f"{len(events):6d}  {max(map(len, groups)):7d}  {precision:14.3f}  {recall:11.3f}"
        )


def stage_times(folder: Path) -> None:
    """Each stage of a digest in this one process (no workers): ms per article."""
    sys.path.insert(0, str(REPO))
    from digests.cluster import cluster
    from digests.engine import stories_for
    from digests.ingest import load_paths

    started = time.perf_counter()
    articles = load_paths([folder], workers=1).articles
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    groups = cluster(articles, workers=1)
    cluster_s = time.perf_counter() - started
    started = time.perf_counter()
    stories_for(groups, workers=1)
    story_s = time.perf_counter() - started
    n = len(articles)
    print("per stage, one process (ms/article):")
    for name, seconds in (("read", read_s), ("cluster", cluster_s), ("story building", story_s)):
        print(f"  {name:<16} {1e3 * seconds / n:6.3f}")


def time_frontmatter(files: list[Path]) -> float:
    return time_frontmatter_cpu(files)[0]


def time_frontmatter_cpu(files: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds of reading and ``frontmatter.loads``-ing every file, in this process."""
    import frontmatter

    started, cpu = time.perf_counter(), time.process_time()
    for path in files:
        frontmatter.loads(path.read_text(encoding="utf-8"))
    return time.perf_counter() - started, time.process_time() - cpu


def time_digest(folder: Path, *extra: str) -> tuple[float, int, int, float, bytes, float]:
    """Seconds, stories in the JSON, exit status, peak RSS in MB (its largest process), output,
    CPU seconds (the command and its worker processes)."""
    newsbot = Path(sys.executable).with_name("newsbot")
    cmd = [str(newsbot), "digest", "--format", "json", *extra, str(folder)]
    if not newsbot.exists():
        cmd = [sys.executable, "-c", "from bot.cli import main; main()", *cmd[1:]]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read()
        if proc.returncode != 0:
            err.seek(0)
            sys.stderr.write(err.read().decode(errors="replace")[-2000:])
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, stdout.count(b'"summary"'), proc.returncode, usage.ru_maxrss / 1024, stdout, cpu


_JUNK = re.compile(
    r"what'?s your reaction|internal links|\bfaqs?\b|read the full story|getty images|"
    r"image credit|photo credit|\| image:|subscribe to|sign up for|paid content|ad content|"
    r"(?-i:^By [A-Z][a-z]+ [A-Z])|^updated\b|^posted\b|tech home|share this|•|https?://",
    re.IGNORECASE,
)
_COMPLETE = re.compile(r"""[.!?]["'”’)\]]*$""")


def _summary_stats(name: str, summaries: list[str], titles: list[str], limit: int) -> None:
    n = len(summaries)

    def share(flags: list[bool]) -> str:
        return f"{100 * sum(flags) / n:5.1f}%"

    complete = [bool(_COMPLETE.search(s)) for s in summaries]
    fits = [len(s) <= limit for s in summaries]
    junk = [bool(_JUNK.search(s)) for s in summaries]
    headline = [
        bool(s) and s.split(". ")[0].rstrip(".").lower() == t.rstrip(".").lower()
        for s, t in zip(summaries, titles, strict=True)
    ]
    empty = [not s for s in summaries]
    good = [
        c and f and not j and not h
        for c, f, j, h in zip(complete, fits, junk, headline, strict=True)
    ]
    print(
        f"{name:<22} complete {share(complete)}  fits {share(fits)}  junk {share(junk)}  "
        f"headline {share(headline)}  empty {share(empty)}  all-good {share(good)}"
    )


def summaries(corpus: Path, limit: int = 320) -> None:
    """Our summaries vs lead-3 on the corpus articles (plus seeds when present)."""
    from digests.ingest import load_paths
    from digests.sentences import split_sentences
    from digests.summary import summarize

    specs = [str(corpus)] + (
        [str(corpus.parent / "seeds")] if (corpus.parent / "seeds").is_dir() else []
    )
    articles = load_paths(specs).articles
    titles = [a.title for a in articles]
    ours = [summarize(a, max_chars=limit) for a in articles]
    lead3 = [" ".join(split_sentences(a.text)[:3]) for a in articles]
    cut = [s if len(s) <= limit else s[: limit - 1].rsplit(" ", 1)[0] + "…" for s in lead3]
    print(f"{len(articles)} articles, limit {limit} characters")
    _summary_stats("lead-3", lead3, titles, limit)
    _summary_stats("lead-3 cut to limit", cut, titles, limit)
    _summary_stats("newsbot summarize", ours, titles, limit)
    same_start = sum(1 for o, l3 in zip(ours, lead3, strict=True) if o and l3.startswith(o[:60]))
    print(
        f"newsbot summary starts like lead-3 in {100 * same_start / len(articles):.1f}% of articles"
    )


def recombined_set(name: str, folders: list[Path], count: int, seed: int) -> bool:
    """Build one recombined set, measure bare loading, cold and warm digests; print; ok?"""
    tmp = Path(tempfile.mkdtemp(prefix="newsbot-bench-"))
    try:
        articles, cache = tmp / "articles", tmp / "cache"
        articles.mkdir()
        files = build_recombined_folder(folders, count, articles, seed)
        time_frontmatter(files[:300])  # warm the page cache so neither side pays for first reads
        n = len(files)
        print(
            f"set {name}: {n} distinct articles recombined from {', '.join(f.name for f in folders)} (seed {seed})"
        )
        # The machine is shared: bare loading is measured right before each digest run, and
        # CPU seconds (less sensitive to other load than wall time) are compared as well.
        runs = []
        for label, target in (("cold", 4.0), ("warm", 1.5)):
            bare, bare_cpu = time_frontmatter_cpu(files)
            wall, stories, status, rss, out, cpu = time_digest(articles, "--cache-dir", str(cache))
            runs.append((status, out))
            print(
                f"  {label} cache: digest {wall:6.2f} s wall, {cpu:6.2f} s CPU; bare frontmatter.loads "
                f"{bare:5.2f} s wall, {bare_cpu:5.2f} s CPU → {wall / bare:5.2f}× wall, "
                f"{cpu / bare_cpu:5.2f}× CPU (target ≤ {target:g}); peak RSS {rss:4.0f} MB; "
                f"{stories} stories, exit {status}"
            )
        same = runs[0][1] == runs[1][1]
        print(f"  warm output {'identical to' if same else 'DIFFERENT from'} cold output")
        cache_mb = sum(p.stat().st_size for p in cache.iterdir()) / 1048576
        print(f"  cache size: {cache_mb:.0f} MB")
        return same and all(status == 0 for status, _ in runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--summaries", action="store_true", help="compare summaries with lead-3")
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="distinct synthetic articles (1-3 rewrites per event) instead of copies; "
        "also scores clustering against the known events",
    )
    parser.add_argument(
        "--copies", action="store_true", help="copies of the corpus articles (the old default)"
    )
    parser.add_argument("--sets", choices=("both", "1", "2"), default="both")
    args = parser.parse_args()
    if args.summaries:
        summaries(args.corpus)
        return
    if not (args.copies or args.distinct):
        more = args.corpus.parent / "articles-more"
        sets = [("1", [args.corpus, more], 1), ("2", [more], 2)]
        ok = True
        for name, folders, seed in sets:
            if args.sets in ("both", name):
                ok &= recombined_set(name, [f for f in folders if f.is_dir()], args.count, seed)
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (busy = noisy)")
        sys.exit(0 if ok else 1)

    tmp = Path(tempfile.mkdtemp(prefix="newsbot-bench-"))
    try:
        build = build_distinct_folder if args.distinct else build_folder
        files = build(args.corpus, args.count, tmp)
        n = len(files)
        # warm the page cache so neither side pays for first reads
        time_frontmatter(files[:200])
        load_s = time_frontmatter(files)
        digest_s, stories, status, peak_mb, _, _ = time_digest(tmp, "--no-cache")
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_s = children.ru_utime + children.ru_stime
        ratio = digest_s / load_s
        print(f"articles:            {n}")
        print(f"frontmatter.loads:   {load_s:6.2f} s  ({n / load_s:,.0f} articles/s)")
        print(
            f"newsbot digest json: {digest_s:6.2f} s  ({n / digest_s:,.0f} articles/s), "
            f"{stories} stories, exit {status}"
        )
        print(f"digest CPU time:     {cpu_s:6.2f} s  (all processes; reading uses a process pool)")
        if args.distinct:
            # The synthetic files' front matter is tiny, so loading *them* is no yardstick:
            # compare with loading the real corpus (same per-article cost as the copies bench).
            real = sorted(args.corpus.glob("*.md"))
            per_article = min(time_frontmatter(real) for _ in range(3)) / len(real)
            print(
                f"real-corpus frontmatter.loads: {1e3 * per_article:6.3f} ms/article "
                f"({len(real)} files, best of 3)"
            )
            print(
                f"ratio vs real-corpus loading: {digest_s / (n * per_article):6.2f}  "
                f"(digest wall / {n} × real-corpus load time; the copies bench's target is ≤ 4)"
            )
        else:
            print(f"ratio:               {ratio:6.2f}  (target ≤ 4)")
        print(f"peak RSS (digest):   {peak_mb:6.0f} MB (target ≤ 400)")
        print(
            f"load average:        {os.getloadavg()[0]:6.2f}  on {os.cpu_count()} CPUs (busy = noisy)"
        )
        if args.distinct:
            stage_times(tmp)
            score_clusters(tmp)
        if status != 0:
            sys.exit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
