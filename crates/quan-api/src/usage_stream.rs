//! Usage batches from NATS JetStream (issue 14 E): `quan serve --usage-stream nats://…` consumes
//! the stream `QUAN_USAGE` (subjects `quan.usage.<supplier id>`, one per compute supplier) with
//! a durable pull consumer, puts every message through the same submission as
//! `POST /api/v1/usage` (parsing, limits, Idempotency-Key, signature, group commit) and
//! acknowledges it only after its group committed. A message delivered again after a crash
//! finds its Idempotency-Key claimed and gets the stored answer: never counted twice.
//!
//! A message carries headers `Idempotency-Key` (required), `Quan-Signature` (required: anyone
//! who can publish on the subject could otherwise claim the supplier's usage, so the stream only
//! takes batches of suppliers that sign), optionally `Quan-Key-Id`, `Content-Type`
//! (`application/x-ndjson` for NDJSON) and `Quan-Reply`, a subject the per-record results (or
//! the refusal, as the HTTP error body) are published to.
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{self, consumer, stream, AckKind};
use futures::StreamExt;
use quan_store::{Actor, Role};
use tokio::sync::Semaphore;

use crate::error::ApiError;
use crate::extract::IdempotencyKey;
use crate::routes::usage::{is_ndjson, submit_batch, SentSignature};
use crate::state::AppState;

pub const STREAM: &str = "QUAN_USAGE";
pub const SUBJECT_PREFIX: &str = "quan.usage.";
pub const CONSUMER: &str = "quan-usage-writer";
/// The header naming the subject the results go to.
pub const REPLY_HEADER: &str = "Quan-Reply";
/// Messages handled at once: enough for the writer's groups to fill while one commits.
const IN_FLIGHT: usize = 256;
/// A message not acknowledged within this is delivered again (the consumer crashed); a message
/// waiting in the writer's queue says "in progress" every third of it, so a long queue does
/// not cause redeliveries.
const ACK_WAIT: Duration = Duration::from_secs(10);

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Creates (or binds to) the stream and the durable consumer.
pub async fn consumer(js: &jetstream::Context) -> Result<consumer::PullConsumer, BoxError> {
    let stream = js
        .get_or_create_stream(stream::Config {
            name: STREAM.to_string(),
            subjects: vec![format!("{SUBJECT_PREFIX}>")],
            storage: stream::StorageType::File,
            ..Default::default()
        })
        .await?;
    Ok(stream
        .get_or_create_consumer(
            CONSUMER,
            consumer::pull::Config {
                durable_name: Some(CONSUMER.to_string()),
                ack_policy: consumer::AckPolicy::Explicit,
                ack_wait: ACK_WAIT,
                max_ack_pending: IN_FLIGHT as i64 * 4,
                ..Default::default()
            },
        )
        .await?)
}

/// Consumes until the process ends; a lost connection is retried every second.
pub async fn run(state: AppState, url: String) {
    loop {
        match consume(&state, &url).await {
            Ok(()) => tracing::warn!("usage stream ended; reconnecting"),
            Err(e) => tracing::warn!("usage stream {url}: {e}; retrying in 1 s"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn consume(state: &AppState, url: &str) -> Result<(), BoxError> {
    let client = async_nats::connect(url).await?;
    let js = jetstream::new(client.clone());
    let consumer = consumer(&js).await?;
    tracing::info!("consuming usage from {url}, stream {STREAM}");
    let mut messages = consumer.messages().await?;
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    while let Some(msg) = messages.next().await {
        let msg = msg?;
        let permit = slots.clone().acquire_owned().await?;
        let (state, client) = (state.clone(), client.clone());
        tokio::spawn(async move {
            handle(&state, &client, msg).await;
            drop(permit);
        });
    }
    Ok(())
}

fn header<'a>(msg: &'a jetstream::Message, name: &str) -> Option<&'a str> {
    msg.headers
        .as_ref()
        .and_then(|h| h.get(name))
        .map(|v| v.as_str())
}

/// One message: submitted, answered on its reply subject, then acknowledged; a retryable
/// database failure is left for redelivery instead.
async fn handle(state: &AppState, client: &async_nats::Client, msg: jetstream::Message) {
    let work = submit(state, &msg);
    tokio::pin!(work);
    let mut beat = tokio::time::interval(ACK_WAIT / 3);
    beat.tick().await;
    let outcome = loop {
        tokio::select! {
            out = &mut work => break out,
            _ = beat.tick() => {
                let _ = msg.ack_with(AckKind::Progress).await;
            }
        }
    };
    let (body, ack) = match outcome {
        Ok(answer) => (answer.body, AckKind::Ack),
        Err(e) if e.status == axum::http::StatusCode::SERVICE_UNAVAILABLE => {
            (String::new(), AckKind::Nak(Some(Duration::from_secs(1))))
        }
        Err(e) => (
            serde_json::to_string(&e.body).unwrap_or_default(),
            AckKind::Term,
        ),
    };
    if let (Some(reply), false) = (header(&msg, REPLY_HEADER), body.is_empty()) {
        if let Err(e) = client.publish(reply.to_string(), body.into()).await {
            tracing::warn!("usage stream: reply to {reply}: {e}");
        }
    }
    // Acknowledged only now: the group committed (or the message was refused for good).
    if let Err(e) = msg.double_ack_with(ack).await {
        tracing::warn!("usage stream: acknowledging {}: {e}", msg.subject);
    }
}

async fn submit(
    state: &AppState,
    msg: &jetstream::Message,
) -> Result<quan_store::ops::usage_writer::Answer, ApiError> {
    let supplier_id = msg
        .subject
        .as_str()
        .strip_prefix(SUBJECT_PREFIX)
        .filter(|s| !s.is_empty() && !s.contains('.'))
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_subject",
                Some("subject"),
                format!("subject: usage goes to {SUBJECT_PREFIX}<supplier id>"),
            )
        })?
        .to_string();
    let key = IdempotencyKey::new(
        header(msg, "Idempotency-Key").unwrap_or(""),
        format!("STREAM {}", msg.subject),
    )?;
    let sent = SentSignature {
        signature: header(msg, quan_domain::SIGNATURE_HEADER).map(str::to_string),
        key_id: header(msg, quan_domain::KEY_ID_HEADER).map(str::to_string),
    };
    if sent.signature.is_none() {
        // Without a key on file the writer would not ask for one: the stream always does.
        return Err(ApiError::bad_request(
            "signature_missing",
            Some(quan_domain::SIGNATURE_HEADER),
            "Quan-Signature: usage on the stream must be signed with the supplier's registered key",
        ));
    }
    let mut conn = state
        .store
        .reader()
        .acquire()
        .await
        .map_err(quan_store::StoreError::from)?;
    let keys =
        quan_store::ops::usage::signatures::supplier_keys(&mut conn, &supplier_id, false).await?;
    drop(conn);
    if keys.iter().all(|k| k.retired_at.is_some()) {
        return Err(ApiError::bad_request(
            "signature_key_unknown",
            Some(quan_domain::SIGNATURE_HEADER),
            format!("supplier {supplier_id} has no registered usage key; the stream takes signed usage only"),
        ));
    }
    let actor = Actor {
        user_id: format!("stream:{supplier_id}"),
        username: format!("usage-stream:{supplier_id}"),
        role: Role::Supplier,
        enterprise_id: None,
        supplier_id: Some(supplier_id.clone()),
    };
    let ndjson = header(msg, "Content-Type").is_some_and(is_ndjson);
    submit_batch(state, &actor, supplier_id, key, &msg.payload, ndjson, sent).await
}
