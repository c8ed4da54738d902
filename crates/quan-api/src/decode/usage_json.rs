//! Usage batches as JSON: an array of records, or NDJSON (one record per line). An element
//! that is not a record becomes `Malformed` (naming its record_id when it has one), so one bad
//! record rejects only itself. Fuzzed in tests/fuzz_decoders.rs.
use quan_domain::inputs::{UsageInput, UsageItem};

/// Parses a JSON array of records. Well-formed batches take the fast path; otherwise each
/// element is read on its own so one bad element rejects only itself.
pub fn parse_json_array(bytes: &[u8]) -> std::result::Result<Vec<UsageItem>, String> {
    if let Ok(v) = serde_json::from_slice::<Vec<UsageInput>>(bytes) {
        return Ok(v.into_iter().map(UsageItem::Record).collect());
    }
    let values: Vec<serde_json::Value> = serde_json::from_slice(bytes)
        .map_err(|e| format!("body: not a JSON array of usage records: {e}"))?;
    Ok(values.into_iter().map(item_from_value).collect())
}

/// Parses NDJSON (one record per non-empty line).
pub fn parse_ndjson(bytes: &[u8]) -> Vec<UsageItem> {
    let mut out = Vec::new();
    for (n, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        match serde_json::from_slice::<UsageInput>(line) {
            Ok(r) => out.push(UsageItem::Record(r)),
            Err(e) => match serde_json::from_slice::<serde_json::Value>(line) {
                Ok(v) => out.push(item_from_value(v)),
                Err(_) => out.push(UsageItem::Malformed {
                    record_id: String::new(),
                    message: format!("line {}: not JSON: {e}", n + 1),
                }),
            },
        }
    }
    out
}

fn item_from_value(v: serde_json::Value) -> UsageItem {
    let rid = v
        .get("record_id")
        .and_then(|x| x.as_str())
        .unwrap_or("")
        .to_string();
    match serde_json::from_value::<UsageInput>(v) {
        Ok(r) => UsageItem::Record(r),
        Err(e) => UsageItem::Malformed {
            record_id: rid,
            message: format!("not a usage record: {e}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndjson() {
        let body = b"{\"record_id\":\"a\",\"product_id\":\"p\",\"enterprise_id\":\"e\",\"started_at\":\"2026-01-01T00:00:00Z\",\"ended_at\":\"2026-01-01T01:00:00Z\",\"gpu_seconds\":3600}\n\n{\"record_id\":\"b\",\"gpu_seconds\":\"x\"}\nnot json\n";
        let items = parse_ndjson(body);
        assert_eq!(items.len(), 3);
        assert!(matches!(&items[0], UsageItem::Record(r) if r.record_id == "a"));
        assert!(matches!(&items[1], UsageItem::Malformed { record_id, .. } if record_id == "b"));
        assert!(matches!(&items[2], UsageItem::Malformed { .. }));
    }
}
