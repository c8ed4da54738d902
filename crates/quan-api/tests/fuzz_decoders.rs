//! Fuzzing (stable Rust, proptest) of the request decoders: `quan_api::extract::decode_json` for
//! every request body type of the API, the enterprise-file validation behind it, and the usage
//! importer (`parse_json_array`, `parse_ndjson`). Arbitrary bytes, arbitrary JSON and mutated valid
//! bodies go in; nothing may panic; every refusal is a 400 (`malformed_json`, or `invalid_text` from the text policy), a message,
//! and — whenever the body is a JSON object, so one field is at fault — the field's name.
//!
//! CI: cargo test -p quan-api --test fuzz_decoders             (256 cases per property)
//! Long run (≥ 10 minutes):
//!     PROPTEST_CASES=5000000 timeout 900 cargo test --release -p quan-api --test fuzz_decoders -- --nocapture --test-threads 2
use proptest::prelude::*;
use quan_api::error::ApiError;
use quan_api::extract::decode_json;
use serde_json::{json, Value};

fn check_refusal(e: &ApiError, body: &[u8]) {
    assert_eq!(e.status.as_u16(), 400, "{:?}", e.body.message);
    // Malformed JSON, or a string the text policy refuses (a control, bidi or invisible
    // character); either way the field is named below.
    assert!(
        ["malformed_json", "invalid_text", "too_long"].contains(&e.body.code.as_str()),
        "{}",
        e.body.code
    );
    assert!(!e.body.message.is_empty());
    if matches!(serde_json::from_slice::<Value>(body), Ok(Value::Object(_))) {
        let f = e.body.field.as_deref().unwrap_or("");
        assert!(
            !f.is_empty(),
            "a refused JSON object without a field: {} for {}",
            e.body.message,
            String::from_utf8_lossy(body)
        );
    }
}

/// Decodes `bytes` as every request body type of the API.
fn decode_all(bytes: &[u8]) {
    macro_rules! each {
        ($($t:ty),* $(,)?) => {$(
            if let Err(e) = decode_json::<$t>(bytes) { check_refusal(&e, bytes); }
        )*};
    }
    use quan_store::ops::*;
    each!(
        applications::ApplicationInput,
        applications::ReviewInput,
        applications::ObjectionInput,
        applications::ResolveInput,
        redemptions::RedemptionInput,
        redemptions::ClawbackInput,
        settlements::SettlementInput,
        programs::FundingSourceInput,
        programs::ProgramInput,
        programs::ProgramPatch,
        enterprises::EnterprisePatch,
        catalogue::SupplierInput,
        catalogue::ProductInput,
        usage::UsageInput,
        quan_api::routes::session::LoginInput,
        quan_api::routes::admin::UserInput,
        quan_api::routes::admin::ClockInput,
        quan_api::routes::programs::EligibleInput,
    );
    match decode_json::<enterprises::EnterpriseInput>(bytes) {
        Err(e) => check_refusal(&e, bytes),
        // The validation behind the decoder must not panic either, and names the field.
        Ok(input) => {
            if let Err(v) = enterprises::validate(&input) {
                assert!(
                    !v.field.is_empty() && !v.code.is_empty() && !v.message.is_empty(),
                    "{v:?}"
                );
            }
        }
    }
    // The usage importer: both formats.
    match quan_api::decode::parse_json_array(bytes) {
        Ok(items) => check_usage(&items),
        Err(m) => assert!(!m.is_empty()),
    }
    let items = quan_api::decode::parse_ndjson(bytes);
    assert!(items.len() <= bytes.split(|b| *b == b'\n').count());
    check_usage(&items);
    check_csv(bytes);
    // The same bytes under a valid header: every row is read as a record or a rejected row.
    let mut with_header =
        b"record_id,product_id,enterprise_id,started_at,ended_at,gpu_seconds,voucher_id\n".to_vec();
    with_header.extend_from_slice(bytes);
    check_csv(&with_header);
}

/// The CSV importer (`quan usage import`): a header error or items, never a panic; offsets grow.
fn check_csv(bytes: &[u8]) {
    match quan_api::decode::usage_csv::csv_items(bytes) {
        Err(m) => assert!(m.starts_with("header"), "{m}"),
        Ok(rows) => {
            let mut last = 0;
            let mut items = Vec::new();
            for (item, offset) in rows {
                assert!(
                    offset >= last && offset as usize <= bytes.len(),
                    "offset {offset} after {last} of {}",
                    bytes.len()
                );
                last = offset;
                items.push(item);
            }
            assert!(items.len() <= bytes.split(|b| *b == b'\n' || *b == b'\r').count());
            check_usage(&items);
        }
    }
}

/// A CSV cell, always quoted.
fn cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn check_usage(items: &[quan_store::ops::usage::UsageItem]) {
    for it in items {
        if let quan_store::ops::usage::UsageItem::Malformed { message, .. } = it {
            assert!(!message.is_empty());
        }
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        any::<String>().prop_map(Value::String),
        "[a-z_]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,16}", inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Valid bodies of the main inputs, to mutate field by field.
fn valid_bodies() -> Vec<Value> {
    vec![
        json!({"program_id": "prg_1", "enterprise_id": "ent_1", "amount_fen": 100, "plan": "x"}),
        json!({"decision": "approve", "amount_fen": 10, "reason": "ok"}),
        json!({"uphold": true, "note": "n"}),
        json!({"voucher_id": "v", "product_id": "p", "invoice_number": "12345678901234567890", "invoice_amount_fen": 1, "invoice_date": "2026-01-01"}),
        json!({"supplier_id": "s", "period": "2026-05"}),
        json!({"name": "n", "level": "city", "city_code": "370100", "appropriated_fen": 5}),
        json!({"name": "n", "voucher_type": "model", "year": 2026, "rate_bps": 3000, "face_value_cap_fen": 1, "enterprise_year_cap_fen": 1,
               "apply_from": "2026-01-01", "apply_until": "2026-02-01", "valid_from": "2026-01-01", "valid_until": "2026-03-01", "notice_days": 0,
               "eligible_cities": ["370100"], "budget_fen": 1, "funding": [{"source_id": "s", "share_bps": 10000}]}),
        json!({"uscc": "91370102MA3C4XYZ1A", "name": "n", "city_code": "370100", "industry": "I", "size_class": "small", "legal_rep": "张三", "shareholders": ["a"]}),
        json!({"record_id": "r", "product_id": "p", "enterprise_id": "e", "started_at": "2026-01-01T00:00:00Z", "ended_at": "2026-01-01T01:00:00Z", "gpu_seconds": 3600}),
        json!({"username": "u", "password": "p"}),
    ]
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..512)) {
        decode_all(&b);
    }

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        let s = serde_json::to_vec(&v).unwrap();
        decode_all(&s);
        // As NDJSON lines and inside an array, too.
        let lines = format!("{}\n{}\r\n\n{}", serde_json::to_string(&v).unwrap(), "{", serde_json::to_string(&json!([v.clone()])).unwrap());
        decode_all(lines.as_bytes());
    }

    #[test]
    fn mutated_valid_bodies_never_panic(which in 0usize..10, field in 0usize..16, value in arb_json(), drop in any::<bool>(), extra in "[a-z_]{1,10}") {
        let mut body = valid_bodies()[which].clone();
        let obj = body.as_object_mut().unwrap();
        let keys: Vec<String> = obj.keys().cloned().collect();
        let k = keys[field % keys.len()].clone();
        if drop { obj.remove(&k); } else { obj.insert(k, value.clone()); }
        if field % 5 == 0 { obj.insert(extra, value); }
        let bytes = serde_json::to_vec(&body).unwrap();
        decode_all(&bytes);
        // Truncated bodies: every prefix is malformed or valid, never a panic.
        let cut = bytes.len() * (field + 1) / 17;
        decode_all(&bytes[..cut]);
    }

    #[test]
    fn csv_rows_round_trip(rows in proptest::collection::vec(("[^\\s\"]\\PC{0,20}[^\\s]", "[a-z0-9_]{1,12}", any::<i64>(), proptest::option::of("[a-z0-9_]{1,12}")), 0..20), crlf in any::<bool>()) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("voucher_id,gpu_seconds,record_id,product_id,enterprise_id,started_at,ended_at{nl}");
        for (rid, pid, secs, vid) in &rows {
            text += &format!("{},{secs},{},{},e,2026-01-01T00:00:00Z,2026-01-01T01:00:00Z{nl}", vid.as_deref().unwrap_or(""), cell(rid), cell(pid));
        }
        let items: Vec<_> = quan_api::decode::usage_csv::csv_items(text.as_bytes()).unwrap().map(|(i, _)| i).collect();
        prop_assert_eq!(items.len(), rows.len());
        for (item, (rid, pid, secs, vid)) in items.iter().zip(&rows) {
            match item {
                quan_store::ops::usage::UsageItem::Record(r) => {
                    prop_assert_eq!(&r.record_id, rid);
                    prop_assert_eq!(&r.product_id, pid);
                    prop_assert_eq!(r.gpu_seconds, *secs);
                    prop_assert_eq!(r.voucher_id.as_ref(), vid.as_ref());
                }
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }

    #[test]
    fn deep_and_huge_values_never_panic(depth in 1usize..200, n in any::<i128>(), s in "\\PC{0,64}") {
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        decode_all(deep.as_bytes());
        decode_all(format!("{{\"amount_fen\": {n}, \"plan\": {s:?}}}").as_bytes());
        decode_all(format!("{{\"invoice_amount_fen\": {n}e{depth}}}").as_bytes());
    }
}
