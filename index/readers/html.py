"""HTML pages: boilerplate removed and metadata read by trafilatura; feed HTML fragments."""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from index.article import Article, Paragraph
from index.dates import date_or_note
from index.errors import ReadError
from index.readers.meta import clean, derive_title, outlet_for, usable_url
from index.readers.page_dates import page_dates

_LEAF_BLOCKS = {"p", "li", "blockquote", "pre", "dd", "td", "figcaption"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_HIDDEN = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def read_html(data: bytes | str, origin: str | None = None, url: str | None = None) -> Article:
    """Read the article in a web page: its body without navigation, ads or footers."""
    import trafilatura  # slow to import; only ingestion needs it

    xml = trafilatura.extract(
        data,
        url=url,
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        # Only the dates the page's metadata states: an extensive search guesses from the
        # URL and the text, which can complete a month into a day nobody wrote.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not xml:
        raise ReadError(origin or url or "page", "no article text found in the page")
    doc = lxml.etree.fromstring(xml.encode("utf-8"))
    title = clean(doc.get("title") or "")
    paragraphs = _main_paragraphs(doc.find("main"), title)
    if not paragraphs:
        raise ReadError(origin or url or "page", "no article text found in the page")
    link = usable_url(doc.get("url")) or usable_url(url)
    source, source_url = outlet_for(link)
    published, updated = page_dates(data)
    notes: list[str] = []
    return Article(
        title=title or derive_title(paragraphs, origin or url),
        paragraphs=tuple(paragraphs),
        author=clean(doc.get("author") or "") or None,
        source=clean(doc.get("sitename") or "") or source,
        source_url=source_url,
        url=link if link and link.startswith(("http://", "https://")) else None,
        published=date_or_note(published or doc.get("date"), "the date", notes),
        updated=date_or_note(updated, "the update date", notes),
        origin=origin,
        derived=() if title else ("title",),
        notes=tuple(notes),
    )


def _main_paragraphs(main, title: str) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    heading = None
    for element in main if main is not None else ():
        text = clean("".join(element.itertext()))
        if element.tag == "head":
            if text and (paragraphs or heading or text != title):
                heading = text
        elif element.tag == "list":
            items = (clean("".join(item.itertext())) for item in element.iter("item"))
            paragraphs += [Paragraph(item, heading) for item in items if item]
        elif text:
            paragraphs.append(Paragraph(text, heading))
    return paragraphs


def fragment_paragraphs(html: str) -> list[Paragraph]:
    """Paragraphs of an HTML fragment (a feed entry's content), headings kept as headings."""
    html = _XML_DECLARATION.sub("", _CONTROLS.sub(" ", html))  # lxml refuses both in a str
    if not html.strip():
        return []
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return []
    for element in list(root.iter(*_HIDDEN)):
        element.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = [e for e in root.iter() if e.tag in _LEAF_BLOCKS | _HEADINGS and not _has_block(e)]
    if not blocks:
        chunks = root.text_content().split("\n")
        return [Paragraph(text) for text in map(clean, chunks) if text]
    paragraphs: list[Paragraph] = []
    heading = None
    for element in blocks:
        text = clean(element.text_content())
        if element.tag in _HEADINGS:
            heading = text or heading
        elif text:
            paragraphs.append(Paragraph(text, heading))
    return paragraphs


def _has_block(element) -> bool:
    return any(d.tag in _LEAF_BLOCKS | _HEADINGS for d in element.iterdescendants())
