"""Answer quality on the external question sets in ../shared/eval, beside their targets.

    python benchmarks/quality.py [FILE ...]

Each SQuAD-format file is ingested into a fresh temporary archive (each data[] entry an
article, its contexts the paragraphs), every question is asked against the whole archive,
and ans@1/3/5, the mean top-quote length and the time per question are printed in a table
with the targets and the plain-Whoosh reference rows from ../shared/eval/SOURCES.md.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.archive import Archive  # noqa: E402
from index.evaluate import evaluate, load_squad  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
# file -> (ans@1, ans@5, mean top quote chars): the targets of the answer-quality issue
TARGETS = {
    "squadshifts_new_wiki_v1.0.json": (78.0, 91.0, 400),
    "xquad.en.json": (86.0, 97.0, 400),
}
# Plain Whoosh 2.7.4 BM25F, whole index (../shared/eval/SOURCES.md): unit -> (@1, @3, @5)
REFERENCE = {
    "squadshifts_new_wiki_v1.0.json": {
        "paragraph": (79.1, 89.9, 92.6),
        "sentence": (66.1, 78.3, 82.4),
    },
    "xquad.en.json": {"paragraph": (92.6, 97.9, 98.8), "sentence": (71.5, 87.0, 90.1)},
}


def measure(path: Path) -> dict:
    articles, questions = load_squad(path)
    with (
        tempfile.TemporaryDirectory(prefix="newsbot-quality-") as folder,
        Archive(Path(folder)) as archive,
    ):
        started = time.perf_counter()
        archive.add(articles)
        ingest_s = time.perf_counter() - started
        report = evaluate(archive, questions)
    return {"articles": len(articles), "ingest_s": ingest_s, "report": report}


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or [EVAL / name for name in TARGETS]
    missing = [f for f in files if not f.exists()]
    if missing:
        print(f"missing: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    print(f"# Answer quality, whole archive, {os.cpu_count()} cores")
    print()
    print("| set | ranker | ans@1 | ans@3 | ans@5 | mean top quote | median | p95 |")
    print("|---|---|---|---|---|---|---|---|")
    verdicts = []
    for path in files:
        result = measure(path)
        r = result["report"]
        at = r.answered_at
        print(
            f"| {path.name} ({r.questions} q) | **newsbot** | {at[1]:.1f} | {at[3]:.1f} | "
            f"{at[5]:.1f} | {r.mean_top_quote_chars:.0f} chars | {r.median_ms:.1f} ms | "
            f"{r.p95_ms:.1f} ms |"
        )
        if path.name in TARGETS:
            t1, t5, chars = TARGETS[path.name]
            print(
                f"| | target | {t1:.0f} or more | | {t5:.0f} or more | {chars} or fewer | 50 ms | |"
            )
            met = at[1] >= t1 and at[5] >= t5 and r.mean_top_quote_chars <= chars
            verdicts.append(f"{path.name}: {'targets met' if met else 'TARGETS MISSED'}")
        for unit, (r1, r3, r5) in REFERENCE.get(path.name, {}).items():
            print(f"| | plain Whoosh, {unit} | {r1} | {r3} | {r5} | | | |")
    print()
    for line in verdicts:
        print(line)
    return 0 if all("met" in v and "MISSED" not in v for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
