"""Reads the demo's statements back with an independent reader (openpyxl for XLSX, the csv
module for CSV) and checks them against the API: every settlement and reimbursement statement
has the run's lines, its total row equals the sum of its lines, and that sum is the run's
total_fen. Then the lists' exports (format=xlsx|csv on a filtered, sorted list): the same rows in the
same order as the JSON pages, Chinese headers by default, money columns summing to the API's.
Usage: python check_exports.py http://127.0.0.1:PORT"""
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


def all_pages(path, token):
    items, page = [], 1
    sep = "&" if "?" in path else "?"
    while True:
        p = json.loads(call(f"{path}{sep}page_size=200&page={page}", token))
        items += p["items"]
        if len(items) >= p["total"] or not p["items"]:
            return items
        page += 1


# (list with filters and sort, first header in Chinese, key column in JSON, money column: JSON key
# and its 0-based column in the sheet)
LISTS = [
    ("/api/v1/redemptions?status=settled&sort=-invoice_amount_fen", "兑付编号", "number", ("subsidy_fen", 7)),
    ("/api/v1/redemptions?q=SD-RD", "兑付编号", "number", ("invoice_amount_fen", 6)),
    ("/api/v1/vouchers?status=active&sort=-balance_fen", "券号", "number", ("balance_fen", 6)),
    ("/api/v1/applications?sort=number", "申请编号", "number", ("amount_fen", 5)),
    ("/api/v1/settlements?sort=-total_fen", "结算单号", "number", ("total_fen", 4)),
    ("/api/v1/reimbursements", "报销单号", "number", ("total_fen", 4)),
    ("/api/v1/enterprises?city_code=370100", "统一社会信用代码", "uscc", None),
]
rows_read = 0
for path, first, key, money in LISTS:
    want = all_pages(path, admin)
    assert want, f"the demo's list {path} is empty"
    sep = "&" if "?" in path else "?"
    book = openpyxl.load_workbook(io.BytesIO(call(f"{path}{sep}format=xlsx", admin)), read_only=True)
    sheet = list(book.active.iter_rows(values_only=True))
    assert sheet[0][0] == first, (path, sheet[0])
    got = [r[0] for r in sheet[1:]]
    assert got == [w[key] for w in want], (path, got[:3], [w[key] for w in want][:3])
    text = call(f"{path}{sep}format=csv&lang=en", admin).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] in ("Number", "USCC"), (path, table[0])
    assert [r[0] for r in table[1:]] == got, path
    if money:
        field, col = money
        api_sum = sum(w[field] for w in want)
        assert round(sum(r[col] or 0 for r in sheet[1:]) * 100) == api_sum, (path, field)
        assert sum(round(float(r[col]) * 100) for r in table[1:]) == api_sum, (path, field)
    rows_read += len(got)
print(f"exports: {checked} statements read back by openpyxl and csv; lines and totals match the API")
print(f"exports: {len(LISTS)} filtered lists ({rows_read} rows) read back as XLSX and CSV; rows, order and sums match the API")
