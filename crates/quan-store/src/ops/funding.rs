//! Funding sources: appropriated from outside (`external → source`), then allocated to
//! programs by share.
use quan_domain::inputs::FundingSourceInput;
use quan_domain::{validate_city, validate_text, AccountId, Money, Posting, ValidationError};
use sqlx::Row;

use super::{fetch_page, new_id, to_json, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::Result;
use crate::ledger;
use crate::rows::{FundingSource, Page};
use crate::{Actor, Store};

pub async fn create_source(
    tx: &mut Tx,
    actor: &Actor,
    input: &FundingSourceInput,
    now: &Now,
) -> Result<FundingSource> {
    create_source_with_id(tx, actor, &new_id("src"), input, now).await
}

pub async fn create_source_with_id(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    input: &FundingSourceInput,
    now: &Now,
) -> Result<FundingSource> {
    let name = validate_text("name", &input.name, 200)?;
    if !matches!(input.level.as_str(), "province" | "city" | "county") {
        return Err(ValidationError::new(
            "level",
            "invalid_level",
            format!("level: {:?} must be province, city or county", input.level),
        )
        .into());
    }
    let city = match (&input.level[..], input.city_code.as_deref()) {
        ("province", _) => None,
        (_, Some(c)) => Some(validate_city("city_code", c)?.code.clone()),
        (_, None) => {
            return Err(ValidationError::new(
                "city_code",
                "required",
                "city_code: required for a city or county fund",
            )
            .into())
        }
    };
    let amount = Money::positive("appropriated_fen", input.appropriated_fen)?;
    sqlx::query("INSERT INTO funding_sources (id, name, level, city_code, appropriated_fen, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(&name)
        .bind(&input.level)
        .bind(&city)
        .bind(amount.fen())
        .bind(&now.ts)
        .execute(&mut **tx)
        .await?;
    let source = AccountId::Source(id.into());
    ledger::open_account(tx, &AccountId::External).await?;
    ledger::open_account(tx, &source).await?;
    let appropriation = Posting::single(
        format!("appropriate:{id}"),
        AccountId::External,
        source,
        amount,
        "appropriate",
    );
    ledger::post(tx, &appropriation, &now.ts).await?;
    let s = FundingSource {
        id: id.to_string(),
        name,
        level: input.level.clone(),
        city_code: city,
        appropriated_fen: amount.fen(),
        available_fen: amount.fen(),
        created_at: now.ts.clone(),
    };
    audit::append(
        tx,
        actor,
        "funding_source.create",
        id,
        "null",
        &to_json(&s),
        &now.ts,
    )
    .await?;
    Ok(s)
}

const SOURCE_COLUMNS: &str = "f.id, f.name, f.level, f.city_code, f.appropriated_fen, f.created_at, la.balance - la.debits_pending AS available_fen";
const SOURCE_FROM: &str = "funding_sources f JOIN ledger_accounts la ON la.id = 'source:' || f.id";

fn source_row(r: &sqlx::any::AnyRow) -> Result<FundingSource> {
    Ok(FundingSource {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        level: r.try_get("level")?,
        city_code: r.try_get("city_code")?,
        appropriated_fen: r.try_get("appropriated_fen")?,
        available_fen: r.try_get("available_fen")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Sort keys of the funding source list.
pub const SOURCE_SORTS: &[super::SortKey] = &[
    ("id", "f.id"),
    ("name", "f.name"),
    ("level", "f.level"),
    ("appropriated_fen", "f.appropriated_fen"),
    ("available_fen", "la.balance - la.debits_pending"),
];

pub async fn list_sources(store: &Store, page: PageReq) -> Result<Page<FundingSource>> {
    fetch_page(
        store,
        SOURCE_COLUMNS,
        SOURCE_FROM,
        &Filter::new(),
        "f.level DESC, f.name, f.id",
        page,
        source_row,
    )
    .await
}

/// One source with what it has available now.
pub(crate) async fn load_source(tx: &mut Tx, id: &str) -> Result<FundingSource> {
    let sql = format!("SELECT {SOURCE_COLUMNS} FROM {SOURCE_FROM} WHERE f.id = $1");
    super::fetch_one_opt(tx, &sql, id, source_row)
        .await?
        .ok_or_else(|| super::not_found("funding source"))
}
