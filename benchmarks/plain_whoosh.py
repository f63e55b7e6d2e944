"""The baseline for benchmarks/scale.py: a minimal plain-Whoosh passage index and search.

    python benchmarks/plain_whoosh.py index DIR FILE.jsonl...   # one document per paragraph
    python benchmarks/plain_whoosh.py index-parallel DIR FILE.jsonl...   # the same, 2 processes
    python benchmarks/plain_whoosh.py ask DIR < questions       # one JSON line per question

Default BM25F, StemmingAnalyzer, one writer; each question an OR of its analysed terms, top 5
with highlights: what a developer gets from Whoosh's documentation in a few lines.
`index-parallel` uses Whoosh's own parallel writer instead, as its documentation offers it:
`ix.writer(procs=2, multisegment=True, limitmb=256)` (sub-processes, segments left unmerged).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from whoosh import analysis, fields, index, query


def build(folder: Path, files: list[str], **writer_options) -> None:
    analyzer = analysis.StemmingAnalyzer()
    schema = fields.Schema(
        id=fields.ID(stored=True), body=fields.TEXT(analyzer=analyzer, stored=True)
    )
    folder.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(folder), schema)
    writer = ix.writer(**writer_options)
    for name in files:
        with open(name, encoding="utf-8") as lines:
            for line in lines:
                article = json.loads(line)
                for number, text in enumerate(article["paragraphs"], 1):
                    writer.add_document(id=f"{article['id']}/{number}", body=text)
    writer.commit()


def ask(folder: Path) -> None:
    ix = index.open_dir(str(folder))
    analyzer = ix.schema["body"].analyzer
    with ix.searcher() as searcher:
        for line in sys.stdin:
            terms = {token.text for token in analyzer(line.strip())}
            hits = searcher.search(query.Or([query.Term("body", t) for t in terms]), limit=5)
            answers = [{"id": hit["id"], "highlights": hit.highlights("body")} for hit in hits]
            print(json.dumps({"question": line.strip(), "answers": answers}), flush=True)


if __name__ == "__main__":
    command, folder, *rest = sys.argv[1:]
    if command == "index":
        build(Path(folder), rest)
    elif command == "index-parallel":
        build(Path(folder), rest, procs=2, multisegment=True, limitmb=256)
    else:
        ask(Path(folder))
