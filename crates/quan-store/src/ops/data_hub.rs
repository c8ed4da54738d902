//! The data authorization hub: authorizations (overall → sub-domain → scenario), consents (one
//! scenario, one authorization), the check that answers "may this operator use these fields
//! now?" and logs every yes as a use, and the operators' annual disclosures. The check reads
//! the database every time (no cache), so a revocation committed on one server is seen by the
//! next check on any other.
use std::collections::BTreeSet;

use chrono::NaiveDate;
use quan_domain::{
    check_nesting, decide_check, in_force, plan_consent, AuthorizationFacts, AuthorizationInput,
    AuthorizationLevel, AuthorizationTerms, CheckDecision, CheckFacts, CheckInput, ConsentFacts,
    ConsentInput, ConsentReceipt, DataAuthorization, DataClass, DataConsent, DataDisclosure,
    DisclosedItem, DisclosureInput, ScenarioFacts, SubjectKind,
};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::rows::Page;
use crate::{Actor, Role, Store};

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("data authorization: {e}"))
}

fn set_of(json: &str) -> Result<BTreeSet<String>> {
    serde_json::from_str(json).map_err(corrupt)
}

fn day(r: &AnyRow, col: &str) -> Result<NaiveDate> {
    r.try_get::<String, _>(col)?.parse().map_err(corrupt)
}

const AUTH_COLUMNS: &str = "a.id, a.level, a.data_class, a.parent_id, a.name, a.authority, a.operator_id, e.name AS operator_name, a.purpose, \
     a.fields, a.resources, a.recipients, a.valid_from, a.valid_until, a.revoked_at, a.revoke_reason, a.created_at";
const AUTH_FROM: &str = "data_authorizations a JOIN enterprises e ON e.id = a.operator_id";

fn auth_row(r: &AnyRow) -> Result<DataAuthorization> {
    Ok(DataAuthorization {
        id: r.try_get("id")?,
        level: AuthorizationLevel::parse("level", &r.try_get::<String, _>("level")?)
            .map_err(corrupt)?,
        data_class: DataClass::parse("data_class", &r.try_get::<String, _>("data_class")?)
            .map_err(corrupt)?,
        parent_id: r.try_get("parent_id")?,
        name: r.try_get("name")?,
        authority: r.try_get("authority")?,
        operator_id: r.try_get("operator_id")?,
        operator_name: r.try_get("operator_name")?,
        purpose: r.try_get("purpose")?,
        fields: set_of(&r.try_get::<String, _>("fields")?)?
            .into_iter()
            .collect(),
        resources: set_of(&r.try_get::<String, _>("resources")?)?
            .into_iter()
            .collect(),
        recipients: set_of(&r.try_get::<String, _>("recipients")?)?
            .into_iter()
            .collect(),
        valid_from: day(r, "valid_from")?,
        valid_until: day(r, "valid_until")?,
        revoked_at: r.try_get("revoked_at")?,
        revoke_reason: r.try_get("revoke_reason")?,
        in_force: true,
        not_in_force_reason: None,
        created_at: r.try_get("created_at")?,
    })
}

fn facts_of(a: &DataAuthorization) -> AuthorizationFacts {
    AuthorizationFacts {
        id: a.id.clone(),
        level: a.level,
        data_class: a.data_class,
        operator_id: a.operator_id.clone(),
        fields: a.fields.iter().cloned().collect(),
        resources: a.resources.iter().cloned().collect(),
        valid_from: a.valid_from,
        valid_until: a.valid_until,
        revoked: a.revoked_at.is_some(),
    }
}

/// The authorization and its ancestors, nearest first (at most three levels).
async fn chain(conn: &mut sqlx::AnyConnection, id: &str) -> Result<Vec<DataAuthorization>> {
    let sql = format!("SELECT {AUTH_COLUMNS} FROM {AUTH_FROM} WHERE a.id = $1");
    let mut out = Vec::new();
    let mut next = Some(id.to_string());
    while let Some(id) = next.take() {
        if out.len() >= 3 {
            break;
        }
        let Some(r) = sqlx::query(&sql)
            .bind(&id)
            .fetch_optional(&mut *conn)
            .await?
        else {
            break;
        };
        let a = auth_row(&r)?;
        next = a.parent_id.clone();
        out.push(a);
    }
    Ok(out)
}

fn with_force(
    mut a: DataAuthorization,
    chain: &[DataAuthorization],
    today: NaiveDate,
) -> DataAuthorization {
    let facts: Vec<_> = chain.iter().map(facts_of).collect();
    if let Err(e) = in_force(&facts, today) {
        a.in_force = false;
        a.not_in_force_reason = Some(e.message());
    }
    a
}

/// Who grants at each level: the administrator (for the authority) grants overall and
/// sub-domain authorizations; an operator defines scenarios under its own sub-domain, and
/// scenarios over personal or legal-person data for itself.
fn may_grant(
    actor: &Actor,
    t: &AuthorizationTerms,
    parent: Option<&DataAuthorization>,
) -> Result<()> {
    match actor.role {
        Role::Admin => Ok(()),
        Role::Enterprise if t.level == AuthorizationLevel::Scenario => {
            let own = actor.enterprise_scope().unwrap_or("-");
            let parent_ok = parent.is_none_or(|p| p.operator_id == own);
            if t.operator_id == own && parent_ok {
                Ok(())
            } else {
                Err(StoreError::forbidden("an operator defines scenarios only for itself, under its own authorization"))
            }
        }
        _ => Err(StoreError::forbidden("overall and sub-domain authorizations are granted by the administrator for the authority")),
    }
}

pub async fn create_authorization(
    tx: &mut Tx,
    actor: &Actor,
    input: &AuthorizationInput,
    now: &Now,
) -> Result<DataAuthorization> {
    let t = AuthorizationTerms::parse(input)?;
    let parent = match input
        .parent_id
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => Vec::new(),
        Some(pid) => {
            // The parent's row is locked, so a revocation cannot pass between the check and the insert.
            sqlx::query("UPDATE data_authorizations SET name = name WHERE id = $1")
                .bind(pid)
                .execute(&mut **tx)
                .await?;
            let c = chain(tx, pid).await?;
            if c.is_empty() {
                return Err(quan_domain::ValidationError::new(
                    "parent_id",
                    "not_found",
                    format!("parent_id: no authorization {pid}"),
                )
                .into());
            }
            c
        }
    };
    may_grant(actor, &t, parent.first())?;
    super::enterprises::load(tx, &t.operator_id)
        .await
        .map_err(|_| {
            StoreError::from(quan_domain::ValidationError::new(
                "operator_id",
                "not_found",
                format!("operator_id: no enterprise {}", t.operator_id),
            ))
        })?;
    let facts: Vec<_> = parent.iter().map(facts_of).collect();
    check_nesting(&t, &facts, now.today)?;
    if t.data_class == DataClass::Public {
        for code in &t.resources {
            let st = super::data_registry::standing_of(tx, code, now.today).await?;
            if st != quan_domain::Standing::Valid {
                return Err(StoreError::conflict_field(
                    "resource_not_registered",
                    "resources",
                    format!(
                        "resources: {code} is not a valid data registration (it is {})",
                        st.as_str()
                    ),
                ));
            }
        }
    }
    let id = new_id("dau");
    sqlx::query(
        "INSERT INTO data_authorizations (id, level, data_class, parent_id, name, authority, operator_id, purpose, fields, resources, recipients, valid_from, valid_until, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(&id)
    .bind(t.level.as_str())
    .bind(t.data_class.as_str())
    .bind(parent.first().map(|p| p.id.clone()))
    .bind(&t.name)
    .bind(&t.authority)
    .bind(&t.operator_id)
    .bind(&t.purpose)
    .bind(to_json(&t.fields))
    .bind(to_json(&t.resources))
    .bind(to_json(&t.recipients))
    .bind(t.valid_from.to_string())
    .bind(t.valid_until.to_string())
    .bind(&actor.user_id)
    .bind(&now.ts)
    .execute(&mut **tx)
    .await?;
    let c = chain(tx, &id).await?;
    let a = with_force(c[0].clone(), &c, now.today);
    audit::append(
        tx,
        actor,
        "data_authorization.create",
        &id,
        "null",
        &to_json(&a),
        &now.ts,
    )
    .await?;
    Ok(a)
}

/// Revokes an authorization (its children are suspended with it: they check their ancestors).
pub async fn revoke_authorization(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    reason: &str,
    now: &Now,
) -> Result<DataAuthorization> {
    let reason = quan_domain::validate_text("reason", reason, 1000)?;
    sqlx::query("UPDATE data_authorizations SET name = name WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let c = chain(tx, id).await?;
    let before = c
        .first()
        .cloned()
        .filter(|a| visible_auth(actor, a))
        .ok_or_else(|| not_found("authorization"))?;
    let own_scenario = actor.is(Role::Enterprise) && before.level == AuthorizationLevel::Scenario;
    if !actor.is(Role::Admin) && !own_scenario {
        return Err(StoreError::forbidden("only the administrator, or the operator for its own scenario, revokes an authorization"));
    }
    if before.revoked_at.is_some() {
        return Err(StoreError::conflict(
            "already_revoked",
            "the authorization is already revoked",
        ));
    }
    sqlx::query("UPDATE data_authorizations SET revoked_at = $1, revoke_reason = $2 WHERE id = $3")
        .bind(&now.ts)
        .bind(&reason)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let c = chain(tx, id).await?;
    let after = with_force(c[0].clone(), &c, now.today);
    audit::append(
        tx,
        actor,
        "data_authorization.revoke",
        id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}

/// Suppliers have no part in the authorization hub.
fn hub_reader(actor: &Actor) -> Result<()> {
    if actor.is(Role::Supplier) {
        return Err(StoreError::forbidden(
            "suppliers do not see the authorization hub",
        ));
    }
    Ok(())
}

fn visible_auth(actor: &Actor, a: &DataAuthorization) -> bool {
    actor
        .enterprise_scope()
        .is_none_or(|own| own == a.operator_id)
        && !actor.is(Role::Supplier)
}

pub async fn get_authorization(
    store: &Store,
    actor: &Actor,
    id: &str,
    today: NaiveDate,
) -> Result<DataAuthorization> {
    hub_reader(actor)?;
    let mut conn = store.reader().acquire().await?;
    let c = chain(&mut conn, id).await?;
    c.first()
        .filter(|a| visible_auth(actor, a))
        .map(|a| with_force(a.clone(), &c, today))
        .ok_or_else(|| not_found("authorization"))
}

/// Sort keys of the authorization list.
pub const AUTH_SORTS: &[super::SortKey] = &[
    ("created_at", "a.created_at"),
    ("valid_until", "a.valid_until"),
    ("name", "a.name"),
];

/// Sort keys of the consent list.
pub const CONSENT_SORTS: &[super::SortKey] = &[
    ("granted_at", "c.granted_at"),
    ("expires_at", "c.expires_at"),
];

#[derive(Debug, Default, Clone)]
pub struct AuthorizationQuery {
    pub level: Option<String>,
    pub parent_id: Option<String>,
    pub operator_id: Option<String>,
}

pub async fn list_authorizations(
    store: &Store,
    actor: &Actor,
    q: &AuthorizationQuery,
    page: PageReq,
    today: NaiveDate,
) -> Result<Page<DataAuthorization>> {
    hub_reader(actor)?;
    let mut f = Filter::new();
    if let Some(own) = actor.enterprise_scope() {
        f.add("a.operator_id = ?", Arg::S(own.into()));
    }
    if let Some(l) = q.level.as_deref().filter(|s| !s.is_empty()) {
        AuthorizationLevel::parse("level", l)?;
        f.add("a.level = ?", Arg::S(l.into()));
    }
    f.eq_opt("a.parent_id", q.parent_id.as_deref())
        .eq_opt("a.operator_id", q.operator_id.as_deref());
    let mut page = fetch_page(
        store,
        AUTH_COLUMNS,
        AUTH_FROM,
        &f,
        "a.created_at, a.id",
        page,
        auth_row,
    )
    .await?;
    let mut conn = store.reader().acquire().await?;
    for a in &mut page.items {
        let c = chain(&mut conn, &a.id).await?;
        *a = with_force(a.clone(), &c, today);
    }
    Ok(page)
}

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

/// The operator a check is made for: an enterprise user for itself, an administrator names one.
fn check_operator(actor: &Actor, named: Option<&str>) -> Result<String> {
    match actor.role {
        Role::Enterprise => Ok(actor.enterprise_scope().unwrap_or("-").to_string()),
        Role::Admin => named
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .ok_or_else(|| {
                quan_domain::ValidationError::new(
                    "operator_id",
                    "required",
                    "operator_id: the administrator names the operator checked",
                )
                .into()
            }),
        _ => Err(StoreError::forbidden("checks are made by data operators")),
    }
}

/// "May operator X use fields F of subject S (or resource R) for scenario Y now?" — a yes is
/// logged as a use in the same transaction.
pub async fn check(
    tx: &mut Tx,
    actor: &Actor,
    input: &CheckInput,
    now: &Now,
) -> Result<CheckDecision> {
    let operator = check_operator(actor, input.operator_id.as_deref())?;
    let fields = quan_domain::name_set("fields", &input.fields, quan_domain::parse_field_name)?;
    if fields.is_empty() {
        return Err(quan_domain::ValidationError::new(
            "fields",
            "required",
            "fields: name the fields to be used",
        )
        .into());
    }
    let subject = match (input.subject_kind.as_deref(), input.subject_id.as_deref()) {
        (Some(k), Some(id)) if !id.trim().is_empty() => Some((
            SubjectKind::parse("subject_kind", k)?,
            id.trim().to_string(),
        )),
        (Some(_), _) => {
            return Err(quan_domain::ValidationError::new(
                "subject_id",
                "required",
                "subject_id: a subject is named by kind and id",
            )
            .into())
        }
        (None, Some(_)) => {
            return Err(quan_domain::ValidationError::new(
                "subject_kind",
                "required",
                "subject_kind: a subject is named by kind and id",
            )
            .into())
        }
        _ => None,
    };
    let c = chain(tx, &input.scenario_id).await?;
    let facts: Vec<_> = c.iter().map(facts_of).collect();
    let consent = match &subject {
        Some((kind, id)) => consent_facts(tx, &input.scenario_id, *kind, id).await?,
        None => None,
    };
    let resource = match input
        .resource
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(code) => Some((
            code.to_string(),
            super::data_registry::standing_of(tx, code, now.today).await?,
        )),
        None => None,
    };
    let f = CheckFacts {
        chain: &facts,
        consent: consent.as_ref(),
        resource: resource.as_ref().map(|(c, s)| (c.as_str(), *s)),
    };
    let d = decide_check(&f, &operator, &fields, subject.is_some(), now.today);
    if d.allowed {
        sqlx::query("INSERT INTO data_uses (id, scenario_id, operator_id, consent_id, subject_id, resource, fields, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(new_id("duse"))
            .bind(&input.scenario_id)
            .bind(&operator)
            .bind(&d.consent_id)
            .bind(subject.as_ref().map(|s| s.1.clone()))
            .bind(resource.as_ref().map(|r| r.0.clone()))
            .bind(to_json(&fields))
            .bind(&now.ts)
            .execute(&mut **tx)
            .await?;
    }
    Ok(d)
}

async fn consent_facts(
    tx: &mut Tx,
    scenario: &str,
    kind: SubjectKind,
    subject: &str,
) -> Result<Option<ConsentFacts>> {
    // The live consent, or else the latest one (so a revoked or expired consent says why).
    let r = sqlx::query("SELECT id, fields, expires_at, revoked_at FROM data_consents WHERE scenario_id = $1 AND subject_kind = $2 AND subject_id = $3 ORDER BY live DESC, granted_at DESC LIMIT 1")
        .bind(scenario)
        .bind(kind.as_str())
        .bind(subject)
        .fetch_optional(&mut **tx)
        .await?;
    r.map(|r| {
        Ok(ConsentFacts {
            id: r.try_get(0)?,
            fields: set_of(&r.try_get::<String, _>(1)?)?,
            expires_at: r.try_get::<String, _>(2)?.parse().map_err(corrupt)?,
            revoked: r.try_get::<Option<String>, _>(3)?.is_some(),
        })
    })
    .transpose()
}

fn check_items(field: &str, items: &[DisclosedItem]) -> Result<Vec<DisclosedItem>> {
    if items.len() > 200 {
        return Err(quan_domain::ValidationError::new(
            field,
            "too_many",
            format!("{field}: at most 200 lines"),
        )
        .into());
    }
    items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            Ok(DisclosedItem {
                name: quan_domain::validate_text(&format!("{field}[{i}].name"), &it.name, 200)?,
                description: quan_domain::validate_text(
                    &format!("{field}[{i}].description"),
                    &it.description,
                    2000,
                )?,
            })
        })
        .collect()
}

pub async fn publish_disclosure(
    tx: &mut Tx,
    actor: &Actor,
    input: &DisclosureInput,
    now: &Now,
) -> Result<DataDisclosure> {
    let operator = check_operator(actor, input.operator_id.as_deref())?;
    let this_year = now
        .today
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap_or(2026);
    if !(2020..=this_year).contains(&input.year) {
        return Err(quan_domain::ValidationError::new(
            "year",
            "out_of_range",
            format!("year: {} must be between 2020 and {this_year}", input.year),
        )
        .into());
    }
    let products = check_items("products", &input.products)?;
    let fees = check_items("fees", &input.fees)?;
    super::enterprises::load(tx, &operator).await.map_err(|_| {
        StoreError::from(quan_domain::ValidationError::new(
            "operator_id",
            "not_found",
            format!("operator_id: no enterprise {operator}"),
        ))
    })?;
    let n = sqlx::query("INSERT INTO data_disclosures (operator_id, year, products, fees, published_by, published_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (operator_id, year) DO UPDATE SET products = excluded.products, fees = excluded.fees, published_by = excluded.published_by, published_at = excluded.published_at")
        .bind(&operator)
        .bind(input.year as i64)
        .bind(to_json(&products))
        .bind(to_json(&fees))
        .bind(&actor.user_id)
        .bind(&now.ts)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    debug_assert_eq!(n, 1);
    audit::append(
        tx,
        actor,
        "data_disclosure.publish",
        &format!("{operator}:{}", input.year),
        "null",
        &serde_json::json!({"products": products, "fees": fees}).to_string(),
        &now.ts,
    )
    .await?;
    Ok(DataDisclosure {
        operator_id: operator.clone(),
        operator_name: String::new(),
        year: input.year,
        authorizations: Vec::new(),
        products,
        fees,
        published_at: now.ts.clone(),
    })
}

/// Every published disclosure of a year, each with the authorizations its operator held that year.
pub async fn public_disclosures(
    store: &Store,
    year: i32,
    today: NaiveDate,
) -> Result<Vec<DataDisclosure>> {
    let rows = sqlx::query("SELECT d.operator_id, e.name, d.year, d.products, d.fees, d.published_at FROM data_disclosures d JOIN enterprises e ON e.id = d.operator_id WHERE d.year = $1 ORDER BY e.name, d.operator_id")
        .bind(year as i64)
        .fetch_all(store.reader())
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        let operator: String = r.try_get(0)?;
        let q = AuthorizationQuery {
            operator_id: Some(operator.clone()),
            ..Default::default()
        };
        let start = format!("{year}-01-01");
        let end = format!("{year}-12-31");
        let auths = list_authorizations(
            store,
            &Actor::system(),
            &q,
            PageReq {
                page: 1,
                page_size: 200,
                ..Default::default()
            },
            today,
        )
        .await?
        .items
        .into_iter()
        .filter(|a| a.valid_from.to_string() <= end && a.valid_until.to_string() >= start)
        .collect();
        out.push(DataDisclosure {
            operator_id: operator,
            operator_name: r.try_get(1)?,
            year: r.try_get::<i64, _>(2)? as i32,
            authorizations: auths,
            products: serde_json::from_str(&r.try_get::<String, _>(3)?).map_err(corrupt)?,
            fees: serde_json::from_str(&r.try_get::<String, _>(4)?).map_err(corrupt)?,
            published_at: r.try_get(5)?,
        });
    }
    Ok(out)
}
