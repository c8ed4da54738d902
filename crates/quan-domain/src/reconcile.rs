//! Reconciliation: what the stored state must be, recomputed from the audit chain (every
//! money-moving record carries its amounts), against what the tables hold. A row edited
//! directly in the database — a redemption's subsidy raised with the ledger kept balanced, a
//! balance changed without a transfer — is named with the expected and the found value.
//!
//! Covered: redemptions (subsidy, clawback), their ledger transfers, issued vouchers (face
//! value), metered usage batches (records, subsidy, transfers), and every ledger account against
//! the sum of its transfers.

use std::collections::BTreeMap;

use crate::audit::AuditRecord;

/// What the tables hold, as reconciliation reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredState {
    /// Redemption id → (status, subsidy fen).
    pub redemptions: BTreeMap<String, (String, i64)>,
    /// Voucher id → face value fen.
    pub vouchers: BTreeMap<String, i64>,
    /// Usage batch id → (records stored, their subsidy fen).
    pub usage_batches: BTreeMap<String, (i64, i64)>,
    /// Transfer id → amount (posted amount for a post).
    pub transfers: BTreeMap<String, i64>,
    /// Account id → (balance, debits pending, credits pending) as stored.
    pub accounts: BTreeMap<String, (i64, i64, i64)>,
    /// Account id → the same three figures summed from the transfers.
    pub accounts_from_transfers: BTreeMap<String, (i64, i64, i64)>,
}

/// One disagreement between the chain and the tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The row, e.g. `redemption red_1`, `ledger account voucher:v1`.
    pub row: String,
    pub field: String,
    pub expected: String,
    pub found: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: the audit chain says {}, the database holds {}",
            self.row, self.field, self.expected, self.found
        )
    }
}

fn json(r: &AuditRecord) -> serde_json::Value {
    serde_json::from_str(&r.after).unwrap_or(serde_json::Value::Null)
}

fn int(v: &serde_json::Value, k: &str) -> Option<i64> {
    v.get(k).and_then(|x| x.as_i64())
}

/// What the chain says, per object: the last record of each kind wins.
#[derive(Default)]
struct Expected {
    redemptions: BTreeMap<String, (String, i64)>,
    vouchers: BTreeMap<String, i64>,
    usage: BTreeMap<String, (i64, i64)>,
}

fn expected(records: &[AuditRecord]) -> Expected {
    let mut e = Expected::default();
    for r in records {
        let after = json(r);
        match r.action.as_str() {
            "redemption.create" | "redemption.clawback" => {
                if let (Some(s), Some(sub)) = (after["status"].as_str(), int(&after, "subsidy_fen"))
                {
                    e.redemptions.insert(r.object.clone(), (s.to_string(), sub));
                }
            }
            // An acceptance check rated excellent raises the face value by the held milestone.
            "voucher.issue" | "voucher.acceptance" => {
                if let Some(face) = int(&after, "face_value_fen") {
                    e.vouchers.insert(r.object.clone(), face);
                }
            }
            "usage.ingest" => {
                if let (Some(n), Some(sub)) = (int(&after, "accepted"), int(&after, "subsidy_fen"))
                {
                    e.usage.insert(r.object.clone(), (n, sub));
                }
            }
            _ => {}
        }
    }
    e
}

fn push(out: &mut Vec<Mismatch>, row: String, field: &str, expected: String, found: String) {
    if expected != found {
        out.push(Mismatch {
            row,
            field: field.to_string(),
            expected,
            found,
        });
    }
}

fn show<T: std::fmt::Debug>(v: Option<T>) -> String {
    v.map_or("nothing".to_string(), |v| format!("{v:?}"))
}

/// Every disagreement, in a stable order.
pub fn reconcile(records: &[AuditRecord], s: &StoredState) -> Vec<Mismatch> {
    let e = expected(records);
    let mut out = Vec::new();
    redemptions(&e, s, &mut out);
    for id in e.vouchers.keys().chain(s.vouchers.keys()) {
        let (want, got) = (e.vouchers.get(id), s.vouchers.get(id));
        push(
            &mut out,
            format!("voucher {id}"),
            "face_value_fen",
            show(want),
            show(got),
        );
    }
    usage(&e, s, &mut out);
    for id in s.accounts.keys().chain(s.accounts_from_transfers.keys()) {
        let stored = s.accounts.get(id).copied().unwrap_or_default();
        let summed = s
            .accounts_from_transfers
            .get(id)
            .copied()
            .unwrap_or_default();
        let field = "balance, debits pending, credits pending";
        push(
            &mut out,
            format!("ledger account {id}"),
            field,
            format!("{summed:?}"),
            format!("{stored:?}"),
        );
    }
    out.sort_by(|a, b| (&a.row, &a.field).cmp(&(&b.row, &b.field)));
    out.dedup();
    out
}

/// Settlement moves redemptions to `settled` in bulk without a record each: payable and
/// settled count as one state here.
fn live_status(v: Option<&(String, i64)>) -> Option<String> {
    v.map(|(st, _)| {
        if st == "settled" {
            "payable".into()
        } else {
            st.clone()
        }
    })
}

fn redemptions(e: &Expected, s: &StoredState, out: &mut Vec<Mismatch>) {
    for id in e.redemptions.keys().chain(s.redemptions.keys()) {
        let (want, got) = (e.redemptions.get(id), s.redemptions.get(id));
        let row = format!("redemption {id}");
        push(
            out,
            row.clone(),
            "status",
            show(live_status(want)),
            show(live_status(got)),
        );
        push(
            out,
            row,
            "subsidy_fen",
            show(want.map(|w| w.1)),
            show(got.map(|g| g.1)),
        );
        let Some((status, subsidy)) = want else {
            continue;
        };
        let t = format!("redeem:{id}");
        let found = show(s.transfers.get(&t));
        push(
            out,
            format!("ledger transfer {t}"),
            "amount",
            subsidy.to_string(),
            found,
        );
        if status == "clawed_back" {
            // One `clawback:<id>:<source>` transfer per funding source; together the subsidy.
            let prefix = format!("clawback:{id}:");
            let parts: Vec<i64> = s
                .transfers
                .range(prefix.clone()..)
                .take_while(|(k, _)| k.starts_with(&prefix))
                .map(|(_, v)| *v)
                .collect();
            let found = if parts.is_empty() {
                show(None::<&i64>)
            } else {
                parts.iter().sum::<i64>().to_string()
            };
            push(
                out,
                format!("ledger transfers {prefix}*"),
                "amount",
                subsidy.to_string(),
                found,
            );
        }
    }
}

fn usage(e: &Expected, s: &StoredState, out: &mut Vec<Mismatch>) {
    for (batch, (n, sub)) in &e.usage {
        let (got_n, got_sub) = s.usage_batches.get(batch).copied().unwrap_or((0, 0));
        let row = format!("usage batch {batch}");
        push(
            out,
            row.clone(),
            "records",
            n.to_string(),
            got_n.to_string(),
        );
        push(
            out,
            row.clone(),
            "subsidy_fen",
            sub.to_string(),
            got_sub.to_string(),
        );
        let prefix = format!("usage:{batch}:");
        let posted: i64 = s
            .transfers
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(_, a)| a)
            .sum();
        push(
            out,
            row,
            "ledger transfers",
            sub.to_string(),
            posted.to_string(),
        );
    }
    for (batch, n) in &s.usage_batches {
        if !e.usage.contains_key(batch) && (n.0 > 0 || n.1 > 0) {
            let row = format!("usage batch {batch}");
            push(out, row, "audit record", "none".into(), format!("{n:?}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(seq: i64, action: &str, object: &str, after: &str) -> AuditRecord {
        AuditRecord::new("0", seq, "t", "admin:a", action, object, "null", after)
    }

    #[test]
    fn names_a_subsidy_raised_in_the_database() {
        let records = vec![
            rec(1, "voucher.issue", "v1", r#"{"face_value_fen": 1000000}"#),
            rec(
                2,
                "redemption.create",
                "r1",
                r#"{"status": "payable", "subsidy_fen": 30000}"#,
            ),
        ];
        let mut s = StoredState::default();
        s.vouchers.insert("v1".into(), 1_000_000);
        s.redemptions
            .insert("r1".into(), ("settled".into(), 30_000));
        s.transfers.insert("redeem:r1".into(), 30_000);
        assert_eq!(reconcile(&records, &s), vec![]);
        s.redemptions
            .insert("r1".into(), ("settled".into(), 130_000));
        s.transfers.insert("redeem:r1".into(), 130_000);
        let m = reconcile(&records, &s);
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(
            (m[0].row.as_str(), m[0].field.as_str()),
            ("ledger transfer redeem:r1", "amount")
        );
        assert_eq!(
            (
                m[1].row.as_str(),
                m[1].expected.as_str(),
                m[1].found.as_str()
            ),
            ("redemption r1", "30000", "130000")
        );
        // A row with no audit record at all.
        s.redemptions.insert("r2".into(), ("payable".into(), 5));
        assert!(reconcile(&records, &s)
            .iter()
            .any(|m| m.row == "redemption r2"));
    }

    #[test]
    fn names_a_balance_that_its_transfers_do_not_explain() {
        let mut s = StoredState::default();
        s.accounts.insert("voucher:v1".into(), (500, 0, 0));
        s.accounts_from_transfers
            .insert("voucher:v1".into(), (400, 0, 0));
        let m = reconcile(&[], &s);
        assert_eq!(m.len(), 1);
        assert!(m[0].to_string().contains("(400, 0, 0)"), "{}", m[0]);
    }
}
