//! Contracts between an enterprise and a supplier: registered once by either party (or an
//! administrator), then named by the claims against them. A claim locks its contract's row
//! last in the redemption lock order, so two claims on one contract — on two servers — queue
//! and the second sees the first (one claim per contract, or instalments up to its amount).
pub use quan_domain::inputs::ContractInput;
use quan_domain::{Contract, ContractFacts, ContractId, ContractRequest, Money, ProductKind};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::rows::Page;
use crate::{Actor, Role, Store};

const COLUMNS: &str = "c.id, c.contract_number, c.enterprise_id, e.name AS enterprise_name, c.supplier_id, \
     s.name AS supplier_name, c.kind, c.subject, c.signed_on, c.amount_fen, c.created_by, c.created_at, \
     CAST((SELECT COALESCE(SUM(r.invoice_amount_fen), 0) FROM redemptions r WHERE r.contract_id = c.id AND r.status <> 'clawed_back') AS BIGINT) AS claimed_fen, \
     CAST((SELECT COUNT(*) FROM redemptions r WHERE r.contract_id = c.id AND r.status <> 'clawed_back') AS BIGINT) AS claim_count";
const FROM: &str = "contracts c JOIN enterprises e ON e.id = c.enterprise_id JOIN suppliers s ON s.id = c.supplier_id";

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("contract: {e}"))
}

fn row(r: &AnyRow) -> Result<Contract> {
    let signed: String = r.try_get("signed_on")?;
    Ok(Contract {
        id: r.try_get::<String, _>("id")?.into(),
        contract_number: r.try_get("contract_number")?,
        enterprise_id: r.try_get::<String, _>("enterprise_id")?.into(),
        enterprise_name: r.try_get("enterprise_name")?,
        supplier_id: r.try_get::<String, _>("supplier_id")?.into(),
        supplier_name: r.try_get("supplier_name")?,
        kind: ProductKind::parse("kind", &r.try_get::<String, _>("kind")?).map_err(corrupt)?,
        subject: r.try_get("subject")?,
        signed_on: signed.parse().map_err(corrupt)?,
        amount_fen: Money::from_fen(r.try_get("amount_fen")?),
        claimed_fen: Money::from_fen(r.try_get("claimed_fen")?),
        claim_count: r.try_get("claim_count")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

/// The two parties: an enterprise or supplier user is one of them (the other is named); an
/// administrator names both.
fn parties(actor: &Actor, i: &ContractInput) -> Result<(String, String)> {
    let named = |v: &Option<String>, field: &str| {
        v.clone().filter(|s| !s.trim().is_empty()).ok_or_else(|| {
            StoreError::from(quan_domain::ValidationError::new(
                field,
                "required",
                format!("{field}: is required"),
            ))
        })
    };
    match actor.role {
        Role::Enterprise => Ok((
            actor.enterprise_scope().unwrap_or_default().to_string(),
            named(&i.supplier_id, "supplier_id")?,
        )),
        Role::Supplier => Ok((
            named(&i.enterprise_id, "enterprise_id")?,
            actor.supplier_scope().unwrap_or_default().to_string(),
        )),
        Role::Admin => Ok((
            named(&i.enterprise_id, "enterprise_id")?,
            named(&i.supplier_id, "supplier_id")?,
        )),
        _ => Err(StoreError::forbidden(
            "only a party to the contract or an administrator may register it",
        )),
    }
}

/// Registers a contract; its number is unique per supplier.
pub async fn create(
    tx: &mut Tx,
    actor: &Actor,
    input: &ContractInput,
    now: &Now,
) -> Result<Contract> {
    let (enterprise, supplier) = parties(actor, input)?;
    let req = ContractRequest::parse(input)?;
    let missing = |field: &str, what: &str, id: &str| {
        StoreError::from(quan_domain::ValidationError::new(
            field,
            "not_found",
            format!("{field}: no {what} {id}"),
        ))
    };
    super::enterprises::load(tx, &enterprise)
        .await
        .map_err(|_| missing("enterprise_id", "enterprise", &enterprise))?;
    super::catalogue::load_supplier(tx, &supplier)
        .await
        .map_err(|_| missing("supplier_id", "supplier", &supplier))?;
    let id = new_id("ctr");
    let inserted = sqlx::query(
        "INSERT INTO contracts (id, contract_number, enterprise_id, supplier_id, kind, subject, signed_on, amount_fen, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(&req.number)
    .bind(&enterprise)
    .bind(&supplier)
    .bind(req.kind.as_str())
    .bind(&req.subject)
    .bind(req.signed_on.to_string())
    .bind(req.amount.fen())
    .bind(&actor.user_id)
    .bind(&now.ts)
    .execute(&mut **tx)
    .await;
    if let Err(e) = inserted {
        return Err(StoreError::on_unique(e, || {
            StoreError::conflict_field(
                "duplicate_contract",
                "contract_number",
                format!(
                    "contract_number: the supplier already registered contract {}",
                    req.number
                ),
            )
        }));
    }
    let c = load(tx, &id).await?;
    audit::append(
        tx,
        actor,
        "contract.create",
        &id,
        "null",
        &to_json(&c),
        &now.ts,
    )
    .await?;
    Ok(c)
}

async fn load(tx: &mut Tx, id: &str) -> Result<Contract> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE c.id = $1");
    super::fetch_one_opt(tx, &sql, id, row)
        .await?
        .ok_or_else(|| not_found("contract"))
}

/// Contracts are the parties' business, the administrator's and the auditor's.
fn forbid_reviewers(actor: &Actor) -> Result<()> {
    if actor.is(Role::Reviewer) {
        return Err(StoreError::forbidden("reviewers do not see contracts"));
    }
    Ok(())
}

fn visible(actor: &Actor, c: &Contract) -> bool {
    actor
        .enterprise_scope()
        .is_none_or(|own| own == c.enterprise_id.as_str())
        && actor
            .supplier_scope()
            .is_none_or(|own| own == c.supplier_id.as_str())
}

pub async fn get(store: &Store, actor: &Actor, id: &str) -> Result<Contract> {
    forbid_reviewers(actor)?;
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE c.id = $1");
    let r = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(store.reader())
        .await?;
    r.as_ref()
        .map(row)
        .transpose()?
        .filter(|c| visible(actor, c))
        .ok_or_else(|| not_found("contract"))
}

/// Sort keys of the contract list.
pub const SORTS: &[super::SortKey] = &[
    ("signed_on", "c.signed_on"),
    ("amount_fen", "c.amount_fen"),
    ("contract_number", "c.contract_number"),
    ("created_at", "c.created_at"),
];

#[derive(Debug, Default, Clone)]
pub struct ContractQuery {
    pub enterprise_id: Option<String>,
    pub supplier_id: Option<String>,
    /// Part of the contract number or the other party's name.
    pub q: Option<String>,
}

/// Contracts the actor is a party to (all, for an administrator or an auditor).
pub async fn list(
    store: &Store,
    actor: &Actor,
    q: &ContractQuery,
    page: PageReq,
) -> Result<Page<Contract>> {
    forbid_reviewers(actor)?;
    let mut f = Filter::new();
    if let Some(own) = actor.enterprise_scope() {
        f.add("c.enterprise_id = ?", Arg::S(own.to_string()));
    }
    if let Some(own) = actor.supplier_scope() {
        f.add("c.supplier_id = ?", Arg::S(own.to_string()));
    }
    f.eq_opt("c.enterprise_id", q.enterprise_id.as_deref())
        .eq_opt("c.supplier_id", q.supplier_id.as_deref());
    f.contains_any(&["c.contract_number", "e.name", "s.name"], q.q.as_deref());
    fetch_page(
        store,
        COLUMNS,
        FROM,
        &f,
        "c.signed_on DESC, c.id",
        page,
        row,
    )
    .await
}

/// The contract a claim in `program` names, its row locked, with its live claims here and
/// whether another program already claimed it. `None` when there is no such contract.
pub(crate) async fn claim_facts(
    tx: &mut Tx,
    id: &ContractId,
    program: &str,
) -> Result<Option<ContractFacts>> {
    let locked = sqlx::query(
        "UPDATE contracts SET amount_fen = amount_fen WHERE id = $1 RETURNING enterprise_id, supplier_id, kind, signed_on, amount_fen",
    )
    .bind(id.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    let Some(k) = locked else {
        return Ok(None);
    };
    let claims = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(invoice_amount_fen), 0) AS BIGINT) FROM redemptions \
         WHERE contract_id = $1 AND program_id = $2 AND status <> 'clawed_back'",
    )
    .bind(id.as_str())
    .bind(program)
    .fetch_one(&mut **tx)
    .await?;
    let elsewhere = sqlx::query(
        "SELECT program_id FROM redemptions WHERE contract_id = $1 AND program_id <> $2 AND status <> 'clawed_back' ORDER BY created_at LIMIT 1",
    )
    .bind(id.as_str())
    .bind(program)
    .fetch_optional(&mut **tx)
    .await?;
    let signed: String = k.try_get(3)?;
    Ok(Some(ContractFacts {
        id: id.clone(),
        enterprise_id: k.try_get::<String, _>(0)?.into(),
        supplier_id: k.try_get::<String, _>(1)?.into(),
        kind: ProductKind::parse("kind", &k.try_get::<String, _>(2)?).map_err(corrupt)?,
        signed_on: signed.parse().map_err(corrupt)?,
        amount: Money::from_fen(k.try_get(4)?),
        claims_here: claims.try_get(0)?,
        claimed_here: Money::from_fen(claims.try_get(1)?),
        claimed_elsewhere: elsewhere
            .map(|r| r.try_get::<String, _>(0))
            .transpose()?
            .map(Into::into),
    }))
}
