//! Signed checkpoints of the audit chain: at a moment, the deployment's Ed25519 key signs
//! `(seq, head hash, time)`. Published (`GET /api/v1/public/audit/checkpoint`) and carried in
//! exports, a checkpoint makes truncation and rewriting detectable: an export that stops short of
//! a checkpoint, or whose record at the checkpoint's seq has another hash, fails verification.
//!
//! Why a hash chain and not a Merkle tree: every record's hash already commits to all before it,
//! so a checkpoint at seq N commits to the whole prefix, and consistency between two checkpoints
//! is checked by walking the records between them — which an auditor holding an export has.
//! A Merkle tree (Certificate Transparency) would add compact proofs for clients that hold no
//! records; Quan's verifiers always hold the export, so the chain is the simpler sufficient form.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::audit::AuditRecord;

/// A signed statement: "the audit chain had `seq` records and head `head_hash` at `at`".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checkpoint {
    pub seq: i64,
    pub head_hash: String,
    /// RFC 3339 UTC.
    pub at: String,
    /// The signer's Ed25519 public key, hex.
    pub public_key: String,
    /// Ed25519 signature of [`checkpoint_message`], hex.
    pub signature: String,
}

/// The bytes a checkpoint signs (domain-separated, one field per line).
pub fn checkpoint_message(seq: i64, head_hash: &str, at: &str) -> Vec<u8> {
    format!("quan-audit-checkpoint/v1\n{seq}\n{head_hash}\n{at}").into_bytes()
}

/// The public key (hex) of a 32-byte secret seed.
pub fn public_key_hex(seed: &[u8; 32]) -> String {
    hex::encode(SigningKey::from_bytes(seed).verifying_key().to_bytes())
}

/// Signs a checkpoint with the deployment's secret seed.
pub fn sign_checkpoint(seed: &[u8; 32], seq: i64, head_hash: &str, at: &str) -> Checkpoint {
    let key = SigningKey::from_bytes(seed);
    let sig = key.sign(&checkpoint_message(seq, head_hash, at));
    Checkpoint {
        seq,
        head_hash: head_hash.to_string(),
        at: at.to_string(),
        public_key: hex::encode(key.verifying_key().to_bytes()),
        signature: hex::encode(sig.to_bytes()),
    }
}

/// Why a checkpoint or an export against it does not verify.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("the checkpoint is signed by {found}, not the expected key {expected}")]
    WrongKey { expected: String, found: String },
    #[error("the checkpoint's signature does not verify")]
    BadSignature,
    #[error("the export stops at seq {last}, short of the checkpoint at seq {seq}: records were cut off")]
    Truncated { last: i64, seq: i64 },
    #[error("the export diverges from the checkpoint at seq {seq}: hash {found}, signed {signed}")]
    Diverges {
        seq: i64,
        found: String,
        signed: String,
    },
}

/// Checks the signature (and, when given, that the signer is `expected_key`, hex).
pub fn verify_signature(
    cp: &Checkpoint,
    expected_key: Option<&str>,
) -> Result<(), CheckpointError> {
    if let Some(k) = expected_key.filter(|k| !k.eq_ignore_ascii_case(&cp.public_key)) {
        return Err(CheckpointError::WrongKey {
            expected: k.to_string(),
            found: cp.public_key.clone(),
        });
    }
    let key: [u8; 32] = hex::decode(&cp.public_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(CheckpointError::BadSignature)?;
    let sig: [u8; 64] = hex::decode(&cp.signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(CheckpointError::BadSignature)?;
    let key = VerifyingKey::from_bytes(&key).map_err(|_| CheckpointError::BadSignature)?;
    key.verify(
        &checkpoint_message(cp.seq, &cp.head_hash, &cp.at),
        &Signature::from_bytes(&sig),
    )
    .map_err(|_| CheckpointError::BadSignature)
}

/// Checks that `records` (an export, oldest first, whose chain verifies) reaches the checkpoint
/// and agrees with it: the record at the checkpoint's seq carries the signed head hash.
pub fn verify_against(records: &[AuditRecord], cp: &Checkpoint) -> Result<(), CheckpointError> {
    let last = records.last().map_or(0, |r| r.seq);
    if cp.seq == 0 {
        return Ok(());
    }
    let Some(r) = records.iter().find(|r| r.seq == cp.seq) else {
        return Err(CheckpointError::Truncated { last, seq: cp.seq });
    };
    if r.hash != cp.head_hash {
        return Err(CheckpointError::Diverges {
            seq: cp.seq,
            found: r.hash.clone(),
            signed: cp.head_hash.clone(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut out: Vec<AuditRecord> = Vec::new();
        for seq in 1..=n {
            let prev = out
                .last()
                .map_or(crate::audit::GENESIS_HASH.to_string(), |r| r.hash.clone());
            out.push(AuditRecord::new(
                &prev,
                seq,
                "2026-06-01T00:00:00Z",
                "admin:a",
                "x.y",
                "o",
                "null",
                "{}",
            ));
        }
        out
    }

    #[test]
    fn catches_truncation_divergence_and_forgery() {
        let seed = [7u8; 32];
        let records = chain(10);
        let cp = sign_checkpoint(&seed, 8, &records[7].hash, "2026-06-01T00:00:00Z");
        let key = public_key_hex(&seed);
        verify_signature(&cp, Some(&key)).unwrap();
        verify_against(&records, &cp).unwrap();
        // Cut off after record 7.
        assert_eq!(
            verify_against(&records[..7], &cp),
            Err(CheckpointError::Truncated { last: 7, seq: 8 })
        );
        // Another history with the same length.
        let mut other = chain(10);
        other[7].after = "{\"forged\":true}".into();
        other[7].hash = other[7].expected_hash();
        assert!(matches!(
            verify_against(&other, &cp),
            Err(CheckpointError::Diverges { seq: 8, .. })
        ));
        // A checkpoint whose head was edited, or signed by another key.
        let edited = Checkpoint {
            head_hash: other[7].hash.clone(),
            ..cp.clone()
        };
        assert_eq!(
            verify_signature(&edited, Some(&key)),
            Err(CheckpointError::BadSignature)
        );
        let foreign = sign_checkpoint(&[9u8; 32], 8, &records[7].hash, &cp.at);
        assert!(matches!(
            verify_signature(&foreign, Some(&key)),
            Err(CheckpointError::WrongKey { .. })
        ));
        verify_signature(&foreign, None).unwrap();
    }
}
