//! Funding sources and voucher programs: rules, funding shares and the budget each source
//! allocates to a program.
pub use super::budget::{budget, forecast};
pub use super::funding::{create_source, create_source_with_id, list_sources, SOURCE_SORTS};
pub use quan_domain::inputs::{FundingShareInput, FundingSourceInput, ProgramInput, ProgramPatch};
pub use quan_domain::views::{BudgetView, MonthAmount, SourceBudget};

use std::collections::BTreeMap;

use quan_domain::{
    parse_date, plan_allocation, plan_program_edit, validate_text, AccountId, FundedShare,
    FundingChange, FundingShare, FundingSourceId, Money, Posting, ProductKind, ProgramEditFacts,
    ProgramEditPlan, ProgramRules, Rate, SizeClass, ValidationError, VoucherType,
};
use sqlx::Row;

use super::{fetch_one_opt, fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger;
use crate::rows::Decode;
use crate::rows::{Page, Program, ProgramFunding};
use crate::{Actor, Store};

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
        policy: p.policy.clone(),
    }
}

/// The program's policy, checked against its rate, and written to its row.
async fn write_policy(
    tx: &mut Tx,
    id: &str,
    rules: &ProgramRules,
    input: &ProgramInput,
) -> Result<()> {
    let policy = quan_domain::ProgramPolicy::parse(&input.policy, rules.rate)?;
    // Who is paid cannot change once claims exist: their payables sit on the old payee.
    let claimed = sqlx::query(
        "SELECT 1 FROM redemptions r JOIN programs p ON p.id = r.program_id WHERE r.program_id = $1 AND p.redemption_mode <> $2 LIMIT 1",
    )
    .bind(id)
    .bind(policy.mode.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    if claimed.is_some() {
        return Err(StoreError::conflict_field(
            "mode_locked",
            "policy.redemption_mode",
            "policy.redemption_mode: the program already has claims under its current mode",
        ));
    }
    // The chain cannot change under an application that is part-way along it.
    let midway = sqlx::query(
        "SELECT 1 FROM applications WHERE program_id = $1 AND status = 'submitted' AND review_level > 0 LIMIT 1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let chain = to_json(&policy.review_chain);
    let current: Option<String> = sqlx::query("SELECT review_levels FROM programs WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    if midway.is_some() && current.as_deref() != Some(chain.as_str()) {
        return Err(StoreError::conflict_field(
            "chain_locked",
            "policy.review_levels",
            "policy.review_levels: applications are part-way along the current chain",
        ));
    }
    sqlx::query("UPDATE programs SET review_levels = $1, first_milestone_fen = $2 WHERE id = $3")
        .bind(&chain)
        .bind(policy.first_milestone.map(|m| m.fen()))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let c = &policy.contract;
    sqlx::query(
        "UPDATE programs SET redemption_mode = $1, contract_required = $2, contract_from = $3, contract_until = $4, instalments_allowed = $5, \
         delivery_proof_required = $6, group_year_cap_fen = $8, type_year_cap_fen = $9 WHERE id = $7",
    )
    .bind(policy.mode.as_str())
    .bind(i64::from(c.required))
    .bind(c.signed_from.map(|d| d.to_string()))
    .bind(c.signed_until.map(|d| d.to_string()))
    .bind(i64::from(c.instalments))
    .bind(i64::from(c.delivery_proof))
    .bind(id)
    .bind(policy.group_cap.map(|m| m.fen()))
    .bind(policy.type_year_cap.map(|m| m.fen()))
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE programs SET pilot_bonus_bps = $1, supplier_cap_fen = $2, min_invoice_fen = $3, split_window_days = $4, split_threshold_fen = $5 WHERE id = $6",
    )
    .bind(i64::from(policy.pilot_bonus.bps()))
    .bind(policy.supplier_cap.map(|m| m.fen()))
    .bind(policy.min_invoice.map(|m| m.fen()))
    .bind(policy.split.map(|s| i64::from(s.window_days)))
    .bind(policy.split.map(|s| s.threshold.fen()))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What every source named in `funding` has available (locked, in id order).
async fn sources_available(
    tx: &mut Tx,
    funding: &[FundingShare],
) -> Result<BTreeMap<FundingSourceId, Money>> {
    let ids: std::collections::BTreeSet<&str> =
        funding.iter().map(|f| f.source_id.as_str()).collect();
    let mut out = BTreeMap::new();
    for id in ids {
        if sqlx::query("SELECT 1 FROM funding_sources WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .is_none()
        {
            continue; // the plan names the missing source
        }
        let bal = ledger::lock_account(tx, &AccountId::Source(id.into())).await?;
        out.insert(FundingSourceId::new(id), Money::from_fen(bal.available()));
    }
    Ok(out)
}

/// Opens the budget accounts of `funding` and writes the allocation postings.
async fn post_allocation(
    tx: &mut Tx,
    program_id: &str,
    funding: &[FundingShare],
    postings: &[Posting],
    now: &Now,
) -> Result<()> {
    for f in funding {
        let budget = AccountId::Budget(program_id.into(), f.source_id.as_str().into());
        ledger::open_account(tx, &budget).await?;
    }
    ledger::post_all(tx, postings, &now.ts).await
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
    write_policy(tx, id, &rules, input).await?;
    let available = sources_available(tx, &rules.funding).await?;
    let (postings, parts) = plan_allocation(
        &id.into(),
        &rules.funding,
        budget,
        &available,
        &new_id("alloc"),
    )?;
    post_allocation(tx, id, &rules.funding, &postings, now).await?;
    let rows: Vec<_> = rules
        .funding
        .iter()
        .zip(parts)
        .map(|(f, p)| (FundingSourceId::new(f.source_id.clone()), f.share_bps, p))
        .collect();
    insert_funding(tx, id, &rows).await?;
    // A model or corpus program lists what its year's selection round selected.
    let kind = rules.voucher_type.product_kind();
    if matches!(kind, ProductKind::Model | ProductKind::Corpus) {
        super::selection::list_selected(tx, id, input.year as i32, kind, now).await?;
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

/// Edits a program (`quan_domain::plan_program_edit`): the merged rules are validated, then
/// the plan decides budget growth, new shares and whether the yearly cap may go where asked.
pub async fn patch(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    patch: &ProgramPatch,
    now: &Now,
) -> Result<Program> {
    sqlx::query("UPDATE programs SET name = name WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
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
        funding,
        policy
    );
    let rules = rules_from_input(&input)?;
    let name = validate_text("name", &input.name, 200)?;
    let budget = Money::positive("budget_fen", input.budget_fen)?;
    let facts = edit_facts(tx, &before, &rules).await?;
    let plan = plan_program_edit(&facts, &rules, budget, &new_id("edit"))?;
    apply_funding_change(tx, id, &rules, &plan, now).await?;
    sqlx::query(
        "UPDATE programs SET name = $1, rate_bps = $2, face_value_cap_fen = $3, enterprise_year_cap_fen = $4, apply_from = $5, apply_until = $6, \
         valid_from = $7, valid_until = $8, notice_days = $9, eligible_cities = $10, eligible_sizes = $11, eligible_industries = $12, budget_fen = $13 \
         WHERE id = $14",
    )
    .bind(&name)
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
    .bind(id)
    .execute(&mut **tx)
    .await?;
    write_policy(tx, id, &rules, &input).await?;
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

/// What an edit decides from: budget balances per share, whether grants exist, the largest
/// yearly use of any enterprise, and what the sources (old and new) have available.
async fn edit_facts(
    tx: &mut Tx,
    before: &Program,
    rules: &ProgramRules,
) -> Result<ProgramEditFacts> {
    let granted: i64 = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) FROM applications WHERE program_id = $1 AND status IN ('approved','issued','revoked')")
        .bind(before.id.as_str())
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    let max_use: i64 = sqlx::query("SELECT CAST(COALESCE(MAX(used_fen), 0) AS BIGINT) FROM enterprise_year_use WHERE program_id = $1")
        .bind(before.id.as_str())
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    let mut funding = Vec::new();
    for f in &before.funding {
        let acct = AccountId::Budget(before.id.as_str().into(), f.source_id.as_str().into());
        let bal = ledger::balance(&mut **tx, &acct.to_string()).await?;
        funding.push(FundedShare {
            source: f.source_id.as_str().into(),
            share_bps: f.share_bps,
            budget_balance: Money::from_fen(bal.balance),
        });
    }
    let mut named = rules.funding.clone();
    named.extend(before.funding.iter().map(|f| FundingShare {
        source_id: f.source_id.clone(),
        share_bps: f.share_bps,
    }));
    Ok(ProgramEditFacts {
        program_id: before.id.as_str().into(),
        budget: Money::from_fen(before.budget_fen),
        funding,
        has_grants: granted > 0,
        max_year_use: Money::from_fen(max_use),
        source_available: sources_available(tx, &named).await?,
    })
}

async fn insert_funding(
    tx: &mut Tx,
    program_id: &str,
    rows: &[(FundingSourceId, i64, Money)],
) -> Result<()> {
    for (source, share, allocated) in rows {
        sqlx::query("INSERT INTO program_funding (program_id, source_id, share_bps, allocated_fen) VALUES ($1, $2, $3, $4)")
            .bind(program_id)
            .bind(source.as_str())
            .bind(share)
            .bind(allocated.fen())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn apply_funding_change(
    tx: &mut Tx,
    id: &str,
    rules: &ProgramRules,
    plan: &ProgramEditPlan,
    now: &Now,
) -> Result<()> {
    post_allocation(tx, id, &rules.funding, &plan.postings, now).await?;
    match &plan.funding {
        FundingChange::None => {}
        FundingChange::Raise(parts) => {
            for (source, part) in parts {
                sqlx::query("UPDATE program_funding SET allocated_fen = allocated_fen + $1 WHERE program_id = $2 AND source_id = $3")
                    .bind(part.fen())
                    .bind(id)
                    .bind(source.as_str())
                    .execute(&mut **tx)
                    .await?;
            }
        }
        FundingChange::Replace(rows) => {
            sqlx::query("DELETE FROM program_funding WHERE program_id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            insert_funding(tx, id, rows).await?;
        }
    }
    Ok(())
}

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
    let mut p = fetch_one_opt(
        tx,
        &format!("SELECT {} FROM programs WHERE id = $1", Program::COLUMNS),
        id,
        Program::from_row,
    )
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
    let sql = format!("SELECT {} FROM programs WHERE id = $1", Program::COLUMNS);
    let row = sqlx::query(&sql)
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

/// Sort keys of the program list.
pub const SORTS: &[super::SortKey] = &[
    ("id", "id"),
    ("name", "name"),
    ("year", "year"),
    ("voucher_type", "voucher_type"),
    ("budget_fen", "budget_fen"),
    ("apply_until", "apply_until"),
];

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
