//! Consents of the data authorization hub: one scenario, one authorization — a natural
//! person's consent recorded by the scenario's operator, a legal person's given by the
//! enterprise itself — revocation at any time, and the receipt the subject keeps.
use quan_domain::{
    plan_consent, ConsentInput, ConsentReceipt, DataConsent, ScenarioFacts, SubjectKind,
};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::data_hub::{chain, corrupt, day, facts_of, set_of};
use super::{fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::rows::Page;
use crate::{Actor, Role, Store};

/// Sort keys of the consent list.
pub const CONSENT_SORTS: &[super::SortKey] = &[
    ("granted_at", "c.granted_at"),
    ("expires_at", "c.expires_at"),
];

/// The subject a consent input names, as the actor may name it.
fn subject_of(actor: &Actor, kind: SubjectKind, id: Option<&str>) -> Result<String> {
    let id = id.map(str::trim).filter(|s| !s.is_empty());
    match (kind, actor.role) {
        (SubjectKind::LegalPerson, Role::Enterprise) => {
            let own = actor.enterprise_scope().unwrap_or("-");
            match id {
                Some(other) if other != own => Err(StoreError::forbidden(
                    "an enterprise consents only for itself",
                )),
                _ => Ok(own.to_string()),
            }
        }
        (_, _) => id
            .map(|s| quan_domain::validate_text("subject_id", s, 64))
            .transpose()?
            .ok_or_else(|| {
                quan_domain::ValidationError::new(
                    "subject_id",
                    "required",
                    "subject_id: the subject's id is required",
                )
                .into()
            }),
    }
}

pub async fn grant_consent(
    tx: &mut Tx,
    actor: &Actor,
    input: &ConsentInput,
    now: &Now,
) -> Result<DataConsent> {
    let kind = SubjectKind::parse("subject_kind", &input.subject_kind)?;
    let subject = subject_of(actor, kind, input.subject_id.as_deref())?;
    sqlx::query("UPDATE data_authorizations SET name = name WHERE id = $1")
        .bind(&input.scenario_id)
        .execute(&mut **tx)
        .await?;
    let c = chain(tx, &input.scenario_id).await?;
    let scenario = c.first().ok_or_else(|| {
        StoreError::from(quan_domain::ValidationError::new(
            "scenario_id",
            "not_found",
            format!("scenario_id: no scenario {}", input.scenario_id),
        ))
    })?;
    // A natural person's consent is recorded by the scenario's operator (collected in its
    // service) or the administrator; a legal person consents itself.
    let recorder_ok = match (kind, actor.role) {
        (_, Role::Admin) => true,
        (SubjectKind::LegalPerson, Role::Enterprise) => true,
        (SubjectKind::NaturalPerson, Role::Enterprise) => {
            actor.enterprise_scope() == Some(scenario.operator_id.as_str())
        }
        _ => false,
    };
    if !recorder_ok {
        return Err(StoreError::forbidden("a natural person's consent is recorded by the scenario's operator; a legal person consents for itself"));
    }
    if kind == SubjectKind::LegalPerson {
        super::enterprises::load(tx, &subject).await.map_err(|_| {
            StoreError::from(quan_domain::ValidationError::new(
                "subject_id",
                "not_found",
                format!("subject_id: no enterprise {subject}"),
            ))
        })?;
    }
    let facts = ScenarioFacts {
        chain: c.iter().map(facts_of).collect(),
    };
    let terms = plan_consent(
        &facts,
        kind,
        input.fields.as_deref(),
        &input.expires_at,
        now.today,
    )?;
    // An expired consent gives way to the new one; a live one is the subject's authorization.
    sqlx::query("UPDATE data_consents SET live = 0 WHERE scenario_id = $1 AND subject_kind = $2 AND subject_id = $3 AND live = 1 AND expires_at < $4")
        .bind(&input.scenario_id)
        .bind(kind.as_str())
        .bind(&subject)
        .bind(now.today.to_string())
        .execute(&mut **tx)
        .await?;
    let id = new_id("dcs");
    let inserted = sqlx::query("INSERT INTO data_consents (id, scenario_id, subject_kind, subject_id, fields, granted_at, expires_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(&id)
        .bind(&input.scenario_id)
        .bind(kind.as_str())
        .bind(&subject)
        .bind(to_json(&terms.fields))
        .bind(&now.ts)
        .bind(terms.expires_at.to_string())
        .bind(actor.label())
        .execute(&mut **tx)
        .await;
    if let Err(e) = inserted {
        return Err(StoreError::on_unique(e, || {
            StoreError::conflict_field("consent_exists", "scenario_id", "scenario_id: the subject already consented to this scenario (one scenario, one authorization); revoke it first")
        }));
    }
    let c = load_consent(tx, &id).await?;
    audit::append(
        tx,
        actor,
        "data_consent.grant",
        &id,
        "null",
        &to_json(&c),
        &now.ts,
    )
    .await?;
    Ok(c)
}

const CONSENT_COLUMNS: &str = "c.id, c.scenario_id, a.name AS scenario_name, a.operator_id, e.name AS operator_name, a.purpose, c.subject_kind, c.subject_id, \
     c.fields, c.granted_at, c.expires_at, c.revoked_at, \
     CAST((SELECT COUNT(*) FROM data_uses u WHERE u.consent_id = c.id) AS BIGINT) AS use_count";
const CONSENT_FROM: &str = "data_consents c JOIN data_authorizations a ON a.id = c.scenario_id JOIN enterprises e ON e.id = a.operator_id";

fn consent_row(r: &AnyRow) -> Result<DataConsent> {
    Ok(DataConsent {
        id: r.try_get("id")?,
        scenario_id: r.try_get("scenario_id")?,
        scenario_name: r.try_get("scenario_name")?,
        operator_id: r.try_get("operator_id")?,
        operator_name: r.try_get("operator_name")?,
        purpose: r.try_get("purpose")?,
        subject_kind: SubjectKind::parse("subject_kind", &r.try_get::<String, _>("subject_kind")?)
            .map_err(corrupt)?,
        subject_id: r.try_get("subject_id")?,
        fields: set_of(&r.try_get::<String, _>("fields")?)?
            .into_iter()
            .collect(),
        granted_at: r.try_get("granted_at")?,
        expires_at: day(r, "expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
        use_count: r.try_get("use_count")?,
    })
}

async fn load_consent(conn: &mut sqlx::AnyConnection, id: &str) -> Result<DataConsent> {
    let sql = format!("SELECT {CONSENT_COLUMNS} FROM {CONSENT_FROM} WHERE c.id = $1");
    let r = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    r.as_ref()
        .map(consent_row)
        .transpose()?
        .ok_or_else(|| not_found("consent"))
}

/// Only enterprises (as subject or operator), the administrator and the auditor read consents:
/// another role is refused outright, before any consent is looked up.
fn consent_reader(actor: &Actor) -> Result<()> {
    match actor.role {
        Role::Enterprise | Role::Admin | Role::Auditor => Ok(()),
        _ => Err(StoreError::forbidden(
            "consents are seen by their subject, the operator, the administrator and the auditor",
        )),
    }
}

/// The subject (a legal person for itself), the scenario's operator, the administrator and the
/// auditor see a consent.
fn visible_consent(actor: &Actor, c: &DataConsent) -> bool {
    match actor.role {
        Role::Enterprise => {
            let own = actor.enterprise_scope().unwrap_or("-");
            c.operator_id == own
                || (c.subject_kind == SubjectKind::LegalPerson && c.subject_id == own)
        }
        Role::Admin | Role::Auditor => true,
        _ => false,
    }
}

pub async fn revoke_consent(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    now: &Now,
) -> Result<DataConsent> {
    consent_reader(actor)?;
    sqlx::query("UPDATE data_consents SET live = live WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let before = load_consent(tx, id)
        .await
        .ok()
        .filter(|c| visible_consent(actor, c))
        .ok_or_else(|| not_found("consent"))?;
    if actor.is(Role::Auditor) {
        return Err(StoreError::forbidden(
            "auditors read consents; they do not revoke them",
        ));
    }
    if before.revoked_at.is_some() {
        return Err(StoreError::conflict(
            "already_revoked",
            "the consent is already revoked",
        ));
    }
    sqlx::query("UPDATE data_consents SET revoked_at = $1, live = 0 WHERE id = $2")
        .bind(&now.ts)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let after = load_consent(tx, id).await?;
    audit::append(
        tx,
        actor,
        "data_consent.revoke",
        id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}

pub async fn get_consent(store: &Store, actor: &Actor, id: &str) -> Result<DataConsent> {
    consent_reader(actor)?;
    let mut conn = store.reader().acquire().await?;
    load_consent(&mut conn, id)
        .await
        .ok()
        .filter(|c| visible_consent(actor, c))
        .ok_or_else(|| not_found("consent"))
}

/// The receipt the subject keeps.
pub async fn receipt(store: &Store, actor: &Actor, id: &str) -> Result<ConsentReceipt> {
    let c = get_consent(store, actor, id).await?;
    let mut conn = store.reader().acquire().await?;
    let s = chain(&mut conn, &c.scenario_id)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| not_found("scenario"))?;
    Ok(ConsentReceipt {
        version: "KI-CR-v1.1.0".into(),
        jurisdiction: "CN-SD".into(),
        consent_receipt_id: c.id.clone(),
        consent_timestamp: c.granted_at.clone(),
        collection_method: match c.subject_kind {
            SubjectKind::LegalPerson => "quan consent centre".into(),
            SubjectKind::NaturalPerson => format!("recorded by operator {}", c.operator_name),
        },
        pii_principal_id: c.subject_id.clone(),
        subject_kind: c.subject_kind,
        pii_controller: c.operator_name.clone(),
        pii_controller_id: c.operator_id.clone(),
        purpose: s.purpose.clone(),
        recipients: s.recipients.clone(),
        pii_categories: c.fields.clone(),
        legal_basis: "consent (PIPL art. 13(1)); one scenario, one authorization".into(),
        expires_at: c.expires_at,
        revoked_at: c.revoked_at.clone(),
        scenario_id: s.id.clone(),
        scenario_name: s.name.clone(),
        digest: String::new(),
    }
    .sealed())
}

#[derive(Debug, Default, Clone)]
pub struct ConsentQuery {
    pub scenario_id: Option<String>,
    pub subject_id: Option<String>,
}

pub async fn list_consents(
    store: &Store,
    actor: &Actor,
    q: &ConsentQuery,
    page: PageReq,
) -> Result<Page<DataConsent>> {
    let mut f = Filter::new();
    match actor.role {
        Role::Enterprise => {
            let own = actor.enterprise_scope().unwrap_or("-").to_string();
            f.add_many(
                "(a.operator_id = ? OR (c.subject_kind = 'legal_person' AND c.subject_id = ?))",
                vec![Arg::S(own.clone()), Arg::S(own)],
            );
        }
        _ => consent_reader(actor)?,
    }
    f.eq_opt("c.scenario_id", q.scenario_id.as_deref())
        .eq_opt("c.subject_id", q.subject_id.as_deref());
    fetch_page(
        store,
        CONSENT_COLUMNS,
        CONSENT_FROM,
        &f,
        "c.granted_at DESC, c.id",
        page,
        consent_row,
    )
    .await
}
