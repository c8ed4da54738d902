//! Group commit for usage batches.
//!
//! Senders submit batches to a queue; a writer task takes everything queued for one supplier (up
//! to `max_group_records`), ingests it in ONE transaction with [`usage::ingest_group`] — shared
//! reference reads, locks, voucher debits and one commit — and answers every sender only after
//! that commit. Batches arriving while a group commits form the next group, so under load
//! groups grow by themselves and per-batch costs (reading and updating ~1 row per voucher,
//! the commit's fsync) are paid once per group. Idempotency keys are claimed and their
//! responses stored inside the same transaction, as for any other money-moving request.
//!
//! If a group fails for a reason that is not a retryable database conflict, every batch of the
//! group is run again on its own, so one bad batch cannot fail its neighbours.
use std::collections::HashSet;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, Mutex};

use super::usage::signatures::{self, SignedBody};
use super::usage::{self, BatchPart, UsageBatchResult, UsageItem};
use super::Now;
use crate::error::{Result, StoreError};
use crate::{idempotency, Actor, Store};

/// An idempotency key claimed together with the batch.
#[derive(Debug, Clone)]
pub struct IdempotencyClaim {
    pub user_id: String,
    pub key: String,
    pub request_hash: String,
}

/// One sender's batch.
pub struct Submission {
    pub actor: Actor,
    pub supplier_id: String,
    pub batch_id: String,
    pub items: Vec<UsageItem>,
    pub now: Now,
    pub idempotency: Option<IdempotencyClaim>,
    /// The batch's signature headers and body digest (the body too when it is signed). Checked
    /// against the supplier's keys before anything is claimed; `None` only for senders that are
    /// not a supplier's network path (a signing supplier's batch without it is refused).
    pub signed: Option<SignedBody>,
}

/// The answer: the JSON body (fresh or replayed) with its HTTP status, and the parsed result
/// when it is fresh.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub result: Option<UsageBatchResult>,
}

struct Job {
    sub: Submission,
    reply: oneshot::Sender<Result<Answer>>,
}

#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    /// Writer tasks (each commits its own groups). SQLite has one writer connection anyway;
    /// on PostgreSQL several run in parallel, with row locks keeping them apart.
    pub writers: usize,
    /// Most records in one group.
    pub max_group_records: usize,
}

impl WriterOptions {
    pub fn for_store(store: &Store) -> WriterOptions {
        WriterOptions {
            writers: match store.dialect {
                crate::db::Dialect::Sqlite => 1,
                crate::db::Dialect::Postgres => 1,
            },
            max_group_records: 50_000,
        }
    }
}

/// The handle senders hold. Cheap to clone.
#[derive(Clone)]
pub struct UsageWriter {
    queue: mpsc::UnboundedSender<Job>,
}

impl UsageWriter {
    /// Starts the writer tasks on the current tokio runtime.
    pub fn start(store: Store, opts: WriterOptions) -> UsageWriter {
        let (queue, rx) = mpsc::unbounded_channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..opts.writers.max(1) {
            let (store, rx) = (store.clone(), rx.clone());
            tokio::spawn(async move { writer_loop(store, rx, opts.max_group_records).await });
        }
        UsageWriter { queue }
    }

    /// Queues a batch and waits until it is committed (or refused).
    pub async fn submit(&self, sub: Submission) -> Result<Answer> {
        usage::check_sender(&sub.actor, &sub.supplier_id, sub.items.len())?;
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Job { sub, reply })
            .map_err(|_| StoreError::Corrupt("the usage writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Corrupt("the usage writer dropped a batch".into()))?
    }
}

async fn writer_loop(
    store: Store,
    rx: Arc<Mutex<mpsc::UnboundedReceiver<Job>>>,
    max_records: usize,
) {
    // Jobs taken from the queue that did not fit the last group (another supplier, a repeated
    // idempotency key, the size limit) go first next time.
    let mut held: Vec<Job> = Vec::new();
    loop {
        if held.is_empty() {
            let Some(job) = rx.lock().await.recv().await else {
                return;
            };
            held.push(job);
        }
        {
            let mut q = rx.lock().await;
            let mut queued: usize = held.iter().map(|j| j.sub.items.len()).sum();
            while queued < max_records {
                match q.try_recv() {
                    Ok(job) => {
                        queued += job.sub.items.len();
                        held.push(job);
                    }
                    Err(_) => break,
                }
            }
        }
        let (group, rest) = take_group(std::mem::take(&mut held), max_records);
        held = rest;
        run_group(&store, group).await;
    }
}

/// The first job's supplier: its jobs in order while they fit, skipping a job whose
/// idempotency key is already in the group (it must see the first one's committed answer).
fn take_group(jobs: Vec<Job>, max_records: usize) -> (Vec<Job>, Vec<Job>) {
    let supplier = jobs[0].sub.supplier_id.clone();
    let (mut group, mut rest) = (Vec::new(), Vec::new());
    let mut keys: HashSet<(String, String)> = HashSet::new();
    let mut records = 0usize;
    for job in jobs {
        let key = job
            .sub
            .idempotency
            .as_ref()
            .map(|c| (c.user_id.clone(), c.key.clone()));
        let fits = group.is_empty() || records + job.sub.items.len() <= max_records;
        let fresh_key = key.as_ref().is_none_or(|k| !keys.contains(k));
        if job.sub.supplier_id == supplier && fits && fresh_key && rest.is_empty() {
            records += job.sub.items.len();
            keys.extend(key);
            group.push(job);
        } else {
            rest.push(job);
        }
    }
    (group, rest)
}

async fn run_group(store: &Store, group: Vec<Job>) {
    let subs: Vec<&Submission> = group.iter().map(|j| &j.sub).collect();
    match commit_group(store, &subs).await {
        Ok(answers) => {
            for (job, a) in group.into_iter().zip(answers) {
                let _ = job.reply.send(a);
            }
        }
        Err(_) if group.len() > 1 => {
            // Find the culprit: each batch on its own.
            for job in group {
                let one = commit_group(store, &[&job.sub])
                    .await
                    .and_then(|mut a| a.pop().expect("one answer"));
                let _ = job.reply.send(one);
            }
        }
        Err(e) => {
            let job = group.into_iter().next().expect("one job");
            let _ = job.reply.send(Err(e));
        }
    }
}

/// The signature check of the group's fresh batches against the supplier's keys (read once): a
/// refused batch is answered with the refusal and gives its idempotency claim back, so a
/// corrected resend may reuse its key; a replay was answered from its stored response before.
/// Returns the batches that go on, and the key each was signed with.
async fn check_signatures(
    tx: &mut crate::db::Tx,
    supplier_id: &str,
    subs: &[&Submission],
    fresh: Vec<usize>,
    answers: &mut [Option<Result<Answer>>],
) -> Result<(Vec<usize>, Vec<Option<String>>)> {
    let keys = signatures::supplier_keys(tx, supplier_id, false).await?;
    let mut signed_by: Vec<Option<String>> = vec![None; subs.len()];
    let mut kept = Vec::with_capacity(fresh.len());
    for k in fresh {
        let s = subs[k];
        let idem = s.idempotency.as_ref().map_or("", |c| c.key.as_str());
        match signatures::check(&keys, supplier_id, idem, s.signed.as_ref()) {
            Ok(key) => {
                signed_by[k] = key;
                kept.push(k);
            }
            Err(e) => {
                if let Some(c) = &s.idempotency {
                    idempotency::release(tx, &c.user_id, &c.key).await?;
                }
                answers[k] = Some(Err(e));
            }
        }
    }
    Ok((kept, signed_by))
}

/// One transaction for the whole group, retried on serialization failures and deadlocks.
/// Per-job outcomes that do not spoil the group (an idempotency key reused for another request,
/// a replay) come back as that job's answer.
async fn commit_group(store: &Store, subs: &[&Submission]) -> Result<Vec<Result<Answer>>> {
    let now = &subs.last().expect("a group has a job").now;
    let supplier_id = subs[0].supplier_id.as_str();
    // Claims come first so that the transaction's first statement writes: SQLite then takes the
    // write lock at once, where a read first would make the lock upgrade fail BUSY (no wait)
    // while another process's group holds it.
    crate::in_tx!(store, |tx| {
        let mut answers: Vec<Option<Result<Answer>>> = Vec::with_capacity(subs.len());
        let mut fresh: Vec<usize> = Vec::new();
        for (k, s) in subs.iter().enumerate() {
            let Some(c) = &s.idempotency else {
                answers.push(None);
                fresh.push(k);
                continue;
            };
            match idempotency::claim(&mut tx, &c.user_id, &c.key, &c.request_hash, &s.now.ts).await
            {
                Ok(None) => {
                    answers.push(None);
                    fresh.push(k);
                }
                Ok(Some(replay)) => answers.push(Some(Ok(Answer {
                    status: replay.status,
                    body: replay.body,
                    result: None,
                }))),
                Err(StoreError::IdempotencyMismatch) => {
                    answers.push(Some(Err(StoreError::IdempotencyMismatch)))
                }
                Err(e) => return Err(e),
            }
        }
        let (fresh, signed_by) =
            check_signatures(&mut tx, supplier_id, subs, fresh, &mut answers).await?;
        let parts: Vec<BatchPart> = fresh
            .iter()
            .map(|&k| BatchPart {
                actor: &subs[k].actor,
                batch_id: &subs[k].batch_id,
                items: &subs[k].items,
            })
            .collect();
        let results = if parts.is_empty() {
            Vec::new()
        } else {
            usage::ingest_group(&mut tx, supplier_id, &parts, now).await?
        };
        for (&k, result) in fresh.iter().zip(results) {
            if let (Some(key_id), Some(signed)) = (&signed_by[k], &subs[k].signed) {
                let idem = subs[k].idempotency.as_ref().map_or("", |c| c.key.as_str());
                signatures::store_signed(
                    &mut tx,
                    &subs[k].batch_id,
                    supplier_id,
                    key_id,
                    idem,
                    signed,
                    &subs[k].now.ts,
                )
                .await?;
            }
            let body =
                serde_json::to_string(&result).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            if let Some(c) = &subs[k].idempotency {
                idempotency::finish(&mut tx, &c.user_id, &c.key, 200, &body).await?;
            }
            answers[k] = Some(Ok(Answer {
                status: 200,
                body,
                result: Some(result),
            }));
        }
        Ok(answers
            .into_iter()
            .map(|a| a.expect("every job answered"))
            .collect())
    })
}
