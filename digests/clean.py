"""Turn HTML, Markdown or plain text bodies into clean paragraphs.

Every summary, quote and cluster downstream reads ``Article.text``, so this is
the one place where markup, entities and site junk (share bars, breadcrumbs,
photo credits, "What's Your Reaction?", FAQ and "Internal links:" tails, event
ads) are removed. The output contract: plain text, paragraphs separated by
"\\n\\n", list items as their own "• " paragraphs, headings dropped.

The rules are general (shapes of junk seen across outlets), not per-file, and
the regexes are compiled once because ingest runs this on every article.
"""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser

BULLET = "• "

# --- markup detection and removal -------------------------------------------------

_HTML_HINT = re.compile(
    r"<(?:p|div|figure|img|br|h[1-6]|ul|ol|li|a|span|blockquote|section|article|strong|em|table)\b",
    re.I,
)
_TAG = re.compile(r"<[a-zA-Z/!?][^<>]*>")
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|section|article|blockquote|pre|ul|ol|table|tr|td|th|dd|dt|dl|"
    r"h[1-6]|header|footer|main|aside|hr|figure|center)\b[^>]*>|<br\s*/?>",
    re.I,
)
MAX_HTML_DEPTH = 512  # element nesting; real pages stay under ~60
MAX_DECODE_ROUNDS = 5  # entity-decoding passes (``&amp;amp;lt;`` is three)
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)")
_NO_DEPTH = frozenset(
    "area base br col embed hr img input link meta source track wbr param keygen "
    "p li dt dd option optgroup tr td th thead tbody tfoot caption colgroup rb rt rp "
    "html head body".split()
)
_LI_OPEN = re.compile(r"<li\b[^>]*>", re.I)
# Elements whose whole content is junk for a news text.
_JUNK_TAGS = (
    "figure, figcaption, picture, img, video, audio, iframe, script, style, noscript, svg, "
    "form, button, nav, aside, footer, header, h1, h2, h3, h4, h5, h6, "
    "core-commerce, template, object, embed, canvas"
)
# Class/id words that mark furniture.
_JUNK_CLASS_WORDS = (
    "photo-credit",
    "caption",
    "share",
    "social",
    "breadcrumb",
    "newsletter",
    "related",
    "advert",
    "byline",
)
# --- Markdown ---------------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
_MD_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_MD_RULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
# Inline patterns never let a span run over its own opening character ("[", "*", "~"):
# each start then scans only to the next one, so a line of 5 MB of "[" or "**a " is
# cleaned in linear time instead of hanging the reader (quadratic backtracking).
_MD_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)|!\[[^\[\]]*\]\[[^\[\]]*\]")
_MD_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\[\]]|\([^()\[\]]*\))*\)|\[([^\[\]]+)\]\[[^\[\]]*\]")
_MD_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")
_MD_BOLD = re.compile(r"(\*\*)(?=\S)([^*]+?)(?<=\S)\*\*|(__)(?=\S)([^_]+?)(?<=\S)__")
_MD_ITALIC = re.compile(
    r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)"
)
_MD_CODE = re.compile(r"`+([^`]*)`+")
_MD_STRIKE = re.compile(r"~~([^~]+?)~~")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])")
_MD_LIST = re.compile(r"^\s*(?:[-*+•▪●◦–]|\d{1,3}[.)])(?:\s+|$)")
_MD_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_MD_BLOCK_CHARS = frozenset("#=-*_+[>•▪●◦–0123456789")
_MD_LEFTOVER = re.compile(r"\*\*+|(?<!\w)__+|__+(?!\w)")

# --- junk -------------------------------------------------------------------------

# A paragraph starting like this ends the article: everything after is site furniture.
_TAIL_MARKER = re.compile(
    r"^(?:• )?(?:what['’]s your reaction\??|faqs?\b|frequently asked questions|internal links?\s*:|"
    r"sources?\s*(?:&|and)\s*further reading|further reading\b|related (?:articles|reading|stories|posts)\b|"
    r"read (?:the full story|more) (?:at|on)\b|read the full (?:story|article)\b|techcrunch event$|"
    r"sneak peek\s*:|you might also like\b|more from [^.!?\n]{0,60}$|recommended for you\b|"
    r"the post .{5,300} appeared first on\b)",
    re.I | re.M,
)
# Short paragraphs that are never content (labels, credits, share bars).
_JUNK_LABEL = re.compile(
    r"^(?:share(?: this(?: article| story| post)?)?(?: on \w+)?|tweet|email|print|copy link|"
    r"advertisement|skip to (?:main )?content|see more|close|topics?|newsletters?|"
    r"listen on|in brief|posted:?|reviewed by|written by|follow us.*|subscribe.*|sign up.*newsletter.*|"
    r"image credits?\s*:.*|photo(?:graph)?(?: by|\s*:|\s*credit).*|credit\s*:.*|"
    r"(?:image|photo|video) by .*|\d{1,3}[.)]|\W*)$",
    re.I,
)
# A short line that is a photo credit ("Karissa Bell for Engadget", "Jo Doe/Getty Images").
_CREDIT_LINE = re.compile(
    r"^.{0,60}\bfor Engadget$|^.{0,80}(?:Getty Images|Shutterstock|Reuters|AP Photo)\)?\.?$", re.I
)
_CREDIT_WORDS = ("Engadget", "Getty", "Shutterstock", "Reuters", "AP Photo")
# Paragraphs of any length that are site furniture, recognised by how they start.
_JUNK_LEAD = re.compile(
    r"^(?:why you can trust \w+|when you click through from our site|zdnet's editorial team writes|"
    r"have a tip for \w+\?|follow @\w+|"
    r"techcrunch (?:ai|daily news|mobility|space)\b|hello and welcome to .{0,80}newsletter)",
    re.I,
)
# Junk inside paragraphs (pages flattened to text glue furniture to content).
_JUNK_INLINE = re.compile(
    r"Why you can trust ZDNET.*?(?:\bClose\b|$)|ZDNET independently tests.*?(?:\bClose\b|$)|"
    r"Follow ZDNET:\s*Add us as a preferred source on Google\.|"
    r"ZDNET's key takeaways|"
    r"This (?:story|article) originally appeared in [^.\n]*\.(?: *To get stories like this[^.\n]*\.)?|"
    r"Written by\s.{0,200}?\d{1,2}:\d{2}\s*[ap]\.?m\.?(?:\s*[A-Z]{2,4}\b)?|"
    r"Written by\b.{0,240}$|"
    # ZDNet's "Also: <linked headline>" glued to the next sentence with no space.
    r"Also:\s[^.!?\"“\n]{3,150}?(?=(?<=[a-z0-9)])(?:[\"“]|[A-Z][a-z])|$)",
    re.M,
)
_INLINE_TRIGGERS = ("ZDNET", "Also:", "Written by", "originally appeared")
# Each pattern above scans up to a few thousand characters per start: bounded only while
# starts are few (a real page has a handful; a file repeating one 100k times would hang).
MAX_INLINE_TRIGGERS = 200
# A photo credit glued to the start of a paragraph: "Kerry Wan/ZDNETFollow…".
_CREDIT_LEAD = re.compile(
    r"^[A-Z][^.!?\n]{0,100}?(?:Getty Images|/ZDNET|Shutterstock|Reuters|AP Photo|/AP)(?=[A-Z]|$)"
)
# A sentence glued to the next one where block markup was lost ("reliability.File").
# It starts with a rare character, so the scan is cheap.
_GLUED = re.compile(r"[.!?](?<=[a-z0-9%)\]][.!?])[\"”’]?(?=[A-Z])")
# A lost heading glued to its paragraph ("…at an airportIf you do need…"): a starter word
# (first letters below) right after a lowercase word. Checked against the list in Python.
_GLUED_HEADING = re.compile(r"[ITAWYBFOSH](?<=[a-z]{3}[ITAWYBFOSH])[a-z]{0,5}(?=\s)")
_GLUED_STARTERS = frozenset(
    "If The As In It Its This That These We You When But And For With On At To So One Our "
    "After Before While Since Here There What How Why".split()
)
# Brand names whose second half is a sentence starter ("Linked" + "In").
_CAMEL_BRANDS = ("Linked",)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u061c\u180e\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
        "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff",
    ),
    None,
)
_TERMINAL = frozenset(".!?:;\"”’'…)]")
_HEADING_MAX_WORDS = 12
_ATTRIBUTED_QUOTE = re.compile(r"[“\"].+[”\"]\s*(?:[—–]|--?)\s*\w")


def looks_like_html(body: str) -> bool:
    """True when a body is HTML rather than Markdown/plain text (a fifth of the corpus)."""
    return _HTML_HINT.search(body) is not None


def decode_entities(text: str) -> str:
    """Decode entities and strip tags until neither is left (``&amp;lt;b&amp;gt;`` included).

    Each round strictly shortens the text, so the loop always ends; it is capped at
    :data:`MAX_DECODE_ROUNDS` (real text is escaped two or three times at most), so
    ``&amp;amp;amp;…`` repeated a million times stays linear instead of a million passes.
    """
    for _ in range(MAX_DECODE_ROUNDS):
        new = text
        if "&" in new:
            new = html.unescape(new)
        if "<" in new:
            new = _TAG.sub(" ", new)
        if new == text:
            return new
        text = new
    return _TAG.sub(" ", text) if "<" in text else text


def clean_title(title: str) -> str:
    """A title as people should read it: entities decoded, tags and extra spaces gone,
    and no invisible characters: bidi overrides (U+202E makes "gpj.exe" read "exe.jpg")
    and zero-width spaces could make a title look like another or hide text. ZWJ and
    ZWNJ stay: emoji sequences and Persian or Indic spelling need them."""
    if "&" in title or "<" in title:
        title = decode_entities(title)
    if not title.isprintable():
        title = _CONTROL.sub("", title.translate(_INVISIBLE))
    return " ".join(title.split())


def clean_html(body: str, *, title: str | None = None) -> str:
    """HTML body → clean paragraphs (figures, captions, headings, nav and ads dropped).

    Building a tree costs time quadratic in nesting depth (100k nested divs take
    seconds, 400k minutes), so a body nested deeper than :data:`MAX_HTML_DEPTH` is not
    parsed: its tags are stripped in one linear pass instead (the text is kept).
    """
    if body.count("<") > MAX_HTML_DEPTH and html_depth(body) > MAX_HTML_DEPTH:
        return _finish(_paragraphs_from_blocks(decode_entities(_flatten_tags(body))), title)
    tree = LexborHTMLParser(body)
    root = tree.body or tree.root
    if root is None:
        return ""
    selector = _JUNK_TAGS
    words = [w for w in _JUNK_CLASS_WORDS if w in body]
    if words:  # attribute-substring selectors are the slow part: only for words present
        selector += ", " + ", ".join(f"[class*='{w}'], [id*='{w}']" for w in words)
    for node in root.css(selector):
        node.decompose()
    markup = root.html or ""
    markup = _LI_OPEN.sub("\n\n" + BULLET, markup)
    markup = _BLOCK_TAG.sub("\n\n", markup)
    markup = _TAG.sub("", markup)
    return _finish(_paragraphs_from_blocks(decode_entities(markup)), title)


def html_depth(body: str) -> int:
    """How deep ``body``'s elements nest, by one linear scan of its tags. Void elements
    and those whose end tag may be left out (``<p>``, ``<li>``…) do not count, so sloppy
    but real HTML is never taken for deep nesting; stops counting past the cap."""
    depth = deepest = 0
    open_: dict[str, int] = {}  # open elements by name: a stray end tag closes nothing
    for closing, name in _TAG_NAME.findall(body):
        name = name.lower()
        if name in _NO_DEPTH:
            continue
        if closing:
            if open_.get(name):
                open_[name] -= 1
                depth -= 1
        else:
            open_[name] = open_.get(name, 0) + 1
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_HTML_DEPTH:
                    break
    return deepest


def _flatten_tags(body: str) -> str:
    markup = _LI_OPEN.sub("\n\n" + BULLET, body)
    markup = _BLOCK_TAG.sub("\n\n", markup)
    return _TAG.sub("", markup)


def clean_markdown(body: str, *, title: str | None = None) -> str:
    """Markdown body → clean paragraphs; falls back to :func:`clean_html` for HTML bodies."""
    if looks_like_html(body):
        return clean_html(body, title=title)
    return _finish(_paragraphs_from_blocks(_strip_markdown(body)), title)


def clean_plain(body: str, *, title: str | None = None) -> str:
    """Plain text where every line is a paragraph (seed ``000_*.txt`` style)."""
    if looks_like_html(body):
        return clean_html(body, title=title)
    return _finish(_paragraphs_from_lines(_strip_markdown(body)), title)


# --- internals --------------------------------------------------------------------


def _strip_markdown(body: str) -> str:
    """Remove Markdown syntax line by line, keeping list items marked with a bullet."""
    out: list[str] = []
    for line in body.split("\n"):
        lead = line.lstrip()
        if not lead:
            out.append("")
            continue
        if lead[0] in _MD_BLOCK_CHARS:  # only these can start block syntax
            if _MD_HEADING.match(line) or _MD_RULE.match(line) or _MD_REF_DEF.match(line):
                out.append("")
                continue
            if _MD_SETEXT.match(line):
                # The line above was a setext heading: drop it with its underline.
                if out and out[-1]:
                    out[-1] = ""
                out.append("")
                continue
            line = _MD_QUOTE.sub("", line)
            bullet = _MD_LIST.match(line)
            if bullet:
                line = BULLET + line[bullet.end() :]
        if "!" in line:
            line = _MD_IMAGE.sub("", line)
        if "[" in line:
            line = _MD_LINK.sub(lambda m: m.group(1) or m.group(2) or "", line)
        if "*" in line or "_" in line or "`" in line or "~" in line or "\\" in line:
            line = _MD_CODE.sub(r"\1", line)
            line = _MD_BOLD.sub(lambda m: m.group(2) or m.group(4) or "", line)
            line = _MD_ITALIC.sub(lambda m: m.group(1) or m.group(2) or "", line)
            line = _MD_STRIKE.sub(r"\1", line)
            line = _MD_ESCAPE.sub(r"\1", line)
            line = _MD_LEFTOVER.sub("", line)
        out.append(line)
    return decode_entities("\n".join(out))


_BLOCK_BREAK = re.compile(r"\n[ \t\u00a0]*\n")


def _paragraphs_from_blocks(text: str) -> list[str]:
    """Blank-line separated blocks; soft-wrapped lines join, list items stay apart.

    Whitespace runs (tabs, no-break and thin spaces included) collapse here, with
    ``str.split`` in C, so later passes see single spaces.
    """
    paragraphs: list[str] = []
    for block in _BLOCK_BREAK.split(text):
        if BULLET not in block:
            para = " ".join(block.split())
            if para:
                paragraphs.append(para)
            continue
        current: list[str] = []
        for line in block.split("\n"):
            line = " ".join(line.split())
            if not line:
                continue
            if line.startswith(BULLET) and current:
                paragraphs.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            paragraphs.append(" ".join(current))
    return paragraphs


def _paragraphs_from_lines(text: str) -> list[str]:
    return [p for p in (" ".join(line.split()) for line in text.split("\n")) if p]


def _finish(paragraphs: list[str], title: str | None) -> str:
    """Normalise spacing, split glued sentences, drop junk, headings and the junk tail.

    Works on all paragraphs joined by newlines so each regex runs once per article.
    """
    if not paragraphs:
        return ""
    text = "\n".join(paragraphs)  # spaces were collapsed by the paragraph splitters
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", "").replace("\ufeff", "")
    if not text.replace("\n", "").isprintable():
        text = _CONTROL.sub("", text)
    if "ZDNET" in text or "Also:" in text or "Written by" in text or "originally appeared" in text:
        if sum(map(text.count, _INLINE_TRIGGERS)) <= MAX_INLINE_TRIGGERS:  # else not an article
            text = _JUNK_INLINE.sub("\n", text)
    if "." in text or "!" in text or "?" in text:
        text = _GLUED.sub(r"\g<0>\n", text)
    text = _GLUED_HEADING.sub(_unglue_heading, text)
    kept: list[str] = []
    for piece in text.split("\n"):
        piece = piece.strip()
        if piece and ("Getty" in piece or "ZDNET" in piece or "/" in piece[:100]):
            piece = _CREDIT_LEAD.sub("", piece).strip()
        if not kept and title and piece.startswith(title) and len(piece) > len(title) + 1:
            piece = piece[len(title) :].lstrip(" :-–—|")  # headline glued to the first paragraph
        if not piece:
            continue
        if kept and _TAIL_MARKER.match(piece):
            break  # everything from here on is site furniture
        if not _is_junk(piece, title):
            kept.append(piece)
    return "\n\n".join(kept)


def _unglue_heading(m: re.Match[str]) -> str:
    word = m.group()
    if word not in _GLUED_STARTERS or m.string.endswith(_CAMEL_BRANDS, 0, m.start()):
        return word  # "wrote on LinkedIn that …" is one sentence, not a heading and a paragraph
    return "\n" + word


def _is_junk(para: str, title: str | None) -> bool:
    if para.startswith(BULLET):
        body = para[len(BULLET) :].strip()
        return not body or _JUNK_LABEL.match(body) is not None
    if len(para) < 120:
        if _JUNK_LABEL.match(para):
            return True
        if any(w in para for w in _CREDIT_WORDS) and _CREDIT_LINE.match(para):
            return True
    if _JUNK_LEAD.match(para):
        return True
    if title is not None and abs(len(para) - len(title)) < 8 and _key(para) == _key(title):
        return True  # the headline repeated in the body
    # Headings, breadcrumbs, labels, bylines: short and without sentence punctuation.
    # A short attributed quote (“We’re all in.” —Ted Sarandos) is content, not a heading.
    return (
        para[-1] not in _TERMINAL
        and para.count(" ") < _HEADING_MAX_WORDS
        and _ATTRIBUTED_QUOTE.match(para) is None
    )


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())
