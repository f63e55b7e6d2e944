"""How ingestion and answering cost grow with the archive, beside plain Whoosh, in one run.

    python benchmarks/scale.py [--sizes 2000,20000,200000] [--questions 300] [--keep DIR]

For each size it builds an archive of that many passages from the real English paragraphs in
../shared/eval (every copy of an article gets its own id, date and title, and a tenth of its
words swapped for other words of the corpus, so the index is no pile of identical documents),
then measures, for the project (`python -m bot`) and for a minimal plain-Whoosh script on the
same passages (default BM25F, StemmingAnalyzer, OR queries, top 5 with highlights):

- ingestion: passages per second, peak memory of the process and its worker processes
  together (summed PSS, sampled every 100 ms), data directory size;
- answering: median and 95th-percentile time per question over the eval sets' questions in
  one warm process (`ask --json -`; the baseline: the same questions in one process);
- one cold `python -m bot ask` process on the seed article (and a cold baseline query).

It prints a table with every figure of the project's and its ratio to the baseline's, then a
table of ingestion beside Whoosh's own writers, on the same passages in the same run: the
plain script with Whoosh's own parallel writer (`ix.writer(procs=2, multisegment=True,
limitmb=256)`, the second baseline), the project with its fast path turned off (Whoosh's own
writer on the project's schema: what index/search/segments.py buys), and the project with its
worker processes forked from the ingest itself (START_METHOD "fork": what starting them
from a fork server costs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EVAL_FILES = [SHARED / "eval" / "squadshifts_new_wiki_v1.0.json", SHARED / "eval" / "xquad.en.json"]
SEED = SHARED / "corpus" / "lavrov-meet-the-press.txt"
BASELINE = Path(__file__).resolve().parent / "plain_whoosh.py"
VARIED_SHARE = 0.1
ARTICLES_PER_FILE = 100  # files stay under the default MAX_ARTICLE_BYTES
MEMORY_SAMPLE = 0.1  # seconds between samples of a measured process tree's memory


def source_articles() -> tuple[list[dict], list[str], list[str]]:
    """(articles as {"title", "paragraphs"}, questions, vocabulary) from the eval sets."""
    articles, questions, vocabulary = [], [], set()
    for path in EVAL_FILES:
        for entry in json.loads(path.read_text(encoding="utf-8"))["data"]:
            paragraphs = [p["context"].strip() for p in entry["paragraphs"]]
            articles.append({"title": entry["title"].replace("_", " "), "paragraphs": paragraphs})
            for paragraph in entry["paragraphs"]:
                questions += [qa["question"].strip() for qa in paragraph["qas"]]
                for text in paragraphs[:1]:
                    vocabulary.update(w for w in text.split() if w.isalpha())
    return articles, [q for q in questions if q], sorted(vocabulary)


def write_corpus(folder: Path, size: int, articles, vocabulary) -> int:
    """JSON Lines files holding `size` passages of varied copies; returns the passage count."""
    rng = random.Random(size)
    folder.mkdir(parents=True)
    written, copy, out = 0, 0, None
    while written < size:
        if out is None or copy % ARTICLES_PER_FILE == 0:
            out and out.close()
            out = (folder / f"part-{copy // ARTICLES_PER_FILE:05d}.jsonl").open(
                "w", encoding="utf-8"
            )
        record = varied_copy(copy, articles, rng, vocabulary)
        record["paragraphs"] = record["paragraphs"][: size - written]
        out.write(json.dumps(record) + "\n")
        written += len(record["paragraphs"])
        copy += 1
    out.close()
    return written


def varied_copy(copy: int, articles, rng: random.Random, vocabulary, prefix: str = "copy") -> dict:
    """The copy-th article record: a source article with its own id, title, author, outlet and
    date, and a tenth of its words swapped for others of the corpus."""
    source = articles[copy % len(articles)]
    return {
        "id": f"{prefix}-{copy}",
        "title": f"{source['title']} ({copy})",
        "author": f"Reporter {copy % 97}",
        "source": f"Outlet {copy % 13}",
        "published": f"20{10 + copy % 16:02d}-{1 + copy % 12:02d}-{1 + copy % 28:02d}",
        "paragraphs": [_vary(p, rng, vocabulary) for p in source["paragraphs"]],
    }


def _vary(text: str, rng: random.Random, vocabulary: list[str]) -> str:
    words = text.split(" ")
    for i in rng.sample(range(len(words)), k=int(len(words) * VARIED_SHARE)):
        words[i] = rng.choice(vocabulary)
    return " ".join(words)


def run_measured(command: list[str], **kwargs) -> tuple[float, int, subprocess.CompletedProcess]:
    """(seconds, peak memory in MB of the process and all its children together, result).

    Memory is sampled every MEMORY_SAMPLE seconds as the sum of the tree's proportional set
    sizes (PSS: pages shared between forked workers counted once, split among them)."""
    text_input = kwargs.pop("input", None)
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE if text_input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.wait(MEMORY_SAMPLE):
            peak[0] = max(peak[0], tree_memory_kb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate(text_input)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    return seconds, peak[0] // 1024, result


def tree_memory_kb(root: int) -> int:
    """The summed PSS (else RSS) in kB of a process and its descendants, read from /proc."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _memory_kb(pid)
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                todo += [int(child) for child in children.read_text().split()]
            except OSError:
                continue
    return total


def _memory_kb(pid: int) -> int:
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1])
        except OSError:
            continue
    return 0


def per_question_times(command: list[str], questions: list[str]) -> list[float]:
    """Milliseconds between answers in one warm process reading questions from stdin."""
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    process.stdin.write(questions[0] + "\n")  # warm-up: opens the index and fills caches
    process.stdin.flush()
    process.stdout.readline()
    times = []
    for question in questions[1:]:
        started = time.perf_counter()
        process.stdin.write(question + "\n")
        process.stdin.flush()
        process.stdout.readline()
        times.append((time.perf_counter() - started) * 1000)
    process.stdin.close()
    process.wait()
    return times


def folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def bot(*args: str, setup: str = "") -> list[str]:
    """`python -m bot ARGS`, with `setup` (statements on index.search.segments as `s`) run first."""
    if not setup:
        return [sys.executable, "-m", "bot", *args]
    code = (
        f"import sys; import index.search.segments as s; {setup}; "
        f"from bot.cli import main; sys.exit(main({list(args)!r}))"
    )
    return [sys.executable, "-c", code]


def measure(size: int, work: Path, articles, questions, vocabulary) -> dict:
    corpus = work / f"corpus-{size}"
    passages = write_corpus(corpus, size, articles, vocabulary)
    python = sys.executable
    ours_dir, base_dir = work / f"newsbot-{size}", work / f"whoosh-{size}"
    files = sorted(str(p) for p in corpus.glob("*.jsonl"))

    ours_s, ours_rss, _ = run_measured(
        [python, "-m", "bot", "ingest", "--data", str(ours_dir), *files], cwd=ROOT
    )
    compact_s, compact_rss, _ = run_measured(
        [python, "-m", "bot", "compact", "--data", str(ours_dir)], cwd=ROOT
    )
    fork_dir, slow_dir, parallel_dir = (
        work / f"{name}-{size}" for name in ("fork", "whoosh-writer", "whoosh-parallel")
    )
    fork_s, fork_rss, _ = run_measured(
        bot("ingest", "--data", str(fork_dir), *files, setup="s.START_METHOD = 'fork'"), cwd=ROOT
    )
    slow_s, slow_rss, _ = run_measured(
        bot("ingest", "--data", str(slow_dir), *files, setup="s.FAST_PATH = False"), cwd=ROOT
    )
    base_s, base_rss, _ = run_measured(
        [python, str(BASELINE), "index", str(base_dir), *files], cwd=ROOT
    )
    parallel_s, parallel_rss, _ = run_measured(
        [python, str(BASELINE), "index-parallel", str(parallel_dir), *files], cwd=ROOT
    )
    ours_times = per_question_times(
        [python, "-m", "bot", "ask", "--data", str(ours_dir), "--json", "-"], questions
    )
    base_times = per_question_times([python, str(BASELINE), "ask", str(base_dir)], questions)
    return {
        "passages": passages,
        "ingest": (passages / ours_s, passages / base_s),
        "with compact": (passages / (ours_s + compact_s), passages / base_s),
        "rss": (max(ours_rss, compact_rss), base_rss),
        "rss_parts": (ours_rss, compact_rss),
        "disk": (folder_mb(ours_dir), folder_mb(base_dir)),
        "median": (statistics.median(ours_times), statistics.median(base_times)),
        "p95": (_p95(ours_times), _p95(base_times)),
        "questions": len(ours_times),
        "writers": {
            "newsbot": (passages / ours_s, ours_rss, folder_mb(ours_dir)),
            "newsbot, workers forked": (passages / fork_s, fork_rss, folder_mb(fork_dir)),
            "newsbot, fast path off": (passages / slow_s, slow_rss, folder_mb(slow_dir)),
            "plain Whoosh, one writer": (passages / base_s, base_rss, folder_mb(base_dir)),
            "plain Whoosh, parallel writer": (
                passages / parallel_s,
                parallel_rss,
                folder_mb(parallel_dir),
            ),
        },
    }


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[int(0.95 * (len(ordered) - 1))]


def cold_ask(work: Path) -> tuple[float, float]:
    """Median seconds of one cold `python -m bot ask` on the seed, and of the baseline's."""
    ours_dir, base_dir = work / "seed-newsbot", work / "seed-whoosh"
    python = sys.executable
    subprocess.run(
        [python, "-m", "bot", "ingest", "--data", str(ours_dir), str(SEED)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    seed_jsonl = work / "seed.jsonl"
    paragraphs = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    seed_jsonl.write_text(json.dumps({"id": "seed", "paragraphs": paragraphs}) + "\n")
    subprocess.run(
        [python, str(BASELINE), "index", str(base_dir), str(seed_jsonl)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    question = "who are the proposed guarantors?"
    ours = [
        run_measured([python, "-m", "bot", "ask", "--data", str(ours_dir), question], cwd=ROOT)[0]
        for _ in range(5)
    ]
    base = [
        run_measured(
            [python, str(BASELINE), "ask", str(base_dir)], cwd=ROOT, input=question + "\n"
        )[0]
        for _ in range(5)
    ]
    return statistics.median(ours), statistics.median(base)


def table(rows: list[dict], cold: tuple[float, float]) -> str:
    lines = [
        "| passages | ingest passages/s | ingest + compact passages/s | peak memory MB | data MB "
        "| answer median ms | answer p95 ms | questions |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cells = [f"{r['passages']:,}"]
        for key, fmt in (
            ("ingest", ",.0f"),
            ("with compact", ",.0f"),
            ("rss", ",.0f"),
            ("disk", ",.0f"),
            ("median", ".1f"),
            ("p95", ".1f"),
        ):
            ours, base = r[key]
            cells.append(f"{ours:{fmt}} ({ours / base:.2f}× of {base:{fmt}})")
        cells.append(str(r["questions"]))
        cells[3] += f" (ingest {r['rss_parts'][0]:,}, compact {r['rss_parts'][1]:,})"
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Ingestion beside Whoosh's own writers (passages/s, peak memory MB, data MB; "
        "newsbot's ratio to each):",
        "",
        "| passages | writer | passages/s | newsbot's speed ÷ this | peak memory MB | data MB |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        ours_rate = r["writers"]["newsbot"][0]
        for name, (rate, memory, disk) in r["writers"].items():
            lines.append(
                f"| {r['passages']:,} | {name} | {rate:,.0f} | {ours_rate / rate:.2f}× "
                f"| {memory:,} | {disk:,.0f} |"
            )
    ours, base = cold
    lines.append("")
    lines.append(
        f"Cold `python -m bot ask` on the seed article: {ours:.2f} s "
        f"(plain Whoosh script: {base:.2f} s, {ours / base:.2f}×)"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000,200000", help="passage counts")
    parser.add_argument("--questions", type=int, default=300, help="questions asked per size")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    if not all(p.exists() for p in [*EVAL_FILES, SEED]):
        print(f"needs {SHARED}/eval and {SHARED}/corpus beside the checkout", file=sys.stderr)
        return 2
    articles, questions, vocabulary = source_articles()
    questions = random.Random(7).sample(questions, args.questions + 1)
    work = args.keep or Path(tempfile.mkdtemp(prefix="newsbot-scale-"))
    if args.keep and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    try:
        rows = []
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(size, work, articles, questions, vocabulary))
            print(f"measured {size:,} passages", file=sys.stderr, flush=True)
        cold = cold_ask(work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"# Scale benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print()
    print("Each figure of the project's, then (its ratio to plain Whoosh, and plain Whoosh's).")
    print()
    print(table(rows, cold))
    return 0


if __name__ == "__main__":
    sys.exit(main())
