use super::*;
use crate::checkpoint::public_key_hex;

const SUP: &str = "sup_1";

fn key(id: &str, seed: u8, retired: Option<&str>) -> UsageKey {
    let public_key = public_key_hex(&[seed; 32]);
    let vk = parse_public_key("k", &public_key).unwrap();
    UsageKey {
        id: id.into(),
        supplier_id: SUP.into(),
        public_key,
        fingerprint: key_fingerprint(&vk),
        registered_at: "2026-11-01T00:00:00Z".into(),
        registered_by: "admin:a".into(),
        retired_at: retired.map(String::from),
    }
}

fn check(
    keys: &[UsageKey],
    key_id: Option<&str>,
    sig: Option<&str>,
    idem: &str,
    body: &[u8],
) -> Result<Option<String>, &'static str> {
    check_batch_signature(
        keys,
        &BatchSignature {
            key_id,
            signature: sig,
        },
        &usage_batch_message(SUP, idem, &body_sha256(body)),
    )
    .map(|k| k.map(|k| k.id.clone()))
    .map_err(|e| e.code)
}

#[test]
fn a_valid_signature_is_accepted_with_its_key() {
    let keys = [key("uk_1", 7, None)];
    let body = br#"[{"record_id":"r1"}]"#;
    let sig = sign_usage_batch(&[7; 32], SUP, "idem-1", body);
    assert_eq!(
        check(&keys, None, Some(&sig), "idem-1", body),
        Ok(Some("uk_1".into()))
    );
    assert_eq!(
        check(&keys, Some("uk_1"), Some(&sig), "idem-1", body),
        Ok(Some("uk_1".into()))
    );
}

#[test]
fn no_live_key_means_no_signature_is_needed() {
    assert_eq!(check(&[], None, None, "i", b"[]"), Ok(None));
    let retired = [key("uk_1", 7, Some("2026-11-02T00:00:00Z"))];
    assert_eq!(check(&retired, None, None, "i", b"[]"), Ok(None));
}

#[test]
fn tampered_body_wrong_key_and_replay_under_a_new_key_are_refused() {
    let keys = [key("uk_1", 7, None)];
    let body = br#"[{"record_id":"r1","gpu_seconds":3600}]"#;
    let sig = sign_usage_batch(&[7; 32], SUP, "idem-1", body);
    let tampered = br#"[{"record_id":"r1","gpu_seconds":36000}]"#;
    assert_eq!(
        check(&keys, None, Some(&sig), "idem-1", tampered),
        Err("signature_invalid")
    );
    let other = sign_usage_batch(&[8; 32], SUP, "idem-1", body);
    assert_eq!(
        check(&keys, None, Some(&other), "idem-1", body),
        Err("signature_invalid")
    );
    assert_eq!(
        check(&keys, None, Some(&sig), "idem-2", body),
        Err("signature_invalid")
    );
    // Another supplier's signature over the same bytes does not carry over.
    let msg = usage_batch_message("sup_2", "idem-1", &body_sha256(body));
    assert_ne!(msg, usage_batch_message(SUP, "idem-1", &body_sha256(body)));
}

#[test]
fn missing_and_malformed_signatures_are_refused() {
    let keys = [key("uk_1", 7, None)];
    assert_eq!(
        check(&keys, None, None, "i", b"[]"),
        Err("signature_missing")
    );
    assert_eq!(
        check(&keys, None, Some("  "), "i", b"[]"),
        Err("signature_missing")
    );
    assert_eq!(
        check(&keys, None, Some("zz"), "i", b"[]"),
        Err("signature_malformed")
    );
    assert_eq!(
        check(&keys, None, Some(&"ab".repeat(63)), "i", b"[]"),
        Err("signature_malformed")
    );
}

#[test]
fn a_retired_key_no_longer_signs() {
    let keys = [
        key("uk_1", 7, Some("2026-11-05T00:00:00Z")),
        key("uk_2", 9, None),
    ];
    let body = b"[]";
    let old = sign_usage_batch(&[7; 32], SUP, "i", body);
    assert_eq!(
        check(&keys, Some("uk_1"), Some(&old), "i", body),
        Err("signature_key_retired")
    );
    assert_eq!(
        check(&keys, None, Some(&old), "i", body),
        Err("signature_invalid")
    );
    assert_eq!(
        check(&keys, Some("uk_9"), Some(&old), "i", body),
        Err("signature_key_unknown")
    );
    let new = sign_usage_batch(&[9; 32], SUP, "i", body);
    assert_eq!(
        check(&keys, None, Some(&new), "i", body),
        Ok(Some("uk_2".into()))
    );
}

#[test]
fn rotation_needs_the_live_keys_signature_from_a_supplier() {
    let keys = [key("uk_1", 7, None)];
    let new_pk = public_key_hex(&[9; 32]);
    let e = plan_key_registration(SUP, &keys, &new_pk, None, KeyRegistrant::Supplier).unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.code),
        ("rotation_signature", "rotation_signature_required")
    );
    let forged = sign_key_rotation(&[8; 32], SUP, &new_pk);
    let e = plan_key_registration(SUP, &keys, &new_pk, Some(&forged), KeyRegistrant::Supplier)
        .unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.code),
        ("rotation_signature", "signature_invalid")
    );
    let good = sign_key_rotation(&[7; 32], SUP, &new_pk.to_ascii_uppercase());
    let plan = plan_key_registration(
        SUP,
        &keys,
        &new_pk.to_ascii_uppercase(),
        Some(&good),
        KeyRegistrant::Supplier,
    )
    .unwrap();
    assert_eq!(plan.retires.as_deref(), Some("uk_1"));
    assert_eq!(plan.public_key, new_pk);
    // An administrator rotates without it; a first key needs none.
    assert!(plan_key_registration(SUP, &keys, &new_pk, None, KeyRegistrant::Administrator).is_ok());
    let first = plan_key_registration(SUP, &[], &new_pk, None, KeyRegistrant::Supplier).unwrap();
    assert_eq!(first.retires, None);
}

#[test]
fn bad_and_reused_keys_are_refused() {
    let keys = [key("uk_1", 7, Some("2026-11-05T00:00:00Z"))];
    for bad in ["", "xyz", &"00".repeat(31), &"00".repeat(32)] {
        let e =
            plan_key_registration(SUP, &[], bad, None, KeyRegistrant::Administrator).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code),
            ("public_key", "invalid_public_key"),
            "{bad}"
        );
    }
    let old = public_key_hex(&[7; 32]);
    let e =
        plan_key_registration(SUP, &keys, &old, None, KeyRegistrant::Administrator).unwrap_err();
    assert_eq!(e.code, "key_reused");
}
