//! Reading the registry: one registration with its history, the holder's and the public lists,
//! public verification of a code, and the registration a corpus product names.
use super::*;

pub(super) async fn objections(
    conn: &mut sqlx::AnyConnection,
    id: &str,
) -> Result<Vec<RegistrationObjection>> {
    let rows = sqlx::query("SELECT id, registration_id, reason, filed_by, filed_at, status, resolution, resolved_at FROM data_registration_objections WHERE registration_id = $1 ORDER BY filed_at, id")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(RegistrationObjection {
                id: r.try_get(0)?,
                registration_id: r.try_get(1)?,
                reason: r.try_get(2)?,
                filed_by: r.try_get(3)?,
                filed_at: r.try_get(4)?,
                status: r.try_get(5)?,
                resolution: r.try_get(6)?,
                resolved_at: r.try_get(7)?,
            })
        })
        .collect()
}

/// One registration with its history and objections.
pub async fn get(
    store: &Store,
    actor: &Actor,
    id: &str,
    today: chrono::NaiveDate,
) -> Result<DataRegistration> {
    let mut conn = store.reader().acquire().await?;
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE r.id = $1");
    let mut r = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|x| row_on(&x, today))
        .transpose()?
        .filter(|r| visible(actor, r))
        .ok_or_else(|| not_found("data registration"))?;
    let rows = sqlx::query("SELECT step, status, reason, actor, at FROM data_registration_events WHERE registration_id = $1 ORDER BY at, id")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    r.events = rows
        .iter()
        .map(|e| {
            Ok(RegistrationEvent {
                step: e.try_get(0)?,
                status: RegistrationStatus::parse("status", &e.try_get::<String, _>(1)?)
                    .map_err(corrupt)?,
                reason: e.try_get(2)?,
                actor: e.try_get(3)?,
                at: e.try_get(4)?,
            })
        })
        .collect::<Result<_>>()?;
    r.objections = objections(&mut conn, id).await?;
    Ok(r)
}

pub const SORTS: &[crate::ops::SortKey] = &[
    ("applied_at", "r.applied_at"),
    ("resource_name", "r.resource_name"),
    ("code", "r.code"),
    ("valid_until", "r.valid_until"),
];

#[derive(Debug, Default, Clone)]
pub struct RegistrationQuery {
    pub status: Option<String>,
    pub kind: Option<String>,
    /// Part of the resource name, the holder's name or the code.
    pub q: Option<String>,
    /// Only registered, changed, cancelled or expired ones (the public registry).
    pub public_only: bool,
}

/// Registrations the actor may see (a holder its own; reviewers, administrators and auditors all).
pub async fn list(
    store: &Store,
    actor: Option<&Actor>,
    q: &RegistrationQuery,
    page: PageReq,
    today: chrono::NaiveDate,
) -> Result<Page<DataRegistration>> {
    let mut f = Filter::new();
    match actor.map(|a| a.role) {
        Some(Role::Enterprise) => {
            f.add(
                "r.applicant_kind = 'enterprise' AND r.applicant_id = ?",
                Arg::S(
                    actor
                        .and_then(|a| a.enterprise_scope())
                        .unwrap_or("-")
                        .into(),
                ),
            );
        }
        Some(Role::Supplier) => {
            f.add(
                "r.applicant_kind = 'supplier' AND r.applicant_id = ?",
                Arg::S(actor.and_then(|a| a.supplier_scope()).unwrap_or("-").into()),
            );
        }
        _ => {}
    }
    if let Some(s) = q.status.as_deref().filter(|s| !s.is_empty()) {
        RegistrationStatus::parse("status", s)?;
        f.add("r.status = ?", Arg::S(s.into()));
    }
    if let Some(k) = q.kind.as_deref().filter(|s| !s.is_empty()) {
        RegistrationKind::parse("kind", k)?;
        f.add("r.kind = ?", Arg::S(k.into()));
    }
    if q.public_only {
        f.add_many(
            "r.code IS NOT NULL AND r.kind <> ?",
            vec![Arg::S("cancellation".into())],
        );
    }
    f.contains_any(
        &["r.resource_name", "r.holder_name", "r.code"],
        q.q.as_deref(),
    );
    let mut page = fetch_page(
        store,
        COLUMNS,
        FROM,
        &f,
        "r.applied_at DESC, r.id",
        page,
        row,
    )
    .await?;
    for r in &mut page.items {
        r.standing = standing(r.status, r.valid_from.zip(r.valid_until), today);
    }
    Ok(page)
}

/// What anyone may learn of a code on `today`.
pub async fn verify(
    store: &Store,
    code: &str,
    today: chrono::NaiveDate,
) -> Result<RegistrationVerification> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE r.code = $1");
    let r = sqlx::query(&sql)
        .bind(code)
        .fetch_optional(store.reader())
        .await?
        .map(|x| row_on(&x, today))
        .transpose()?
        .ok_or_else(|| not_found("data registration"))?;
    let certificate = r
        .valid_from
        .zip(r.valid_until)
        .map(|(from, until)| Certificate {
            code: code.to_string(),
            kind: r.kind,
            original_code: r.original_code.clone(),
            resource_name: r.content.resource_name.clone(),
            category: r.content.category.clone(),
            grade: r.content.grade,
            record_count: r.content.record_count,
            rights: r.content.rights.clone(),
            valid_from: from,
            valid_until: until,
            registered_on: r.registered_on.unwrap_or(from),
        });
    let digest_matches = match (&certificate, &r.certificate_digest) {
        (Some(c), Some(d)) => &c.digest() == d,
        (None, None) => true,
        _ => false,
    };
    Ok(RegistrationVerification {
        code: code.to_string(),
        standing: r.standing,
        certificate,
        recorded_digest: r.certificate_digest,
        digest_matches,
        successor_code: r.successor_code,
        checked_on: today,
    })
}

/// The registration a corpus names, as the listing rule reads it on `today`.
pub(crate) async fn corpus_registration(
    tx: &mut Tx,
    code: &str,
    today: chrono::NaiveDate,
) -> Result<Option<CorpusRegistration>> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE r.code = $1");
    let r = sqlx::query(&sql)
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?;
    r.map(|x| {
        let r = row_on(&x, today)?;
        Ok(CorpusRegistration {
            code: code.to_string(),
            standing: r.standing,
            operation: r.content.rights.operation,
        })
    })
    .transpose()
}

/// Checks a corpus product's data registration before it is listed, and links the product to it.
pub(crate) async fn check_corpus(
    tx: &mut Tx,
    field: &str,
    code: Option<&str>,
    product_id: &str,
    supplier_id: &str,
    today: chrono::NaiveDate,
) -> Result<()> {
    let code = code.map(str::trim).filter(|c| !c.is_empty());
    let reg = match code {
        Some(c) => corpus_registration(tx, c, today).await?,
        None => None,
    };
    quan_domain::check_corpus_registration(field, code, reg.as_ref(), supplier_id)?;
    sqlx::query("UPDATE products SET data_registration_code = $1 WHERE id = $2")
        .bind(code)
        .bind(product_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The standing of a code (for the authorization hub's check of public data).
pub(crate) async fn standing_of(
    tx: &mut Tx,
    code: &str,
    today: chrono::NaiveDate,
) -> Result<Standing> {
    Ok(corpus_registration(tx, code, today)
        .await?
        .map(|r| r.standing)
        .unwrap_or(Standing::NotRegistered))
}
