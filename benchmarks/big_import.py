"""A whole archive export in one file: a generated JSON Lines file of gigabytes, ingested under
default settings, its time and the peak memory of the ingest measured.

    python benchmarks/big_import.py [--gigabytes 2] [--stdin] [--keep DIR]

The file holds varied copies of the real English articles in ../shared/eval (as
benchmarks/scale.py makes them: each copy its own id, date and title, a tenth of its words
swapped), one per line, until it reaches the size asked for. It is then ingested by
`python -m bot ingest FILE` (with --stdin: piped into `python -m bot ingest -`), and the
table gives the file's size, records and passages, the time, the rates, the peak memory of
the ingest's processes together (summed PSS) and the data directory's size; one question is
asked at the end to show the archive answers.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import ROOT, folder_mb, run_measured, source_articles, varied_copy


def write_export(path: Path, target_bytes: int, articles, vocabulary) -> tuple[int, int]:
    """One JSON Lines file of about `target_bytes`; (records, passages) written."""
    rng = random.Random(target_bytes)
    records = passages = written = 0
    with path.open("w", encoding="utf-8") as out:
        while written < target_bytes:
            record = varied_copy(records, articles, rng, vocabulary, prefix="export")
            line = json.dumps(record, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            records += 1
            passages += len(record["paragraphs"])
    return records, passages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gigabytes", type=float, default=2.0, help="size of the export")
    parser.add_argument("--stdin", action="store_true", help="pipe it into `ingest -`")
    parser.add_argument("--keep", type=Path, help="work in DIR and keep it (else a temp dir)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="big-import-"))
    work.mkdir(parents=True, exist_ok=True)
    export, data = work / "export.jsonl", work / "data"
    shutil.rmtree(data, ignore_errors=True)
    articles, questions, vocabulary = source_articles()
    print(f"writing {args.gigabytes:g} GB of JSON Lines to {export} …", file=sys.stderr)
    records, passages = write_export(export, int(args.gigabytes * 1e9), articles, vocabulary)
    size = export.stat().st_size
    bot = [sys.executable, "-m", "bot"]
    if args.stdin:
        command = [
            "sh",
            "-c",
            f'cat "{export}" | "{sys.executable}" -m bot ingest --data "{data}" -',
        ]
    else:
        command = [*bot, "ingest", "--data", str(data), str(export)]
    print(f"ingesting {records:,} records ({passages:,} passages) …", file=sys.stderr)
    seconds, peak_mb, result = run_measured(command, cwd=ROOT)
    summary = result.stdout.strip().splitlines()[-1]
    asked = subprocess.run(
        [*bot, "ask", "--data", str(data), "--json", questions[0]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    quotes = len(json.loads(asked.stdout)["answers"])
    print(
        "| export | records | passages | ingest | MB/s | passages/s | peak memory | data |\n"
        "|---|---|---|---|---|---|---|---|\n"
        f"| {size / 1e9:.2f} GB{' (stdin)' if args.stdin else ''} | {records:,} | {passages:,} "
        f"| {seconds / 60:.1f} min | {size / 1e6 / seconds:.1f} | {passages / seconds:,.0f} "
        f"| {peak_mb} MB | {folder_mb(data):,.0f} MB |"
    )
    print(f"\ningest said: {summary}\nasked {questions[0]!r}: {quotes} quote(s)")
    if not args.keep:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
