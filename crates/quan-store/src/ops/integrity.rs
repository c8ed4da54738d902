//! The dishonesty list: entries an administrator adds and lifts, and the one way every money
//! path asks whether a party is listed on a day (`listing_on`, or `listings_on` for a batch).
//! The `dishonest` columns of enterprises and suppliers are only a display cache of "listed
//! today" (`refresh_flags`); no decision reads them.
use std::collections::HashMap;

use chrono::NaiveDate;
use quan_domain::{listing_in_force, DishonestyRequest, Listing, PartyKind, ValidationError};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{fetch_one_opt, fetch_page, new_id, not_found, to_json, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::rows::{date, parsed, parsed_opt, DishonestyEntry, HeldPayment, Page};
use crate::{Actor, Role, Store};

const COLUMNS: &str = "d.id, d.party_kind, d.party_id, COALESCE(e.name, s.name) AS party_name, d.reason, d.source, \
     d.listed_from, d.listed_until, d.listed_by, d.created_at, d.lifted_at, d.lifted_by, d.lift_reason";
const FROM: &str = "dishonesty_entries d LEFT JOIN enterprises e ON d.party_kind = 'enterprise' AND e.id = d.party_id \
     LEFT JOIN suppliers s ON d.party_kind = 'supplier' AND s.id = d.party_id";

fn listing(r: &AnyRow) -> Result<Listing> {
    Ok(Listing {
        entry_id: r.try_get("id")?,
        reason: r.try_get("reason")?,
        source: r.try_get("source")?,
        listed_from: parsed(r, "listed_from", date)?,
        listed_until: parsed_opt(r, "listed_until", date)?,
        lifted: r.try_get::<Option<String>, _>("lifted_at")?.is_some(),
    })
}

fn entry_row(r: &AnyRow, today: NaiveDate) -> Result<DishonestyEntry> {
    let l = listing(r)?;
    Ok(DishonestyEntry {
        id: l.entry_id.clone(),
        party_kind: r.try_get("party_kind")?,
        party_id: r.try_get("party_id")?,
        party_name: r.try_get("party_name")?,
        reason: l.reason.clone(),
        source: l.source.clone(),
        listed_from: l.listed_from,
        listed_until: l.listed_until,
        listed_by: r.try_get("listed_by")?,
        created_at: r.try_get("created_at")?,
        lifted_at: r.try_get("lifted_at")?,
        lifted_by: r.try_get("lifted_by")?,
        lift_reason: r.try_get("lift_reason")?,
        in_force: l.in_force_on(today),
    })
}

/// The entry in force for `party_id` on `day`, if any.
pub async fn listing_on(tx: &mut Tx, party_id: &str, day: NaiveDate) -> Result<Option<Listing>> {
    let rows = sqlx::query(
        "SELECT id, reason, source, listed_from, listed_until, lifted_at FROM dishonesty_entries \
         WHERE party_id = $1 AND lifted_at IS NULL ORDER BY listed_from, id",
    )
    .bind(party_id)
    .fetch_all(&mut **tx)
    .await?;
    let all = rows.iter().map(listing).collect::<Result<Vec<_>>>()?;
    Ok(listing_in_force(&all, day).cloned())
}

/// Every party listed on `day` with its entry: the list is short (tens of parties), so a batch
/// path loads it whole instead of asking per record.
pub async fn listings_on(tx: &mut Tx, day: NaiveDate) -> Result<HashMap<String, Listing>> {
    let rows = sqlx::query(
        "SELECT id, party_id, reason, source, listed_from, listed_until, lifted_at FROM dishonesty_entries \
         WHERE lifted_at IS NULL AND listed_from <= $1 ORDER BY listed_from, id",
    )
    .bind(day.to_string())
    .fetch_all(&mut **tx)
    .await?;
    let mut out = HashMap::new();
    for r in &rows {
        let l = listing(r)?;
        if l.in_force_on(day) {
            out.entry(r.try_get("party_id")?).or_insert(l);
        }
    }
    Ok(out)
}

/// Brings the `dishonest` display flags in line with the entries in force on `day`. It runs on
/// every scheduler tick, so it looks only at parties that have an entry or a set flag (a few
/// dozen), never at the whole registry, and writes only rows whose flag changes.
pub async fn refresh_flags(tx: &mut Tx, day: NaiveDate) -> Result<u64> {
    let mut changed = 0;
    for table in ["enterprises", "suppliers"] {
        let sql = format!(
            "UPDATE {table} SET dishonest = 1 - dishonest \
             WHERE (dishonest = 1 OR id IN (SELECT party_id FROM dishonesty_entries)) AND dishonest <> CASE WHEN EXISTS (\
             SELECT 1 FROM dishonesty_entries d WHERE d.party_id = {table}.id AND d.lifted_at IS NULL \
             AND d.listed_from <= $1 AND (d.listed_until IS NULL OR d.listed_until >= $1)) THEN 1 ELSE 0 END"
        );
        changed += sqlx::query(&sql)
            .bind(day.to_string())
            .execute(&mut **tx)
            .await?
            .rows_affected();
    }
    Ok(changed)
}

async fn load(tx: &mut Tx, id: &str, today: NaiveDate) -> Result<DishonestyEntry> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE d.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut **tx).await?;
    row.map(|r| entry_row(&r, today))
        .transpose()?
        .ok_or_else(|| not_found("dishonesty entry"))
}

/// Adds an entry (administrator only); the party must exist.
pub async fn add(
    tx: &mut Tx,
    actor: &Actor,
    req: &DishonestyRequest,
    now: &Now,
) -> Result<DishonestyEntry> {
    if !actor.is(Role::Admin) {
        return Err(StoreError::forbidden(
            "only an administrator may manage the dishonesty list",
        ));
    }
    let table = match req.party_kind {
        PartyKind::Enterprise => "enterprises",
        PartyKind::Supplier => "suppliers",
    };
    let exists = fetch_one_opt(
        tx,
        &format!("SELECT id FROM {table} WHERE id = $1"),
        &req.party_id,
        |r| Ok(r.try_get::<String, _>(0)?),
    )
    .await?;
    if exists.is_none() {
        return Err(ValidationError::new(
            "party_id",
            "not_found",
            format!("party_id: no {} {}", req.party_kind.as_str(), req.party_id),
        )
        .into());
    }
    let id = new_id("dis");
    sqlx::query(
        "INSERT INTO dishonesty_entries (id, party_kind, party_id, reason, source, listed_from, listed_until, listed_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(req.party_kind.as_str())
    .bind(&req.party_id)
    .bind(&req.reason)
    .bind(&req.source)
    .bind(req.listed_from.to_string())
    .bind(req.listed_until.map(|d| d.to_string()))
    .bind(&actor.user_id)
    .bind(&now.ts)
    .execute(&mut **tx)
    .await?;
    refresh_flags(tx, now.today).await?;
    let e = load(tx, &id, now.today).await?;
    audit::append(
        tx,
        actor,
        "dishonesty.add",
        &id,
        "null",
        &to_json(&e),
        &now.ts,
    )
    .await?;
    Ok(e)
}

/// Lifts an entry (administrator only); lifting twice is a conflict.
pub async fn lift(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    reason: &str,
    now: &Now,
) -> Result<DishonestyEntry> {
    if !actor.is(Role::Admin) {
        return Err(StoreError::forbidden(
            "only an administrator may manage the dishonesty list",
        ));
    }
    let reason = quan_domain::validate_text("reason", reason, 2000)?;
    let before = load(tx, id, now.today).await?;
    let n = sqlx::query(
        "UPDATE dishonesty_entries SET lifted_at = $1, lifted_by = $2, lift_reason = $3 WHERE id = $4 AND lifted_at IS NULL",
    )
    .bind(&now.ts)
    .bind(&actor.user_id)
    .bind(&reason)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::conflict(
            "already_lifted",
            format!("entry {id} was already lifted"),
        ));
    }
    refresh_flags(tx, now.today).await?;
    let after = load(tx, id, now.today).await?;
    audit::append(
        tx,
        actor,
        "dishonesty.lift",
        id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}

/// Filters of the list.
#[derive(Debug, Clone, Default)]
pub struct DishonestyQuery {
    pub party_id: Option<String>,
    pub party_kind: Option<String>,
    /// Only entries in force today (true) or only those not in force (false).
    pub in_force: Option<bool>,
}

/// Sort keys of the list.
pub const SORTS: &[super::SortKey] = &[
    ("listed_from", "d.listed_from"),
    ("created_at", "d.created_at"),
    ("party_id", "d.party_id"),
];

pub async fn list(
    store: &Store,
    q: &DishonestyQuery,
    page: PageReq,
    today: NaiveDate,
) -> Result<Page<DishonestyEntry>> {
    let mut f = Filter::new();
    f.eq_opt("d.party_id", q.party_id.as_deref());
    f.eq_opt("d.party_kind", q.party_kind.as_deref());
    let in_force = "(d.lifted_at IS NULL AND d.listed_from <= ? AND (d.listed_until IS NULL OR d.listed_until >= ?))";
    let t = super::Arg::S(today.to_string());
    match q.in_force {
        Some(true) => f.add_many(in_force, vec![t.clone(), t]),
        Some(false) => f.add_many(&format!("NOT {in_force}"), vec![t.clone(), t]),
        None => &mut f,
    };
    let mut out = fetch_page(
        store,
        COLUMNS,
        FROM,
        &f,
        "d.listed_from DESC, d.id",
        page,
        |r| entry_row(r, NaiveDate::MIN),
    )
    .await?;
    for e in &mut out.items {
        let l = Listing {
            entry_id: String::new(),
            reason: String::new(),
            source: String::new(),
            listed_from: e.listed_from,
            listed_until: e.listed_until,
            lifted: e.lifted_at.is_some(),
        };
        e.in_force = l.in_force_on(today);
    }
    Ok(out)
}

/// The held-payments queue: redemptions held as suspected split purchases, and the payables
/// of suppliers listed today, per supplier.
pub async fn held_payments(store: &Store, today: NaiveDate) -> Result<Vec<HeldPayment>> {
    let mut out = Vec::new();
    let rows = sqlx::query(
        "SELECT r.supplier_id, s.name, CAST(COUNT(*) AS BIGINT), CAST(SUM(r.subsidy_fen) AS BIGINT) FROM redemptions r \
         JOIN suppliers s ON s.id = r.supplier_id WHERE r.status = 'held' GROUP BY r.supplier_id, s.name ORDER BY s.name",
    )
    .fetch_all(store.reader())
    .await?;
    for r in &rows {
        out.push(HeldPayment {
            supplier_id: r.try_get(0)?,
            supplier_name: r.try_get(1)?,
            reason: "split_purchase".into(),
            entry_id: None,
            items: r.try_get(2)?,
            amount_fen: r.try_get(3)?,
        });
    }
    let mut conn = store.reader().begin().await?;
    let listed = listings_on(&mut conn, today).await?;
    for (party, l) in listed {
        let row = sqlx::query(
            "SELECT s.name, CAST((SELECT COUNT(*) FROM redemptions WHERE supplier_id = s.id AND status = 'payable') + \
             (SELECT COUNT(*) FROM usage_records WHERE supplier_id = s.id AND settlement_id IS NULL AND subsidy_fen > 0) AS BIGINT), \
             CAST((SELECT COALESCE(SUM(subsidy_fen), 0) FROM redemptions WHERE supplier_id = s.id AND status = 'payable') + \
             (SELECT COALESCE(SUM(subsidy_fen), 0) FROM usage_records WHERE supplier_id = s.id AND settlement_id IS NULL) AS BIGINT) \
             FROM suppliers s WHERE s.id = $1",
        )
        .bind(&party)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else { continue };
        let items: i64 = row.try_get(1)?;
        if items > 0 {
            out.push(HeldPayment {
                supplier_id: party,
                supplier_name: row.try_get(0)?,
                reason: "dishonest".into(),
                entry_id: Some(l.entry_id),
                items,
                amount_fen: row.try_get(2)?,
            });
        }
    }
    Ok(out)
}
