//! The hub's check ("may operator X use fields F of subject S or resource R for scenario Y
//! now?"), which reads the database every time and logs every yes as a use, and the operators'
//! annual disclosures.
use quan_domain::{
    decide_check, CheckDecision, CheckFacts, CheckInput, ConsentFacts, DataDisclosure,
    DisclosedItem, DisclosureInput, SubjectKind,
};
use sqlx::Row;

use super::data_hub::{chain, corrupt, facts_of, list_authorizations, set_of, AuthorizationQuery};
use super::{new_id, to_json, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::{Actor, Role, Store};
use chrono::NaiveDate;

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
    let operator_name = super::enterprises::load(tx, &operator)
        .await
        .map_err(|_| {
            StoreError::from(quan_domain::ValidationError::new(
                "operator_id",
                "not_found",
                format!("operator_id: no enterprise {operator}"),
            ))
        })?
        .name;
    // The audit record keeps what the publication replaced (a disclosure may be corrected).
    let before = sqlx::query(
        "SELECT products, fees FROM data_disclosures WHERE operator_id = $1 AND year = $2",
    )
    .bind(&operator)
    .bind(input.year as i64)
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| -> Result<serde_json::Value> {
        Ok(serde_json::json!({"products": serde_json::from_str::<serde_json::Value>(&r.try_get::<String, _>(0)?).map_err(corrupt)?,
                              "fees": serde_json::from_str::<serde_json::Value>(&r.try_get::<String, _>(1)?).map_err(corrupt)?}))
    })
    .transpose()?
    .unwrap_or(serde_json::Value::Null);
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
        &before.to_string(),
        &serde_json::json!({"products": products, "fees": fees}).to_string(),
        &now.ts,
    )
    .await?;
    Ok(DataDisclosure {
        operator_id: operator.clone(),
        operator_name,
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
