#!/usr/bin/env python3
"""Renders target/hostile-containment.tsv (written by the hostile suite) as the Markdown table in SECURITY.md.

    python3 src/bench/containment_table.py [TSV]                   prints the table
    python3 src/bench/containment_table.py [TSV] --write SECURITY.md
        replaces the table between the markers <!-- containment-table:begin --> and
        <!-- containment-table:end --> in that file (nothing else of it changes)

Every cell is copied from the TSV, which the suite writes from what each case observed
(hostile/Observation): "contained" is "yes" only when all of a case's checks held, "no" otherwise.
Nothing here decides or edits a result. A re-run of a case replaces its row (the last one counts).
Exits 1 when a case was not contained (the table is still printed or written), 2 on a bad TSV.
"""
import csv
import sys
from pathlib import Path

BEGIN = "<!-- containment-table:begin -->"
END = "<!-- containment-table:end -->"
COLUMNS = ["runtime", "case", "contained", "how", "noticeMs", "recoverMs"]


def cell(text):
    return (text or "").replace("|", "\\|")


def render(rows):
    lines = [
        "| case | runtime | contained | how (what the case observed) | noticed (ms) | recovered (ms) |",
        "| --- | --- | --- | --- | ---: | ---: |",
    ]
    for r in rows:
        lines.append(f"| {cell(r['case'])} | {cell(r['runtime'])} | {r['contained']} | {cell(r['how'])} "
                     f"| {r['noticeMs']} | {r['recoverMs']} |")
    contained = sum(1 for r in rows if r["contained"] == "yes")
    lines.append("")
    lines.append(f"{contained} of {len(rows)} cases contained.")
    return "\n".join(lines)


def read(src):
    latest = {}
    with src.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames != COLUMNS:
            print(f"{src}: expected the columns {COLUMNS}, got {reader.fieldnames}", file=sys.stderr)
            sys.exit(2)
        for row in reader:
            if row["contained"] not in ("yes", "no"):
                print(f"{src}: contained must be yes or no, got {row['contained']!r}", file=sys.stderr)
                sys.exit(2)
            latest[(row["case"], row["runtime"])] = row
    return sorted(latest.values(), key=lambda r: (r["case"], r["runtime"]))


def write_into(target, table):
    text = target.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        print(f"{target}: no {BEGIN} ... {END} markers", file=sys.stderr)
        sys.exit(2)
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    target.write_text(head + BEGIN + "\n" + table + "\n" + END + tail, encoding="utf-8")


def main(argv):
    args = list(argv)
    target = None
    if "--write" in args:
        i = args.index("--write")
        target = Path(args[i + 1])
        del args[i:i + 2]
    src = Path(args[0] if args else "target/hostile-containment.tsv")
    rows = read(src)
    table = render(rows)
    if target is None:
        print(table)
    else:
        write_into(target, table)
    return 0 if all(r["contained"] == "yes" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
