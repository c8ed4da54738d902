//! Usage records from CSV, as `quan usage import` reads them: a header row naming the columns
//! `record_id, product_id, enterprise_id, started_at, ended_at`, then `gpu_seconds` or
//! `quantity` (for products not billed by accelerator time) or both (a row fills one; the
//! record's checks refuse both), and optionally `voucher_id` (found by name, extra columns
//! ignored, cells trimmed), as the console's upload page reads them. A row that cannot be read
//! becomes a `Malformed` item naming its line, so one bad row rejects only itself; no input
//! makes the reader panic (fuzzed in tests/fuzz_usage_import.rs).
use std::io::Read;

use serde::Deserialize;

use quan_domain::inputs::{UsageInput, UsageItem};

/// The columns a usage CSV must have, besides `gpu_seconds` or `quantity`.
pub const CSV_COLUMNS: [&str; 5] = [
    "record_id",
    "product_id",
    "enterprise_id",
    "started_at",
    "ended_at",
];

/// The quantity columns, at least one of which a usage CSV must have.
pub const QUANTITY_COLUMNS: [&str; 2] = ["gpu_seconds", "quantity"];

#[derive(Deserialize)]
struct CsvRow {
    record_id: String,
    product_id: String,
    enterprise_id: String,
    started_at: String,
    ended_at: String,
    #[serde(default)]
    gpu_seconds: String,
    #[serde(default)]
    voucher_id: Option<String>,
    #[serde(default)]
    quantity: Option<String>,
}

fn whole(field: &str, v: &str, line: u64) -> Result<i64, String> {
    v.parse::<i64>()
        .map_err(|_| format!("line {line}: {field}: {v:?} is not a whole number"))
}

fn item(r: CsvRow, line: u64) -> UsageItem {
    let quantity = r.quantity.as_deref().filter(|q| !q.is_empty());
    let parsed = match quantity {
        Some(q) if r.gpu_seconds.is_empty() => whole("quantity", q, line).map(|q| (0, Some(q))),
        Some(q) => whole("gpu_seconds", &r.gpu_seconds, line)
            .and_then(|g| whole("quantity", q, line).map(|q| (g, Some(q)))),
        None if r.gpu_seconds.is_empty() => Err(format!(
            "line {line}: gpu_seconds, quantity: neither is filled; fill one of them"
        )),
        None => whole("gpu_seconds", &r.gpu_seconds, line).map(|g| (g, None)),
    };
    match parsed {
        Ok((gpu_seconds, quantity)) => UsageItem::Record(UsageInput {
            record_id: r.record_id,
            product_id: r.product_id,
            enterprise_id: r.enterprise_id,
            started_at: r.started_at,
            ended_at: r.ended_at,
            gpu_seconds,
            quantity,
            voucher_id: r.voucher_id.filter(|v| !v.is_empty()),
        }),
        Err(message) => UsageItem::Malformed {
            record_id: r.record_id,
            message,
        },
    }
}

/// The records of a usage CSV, one item per data row, with the byte offset after the row (for
/// a progress bar).
pub struct CsvItems<R: Read> {
    rdr: csv::Reader<R>,
    headers: csv::StringRecord,
    row: csv::ByteRecord,
}

/// Opens a usage CSV; fails (with a message naming the columns) only when the header is unreadable
/// or lacks a required column.
pub fn csv_items<R: Read>(input: R) -> Result<CsvItems<R>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(input);
    let headers = rdr.headers().map_err(|e| format!("header: {e}"))?.clone();
    let mut headers_trimmed = csv::StringRecord::new();
    for (i, h) in headers.iter().enumerate() {
        // A spreadsheet's UTF-8 byte-order mark sticks to the first column name.
        headers_trimmed.push_field(if i == 0 {
            h.trim_start_matches('\u{feff}')
        } else {
            h
        });
    }
    let has = |c: &str| headers_trimmed.iter().any(|h| h == c);
    let mut missing: Vec<&str> = CSV_COLUMNS.iter().copied().filter(|c| !has(c)).collect();
    if !QUANTITY_COLUMNS.iter().any(|c| has(c)) {
        missing.push("gpu_seconds or quantity");
    }
    if !missing.is_empty() {
        return Err(format!(
            "header: missing column {} (needs {}, then gpu_seconds or quantity)",
            missing.join(", "),
            CSV_COLUMNS.join(",")
        ));
    }
    Ok(CsvItems {
        rdr,
        headers: headers_trimmed,
        row: csv::ByteRecord::new(),
    })
}

impl<R: Read> Iterator for CsvItems<R> {
    type Item = (UsageItem, u64);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.rdr.read_byte_record(&mut self.row) {
                Ok(false) => return None,
                Ok(true) => {}
                // An I/O error ends the file; a malformed row (bad quoting) is a rejected row.
                Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => return None,
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    return Some((
                        UsageItem::Malformed {
                            record_id: String::new(),
                            message: format!("line {line}: {e}"),
                        },
                        self.rdr.position().byte(),
                    ));
                }
            }
            let line = self.row.position().map(|p| p.line()).unwrap_or(0);
            let end = self.rdr.position().byte();
            if self.row.iter().all(|f| f.is_empty()) {
                continue; // a blank line
            }
            let item = match csv::StringRecord::from_byte_record(self.row.clone()) {
                Err(e) => UsageItem::Malformed {
                    record_id: String::new(),
                    message: format!("line {line}: not UTF-8 text: {e}"),
                },
                Ok(rec) => match rec.deserialize::<CsvRow>(Some(&self.headers)) {
                    Ok(r) => item(r, line),
                    Err(e) => UsageItem::Malformed {
                        record_id: rec.get(0).unwrap_or("").to_string(),
                        message: format!("line {line}: {e}"),
                    },
                },
            };
            return Some((item, end));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(s: &str) -> Vec<UsageItem> {
        csv_items(s.as_bytes())
            .expect("header")
            .map(|(i, _)| i)
            .collect()
    }

    #[test]
    fn reads_by_column_name_and_trims() {
        let v = items("\u{feff}gpu_seconds, record_id ,product_id,enterprise_id,started_at,ended_at,extra,voucher_id\n 3600 ,r1,p1,e1,2026-01-01T00:00:00Z,2026-01-01T01:00:00Z,x,\n\n7200,r2,p1,e1,2026-01-01T00:00:00Z,2026-01-01T01:00:00Z,x,v9\n");
        assert_eq!(v.len(), 2);
        match (&v[0], &v[1]) {
            (UsageItem::Record(a), UsageItem::Record(b)) => {
                assert_eq!(
                    (a.record_id.as_str(), a.gpu_seconds, a.voucher_id.as_deref()),
                    ("r1", 3600, None)
                );
                assert_eq!(
                    (b.record_id.as_str(), b.gpu_seconds, b.voucher_id.as_deref()),
                    ("r2", 7200, Some("v9"))
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_rows_reject_themselves() {
        let v = items("record_id,product_id,enterprise_id,started_at,ended_at,gpu_seconds\nr1,p,e,s,t,1.5\nr2,p,e\nr3,p,e,s,t,10\n");
        assert_eq!(v.len(), 3);
        assert!(
            matches!(&v[0], UsageItem::Malformed { record_id, message } if record_id == "r1" && message.contains("line 2") && message.contains("gpu_seconds"))
        );
        assert!(
            matches!(&v[1], UsageItem::Malformed { record_id, message } if record_id == "r2" && message.contains("line 3"))
        );
        assert!(matches!(&v[2], UsageItem::Record(r) if r.record_id == "r3"));
    }

    #[test]
    fn a_quantity_column_may_stand_for_gpu_seconds() {
        let v = items("record_id,product_id,enterprise_id,started_at,ended_at,quantity\nr1,p,e,s,t,1500\nr2,p,e,s,t,x\nr3,p,e,s,t,\n");
        assert!(
            matches!(&v[0], UsageItem::Record(r) if r.quantity == Some(1500) && r.gpu_seconds == 0)
        );
        assert!(
            matches!(&v[1], UsageItem::Malformed { message, .. } if message.contains("quantity"))
        );
        assert!(
            matches!(&v[2], UsageItem::Malformed { record_id, message } if record_id == "r3" && message.contains("neither"))
        );
        let e = csv_items(
            "record_id,product_id,enterprise_id,started_at,ended_at,voucher_id\n".as_bytes(),
        )
        .err()
        .expect("refused");
        assert!(e.contains("gpu_seconds or quantity"), "{e}");
    }

    #[test]
    fn missing_columns_are_named() {
        let e = csv_items("record_id,product_id\n".as_bytes())
            .err()
            .expect("refused");
        assert!(
            e.contains("enterprise_id") && e.contains("gpu_seconds"),
            "{e}"
        );
    }
}
