"""Answer quality on the external question sets in ../shared/eval, beside their targets.

    python benchmarks/quality.py [--lexical] [--news-layout] [--absent-sample N]

Each SQuAD-format set is ingested into a fresh temporary archive of its own (each data[]
entry an article, its contexts the paragraphs), and every question is asked against the whole
archive. Printed for each set, for all its questions and for the half the ranker was not
trained on (odd-numbered articles, see benchmarks/train_ranker.py): ans@1/3/5, candidate
recall (the answer anywhere in the candidates the ranker read), the mean top-quote length and
the time per question. Then the out-of-archive rate: each set's questions asked of the other
set's archive, where every quote given is a false answer. `--lexical` measures the learned
lexical stage alone (no embedding model), for comparison. `--news-layout` cuts every article
into news-length paragraphs of a sentence or two first (index.evaluate.news_layout), as wire
copy is laid out; the targets are for the sets as their files lay them out.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.archive import Archive  # noqa: E402
from index.evaluate import (  # noqa: E402
    ask_all,
    evaluate_absent,
    load_squad,
    news_layout,
    summarize,
)

EVAL = ROOT.parent / "shared" / "eval"
SETS = ("squadshifts_new_wiki_v1.0.json", "xquad.en.json")
# set -> (ans@1, mean top quote chars) targets of the issue "Answers a newsroom can trust"
TARGETS = {"squadshifts_new_wiki_v1.0.json": (83.0, 320), "xquad.en.json": (90.0, 400)}
FALSE_ANSWER_TARGET = 10.0  # percent of out-of-archive questions given a quote, at most
# Round one's lexical ranker (README, 2026-12-01) and plain Whoosh 2.7.4 BM25F on whole
# paragraphs (../shared/eval/SOURCES.md): (ans@1, ans@3, ans@5, mean top quote chars)
REFERENCE = {
    "squadshifts_new_wiki_v1.0.json": {
        "round one (lexical)": (79.7, 89.0, 91.5, 351),
        "plain Whoosh, paragraph": (79.1, 89.9, 92.6, 770),
    },
    "xquad.en.json": {
        "round one (lexical)": (87.0, 95.7, 97.1, 354),
        "plain Whoosh, paragraph": (92.6, 97.9, 98.8, 770),
    },
}


def row(label: str, r) -> str:
    at = r.answered_at
    return (
        f"| {label} | {at[1]:.1f} | {at[3]:.1f} | {at[5]:.1f} | {r.candidate_recall:.1f} | "
        f"{r.mean_top_quote_chars:.0f} | {r.median_ms:.1f} | {r.p95_ms:.1f} | "
        f"{100 * r.no_answer / max(r.questions, 1):.1f} |"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lexical", action="store_true", help="the lexical stage alone")
    parser.add_argument(
        "--news-layout",
        action="store_true",
        help="cut the articles into news-length paragraphs of a sentence or two first",
    )
    parser.add_argument(
        "--absent-sample",
        type=int,
        default=4,
        help="ask every Nth question of the larger set of the other archive (default 4)",
    )
    args = parser.parse_args(argv)
    missing = [name for name in SETS if not (EVAL / name).exists()]
    if missing:
        print(f"missing: {', '.join(missing)} in {EVAL}", file=sys.stderr)
        return 2
    ranker = "lexical stage only" if args.lexical else "newsbot"
    layout = "news-length paragraphs" if args.news_layout else "as the files lay them out"
    print(
        f"# Answer quality, whole archive, {os.cpu_count()} cores, ranker: {ranker}, "
        f"paragraphs: {layout}"
    )
    print()
    print(
        "| set, questions | ans@1 | ans@3 | ans@5 | candidate recall | mean top quote chars "
        "| median ms | p95 ms | no answer % |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    verdicts, asked = [], {}
    with tempfile.TemporaryDirectory(prefix="newsbot-quality-") as folder:
        archives = {}
        for name in SETS:
            articles, asked[name] = load_squad(EVAL / name)
            if args.news_layout:
                articles = [news_layout(article) for article in articles]
            archives[name] = Archive(Path(folder) / name, semantic=not args.lexical)
            archives[name].add(articles)
        for name in SETS:
            questions = asked[name]
            results = ask_all(archives[name], questions)
            whole = summarize(results)
            held = summarize([r for r in results if r.question.held_out])
            print(row(f"{name}, all {whole.questions}", whole))
            print(row(f"{name}, held out {held.questions}", held))
            for label, (r1, r3, r5, chars) in REFERENCE[name].items():
                if not args.news_layout:  # measured on the files' own paragraphs
                    print(f"| {label} | {r1} | {r3} | {r5} | | {chars} | | | |")
            t1, chars = TARGETS[name]
            met = whole.answered_at[1] >= t1 and whole.mean_top_quote_chars <= chars
            verdicts.append(
                f"{name}: ans@1 {whole.answered_at[1]:.1f} (target {t1:.0f}), top quote "
                f"{whole.mean_top_quote_chars:.0f} chars (target {chars}): "
                f"{'met' if met else 'MISSED'}"
            )
        print()
        print(
            "| out-of-archive questions | asked of | questions | given a quote % | offered "
            "the nearest story % |"
        )
        print("|---|---|---|---|---|")
        for name in SETS:
            other = next(n for n in SETS if n != name)
            questions = asked[name]
            if len(questions) > len(asked[other]):
                questions = questions[:: args.absent_sample]
            absent = evaluate_absent(archives[other], questions)
            print(
                f"| {name} | {other} | {absent.questions} | {absent.answered:.1f} | "
                f"{absent.nearest:.1f} |"
            )
            met = absent.answered <= FALSE_ANSWER_TARGET
            verdicts.append(
                f"{name} asked of {other}: {absent.answered:.1f}% given a quote (target "
                f"{FALSE_ANSWER_TARGET:.0f} or fewer): {'met' if met else 'MISSED'}"
            )
        for archive in archives.values():
            archive.close()
    print()
    if args.news_layout:
        print("(the targets are for the sets as their files lay them out)")
        return 0
    for line in verdicts:
        print(line)
    return 0 if all(line.endswith(": met") for line in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
