//! What happens to a registration besides the review steps: objections during the notice and
//! their resolution, and expiry with the suspension of the corpora listed under it.
use super::*;

/// Suspends the corpus products listed under a registration that stopped being valid; the
/// reason is on the product and in the audit chain.
pub(super) async fn suspend_listings(
    tx: &mut Tx,
    actor: &Actor,
    code: &str,
    reason: &str,
    now: &Now,
) -> Result<()> {
    let ids: Vec<String> = sqlx::query(
        "SELECT id FROM products WHERE data_registration_code = $1 AND suspended = 0 ORDER BY id",
    )
    .bind(code)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| r.try_get(0))
    .collect::<std::result::Result<_, _>>()?;
    for id in ids {
        sqlx::query("UPDATE products SET suspended = 1, suspend_reason = $1 WHERE id = $2")
            .bind(reason)
            .bind(&id)
            .execute(&mut **tx)
            .await?;
        let after = serde_json::json!({"suspended": true, "suspend_reason": reason, "data_registration_code": code});
        audit::append(
            tx,
            actor,
            "product.suspend",
            &id,
            "null",
            &after.to_string(),
            &now.ts,
        )
        .await?;
    }
    Ok(())
}

/// Registrations past their validity become expired, and their listings are suspended.
pub async fn expire_due(tx: &mut Tx, now: &Now) -> Result<usize> {
    let due: Vec<(String, String)> = sqlx::query(
        "SELECT id, code FROM data_registrations WHERE status = 'registered' AND valid_until IS NOT NULL AND valid_until < $1 ORDER BY id LIMIT 500",
    )
    .bind(now.today.to_string())
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .collect::<Result<_>>()?;
    let system = Actor::system();
    for (id, code) in &due {
        let n = sqlx::query("UPDATE data_registrations SET status = 'expired', updated_at = $1 WHERE id = $2 AND status = 'registered'")
            .bind(&now.ts)
            .bind(id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        if n == 0 {
            continue;
        }
        event(
            tx,
            id,
            "expire",
            RegistrationStatus::Expired,
            None,
            &system,
            now,
        )
        .await?;
        audit::append(
            tx,
            &system,
            "data_registration.expire",
            id,
            "null",
            &serde_json::json!({"code": code, "status": "expired"}).to_string(),
            &now.ts,
        )
        .await?;
        suspend_listings(
            tx,
            &system,
            code,
            &format!("data registration {code} expired"),
            now,
        )
        .await?;
    }
    Ok(due.len())
}

/// Files an objection during the notice (any signed-in user).
pub async fn object(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    reason: &str,
    now: &Now,
) -> Result<RegistrationObjection> {
    let reason = quan_domain::validate_text("reason", reason, 2000)?;
    let (r, _, _) = step_facts(tx, id, now).await?;
    let in_notice =
        r.status == RegistrationStatus::InNotice && r.notice_ends.is_none_or(|e| now.today <= e);
    // A registration in notice is public; any other is only its holder's and the reviewers'.
    if !in_notice && !visible(actor, &r) {
        return Err(not_found("data registration"));
    }
    if !in_notice {
        return Err(StoreError::conflict(
            "not_in_notice",
            "objections are filed during the registration's public notice",
        ));
    }
    let oid = new_id("dro");
    sqlx::query("INSERT INTO data_registration_objections (id, registration_id, reason, filed_by, filed_at, status) VALUES ($1, $2, $3, $4, $5, 'open')")
        .bind(&oid)
        .bind(id)
        .bind(&reason)
        .bind(actor.label())
        .bind(&now.ts)
        .execute(&mut **tx)
        .await?;
    let o = objections(tx, id)
        .await?
        .into_iter()
        .find(|o| o.id == oid)
        .ok_or_else(|| not_found("objection"))?;
    audit::append(
        tx,
        actor,
        "data_registration.object",
        id,
        "null",
        &to_json(&o),
        &now.ts,
    )
    .await?;
    Ok(o)
}

/// Resolves an objection: an upheld one rejects the registration.
pub async fn resolve_objection(
    tx: &mut Tx,
    actor: &Actor,
    objection_id: &str,
    upheld: bool,
    resolution: &str,
    now: &Now,
) -> Result<DataRegistration> {
    reviewer_only(actor)?;
    let resolution = quan_domain::validate_text("resolution", resolution, 2000)?;
    let exists = sqlx::query("SELECT 1 FROM data_registration_objections WHERE id = $1")
        .bind(objection_id)
        .fetch_optional(&mut **tx)
        .await?;
    if exists.is_none() {
        return Err(not_found("objection"));
    }
    let reg: String = sqlx::query("UPDATE data_registration_objections SET status = $1, resolution = $2, resolved_by = $3, resolved_at = $4 WHERE id = $5 AND status = 'open' RETURNING registration_id")
        .bind(if upheld { "upheld" } else { "dismissed" })
        .bind(&resolution)
        .bind(actor.label())
        .bind(&now.ts)
        .bind(objection_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::conflict("objection_not_open", "no open objection with this id"))?
        .try_get(0)?;
    audit::append(
        tx,
        actor,
        "data_registration.resolve_objection",
        objection_id,
        "null",
        &serde_json::json!({"upheld": upheld, "resolution": resolution}).to_string(),
        &now.ts,
    )
    .await?;
    if upheld {
        return step(
            tx,
            actor,
            &reg,
            &RegistrationStep::Reject { reason: resolution },
            now,
        )
        .await;
    }
    load(tx, &reg).await
}
