//! What-if: loads a program's recorded history (`quan_domain::ReplayHistory`) from the reader
//! pool and hands it to the domain's replay twice — the records as they are, and the replay
//! under the asked rules. It writes nothing: no ledger posting, no audit record, no cap row.
use std::sync::atomic::{AtomicI64, AtomicU8, Ordering};
use std::time::Instant;

use chrono::NaiveDate;
use quan_domain::{
    figures, replay, FigureContext, Money, Rate, ReplayHistory, ReplayOutcome, ReplayRules, WhatIf,
    WhatIfInput, WhatIfStage, WHATIF_METHOD,
};
use sqlx::Row;

use super::Now;
use crate::error::{Result, StoreError};
use crate::rows::Program;
use crate::{Actor, Role, Store};

mod history;
pub use history::history;

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("what-if history, {what}: {e}"))
}

/// How far a run has come, shared between the run and whoever asks: its stage, the history
/// rows loaded so far (redemptions and usage records) and how many the history holds.
#[derive(Debug, Default)]
pub struct WhatIfProgress {
    stage: AtomicU8,
    loaded: AtomicI64,
    total: AtomicI64,
}

impl WhatIfProgress {
    pub fn stage(&self) -> WhatIfStage {
        WhatIfStage::from_index(self.stage.load(Ordering::Relaxed))
    }
    pub fn set_stage(&self, stage: WhatIfStage) {
        self.stage.store(stage.index(), Ordering::Relaxed);
    }
    pub fn loaded(&self) -> i64 {
        self.loaded.load(Ordering::Relaxed)
    }
    pub fn total(&self) -> i64 {
        self.total.load(Ordering::Relaxed)
    }
    fn add_loaded(&self, n: i64) {
        self.loaded.fetch_add(n, Ordering::Relaxed);
    }
}

fn day(ts: &str) -> Result<NaiveDate> {
    ts.get(..10)
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| corrupt("a timestamp", ts))
}

/// The rules the history was recorded under (the program's rules today).
pub fn recorded_rules(p: &Program) -> Result<ReplayRules> {
    let rate = |f: &str, b: i64| Rate::from_bps(f, b).map_err(|e| corrupt("program", e));
    let cap = |f: Option<i64>| f.filter(|c| *c > 0).map(Money::from_fen);
    Ok(ReplayRules {
        program: super::programs::rules_of(p)?,
        pilot_bonus: rate("pilot_bonus_bps", p.policy.pilot_bonus_bps)?,
        supplier_cap: cap(p.policy.supplier_cap_fen),
        group_year_cap: cap(p.policy.group_year_cap_fen),
        type_year_cap: cap(p.policy.type_year_cap_fen),
        allocated: p
            .funding
            .iter()
            .map(|f| Money::from_fen(f.allocated_fen))
            .collect(),
    })
}

/// A what-if checked and ready to run: the program, the rules it was recorded under and the
/// asked rules.
#[derive(Debug, Clone)]
pub struct PreparedWhatIf {
    program: Program,
    recorded: ReplayRules,
    rules: ReplayRules,
    input: WhatIfInput,
}

impl PreparedWhatIf {
    pub fn program_id(&self) -> &str {
        &self.program.id
    }
}

/// Checks a what-if for `program_id` (administrators, reviewers, auditors): the role, the
/// program, the asked rules. Everything a run can refuse for its input is refused here, before
/// anything is loaded.
pub async fn prepare(
    store: &Store,
    actor: &Actor,
    program_id: &str,
    input: &WhatIfInput,
) -> Result<PreparedWhatIf> {
    if !actor.is(Role::Admin) && !actor.is(Role::Reviewer) && !actor.is(Role::Auditor) {
        return Err(StoreError::forbidden(
            "only administrators, reviewers and auditors may run a what-if",
        ));
    }
    let program = super::programs::get(store, program_id).await?;
    let recorded = recorded_rules(&program)?;
    let shares: Vec<i64> = program.funding.iter().map(|f| f.share_bps).collect();
    let rules = input.apply(&recorded, &shares)?;
    Ok(PreparedWhatIf {
        program,
        recorded,
        rules,
        input: input.clone(),
    })
}

/// How many history rows a run will load: the program's redemptions and its usage records
/// (from the rollups, so the count does not scan the records).
async fn rows_to_load(store: &Store, program_id: &str) -> Result<i64> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM redemptions WHERE program_id = $1), \
                (SELECT CAST(COALESCE(SUM(records), 0) AS BIGINT) FROM usage_rollups WHERE program_id = $1)",
    )
    .bind(program_id)
    .fetch_one(store.reader())
    .await?;
    Ok(row.try_get::<i64, _>(0)? + row.try_get::<i64, _>(1)?)
}

/// Runs a prepared what-if, saying how far it has come in `progress`: the recorded figures and
/// the replay's under the asked rules, side by side. Writes nothing. The replay runs on a
/// blocking thread, so a long one does not hold up the server's other requests.
pub async fn run(
    store: &Store,
    prepared: PreparedWhatIf,
    now: &Now,
    progress: std::sync::Arc<WhatIfProgress>,
) -> Result<WhatIf> {
    let PreparedWhatIf {
        program,
        recorded,
        rules,
        input,
    } = prepared;
    progress
        .total
        .store(rows_to_load(store, &program.id).await?, Ordering::Relaxed);
    let started = Instant::now();
    let type_cap = recorded.type_year_cap.is_some() || rules.type_year_cap.is_some();
    let (h, redemptions, usage_records) = history(store, &program, type_cap, &progress).await?;
    let load_ms = started.elapsed().as_millis() as i64;
    progress.set_stage(WhatIfStage::Replaying);
    let today = now.today;
    let w = tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let replayed = replay(&h, &recorded, &rules);
        let replay_ms = started.elapsed().as_millis() as i64;
        side_by_side(&program, &h, &recorded, &rules, &replayed, today).map(|f| WhatIf {
            program_id: program.id.clone(),
            program_name: program.name.clone(),
            today,
            asked: input,
            recorded: f.0,
            replayed: f.1,
            grants: h.grants.len() as i64,
            redemptions,
            usage_records,
            load_ms,
            replay_ms,
            method: WHATIF_METHOD,
        })
    })
    .await
    .map_err(|e| StoreError::Corrupt(format!("what-if replay stopped: {e}")))??;
    progress.set_stage(WhatIfStage::Done);
    Ok(w)
}

/// The recorded figures and the replayed ones.
fn side_by_side(
    program: &Program,
    h: &ReplayHistory,
    recorded: &ReplayRules,
    rules: &ReplayRules,
    replayed: &ReplayOutcome,
    today: NaiveDate,
) -> Result<(quan_domain::WhatIfFigures, quan_domain::WhatIfFigures)> {
    let sources: Vec<(String, String)> = program
        .funding
        .iter()
        .map(|f| (f.source_id.clone(), f.source_name.clone()))
        .collect();
    let ends_on = day(&program.valid_until)?;
    let ctx = |allocated| FigureContext {
        sources: &sources,
        allocated,
        voucher_type: &program.voucher_type,
        today,
        ends_on,
    };
    Ok((
        figures(h, &ReplayOutcome::recorded(h), &ctx(&recorded.allocated)),
        figures(h, replayed, &ctx(&rules.allocated)),
    ))
}

/// Runs a what-if for `program_id` in one go (the export's path): [`prepare`], then [`run`].
pub async fn what_if(
    store: &Store,
    actor: &Actor,
    program_id: &str,
    input: &WhatIfInput,
    now: &Now,
) -> Result<WhatIf> {
    let prepared = prepare(store, actor, program_id, input).await?;
    run(store, prepared, now, Default::default()).await
}
