//! Signed usage (issue 14 D): a compute supplier registers an Ed25519 public key, and from then on
//! every usage batch it sends carries a signature over [`usage_batch_message`] — the supplier, the
//! batch's Idempotency-Key and the SHA-256 of the body exactly as sent. Quan checks it before it
//! accepts anything and keeps the body and signature, so a hub's usage claims are non-repudiable
//! and `quan usage verify` can check the stored records against what was signed, offline.
//!
//! Why the body's digest and not a canonical re-serialisation of the records: the supplier signs
//! the bytes it sends (JSON, NDJSON or CSV alike, no canonicalisation code on its side to get
//! wrong), and Quan keeps those bytes; the offline check parses them again and compares every
//! stored record with the signed one. Binding the Idempotency-Key means a captured batch cannot
//! be replayed under a new key (the old key only replays the stored answer).
//!
//! Rotation: at most one live key per supplier. The supplier's first key is registered by the
//! supplier or an administrator; a new key while one is live is accepted from the supplier only
//! with a signature of [`key_rotation_message`] by the live key (a stolen session token alone
//! cannot swap the key), or from an administrator (out-of-band check). The old key is retired,
//! not deleted: batches it signed stay verifiable.
use ed25519_dalek::{Signature, VerifyingKey};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ValidationError;

/// The request header carrying a batch's signature (hex, 64 bytes).
pub const SIGNATURE_HEADER: &str = "Quan-Signature";
/// The optional request header naming the key that signed (its id).
pub const KEY_ID_HEADER: &str = "Quan-Key-Id";

/// SHA-256 of a batch's body as sent, hex.
pub fn body_sha256(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// The bytes a usage batch's signature covers (domain-separated, one field per line):
/// `quan-usage-batch/v1`, the supplier id, the Idempotency-Key and [`body_sha256`] of the body.
pub fn usage_batch_message(supplier_id: &str, idempotency_key: &str, body_sha256: &str) -> Vec<u8> {
    format!("quan-usage-batch/v1\n{supplier_id}\n{idempotency_key}\n{body_sha256}").into_bytes()
}

/// The bytes the live key signs to hand over to a new key.
pub fn key_rotation_message(supplier_id: &str, new_public_key_hex: &str) -> Vec<u8> {
    format!(
        "quan-usage-key-rotation/v1\n{supplier_id}\n{}",
        new_public_key_hex.to_ascii_lowercase()
    )
    .into_bytes()
}

/// A supplier's registered key, as the store loads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageKey {
    pub id: String,
    pub supplier_id: String,
    /// Ed25519 public key, hex (64 characters).
    pub public_key: String,
    /// SHA-256 of the key bytes, first 16 hex characters: what a person compares.
    pub fingerprint: String,
    pub registered_at: String,
    pub registered_by: String,
    /// Set when a newer key replaced it; batches it signed before stay verifiable.
    pub retired_at: Option<String>,
}

/// What a batch carries (from the headers).
#[derive(Clone, Debug, Default)]
pub struct BatchSignature<'a> {
    pub key_id: Option<&'a str>,
    pub signature: Option<&'a str>,
}

fn refuse(code: &'static str, message: String) -> ValidationError {
    ValidationError::new(SIGNATURE_HEADER, code, message)
}

/// Parses a hex public key, refusing anything that is not a valid Ed25519 point.
pub fn parse_public_key(field: &str, hex_key: &str) -> Result<VerifyingKey, ValidationError> {
    let bytes: [u8; 32] = hex::decode(hex_key.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| {
            ValidationError::new(
                field,
                "invalid_public_key",
                format!("{field}: an Ed25519 public key is 64 hexadecimal characters"),
            )
        })?;
    let key = VerifyingKey::from_bytes(&bytes).map_err(|_| {
        ValidationError::new(
            field,
            "invalid_public_key",
            format!("{field}: not a valid Ed25519 public key"),
        )
    })?;
    if key.is_weak() {
        return Err(ValidationError::new(
            field,
            "invalid_public_key",
            format!("{field}: a weak (small-order) key cannot sign"),
        ));
    }
    Ok(key)
}

/// The fingerprint shown for a key: SHA-256 of its bytes, 16 hex characters.
pub fn key_fingerprint(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

fn verify(key_hex: &str, message: &[u8], signature_hex: &str) -> Result<(), ValidationError> {
    let key = parse_public_key(SIGNATURE_HEADER, key_hex).map_err(|_| {
        refuse(
            "signature_invalid",
            "the registered key is unreadable".into(),
        )
    })?;
    let sig: [u8; 64] = hex::decode(signature_hex.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| {
            refuse(
                "signature_malformed",
                format!("{SIGNATURE_HEADER}: an Ed25519 signature is 128 hexadecimal characters"),
            )
        })?;
    key.verify_strict(message, &Signature::from_bytes(&sig))
        .map_err(|_| {
            refuse(
                "signature_invalid",
                format!(
                    "{SIGNATURE_HEADER}: the signature does not verify with key {}: the batch, its \
                     Idempotency-Key or the key differ from what was signed",
                    key_fingerprint(&key)
                ),
            )
        })
}

/// Decides whether a batch may be ingested: `Ok(None)` when the supplier has no live key (signing
/// is not required), `Ok(Some(key id))` when the signature verifies with the live key; otherwise
/// the whole batch is refused. `keys` are all the supplier's keys, live and retired.
pub fn check_batch_signature<'k>(
    keys: &'k [UsageKey],
    sent: &BatchSignature<'_>,
    message: &[u8],
) -> Result<Option<&'k UsageKey>, ValidationError> {
    let Some(live) = keys.iter().find(|k| k.retired_at.is_none()) else {
        return Ok(None);
    };
    if let Some(named) = sent.key_id.filter(|id| *id != live.id) {
        return Err(match keys.iter().find(|k| k.id == named) {
            Some(k) => refuse(
                "signature_key_retired",
                format!(
                    "{KEY_ID_HEADER}: key {named} was replaced on {}; sign with the live key {}",
                    k.retired_at.as_deref().unwrap_or("?"),
                    live.id
                ),
            ),
            None => refuse(
                "signature_key_unknown",
                format!("{KEY_ID_HEADER}: {named} is not a key of this supplier"),
            ),
        });
    }
    let Some(sig) = sent.signature.filter(|s| !s.trim().is_empty()) else {
        return Err(refuse(
            "signature_missing",
            format!(
                "{SIGNATURE_HEADER}: this supplier signs its usage (key {}); the batch carries no signature",
                live.fingerprint
            ),
        ));
    };
    verify(&live.public_key, message, sig)?;
    Ok(Some(live))
}

/// Who asks to register a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyRegistrant {
    /// The supplier's own user: needs the live key's rotation signature when one is live.
    Supplier,
    /// An administrator, who has checked the request out of band.
    Administrator,
}

/// The plan of a key registration: the new key (checked) and the key it retires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRegistrationPlan {
    pub public_key: String,
    pub fingerprint: String,
    pub retires: Option<String>,
}

/// Decides a key registration over the supplier's keys.
pub fn plan_key_registration(
    supplier_id: &str,
    keys: &[UsageKey],
    public_key_hex: &str,
    rotation_signature: Option<&str>,
    who: KeyRegistrant,
) -> Result<KeyRegistrationPlan, ValidationError> {
    let key = parse_public_key("public_key", public_key_hex)?;
    let public_key = hex::encode(key.as_bytes());
    if keys.iter().any(|k| k.public_key == public_key) {
        return Err(ValidationError::new(
            "public_key",
            "key_reused",
            "public_key: this key is (or was) registered already; a rotation needs a new key",
        ));
    }
    let live = keys.iter().find(|k| k.retired_at.is_none());
    if let (Some(live), KeyRegistrant::Supplier) = (live, who) {
        let sig = rotation_signature.filter(|s| !s.trim().is_empty()).ok_or_else(|| {
            ValidationError::new(
                "rotation_signature",
                "rotation_signature_required",
                format!(
                    "rotation_signature: key {} is live; sign the rotation with it (or ask an administrator)",
                    live.fingerprint
                ),
            )
        })?;
        verify(
            &live.public_key,
            &key_rotation_message(supplier_id, &public_key),
            sig,
        )
        .map_err(|e| ValidationError::new("rotation_signature", e.code, e.message))?;
    }
    Ok(KeyRegistrationPlan {
        fingerprint: key_fingerprint(&key),
        public_key,
        retires: live.map(|k| k.id.clone()),
    })
}

/// Signs a batch with a secret seed (what a supplier's sender does; tests, benchmarks and
/// `quan usage sign` use it): the hex signature of [`usage_batch_message`].
pub fn sign_usage_batch(
    seed: &[u8; 32],
    supplier_id: &str,
    idempotency_key: &str,
    body: &[u8],
) -> String {
    use ed25519_dalek::Signer;
    let key = ed25519_dalek::SigningKey::from_bytes(seed);
    hex::encode(
        key.sign(&usage_batch_message(
            supplier_id,
            idempotency_key,
            &body_sha256(body),
        ))
        .to_bytes(),
    )
}

/// Signs a hand-over to `new_public_key_hex` with the live key's seed.
pub fn sign_key_rotation(seed: &[u8; 32], supplier_id: &str, new_public_key_hex: &str) -> String {
    use ed25519_dalek::Signer;
    let key = ed25519_dalek::SigningKey::from_bytes(seed);
    hex::encode(
        key.sign(&key_rotation_message(supplier_id, new_public_key_hex))
            .to_bytes(),
    )
}

#[cfg(test)]
#[path = "usage_signature_tests.rs"]
mod tests;
