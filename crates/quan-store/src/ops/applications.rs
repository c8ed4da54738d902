//! Application → review → public notice (公示) → objection → voucher issue.
//! Approval reserves the grant from the program budget as pending transfers (one per funding
//! source, by share); issue posts them; an upheld objection voids them.
pub use super::notice::{due_for_issue, file_objection, issue, resolve_objection};
pub use quan_domain::inputs::{ApplicationInput, ObjectionInput, ResolveInput, ReviewInput};
use quan_domain::{
    check_eligibility, must_recuse, plan_approval, review_conflicts, validate_text, AccountId,
    ApplicationEvent, ApplicationStatus, ApprovalFacts, Coverage, EnterpriseFacts, Money,
    PartyFile, PartyKind, ReviewConflict, ShareAvailable, SizeClass, ValidationError, VoucherId,
};
use sqlx::Row;

use super::{fetch_one_opt, fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger;
use crate::rows::Decode;
use crate::rows::{Application, Enterprise, Objection, Page, Program};
use crate::{Actor, Role, Store};

pub(crate) fn status(s: ApplicationStatus) -> Result<ApplicationStatus> {
    Ok(s)
}

pub(crate) fn transition(
    current: ApplicationStatus,
    ev: ApplicationEvent,
) -> Result<ApplicationStatus> {
    current
        .apply(ev)
        .map_err(|e| StoreError::conflict("invalid_state", e.to_string()))
}

pub(crate) fn facts(e: &Enterprise) -> Result<EnterpriseFacts> {
    Ok(EnterpriseFacts {
        city_code: e.city_code.clone(),
        size_class: SizeClass::parse("size_class", &e.size_class)?,
        industry: e.industry.chars().next().unwrap_or('?'),
        pilot_zone: e.pilot_zone,
    })
}

pub async fn apply(
    tx: &mut Tx,
    actor: &Actor,
    input: &ApplicationInput,
    now: &Now,
) -> Result<Application> {
    let enterprise_id = match actor.role {
        Role::Enterprise => actor.enterprise_id.clone().unwrap_or_default(),
        Role::Admin => input.enterprise_id.clone().ok_or_else(|| {
            ValidationError::new(
                "enterprise_id",
                "required",
                "enterprise_id: required when an administrator applies",
            )
        })?,
        _ => {
            return Err(StoreError::forbidden(
                "only an enterprise (or an administrator for it) may apply",
            ))
        }
    };
    let amount = Money::positive("amount_fen", input.amount_fen)?;
    let plan = validate_text("plan", &input.plan, 4000)?;
    let program = super::programs::load(tx, &input.program_id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound { .. } => ValidationError::new(
                "program_id",
                "not_found",
                format!("program_id: no program {}", input.program_id),
            )
            .into(),
            e => e,
        })?;
    if program.closed_at.is_some() {
        return Err(StoreError::conflict_field(
            "program_closed",
            "program_id",
            format!("program_id: program {} is closed", program.id),
        ));
    }
    let enterprise = super::enterprises::load(tx, &enterprise_id).await?;
    if let Some(l) = super::integrity::listing_on(tx, &enterprise.id, now.today).await? {
        return Err(quan_domain::refuse_listed(PartyKind::Enterprise, "apply", &l).into());
    }
    let rules = super::programs::rules_of(&program)?;
    check_eligibility(&rules, &facts(&enterprise)?, now.today)?;
    if amount > rules.face_value_cap {
        return Err(ValidationError::new(
            "amount_fen",
            "over_cap",
            format!(
                "amount_fen: {amount} yuan is over the program's cap of {} yuan per voucher",
                rules.face_value_cap
            ),
        )
        .into());
    }
    let open: i64 = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM applications WHERE program_id = $1 AND enterprise_id = $2 AND status IN ('submitted','approved')",
    )
    .bind(&program.id)
    .bind(&enterprise_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    if open > 0 {
        return Err(StoreError::conflict_field(
            "duplicate_application",
            "program_id",
            "program_id: this enterprise already has an open application to this program",
        ));
    }
    let id = new_id("app");
    let number = super::numbers::next(tx, quan_domain::DocumentKind::Application, now).await?;
    sqlx::query(
        "INSERT INTO applications (id, program_id, enterprise_id, amount_fen, plan, status, created_at, number) VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7)",
    )
    .bind(&id)
    .bind(&program.id)
    .bind(&enterprise_id)
    .bind(amount.fen())
    .bind(&plan)
    .bind(&now.ts)
    .bind(&number)
    .execute(&mut **tx)
    .await?;
    let a = load(tx, &id).await?;
    audit::append(
        tx,
        actor,
        "application.submit",
        &id,
        "null",
        &to_json(&a),
        &now.ts,
    )
    .await?;
    Ok(a)
}

const ONE: &str = "WHERE a.id = $1";

pub(crate) async fn load(tx: &mut Tx, id: &str) -> Result<Application> {
    let sql = format!(
        "SELECT {} FROM {} {ONE}",
        Application::COLUMNS,
        Application::FROM
    );
    fetch_one_opt(tx, &sql, id, Application::from_row)
        .await?
        .ok_or_else(|| not_found("application"))
}

async fn objections(exec: &mut sqlx::AnyConnection, app_id: &str) -> Result<Vec<Objection>> {
    let rows = sqlx::query("SELECT id, application_id, filed_by, reason, status, resolution_note, created_at FROM objections WHERE application_id = $1 ORDER BY created_at")
        .bind(app_id)
        .fetch_all(exec)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Objection {
                id: r.try_get(0)?,
                application_id: r.try_get(1)?,
                filed_by: r.try_get(2)?,
                reason: r.try_get(3)?,
                status: r.try_get(4)?,
                resolution_note: r.try_get(5)?,
                created_at: r.try_get(6)?,
            })
        })
        .collect()
}

/// What the reviewer reading an application must know of the applicant
/// (`quan_domain::review_conflicts`): the reviewer in its registered file, the links they
/// declared with it, and its dishonesty flag.
async fn reviewer_conflicts(
    conn: &mut sqlx::AnyConnection,
    reviewer_id: &str,
    e: &Enterprise,
) -> Result<Vec<ReviewConflict>> {
    let name: String = sqlx::query("SELECT display_name FROM users WHERE id = $1")
        .bind(reviewer_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?
        .unwrap_or_default();
    let declared: Vec<String> = sqlx::query(
        "SELECT relation FROM reviewer_links WHERE user_id = $1 AND enterprise_id = $2",
    )
    .bind(reviewer_id)
    .bind(&e.id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.try_get(0))
    .collect::<std::result::Result<_, _>>()?;
    let file = PartyFile {
        legal_rep: &e.legal_rep,
        shareholders: &e.shareholders,
        actual_controller: &e.actual_controller,
    };
    Ok(review_conflicts(&name, &declared, &file, e.dishonest))
}

/// Fills what a reviewer, administrator or auditor reads beside an application: the objections
/// filed in its notice and the reader's conflicts with the applicant.
async fn annotate(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    a: &mut Application,
) -> Result<()> {
    a.objections = objections(&mut *conn, a.id.as_str()).await?;
    if matches!(actor.role, Role::Reviewer | Role::Admin | Role::Auditor) {
        let e_row = sqlx::query(&format!(
            "SELECT {} FROM enterprises WHERE id = $1",
            Enterprise::COLUMNS
        ))
        .bind(a.enterprise_id.as_str())
        .fetch_one(&mut *conn)
        .await?;
        let e = Enterprise::from_row(&e_row)?;
        a.conflicts = reviewer_conflicts(conn, &actor.user_id, &e).await?;
    }
    Ok(())
}

pub async fn get(store: &Store, actor: &Actor, id: &str) -> Result<Application> {
    let sql = format!(
        "SELECT {} FROM {} {ONE}",
        Application::COLUMNS,
        Application::FROM
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(store.reader())
        .await?;
    let mut a = row
        .as_ref()
        .map(Application::from_row)
        .transpose()?
        .ok_or_else(|| not_found("application"))?;
    if actor.is(Role::Supplier)
        || actor
            .enterprise_scope()
            .is_some_and(|own| own != a.enterprise_id.as_str())
    {
        return Err(not_found("application"));
    }
    let mut conn = store.reader().acquire().await?;
    if super::review_chain::confined_city(&mut conn, actor)
        .await?
        .is_some_and(|c| c != a.city_code)
    {
        return Err(not_found("application"));
    }
    a.reviews = super::review_chain::decisions(&mut conn, id).await?;
    annotate(&mut conn, actor, &mut a).await?;
    Ok(a)
}

#[derive(Debug, Default, Clone)]
pub struct ApplicationQuery {
    /// Days from and to (inclusive) of the day it was submitted.
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub status: Option<String>,
    pub program_id: Option<String>,
    pub enterprise_id: Option<String>,
    pub city_code: Option<String>,
    /// Under review and waiting for this level (1-based) of the program's chain.
    pub awaiting_level: Option<i64>,
    /// Part of the number, a name or (where shown) the USCC or invoice number; any case.
    pub q: Option<String>,
}

/// Sort keys of the application list.
pub const SORTS: &[super::SortKey] = &[
    ("id", "a.id"),
    ("number", "a.number"),
    ("created_at", "a.created_at"),
    ("amount_fen", "a.amount_fen"),
    ("approved_fen", "a.approved_fen"),
    ("notice_ends_on", "a.notice_ends_on"),
    ("status", "a.status"),
];

pub async fn list(
    store: &Store,
    actor: &Actor,
    q: &ApplicationQuery,
    page: PageReq,
) -> Result<Page<Application>> {
    let mut f = Filter::new();
    if let Some(own) = actor.enterprise_scope() {
        f.add("a.enterprise_id = ?", Arg::S(own.to_string()));
    }
    if actor.is(Role::Supplier) {
        f.add("1 = ?", Arg::I(0));
    }
    f.eq_opt("a.status", q.status.as_deref())
        .eq_opt("a.program_id", q.program_id.as_deref())
        .eq_opt("a.enterprise_id", q.enterprise_id.as_deref())
        .eq_opt("e.city_code", q.city_code.as_deref())
        .contains_any(&["a.number", "e.name", "e.uscc"], q.q.as_deref())
        .day_range("a.created_at", q.from, q.to);
    if let Some(level) = q.awaiting_level {
        f.add("a.review_level = ?", Arg::I(level.saturating_sub(1)))
            .add("a.status = ?", Arg::S("submitted".into()));
    }
    // A city reviewer sees only the applications of enterprises in that city.
    let mut conn = store.reader().acquire().await?;
    if let Some(c) = super::review_chain::confined_city(&mut conn, actor).await? {
        f.add("e.city_code = ?", Arg::S(c));
    }
    let mut out = fetch_page(
        store,
        Application::COLUMNS,
        Application::FROM,
        &f,
        "a.created_at DESC, a.id",
        page,
        Application::from_row,
    )
    .await?;
    // The queue shows each row's conflicts and open objections (one page, a few reads a row).
    for a in &mut out.items {
        annotate(&mut conn, actor, a).await?;
    }
    Ok(out)
}

pub async fn review(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    input: &ReviewInput,
    now: &Now,
) -> Result<Application> {
    if !matches!(actor.role, Role::Reviewer | Role::Admin) {
        return Err(StoreError::forbidden(
            "only a reviewer or an administrator may review",
        ));
    }
    // Lock the application row first so two reviewers cannot both decide it.
    sqlx::query("UPDATE applications SET status = status WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let before = load(tx, id).await?;
    let enterprise = super::enterprises::load(tx, before.enterprise_id.as_str()).await?;
    let conflicts = reviewer_conflicts(tx, &actor.user_id, &enterprise).await?;
    let bars = must_recuse(&conflicts);
    if !bars.is_empty() {
        let texts: Vec<&str> = bars.iter().map(|c| c.text.as_str()).collect();
        return Err(StoreError::Conflict {
            code: "conflict_of_interest",
            message: format!(
                "you must recuse from this application: {}",
                texts.join("; ")
            ),
            field: None,
        });
    }
    let program = super::programs::load(tx, before.program_id.as_str()).await?;
    let chain = program.policy.review_levels.clone();
    if !chain.is_empty() {
        return super::review_chain::review_step(tx, actor, &before, &program, &chain, input, now)
            .await;
    }
    match input.decision.as_str() {
        "approve" => approve(tx, actor, &before, &program, input, now).await,
        "reject" => {
            transition(before.status, ApplicationEvent::Reject)?;
            let reason = validate_text("reason", input.reason.as_deref().unwrap_or(""), 2000)?;
            sqlx::query("UPDATE applications SET status = 'rejected', reason = $1, reviewer_id = $2, reviewed_at = $3 WHERE id = $4")
                .bind(&reason)
                .bind(&actor.user_id)
                .bind(&now.ts)
                .bind(id)
                .execute(&mut **tx)
                .await?;
            let after = load(tx, id).await?;
            audit::append(
                tx,
                actor,
                "application.reject",
                id,
                &to_json(&before),
                &to_json(&after),
                &now.ts,
            )
            .await?;
            Ok(after)
        }
        other => Err(ValidationError::new(
            "decision",
            "invalid_decision",
            format!("decision: {other:?} must be approve or reject"),
        )
        .into()),
    }
}

/// Approval (`quan_domain::plan_approval`): the budget accounts are locked in id order and the
/// grant is reserved from each source by share.
pub(crate) async fn approve(
    tx: &mut Tx,
    actor: &Actor,
    before: &Application,
    program: &Program,
    input: &ReviewInput,
    now: &Now,
) -> Result<Application> {
    let rules = super::programs::rules_of(program)?;
    let granted: i64 = sqlx::query(
        "SELECT CAST(COALESCE(SUM(approved_fen), 0) AS BIGINT) FROM applications WHERE enterprise_id = $1 AND program_id = $2 AND status IN ('approved','issued')",
    )
    .bind(before.enterprise_id.as_str())
    .bind(&program.id)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    let enterprise_city = super::enterprises::load(tx, before.enterprise_id.as_str())
        .await?
        .city_code;
    let mut funding = Vec::new();
    let mut shares: Vec<&crate::rows::ProgramFunding> = program.funding.iter().collect();
    shares.sort_by(|a, b| a.source_id.cmp(&b.source_id));
    for f in shares {
        let acct = AccountId::Budget(program.id.as_str().into(), f.source_id.as_str().into());
        let bal = ledger::lock_account(tx, &acct).await?;
        let src = sqlx::query("SELECT level, city_code FROM funding_sources WHERE id = $1")
            .bind(&f.source_id)
            .fetch_one(&mut **tx)
            .await?;
        let (level, city): (String, Option<String>) = (src.try_get(0)?, src.try_get(1)?);
        let coverage = match (level.as_str(), city) {
            ("province", _) => Coverage::Province,
            (_, Some(c)) if c == enterprise_city => Coverage::Covers,
            _ => Coverage::Outside,
        };
        funding.push(ShareAvailable {
            source: f.source_id.as_str().into(),
            source_name: f.source_name.clone(),
            share_bps: f.share_bps,
            available: Money::from_fen(bal.available()),
            coverage,
        });
    }
    // Split in the program's own share order, as before the locks were sorted.
    funding.sort_by_key(|s| {
        program
            .funding
            .iter()
            .position(|f| f.source_id == s.source.as_str())
    });
    let facts = ApprovalFacts {
        application: before.id.as_str().into(),
        status: status(before.status)?,
        program: program.id.as_str().into(),
        requested: before.amount_fen,
        face_value_cap: rules.face_value_cap,
        enterprise_year_cap: rules.enterprise_year_cap,
        already_granted: Money::from_fen(granted),
        notice_days: rules.notice_days,
        today: now.today,
        funding,
        first_milestone: program
            .policy
            .first_milestone_fen
            .filter(|v| *v > 0)
            .map(Money::from_fen),
    };
    let approved = input.amount_fen.map(Money::from_fen);
    let plan = plan_approval(&facts, approved, VoucherId::new(new_id("vch")))?;
    ledger::open_account(tx, &AccountId::Voucher(plan.voucher.clone())).await?;
    ledger::post_all(tx, &plan.reservations, &now.ts).await?;
    sqlx::query(
        "UPDATE applications SET status = $1, approved_fen = $2, reason = $3, reviewer_id = $4, reviewed_at = $5, notice_ends_on = $6, voucher_id = $7 WHERE id = $8",
    )
    .bind(plan.next.as_str())
    .bind(plan.amount.fen())
    .bind(input.reason.as_deref().map(str::trim).filter(|s| !s.is_empty()))
    .bind(&actor.user_id)
    .bind(&now.ts)
    .bind(plan.notice_ends_on.to_string())
    .bind(plan.voucher.as_str())
    .bind(before.id.as_str())
    .execute(&mut **tx)
    .await?;
    let after = load(tx, before.id.as_str()).await?;
    audit::append(
        tx,
        actor,
        "application.approve",
        before.id.as_str(),
        &to_json(before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}
