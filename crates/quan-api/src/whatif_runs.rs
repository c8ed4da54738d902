//! What-if runs in the background: `POST /programs/{id}/what-if/runs` checks the asked rules at
//! once (a refusal is the same 4xx as the one-request what-if) and answers 202 with a run; the
//! replay then loads and runs on the server while `GET /what-if-runs/{run}` says its stage, the
//! rows loaded of the rows the history holds, the time taken, and at the end the answer or the
//! error. Runs live in this process only (they write nothing, so nothing is lost when it stops):
//! at most [`MAX_RUNNING`] at once (429 `whatif_busy` beyond), an ended run is kept
//! [`KEPT_FOR`], and only the user who started a run may read it.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use quan_domain::{whatif_progress_bps, WhatIf, WhatIfStage};
use quan_store::ops::whatif::{PreparedWhatIf, WhatIfProgress};
use quan_store::ops::Now;
use quan_store::Store;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};

/// Most runs loading or replaying at once, over all users.
pub const MAX_RUNNING: usize = 4;
/// How long an ended run can still be read.
pub const KEPT_FOR: Duration = Duration::from_secs(600);

/// A what-if run as its owner sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhatIfRun {
    pub id: String,
    pub program_id: String,
    pub stage: WhatIfStage,
    /// How far it has come, in basis points (10000 = done).
    pub progress_bps: i64,
    /// History rows (redemptions and usage records) loaded so far, and how many there are.
    pub loaded_rows: i64,
    pub total_rows: i64,
    /// Time since the run started (to its end once ended).
    pub elapsed_ms: i64,
    /// The answer, once done.
    pub result: Option<WhatIf>,
    /// Why it failed, once failed.
    pub error: Option<ErrorBody>,
}

struct Run {
    owner: String,
    program_id: String,
    progress: Arc<WhatIfProgress>,
    started: Instant,
    ended: Option<Instant>,
    result: Option<Result<WhatIf, ErrorBody>>,
}

impl Run {
    fn view(&self, id: &str) -> WhatIfRun {
        let stage = match &self.result {
            Some(Ok(_)) => WhatIfStage::Done,
            Some(Err(_)) => WhatIfStage::Failed,
            None => self.progress.stage(),
        };
        let (loaded, total) = (self.progress.loaded(), self.progress.total());
        let end = self.ended.unwrap_or_else(Instant::now);
        WhatIfRun {
            id: id.to_string(),
            program_id: self.program_id.clone(),
            stage,
            progress_bps: whatif_progress_bps(stage, loaded, total),
            loaded_rows: loaded,
            total_rows: total,
            elapsed_ms: end.duration_since(self.started).as_millis() as i64,
            result: self.result.as_ref().and_then(|r| r.as_ref().ok().cloned()),
            error: self.result.as_ref().and_then(|r| r.as_ref().err().cloned()),
        }
    }
}

/// The runs of this process.
#[derive(Clone, Default)]
pub struct WhatIfRuns {
    runs: Arc<Mutex<HashMap<String, Run>>>,
}

fn busy() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::TOO_MANY_REQUESTS,
        "whatif_busy",
        format!("{MAX_RUNNING} what-if runs are already running; try again when one has ended"),
        None,
    )
}

impl WhatIfRuns {
    /// Starts `prepared` for `owner` and answers its first view.
    pub fn start(
        &self,
        store: Store,
        owner: &str,
        prepared: PreparedWhatIf,
        now: Now,
    ) -> Result<WhatIfRun, ApiError> {
        let progress = Arc::new(WhatIfProgress::default());
        let view = self.admit(owner, prepared.program_id(), progress.clone())?;
        let (this, id) = (self.clone(), view.id.clone());
        tokio::spawn(async move {
            // The run in a task of its own, so that even a panic in it ends the run (as failed)
            // and frees its place instead of holding it until the server restarts.
            let run = tokio::spawn(async move {
                quan_store::ops::whatif::run(&store, prepared, &now, progress).await
            });
            let outcome = match run.await {
                Ok(outcome) => outcome.map_err(|e| ApiError::from(e).body),
                Err(e) => Err(ApiError::from(quan_store::StoreError::Corrupt(format!(
                    "what-if run stopped: {e}"
                )))
                .body),
            };
            this.finish(&id, outcome);
        });
        Ok(view)
    }

    /// Enters a new run unless [`MAX_RUNNING`] are running; forgets runs ended long ago.
    fn admit(
        &self,
        owner: &str,
        program_id: &str,
        progress: Arc<WhatIfProgress>,
    ) -> Result<WhatIfRun, ApiError> {
        let mut runs = self.runs.lock().expect("what-if runs lock");
        runs.retain(|_, r| r.ended.is_none_or(|e| e.elapsed() < KEPT_FOR));
        if runs.values().filter(|r| r.ended.is_none()).count() >= MAX_RUNNING {
            return Err(busy());
        }
        let id = uuid::Uuid::new_v4().to_string();
        let run = Run {
            owner: owner.to_string(),
            program_id: program_id.to_string(),
            progress,
            started: Instant::now(),
            ended: None,
            result: None,
        };
        let view = run.view(&id);
        runs.insert(id, run);
        Ok(view)
    }

    fn finish(&self, id: &str, outcome: Result<WhatIf, ErrorBody>) {
        if let Some(run) = self.runs.lock().expect("what-if runs lock").get_mut(id) {
            run.result = Some(outcome);
            run.ended = Some(Instant::now());
        }
    }

    /// The run `id` as `owner` sees it; another user's run is not found.
    pub fn get(&self, owner: &str, id: &str) -> Result<WhatIfRun, ApiError> {
        let runs = self.runs.lock().expect("what-if runs lock");
        match runs.get(id) {
            Some(r) if r.owner == owner && r.ended.is_none_or(|e| e.elapsed() < KEPT_FOR) => {
                Ok(r.view(id))
            }
            _ => Err(ApiError::not_found("what-if run")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed() -> ErrorBody {
        ErrorBody {
            code: "internal".into(),
            message: "x".into(),
            field: None,
        }
    }

    #[test]
    fn at_most_four_run_at_once_and_an_ended_run_frees_its_place() {
        let runs = WhatIfRuns::default();
        let ids: Vec<String> = (0..MAX_RUNNING)
            .map(|_| runs.admit("u1", "p", Default::default()).unwrap().id)
            .collect();
        let refused = runs.admit("u2", "p", Default::default()).unwrap_err();
        assert_eq!(refused.status, axum::http::StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(refused.body.code, "whatif_busy");
        runs.finish(&ids[0], Err(failed()));
        let ended = runs.get("u1", &ids[0]).unwrap();
        assert_eq!(ended.stage, WhatIfStage::Failed);
        assert_eq!(ended.error.unwrap().code, "internal");
        assert!(runs.admit("u2", "p", Default::default()).is_ok());
    }

    #[test]
    fn only_the_owner_reads_a_run() {
        let runs = WhatIfRuns::default();
        let id = runs.admit("u1", "p", Default::default()).unwrap().id;
        let mine = runs.get("u1", &id).unwrap();
        assert_eq!((mine.stage, mine.progress_bps), (WhatIfStage::Queued, 0));
        assert_eq!(runs.get("u2", &id).unwrap_err().body.code, "not_found");
        assert_eq!(runs.get("u1", "nope").unwrap_err().body.code, "not_found");
    }
}
