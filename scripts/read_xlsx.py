"""Prints the first sheet of an XLSX file as JSON rows, read by openpyxl (an independent reader:
the browser story checks the console's exports with it). Usage: python read_xlsx.py FILE"""
import io
import json
import sys

import openpyxl

# From the bytes: a browser's download has no file extension, which openpyxl would refuse.
with open(sys.argv[1], "rb") as f:
    book = openpyxl.load_workbook(io.BytesIO(f.read()), read_only=True)
rows = [list(r) for r in book.active.iter_rows(values_only=True)]
print(json.dumps(rows, ensure_ascii=False, default=str))
