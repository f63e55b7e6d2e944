"""WordPress post bodies (`content:encoded`) as paragraphs under their subheadings."""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from index.article import Paragraph
from index.readers.html import fragment_paragraphs

# Shortcodes: media ones go with what they enclose (an image and its caption, an embed's
# URL); any other's tags go and its text stays. Editorial brackets ("[sic]") are not
# shortcodes: a tag is one only if it has attributes (name="…") or a closing [/name].
_MEDIA_SHORTCODE = re.compile(
    r"\[(caption|wp_caption|embed|audio|video|playlist)\b[^\]]*\].*?\[/\1\]"
    r"|\[(?:gallery|audio|video|playlist|embed)\b[^\]]*\]",
    re.S | re.I,
)
_ATTRIBUTE_SHORTCODE = re.compile(r"\[/?[A-Za-z][\w-]*\s+[^\]\[]*=[^\]\[]*\]")
_CLOSING_SHORTCODE = re.compile(r"\[/([A-Za-z][\w-]*)\]")
_COMMENT = re.compile(r"<!--.*?-->", re.S)  # Gutenberg's block markers, <!--more-->
_KEPT_WHOLE = re.compile(r"(<(pre|script|style)[\s>].*?</\2>)", re.S | re.I)
# wpautop, in short: blank lines separate paragraphs, and text not inside a block is one.
_LEAF = r"p|h[1-6]|figcaption|caption|summary|address|hr|script|style|noscript|iframe|object"
_CONTAINER = (
    r"div|blockquote|ul|ol|li|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|figure|section"
    r"|article|aside|header|footer|details|form|fieldset|main|nav"
)
_BEFORE_BLOCK = re.compile(rf"(<(?:{_LEAF}|{_CONTAINER})[\s/>]|</(?:{_CONTAINER})>)", re.I)
_AFTER_BLOCK = re.compile(
    rf"(</(?:{_LEAF}|{_CONTAINER})>|<(?:{_CONTAINER}|hr)(?:\s[^>]*)?/?>)", re.I
)
_BLOCK_START = re.compile(rf"</?(?:{_LEAF}|{_CONTAINER})[\s/>]", re.I)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BARE_URL = re.compile(r"https?://\S+")  # a URL alone on its line: WordPress embeds it


def body_paragraphs(content: str) -> list[Paragraph]:
    """A post's paragraphs and their section headings, from its stored HTML: Gutenberg blocks,
    or the classic editor's text whose blank lines separate paragraphs. Shortcodes' tags, image
    captions and embedded URLs are not part of the text."""
    content = _COMMENT.sub("", content.replace("\r\n", "\n").replace("\r", "\n"))
    content = _strip_shortcodes(content)
    if not content.strip():
        return []
    content = _autop(content)
    if "<figcaption" in content or "wp-caption" in content:
        content = _without_media_captions(content)
    return [p for p in fragment_paragraphs(content) if not _BARE_URL.fullmatch(p.text)]


def _strip_shortcodes(content: str) -> str:
    if "[" not in content:
        return content
    content = _ATTRIBUTE_SHORTCODE.sub("", _MEDIA_SHORTCODE.sub("", content))
    for name in set(_CLOSING_SHORTCODE.findall(content)):
        content = re.sub(rf"\[/?{re.escape(name)}\]", "", content)
    return content


def _autop(content: str) -> str:
    """Each stretch of text outside a block, up to a blank line, made a <p>; <pre> (and
    <script>, <style>) kept whole."""
    pieces, start = [], 0
    for kept in (*_KEPT_WHOLE.finditer(content), None):
        end = kept.start() if kept else len(content)
        part = _AFTER_BLOCK.sub(r"\1\n\n", _BEFORE_BLOCK.sub(r"\n\n\1", content[start:end]))
        for piece in _BLANK_LINE.split(part):
            if piece.strip():
                pieces.append(piece if _BLOCK_START.match(piece.lstrip()) else f"<p>{piece}</p>")
        if kept:
            pieces.append(kept.group())
            start = kept.end()
    return "\n".join(pieces)


def _without_media_captions(content: str) -> str:
    """The HTML without the captions of images, videos and embeds (a caption describes a
    picture the reader of a quote cannot see); a table's caption stays."""
    try:
        root = lxml.html.fragment_fromstring(content, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return content
    for figure in list(root.iter("figure")):
        if any(True for _ in figure.iter("img", "video", "audio", "iframe", "picture")):
            for caption in list(figure.iter("figcaption")):
                caption.drop_tree()
    for caption in root.find_class("wp-caption-text"):
        caption.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")
