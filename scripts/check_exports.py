"""Reads the demo's statements back with an independent reader (openpyxl for XLSX, the csv
module for CSV) and checks them against the API: every settlement and reimbursement statement
has the run's lines, its total row equals the sum of its lines, and that sum is the run's
total_fen. Usage: python check_exports.py http://127.0.0.1:PORT"""
import csv
import io
import json
import sys
import urllib.request

import openpyxl

BASE = sys.argv[1].rstrip("/")


def call(path, token=None, body=None):
    req = urllib.request.Request(BASE + path, data=None if body is None else json.dumps(body).encode())
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r:
        return r.read()


def login(user):
    return json.loads(call("/api/v1/auth/login", body={"username": user, "password": "quan-demo"}))["token"]


def check(kind, run, token):
    total = run["total_fen"]
    base = f"/api/v1/{kind}/{run['id']}/statement"
    book = openpyxl.load_workbook(io.BytesIO(call(base + ".xlsx", token)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[0] in ("结算单号", "报销单号"), header
    lines = [r for r in body if r[3] not in ("合计", "抵扣应收", "实付")]
    total_row = next(r for r in body if r[3] == "合计")
    assert len(lines) == run["item_count"], (run["id"], len(lines), run["item_count"])
    subsidy = round(sum(r[10] for r in lines) * 100)
    assert subsidy == total == round(total_row[10] * 100), (run["id"], subsidy, total, total_row)
    text = call(base + ".csv?lang=en", token).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] in ("settlement", "reimbursement"), table[0]
    csv_total = next(r for r in table if r[3] == "total")
    assert round(float(csv_total[10]) * 100) == total, (csv_total, total)
    return len(lines)


admin = login("admin")
checked = 0
for kind in ("settlements", "reimbursements"):
    runs = json.loads(call(f"/api/v1/{kind}?page_size=200", admin))["items"]
    assert runs, f"the demo has no {kind}"
    for run in runs:
        check(kind, run, admin)
        checked += 1
print(f"exports: {checked} statements read back by openpyxl and csv; lines and totals match the API")
