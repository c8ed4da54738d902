//! Strict JSON: a body is exactly one JSON value (trailing data refused), no object repeats a
//! key, and every string in it passes the text policy (`quan_domain::check_text`) — refused with
//! the path of the string (`funding[1].source_id`) and the code point, or normalised to NFC.
//! Unknown fields at any depth are refused by the input types themselves
//! (`#[serde(deny_unknown_fields)]`).
use std::fmt;

use quan_domain::{check_text, TextKind, ValidationError};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Fields whose text may span lines; every other string is one line.
const MULTI_LINE_FIELDS: &[&str] = &["plan", "description", "reason", "note", "message"];

/// A JSON value whose objects have no repeated key.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate field `{key}`")));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Parses exactly one JSON value with no repeated keys. The error names where it broke.
pub fn parse_strict(bytes: &[u8]) -> Result<Value, (Option<String>, String)> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let v: Strict = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let msg = e.into_inner().to_string();
        let dup = msg
            .split_once("duplicate field `")
            .and_then(|(_, r)| r.split_once('`'))
            .map(|(k, _)| k.to_string());
        let field = match (dup, path.as_str()) {
            (Some(k), ".") => Some(k),
            (Some(k), p) => Some(format!("{p}.{k}")),
            (None, ".") => None,
            (None, p) => Some(p.to_string()),
        };
        (field, msg)
    })?;
    de.end().map_err(|e| {
        (
            None,
            format!("trailing data after the JSON value is not accepted: {e}"),
        )
    })?;
    Ok(v.0)
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Applies the text policy to every string in `v`, in place (NFC), naming the first bad one.
pub fn clean_strings(v: &mut Value, path: &str) -> Result<(), ValidationError> {
    match v {
        Value::String(s) => {
            let last = path.rsplit(['.', '[']).next().unwrap_or(path);
            let kind = if MULTI_LINE_FIELDS.contains(&last) {
                TextKind::MultiLine
            } else {
                TextKind::Line
            };
            let field = if path.is_empty() { "body" } else { path };
            *s = check_text(field, s, kind)?;
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                clean_strings(item, &format!("{path}[{i}]"))?;
            }
        }
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                check_text(&child(path, k), k, TextKind::Line)?;
                clean_strings(item, &child(path, k))?;
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_duplicates_and_trailing_data() {
        let (f, m) = parse_strict(br#"{"name":"a","name":"b"}"#).unwrap_err();
        assert_eq!(f.as_deref(), Some("name"), "{m}");
        let (f, _) =
            parse_strict(br#"{"funding":[{"source_id":"a","source_id":"b"}]}"#).unwrap_err();
        assert_eq!(f.as_deref(), Some("funding[0].source_id"));
        let (f, m) = parse_strict(br#"{"name":"a"} {"name":"second"}"#).unwrap_err();
        assert!(f.is_none() && m.contains("trailing"), "{m}");
        assert!(parse_strict(b"{\"name\":\"\xff\"}").is_err());
        assert!(parse_strict(br#" {"name":"a"} "#).is_ok());
    }

    #[test]
    fn names_the_string_that_breaks_the_policy() {
        let mut v: Value = serde_json::from_str(
            r#"{"name":"ok","funding":[{"source_id":"a"},{"source_id":"b\u202e"}]}"#,
        )
        .unwrap();
        let e = clean_strings(&mut v, "").unwrap_err();
        assert_eq!(e.field, "funding[1].source_id");
        assert!(e.message.contains("U+202E"));
        let mut v: Value = serde_json::from_str(r#"{"plan":"一\n二","name":"e\u0301"}"#).unwrap();
        clean_strings(&mut v, "").unwrap();
        assert_eq!(v["name"], "\u{e9}");
        let mut v: Value = serde_json::from_str(r#"{"name":"a\nb"}"#).unwrap();
        assert_eq!(clean_strings(&mut v, "").unwrap_err().field, "name");
    }
}
