//! Funding sources and voucher programs: rules, funding shares and the budget each source
//! allocates to a program.
use quan_domain::{
    parse_date, split_by_weights, validate_city, validate_text, FundingShare, Money, ProgramRules,
    Rate, SizeClass, ValidationError, VoucherType,
};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use utoipa::ToSchema;

use super::{fetch_one_opt, fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger::{self, Transfer};
use crate::rows::{FundingSource, Page, Program, ProgramFunding};
use crate::{Actor, Store};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingSourceInput {
    pub name: String,
    /// province, city or county
    pub level: String,
    pub city_code: Option<String>,
    pub appropriated_fen: i64,
}

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
    ledger::ensure_account(tx, ledger::EXTERNAL, "external", true).await?;
    ledger::ensure_account(tx, &ledger::source_account(id), "funding_source", false).await?;
    ledger::apply(
        tx,
        &Transfer::single(
            format!("appropriate:{id}"),
            ledger::EXTERNAL,
            ledger::source_account(id),
            amount.fen(),
            "appropriate",
        ),
        &now.ts,
    )
    .await?;
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

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct FundingShareInput {
    pub source_id: String,
    pub share_bps: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramInput {
    pub name: String,
    /// compute, model, corpus or innovation
    pub voucher_type: String,
    pub year: i64,
    pub rate_bps: i64,
    pub face_value_cap_fen: i64,
    pub enterprise_year_cap_fen: i64,
    pub apply_from: String,
    pub apply_until: String,
    pub valid_from: String,
    pub valid_until: String,
    pub notice_days: i64,
    #[serde(default)]
    pub eligible_cities: Vec<String>,
    #[serde(default)]
    pub eligible_sizes: Vec<String>,
    #[serde(default)]
    pub eligible_industries: Vec<String>,
    pub budget_fen: i64,
    pub funding: Vec<FundingShareInput>,
}

/// Every field optional; what is given replaces what is there. `funding` can change only while
/// no grant has been approved; `budget_fen` can grow (allocated from the sources by share).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramPatch {
    pub name: Option<String>,
    pub rate_bps: Option<i64>,
    pub face_value_cap_fen: Option<i64>,
    pub enterprise_year_cap_fen: Option<i64>,
    pub apply_from: Option<String>,
    pub apply_until: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub notice_days: Option<i64>,
    pub eligible_cities: Option<Vec<String>>,
    pub eligible_sizes: Option<Vec<String>>,
    pub eligible_industries: Option<Vec<String>>,
    pub budget_fen: Option<i64>,
    pub funding: Option<Vec<FundingShareInput>>,
}

fn rules_from_input(i: &ProgramInput) -> Result<ProgramRules, ValidationError> {
    if !(2020..=2100).contains(&i.year) {
        return Err(ValidationError::new(
            "year",
            "out_of_range",
            format!("year: {} is not a plausible program year", i.year),
        ));
    }
    if !(0..=i64::from(quan_domain::MAX_NOTICE_DAYS)).contains(&i.notice_days) {
        return Err(ValidationError::new(
            "notice_days",
            "out_of_range",
            format!(
                "notice_days: {} must be 0 to {}",
                i.notice_days,
                quan_domain::MAX_NOTICE_DAYS
            ),
        ));
    }
    let sizes = i
        .eligible_sizes
        .iter()
        .enumerate()
        .map(|(k, s)| SizeClass::parse(&format!("eligible_sizes[{k}]"), s))
        .collect::<Result<Vec<_>, _>>()?;
    let industries = i
        .eligible_industries
        .iter()
        .enumerate()
        .map(|(k, s)| quan_domain::validate_industry(&format!("eligible_industries[{k}]"), s))
        .collect::<Result<Vec<_>, _>>()?;
    if i.funding.is_empty() {
        return Err(ValidationError::new(
            "funding",
            "required",
            "funding: at least one funding source is required",
        ));
    }
    let rules = ProgramRules {
        voucher_type: VoucherType::parse("voucher_type", &i.voucher_type)?,
        rate: Rate::from_bps("rate_bps", i.rate_bps)?,
        face_value_cap: Money::positive("face_value_cap_fen", i.face_value_cap_fen)?,
        enterprise_year_cap: Money::positive("enterprise_year_cap_fen", i.enterprise_year_cap_fen)?,
        apply_from: parse_date("apply_from", &i.apply_from)?,
        apply_until: parse_date("apply_until", &i.apply_until)?,
        valid_from: parse_date("valid_from", &i.valid_from)?,
        valid_until: parse_date("valid_until", &i.valid_until)?,
        notice_days: i.notice_days as u32,
        eligible_cities: i.eligible_cities.clone(),
        eligible_sizes: sizes,
        eligible_industries: industries,
        funding: i
            .funding
            .iter()
            .map(|f| FundingShare {
                source_id: f.source_id.clone(),
                share_bps: f.share_bps,
            })
            .collect(),
    };
    rules.validate()?;
    Ok(rules)
}

/// The rules of a stored program, for the domain checks.
pub fn rules_of(p: &Program) -> Result<ProgramRules> {
    let input = input_of(p);
    rules_from_input(&input)
        .map_err(|e| StoreError::Corrupt(format!("stored program {} fails validation: {e}", p.id)))
}

fn input_of(p: &Program) -> ProgramInput {
    ProgramInput {
        name: p.name.clone(),
        voucher_type: p.voucher_type.clone(),
        year: p.year,
        rate_bps: p.rate_bps,
        face_value_cap_fen: p.face_value_cap_fen,
        enterprise_year_cap_fen: p.enterprise_year_cap_fen,
        apply_from: p.apply_from.clone(),
        apply_until: p.apply_until.clone(),
        valid_from: p.valid_from.clone(),
        valid_until: p.valid_until.clone(),
        notice_days: p.notice_days,
        eligible_cities: p.eligible_cities.clone(),
        eligible_sizes: p.eligible_sizes.clone(),
        eligible_industries: p.eligible_industries.clone(),
        budget_fen: p.budget_fen,
        funding: p
            .funding
            .iter()
            .map(|f| FundingShareInput {
                source_id: f.source_id.clone(),
                share_bps: f.share_bps,
            })
            .collect(),
    }
}

/// Moves `amount` from the sources to the program's budget accounts, split by share (largest
/// remainder, so no fen is lost). Fails with insufficient funds if a source cannot cover its part.
async fn allocate(
    tx: &mut Tx,
    program_id: &str,
    funding: &[FundingShareInput],
    amount: Money,
    now: &Now,
) -> Result<Vec<i64>> {
    let weights: Vec<i64> = funding.iter().map(|f| f.share_bps).collect();
    let parts =
        split_by_weights(amount, &weights).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    for (f, part) in funding.iter().zip(&parts) {
        if sqlx::query("SELECT 1 FROM funding_sources WHERE id = $1")
            .bind(&f.source_id)
            .fetch_optional(&mut **tx)
            .await?
            .is_none()
        {
            return Err(ValidationError::new(
                "funding",
                "not_found",
                format!("funding: no funding source {}", f.source_id),
            )
            .into());
        }
        let budget = ledger::budget_account(program_id, &f.source_id);
        ledger::ensure_account(tx, &budget, "program_budget", false).await?;
        if part.fen() > 0 {
            let t = Transfer::single(
                new_id("alloc"),
                ledger::source_account(&f.source_id),
                budget,
                part.fen(),
                "allocate",
            );
            ledger::apply(tx, &t, &now.ts).await.map_err(|e| match e {
                StoreError::InsufficientFunds { available, .. } => StoreError::conflict_field(
                    "insufficient_funds",
                    "budget_fen",
                    format!(
                        "budget_fen: funding source {} has only {} yuan left, its share needs {}",
                        f.source_id,
                        Money::from_fen(available),
                        part
                    ),
                ),
                e => e,
            })?;
        }
    }
    Ok(parts.iter().map(|m| m.fen()).collect())
}

pub async fn create(
    tx: &mut Tx,
    actor: &Actor,
    input: &ProgramInput,
    now: &Now,
) -> Result<Program> {
    create_with_id(tx, actor, &new_id("prg"), input, now).await
}

pub async fn create_with_id(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    input: &ProgramInput,
    now: &Now,
) -> Result<Program> {
    let rules = rules_from_input(input)?;
    let name = validate_text("name", &input.name, 200)?;
    let budget = Money::positive("budget_fen", input.budget_fen)?;
    sqlx::query(
        "INSERT INTO programs (id, name, voucher_type, year, rate_bps, face_value_cap_fen, enterprise_year_cap_fen, apply_from, apply_until, \
         valid_from, valid_until, notice_days, eligible_cities, eligible_sizes, eligible_industries, budget_fen, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(id)
    .bind(&name)
    .bind(rules.voucher_type.as_str())
    .bind(input.year)
    .bind(rules.rate.bps() as i64)
    .bind(rules.face_value_cap.fen())
    .bind(rules.enterprise_year_cap.fen())
    .bind(rules.apply_from.to_string())
    .bind(rules.apply_until.to_string())
    .bind(rules.valid_from.to_string())
    .bind(rules.valid_until.to_string())
    .bind(rules.notice_days as i64)
    .bind(to_json(&rules.eligible_cities))
    .bind(to_json(&rules.eligible_sizes.iter().map(|s| s.as_str()).collect::<Vec<_>>()))
    .bind(to_json(&rules.eligible_industries.iter().map(|c| c.to_string()).collect::<Vec<_>>()))
    .bind(budget.fen())
    .bind(&now.ts)
    .execute(&mut **tx)
    .await?;
    let parts = allocate(tx, id, &input.funding, budget, now).await?;
    for (f, part) in input.funding.iter().zip(parts) {
        sqlx::query("INSERT INTO program_funding (program_id, source_id, share_bps, allocated_fen) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(&f.source_id)
            .bind(f.share_bps)
            .bind(part)
            .execute(&mut **tx)
            .await?;
    }
    let p = load(tx, id).await?;
    audit::append(
        tx,
        actor,
        "program.create",
        id,
        "null",
        &to_json(&p),
        &now.ts,
    )
    .await?;
    Ok(p)
}

pub async fn patch(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    patch: &ProgramPatch,
    now: &Now,
) -> Result<Program> {
    let before = load(tx, id).await?;
    let mut input = input_of(&before);
    macro_rules! take {
        ($($f:ident),*) => { $( if let Some(v) = &patch.$f { input.$f = v.clone(); } )* };
    }
    take!(
        name,
        rate_bps,
        face_value_cap_fen,
        enterprise_year_cap_fen,
        apply_from,
        apply_until,
        valid_from,
        valid_until,
        notice_days,
        eligible_cities,
        eligible_sizes,
        eligible_industries,
        budget_fen,
        funding
    );
    rules_from_input(&input)?;
    validate_text("name", &input.name, 200)?;
    let funding_changed = patch.funding.as_ref().is_some_and(|f| {
        f.iter()
            .map(|x| (&x.source_id, x.share_bps))
            .collect::<Vec<_>>()
            != before
                .funding
                .iter()
                .map(|x| (&x.source_id, x.share_bps))
                .collect::<Vec<_>>()
    });
    if input.budget_fen < before.budget_fen {
        return Err(ValidationError::new("budget_fen", "budget_decrease", "budget_fen: a program's budget can grow but not shrink; release funds by closing the program").into());
    }
    if funding_changed {
        let granted: i64 = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) FROM applications WHERE program_id = $1 AND status IN ('approved','issued','revoked')")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
        if granted > 0 {
            return Err(StoreError::conflict_field(
                "funding_locked",
                "funding",
                "funding: shares cannot change after grants have been approved",
            ));
        }
        // Return every allocation to its source, then allocate the whole budget anew.
        for f in &before.funding {
            let budget = ledger::budget_account(id, &f.source_id);
            let bal = ledger::balance(&mut **tx, &budget).await?;
            if bal.balance > 0 {
                ledger::apply(
                    tx,
                    &Transfer::single(
                        new_id("dealloc"),
                        budget,
                        ledger::source_account(&f.source_id),
                        bal.balance,
                        "deallocate",
                    ),
                    &now.ts,
                )
                .await?;
            }
        }
        sqlx::query("DELETE FROM program_funding WHERE program_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        let parts = allocate(
            tx,
            id,
            &input.funding,
            Money::from_fen(input.budget_fen),
            now,
        )
        .await?;
        for (f, part) in input.funding.iter().zip(parts) {
            sqlx::query("INSERT INTO program_funding (program_id, source_id, share_bps, allocated_fen) VALUES ($1, $2, $3, $4)")
                .bind(id).bind(&f.source_id).bind(f.share_bps).bind(part).execute(&mut **tx).await?;
        }
    } else if input.budget_fen > before.budget_fen {
        let extra = Money::from_fen(input.budget_fen - before.budget_fen);
        let parts = allocate(tx, id, &input.funding, extra, now).await?;
        for (f, part) in input.funding.iter().zip(parts) {
            sqlx::query("UPDATE program_funding SET allocated_fen = allocated_fen + $1 WHERE program_id = $2 AND source_id = $3")
                .bind(part).bind(id).bind(&f.source_id).execute(&mut **tx).await?;
        }
    }
    let rules = rules_from_input(&input)?;
    sqlx::query(
        "UPDATE programs SET name = $1, rate_bps = $2, face_value_cap_fen = $3, enterprise_year_cap_fen = $4, apply_from = $5, apply_until = $6, \
         valid_from = $7, valid_until = $8, notice_days = $9, eligible_cities = $10, eligible_sizes = $11, eligible_industries = $12, budget_fen = $13 \
         WHERE id = $14",
    )
    .bind(input.name.trim())
    .bind(input.rate_bps)
    .bind(input.face_value_cap_fen)
    .bind(input.enterprise_year_cap_fen)
    .bind(rules.apply_from.to_string())
    .bind(rules.apply_until.to_string())
    .bind(rules.valid_from.to_string())
    .bind(rules.valid_until.to_string())
    .bind(input.notice_days)
    .bind(to_json(&input.eligible_cities))
    .bind(to_json(&rules.eligible_sizes.iter().map(|s| s.as_str()).collect::<Vec<_>>()))
    .bind(to_json(&rules.eligible_industries.iter().map(|c| c.to_string()).collect::<Vec<_>>()))
    .bind(input.budget_fen)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let after = load(tx, id).await?;
    audit::append(
        tx,
        actor,
        "program.update",
        id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}

const PROGRAM_ONE: &str = "SELECT id, name, voucher_type, year, rate_bps, face_value_cap_fen, enterprise_year_cap_fen, apply_from, apply_until, valid_from, valid_until, notice_days, eligible_cities, eligible_sizes, eligible_industries, budget_fen, created_at FROM programs WHERE id = $1";

const FUNDING_SQL: &str = "SELECT pf.source_id, f.name, pf.share_bps, pf.allocated_fen, la.balance - la.debits_pending AS available, la.debits_pending \
     FROM program_funding pf JOIN funding_sources f ON f.id = pf.source_id \
     JOIN ledger_accounts la ON la.id = 'budget:' || pf.program_id || ':' || pf.source_id \
     WHERE pf.program_id = $1 ORDER BY pf.share_bps DESC, pf.source_id";

fn apply_funding(p: &mut Program, rows: &[sqlx::any::AnyRow]) -> Result<()> {
    p.funding.clear();
    p.available_fen = 0;
    p.reserved_fen = 0;
    for r in rows {
        p.funding.push(ProgramFunding {
            source_id: r.try_get(0)?,
            source_name: r.try_get(1)?,
            share_bps: r.try_get(2)?,
            allocated_fen: r.try_get(3)?,
        });
        p.available_fen += r.try_get::<i64, _>(4)?;
        p.reserved_fen += r.try_get::<i64, _>(5)?;
    }
    Ok(())
}

pub(crate) async fn load(tx: &mut Tx, id: &str) -> Result<Program> {
    let mut p = fetch_one_opt(tx, PROGRAM_ONE, id, Program::from_row)
        .await?
        .ok_or_else(|| not_found("program"))?;
    let rows = sqlx::query(FUNDING_SQL)
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
    apply_funding(&mut p, &rows)?;
    Ok(p)
}

pub async fn get(store: &Store, id: &str) -> Result<Program> {
    let row = sqlx::query(PROGRAM_ONE)
        .bind(id)
        .fetch_optional(store.reader())
        .await?;
    let mut p = row
        .as_ref()
        .map(Program::from_row)
        .transpose()?
        .ok_or_else(|| not_found("program"))?;
    let rows = sqlx::query(FUNDING_SQL)
        .bind(id)
        .fetch_all(store.reader())
        .await?;
    apply_funding(&mut p, &rows)?;
    Ok(p)
}

pub async fn list(
    store: &Store,
    voucher_type: Option<&str>,
    year: Option<i64>,
    page: PageReq,
) -> Result<Page<Program>> {
    let mut f = Filter::new();
    f.eq_opt("voucher_type", voucher_type);
    if let Some(y) = year {
        f.add("year = ?", Arg::I(y));
    }
    let mut page = fetch_page(
        store,
        Program::COLUMNS,
        "programs",
        &f,
        "year DESC, voucher_type, name, id",
        page,
        Program::from_row,
    )
    .await?;
    for p in &mut page.items {
        let rows = sqlx::query(FUNDING_SQL)
            .bind(&p.id)
            .fetch_all(store.reader())
            .await?;
        apply_funding(p, &rows)?;
    }
    Ok(page)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceBudget {
    pub source_id: String,
    pub source_name: String,
    pub share_bps: i64,
    pub allocated_fen: i64,
    /// Not reserved nor issued.
    pub available_fen: i64,
    /// Reserved for approved grants in notice.
    pub reserved_fen: i64,
    /// Posted to issued vouchers.
    pub issued_fen: i64,
    /// Returned to this source from expired or closed vouchers.
    pub released_fen: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BudgetView {
    pub program_id: String,
    pub budget_fen: i64,
    pub available_fen: i64,
    pub reserved_fen: i64,
    pub issued_fen: i64,
    /// Subsidy paid out of this program's vouchers (redemptions and metered usage, net of clawbacks).
    pub spent_fen: i64,
    pub released_fen: i64,
    pub sources: Vec<SourceBudget>,
    /// Spend per month, for the burn-down chart.
    pub spent_by_month: Vec<MonthAmount>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthAmount {
    pub month: String,
    pub amount_fen: i64,
}

pub async fn budget(store: &Store, id: &str) -> Result<BudgetView> {
    let p = get(store, id).await?;
    let mut sources = Vec::new();
    for f in &p.funding {
        let acct = ledger::budget_account(id, &f.source_id);
        let bal = ledger::balance(store.reader(), &acct).await?;
        let issued: i64 = sqlx::query("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_transfers WHERE debit = $1 AND kind = 'post'")
            .bind(&acct)
            .fetch_one(store.reader())
            .await?
            .try_get(0)?;
        let released: i64 = sqlx::query(
            "SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM ledger_transfers t WHERE t.credit = $1 AND t.code = 'release' \
             AND t.debit IN (SELECT 'voucher:' || v.id FROM vouchers v WHERE v.program_id = $2)",
        )
        .bind(ledger::source_account(&f.source_id))
        .bind(id)
        .fetch_one(store.reader())
        .await?
        .try_get(0)?;
        sources.push(SourceBudget {
            source_id: f.source_id.clone(),
            source_name: f.source_name.clone(),
            share_bps: f.share_bps,
            allocated_fen: f.allocated_fen,
            available_fen: bal.available(),
            reserved_fen: bal.debits_pending,
            issued_fen: issued,
            released_fen: released,
        });
    }
    let spent_rows = sqlx::query(
        "SELECT month, CAST(SUM(amount) AS BIGINT) FROM ( \
           SELECT SUBSTR(created_at, 1, 7) AS month, subsidy_fen AS amount FROM redemptions WHERE program_id = $1 AND status <> 'clawed_back' \
           UNION ALL SELECT SUBSTR(created_at, 1, 7) AS month, subsidy_fen AS amount FROM usage_records WHERE program_id = $1 \
         ) x GROUP BY month ORDER BY month",
    )
    .bind(id)
    .fetch_all(store.reader())
    .await?;
    let spent_by_month = spent_rows
        .iter()
        .map(|r| {
            Ok(MonthAmount {
                month: r.try_get(0)?,
                amount_fen: r.try_get(1)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(BudgetView {
        program_id: id.to_string(),
        budget_fen: p.budget_fen,
        available_fen: sources.iter().map(|s| s.available_fen).sum(),
        reserved_fen: sources.iter().map(|s| s.reserved_fen).sum(),
        issued_fen: sources.iter().map(|s| s.issued_fen).sum(),
        spent_fen: spent_by_month.iter().map(|m| m.amount_fen).sum(),
        released_fen: sources.iter().map(|s| s.released_fen).sum(),
        sources,
        spent_by_month,
    })
}
