//! The recorded history of a program as the replay takes it (`quan_domain::ReplayHistory`),
//! loaded from the reader pool: grants, credits to the vouchers, expiries, invoice redemptions,
//! clawbacks, metered usage and, under a cap per voucher type, what other programs paid.
use std::collections::HashMap;

use quan_domain::{
    EnterpriseFacts, Money, ReplayEnterprise, ReplayEvent, ReplayGrant, ReplayHistory, SizeClass,
    WhatIfStage,
};
use sqlx::Row;

use super::{corrupt, day, WhatIfProgress};
use crate::error::Result;
use crate::rows::Program;
use crate::Store;

/// An event and where it sorts: recorded time, then credits before draws before reversals.
type Timed = (String, u8, String, ReplayEvent);

struct Loader<'a> {
    store: &'a Store,
    progress: &'a WhatIfProgress,
    program: &'a Program,
    enterprise_index: HashMap<String, usize>,
    grant_index: HashMap<String, usize>,
    supplier_index: HashMap<String, usize>,
    h: ReplayHistory,
    events: Vec<Timed>,
    redemptions: i64,
    usage_records: i64,
}

impl<'a> Loader<'a> {
    fn supplier(&mut self, id: String) -> usize {
        let n = self.supplier_index.len();
        *self.supplier_index.entry(id).or_insert(n)
    }

    async fn grants(&mut self) -> Result<()> {
        let rows = sqlx::query(
            "SELECT v.id, v.enterprise_id, a.created_at, v.issued_at, a.amount_fen, v.face_value_fen, \
                    e.city_code, e.size_class, e.industry, e.pilot_zone, e.actual_controller, a.id \
             FROM vouchers v JOIN applications a ON a.id = v.application_id JOIN enterprises e ON e.id = v.enterprise_id \
             WHERE v.program_id = $1 ORDER BY a.reviewed_at, a.id",
        )
        .bind(&self.program.id)
        .fetch_all(self.store.reader())
        .await?;
        let sources: Vec<&str> = self
            .program
            .funding
            .iter()
            .map(|f| f.source_id.as_str())
            .collect();
        let parts = self.parts().await?;
        for r in &rows {
            let ent: String = r.try_get(1)?;
            let e = match self.enterprise_index.get(&ent) {
                Some(i) => *i,
                None => {
                    let industry: String = r.try_get(8)?;
                    let controller: String = r.try_get(10)?;
                    let size: String = r.try_get(7)?;
                    self.h.enterprises.push(ReplayEnterprise {
                        facts: EnterpriseFacts {
                            city_code: r.try_get(6)?,
                            size_class: SizeClass::parse("size_class", &size)
                                .map_err(|e| corrupt("enterprise", e))?,
                            industry: industry.chars().next().unwrap_or('A'),
                            pilot_zone: r.try_get::<i64, _>(9)? != 0,
                        },
                        group: Some(controller.trim().to_string()).filter(|c| !c.is_empty()),
                    });
                    self.enterprise_index
                        .insert(ent, self.h.enterprises.len() - 1);
                    self.h.enterprises.len() - 1
                }
            };
            let vid: String = r.try_get(0)?;
            let app: String = r.try_get(11)?;
            let mine = parts.get(&app);
            let parts: Vec<Money> = sources
                .iter()
                .map(|s| Money::from_fen(mine.and_then(|m| m.get(*s)).copied().unwrap_or(0)))
                .collect();
            // The grant as committed: what was issued and any milestone still held (a voided
            // milestone is not part of it); the voucher's face value shows only what was paid in.
            let committed: i64 = parts.iter().map(|p| p.fen()).sum();
            let face: i64 = r.try_get(5)?;
            self.h.grants.push(ReplayGrant {
                enterprise: e,
                applied_on: day(&r.try_get::<String, _>(2)?)?,
                issued_on: day(&r.try_get::<String, _>(3)?)?,
                requested: Money::from_fen(r.try_get(4)?),
                approved: Money::from_fen(if committed > 0 { committed } else { face }),
                parts,
            });
            self.grant_index.insert(vid, self.h.grants.len() - 1);
        }
        Ok(())
    }

    /// What each source reserved for each application (`reserve:`/`hold:<app>:<source>`).
    async fn parts(&self) -> Result<HashMap<String, HashMap<String, i64>>> {
        let prefix = format!("budget:{}:", self.program.id);
        let rows = sqlx::query(
            "SELECT id, debit, amount FROM ledger_transfers WHERE kind = 'pending' AND pending_state <> 'voided' AND debit LIKE $1 AND credit LIKE 'voucher:%'",
        )
        .bind(format!("{prefix}%"))
        .fetch_all(self.store.reader())
        .await?;
        let mut out: HashMap<String, HashMap<String, i64>> = HashMap::new();
        for r in &rows {
            let id: String = r.try_get(0)?;
            let debit: String = r.try_get(1)?;
            let mut it = id.splitn(3, ':');
            let (_, app) = (it.next(), it.next().unwrap_or_default().to_string());
            let source = debit.trim_start_matches(&prefix).to_string();
            *out.entry(app).or_default().entry(source).or_default() += r.try_get::<i64, _>(2)?;
        }
        Ok(out)
    }

    /// Posted credits to the vouchers and their expiries.
    async fn voucher_moves(&mut self) -> Result<()> {
        let rows = sqlx::query(
            "SELECT t.credit, t.debit, t.amount, t.created_at, t.kind, t.code, t.id FROM ledger_transfers t \
             WHERE t.debit LIKE $1 AND t.kind = 'post' AND t.credit LIKE 'voucher:%' \
             UNION ALL SELECT t.credit, t.debit, t.amount, t.created_at, t.kind, t.code, t.id FROM ledger_transfers t \
             WHERE t.code = 'expire' AND t.debit IN (SELECT 'voucher:' || v.id FROM vouchers v WHERE v.program_id = $2)",
        )
        .bind(format!("budget:{}:%", self.program.id))
        .bind(&self.program.id)
        .fetch_all(self.store.reader())
        .await?;
        for r in &rows {
            let (credit, debit): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            let code: String = r.try_get(5)?;
            let (ts, id): (String, String) = (r.try_get(3)?, r.try_get(6)?);
            if code == "expire" {
                if let Some(g) = self.grant_index.get(debit.trim_start_matches("voucher:")) {
                    self.events
                        .push((ts, 4, id, ReplayEvent::Expire { grant: *g }));
                }
            } else if let Some(g) = self.grant_index.get(credit.trim_start_matches("voucher:")) {
                let amount = Money::from_fen(r.try_get(2)?);
                self.events
                    .push((ts, 0, id, ReplayEvent::Credit { grant: *g, amount }));
            }
        }
        Ok(())
    }
}

impl<'a> Loader<'a> {
    async fn redemptions(&mut self) -> Result<()> {
        let rows = sqlx::query(
            "SELECT id, voucher_id, supplier_id, invoice_amount_fen, subsidy_fen, created_at FROM redemptions WHERE program_id = $1",
        )
        .bind(&self.program.id)
        .fetch_all(self.store.reader())
        .await?;
        for r in &rows {
            let vid: String = r.try_get(1)?;
            let Some(g) = self.grant_index.get(&vid).copied() else {
                continue;
            };
            let supplier = self.supplier(r.try_get(2)?);
            let ts: String = r.try_get(5)?;
            let ev = ReplayEvent::Redeem {
                grant: g,
                supplier,
                amount: Money::from_fen(r.try_get(3)?),
                day: day(&ts)?,
                recorded: Money::from_fen(r.try_get(4)?),
            };
            self.events.push((ts, 1, r.try_get(0)?, ev));
            self.redemptions += 1;
        }
        self.progress.add_loaded(rows.len() as i64);
        // A clawback's time is its first posting's; its key names the redemption.
        let rows = sqlx::query(
            "SELECT id, created_at FROM ledger_transfers WHERE id LIKE 'clawback:%' AND code <> 'usage'",
        )
        .fetch_all(self.store.reader())
        .await?;
        let mut seen = std::collections::HashSet::new();
        for r in &rows {
            let id: String = r.try_get(0)?;
            let red = id.split(':').nth(1).unwrap_or_default().to_string();
            if seen.insert(red.clone()) {
                let ev = ReplayEvent::Clawback {
                    redemption: usize::MAX,
                };
                self.events.push((r.try_get(1)?, 3, red, ev));
            }
        }
        Ok(())
    }

    /// Metered records, one event per batch, batches in the order they were committed and the
    /// records of a batch by their id. Streamed in the table's key order (supplier, record id:
    /// no sort on either backend), keeping 24 bytes a record and each batch's strings once.
    async fn usage(&mut self) -> Result<()> {
        use futures::TryStreamExt;
        let mut rows = sqlx::query(
            "SELECT batch_id, voucher_id, amount_fen, subsidy_fen, created_at, supplier_id FROM usage_records \
             WHERE program_id = $1 ORDER BY supplier_id, record_id",
        )
        .bind(&self.program.id)
        .fetch(self.store.reader());
        // (created_at, batch id, supplier) per batch; (batch, grant, price, subsidy) per record.
        let mut batches: Vec<(String, String, usize)> = Vec::new();
        let mut batch_index: HashMap<String, u32> = HashMap::new();
        let mut recs: Vec<(u32, u32, i64, i64)> = Vec::new();
        let mut counted = 0i64;
        while let Some(r) = rows.try_next().await? {
            counted += 1;
            if counted % 4096 == 0 {
                self.progress.add_loaded(4096);
            }
            let vid: Option<String> = r.try_get(1)?;
            let Some(g) = vid.and_then(|v| self.grant_index.get(&v).copied()) else {
                continue;
            };
            let batch: String = r.try_get(0)?;
            let b = match batch_index.get(&batch) {
                Some(b) => *b,
                None => {
                    let supplier = self.supplier(r.try_get(5)?);
                    batches.push((r.try_get(4)?, batch.clone(), supplier));
                    batch_index.insert(batch, batches.len() as u32 - 1);
                    batches.len() as u32 - 1
                }
            };
            recs.push((b, g as u32, r.try_get(2)?, r.try_get(3)?));
        }
        drop(rows);
        self.progress.add_loaded(counted % 4096);
        self.usage_records = recs.len() as i64;
        // Stable: the records of a batch keep their id order.
        recs.sort_by_key(|r| r.0);
        let mut i = 0;
        while i < recs.len() {
            let b = recs[i].0;
            let j = i + recs[i..].iter().take_while(|r| r.0 == b).count();
            let (ts, batch, supplier) = batches[b as usize].clone();
            let lines = recs[i..j]
                .iter()
                .map(|r| (r.1 as usize, Money::from_fen(r.2), Money::from_fen(r.3)))
                .collect();
            let ev = ReplayEvent::Usage {
                supplier,
                day: day(&ts)?,
                lines,
            };
            self.events.push((ts, 2, batch, ev));
            i = j;
        }
        Ok(())
    }

    /// Under a cap per voucher type: what this program's enterprises were paid by the other
    /// programs of its type and year (clawbacks negative), when it was paid.
    async fn other_type_use(&mut self) -> Result<()> {
        let rows = sqlx::query(
            "SELECT r.enterprise_id, r.subsidy_fen, r.created_at, r.id, r.status FROM redemptions r JOIN programs p ON p.id = r.program_id \
             WHERE p.voucher_type = $1 AND p.year = $2 AND p.id <> $3 \
             UNION ALL SELECT u.enterprise_id, CAST(SUM(u.subsidy_fen) AS BIGINT), MIN(u.created_at), u.batch_id, 'usage' FROM usage_records u \
             JOIN programs p ON p.id = u.program_id WHERE p.voucher_type = $1 AND p.year = $2 AND p.id <> $3 GROUP BY u.enterprise_id, u.batch_id",
        )
        .bind(&self.program.voucher_type)
        .bind(self.program.year)
        .bind(&self.program.id)
        .fetch_all(self.store.reader())
        .await?;
        let claws: HashMap<String, String> =
            sqlx::query("SELECT id, created_at FROM ledger_transfers WHERE id LIKE 'clawback:%'")
                .fetch_all(self.store.reader())
                .await?
                .iter()
                .map(|r| {
                    let id: String = r.try_get(0)?;
                    let red = id.split(':').nth(1).unwrap_or_default().to_string();
                    Ok((red, r.try_get(1)?))
                })
                .collect::<Result<_>>()?;
        for r in &rows {
            let ent: String = r.try_get(0)?;
            let Some(e) = self.enterprise_index.get(&ent).copied() else {
                continue;
            };
            let amount = Money::from_fen(r.try_get(1)?);
            let (ts, id, status): (String, String, String) =
                (r.try_get(2)?, r.try_get(3)?, r.try_get(4)?);
            if status == "clawed_back" {
                if let Some(at) = claws.get(&id) {
                    let back = Money::from_fen(-amount.fen());
                    let ev = ReplayEvent::OtherTypeUse {
                        enterprise: e,
                        amount: back,
                    };
                    self.events.push((at.clone(), 3, id.clone(), ev));
                }
            }
            let ev = ReplayEvent::OtherTypeUse {
                enterprise: e,
                amount,
            };
            self.events.push((ts, 1, id, ev));
        }
        Ok(())
    }

    /// Sorts the events into recorded order and points each clawback at its redemption.
    fn finish(mut self) -> (ReplayHistory, i64, i64) {
        self.events
            .sort_by(|a, b| (&a.0, a.1, &a.2).cmp(&(&b.0, b.1, &b.2)));
        let mut ordinal: HashMap<String, usize> = HashMap::new();
        for (_, kind, key, ev) in self.events {
            match ev {
                ReplayEvent::Redeem { .. } => {
                    ordinal.insert(key, ordinal.len());
                    self.h.events.push(ev);
                }
                ReplayEvent::Clawback { .. } if kind == 3 => {
                    if let Some(n) = ordinal.get(&key) {
                        self.h.events.push(ReplayEvent::Clawback { redemption: *n });
                    }
                }
                ev => self.h.events.push(ev),
            }
        }
        self.h.suppliers = self.supplier_index.len();
        (self.h, self.redemptions, self.usage_records)
    }
}

/// Loads the history of `program` (the type-cap use of other programs only when a cap per
/// voucher type is in force in either set of rules).
pub async fn history(
    store: &Store,
    program: &Program,
    with_type_use: bool,
    progress: &WhatIfProgress,
) -> Result<(ReplayHistory, i64, i64)> {
    let mut l = Loader {
        store,
        progress,
        program,
        enterprise_index: HashMap::new(),
        grant_index: HashMap::new(),
        supplier_index: HashMap::new(),
        h: ReplayHistory {
            enterprises: Vec::new(),
            grants: Vec::new(),
            suppliers: 0,
            events: Vec::new(),
        },
        events: Vec::new(),
        redemptions: 0,
        usage_records: 0,
    };
    progress.set_stage(WhatIfStage::Grants);
    l.grants().await?;
    l.voucher_moves().await?;
    progress.set_stage(WhatIfStage::Redemptions);
    l.redemptions().await?;
    progress.set_stage(WhatIfStage::Usage);
    l.usage().await?;
    if with_type_use {
        l.other_type_use().await?;
    }
    Ok(l.finish())
}
