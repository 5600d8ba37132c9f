#!/usr/bin/env python3
"""Renders target/hostile-containment.tsv (written by the hostile suite) as the Markdown table in SECURITY.md."""
import csv
import sys
from pathlib import Path

src = Path(sys.argv[1] if len(sys.argv) > 1 else "target/hostile-containment.tsv")
latest = {}
for row in csv.DictReader(src.open(), delimiter="\t"):
    latest[(row["case"], row["runtime"])] = row  # a re-run of a case replaces its row
rows = list(latest.values())
rows.sort(key=lambda r: (r["case"], r["runtime"]))
print("| case | runtime | contained | how (which limit fired) | noticed (ms) | recovered (ms) |")
print("| --- | --- | --- | --- | ---: | ---: |")
for r in rows:
    print(f"| {r['case']} | {r['runtime']} | {r['contained']} | {r['how']} | {r['noticeMs']} | {r['recoverMs']} |")
