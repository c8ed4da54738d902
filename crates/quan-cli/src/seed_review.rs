//! The demo's multi-level review and milestone payments (issue 10): a 2026 corpus program whose
//! grants pass a city check, a provincial review and a finance approval, and pay at most
//! ¥750,000 at issue with the rest held for the acceptance check. Its applications stand at every
//! level (waiting at each, rejected at level 2) and its vouchers in every milestone state
//! (excellent, pass, fail after a paid invoice, still held).
use crate::seed::tx;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use quan_domain::inputs::AcceptanceInput;
use quan_domain::{ProgramPolicyFields, ReviewLevel, ReviewScope};
use quan_store::ops::applications::{ApplicationInput, ReviewInput};
use quan_store::ops::programs::{FundingShareInput, ProgramInput};
use quan_store::ops::redemptions::RedemptionInput;
use quan_store::ops::{self, Now};
use quan_store::{Actor, Role, Store, StoreError};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("seed date")
}

pub struct ReviewWorld<'a> {
    pub admin: &'a Actor,
    /// The demo reviewer (provincial): decides level 2.
    pub reviewer: &'a Actor,
    pub password_hash: &'a str,
    pub ents: &'a [String],
    pub province_source: &'a str,
    /// (product id, kind, supplier id) of the catalogue.
    pub products: &'a [(String, String, String)],
}

async fn user(
    store: &Store,
    w: &ReviewWorld<'_>,
    (username, name, city): (&str, &str, Option<&str>),
) -> Result<Actor> {
    let u = tx!(store, |tx| ops::users::create(
        &mut tx,
        w.admin,
        &ops::users::NewUser {
            username,
            password_hash: w.password_hash,
            role: Role::Reviewer,
            enterprise_id: None,
            supplier_id: None,
            display_name: name,
            city_code: city,
        },
        &Now::at(day("2026-07-01")),
    )
    .await)?;
    Ok(Actor {
        user_id: u.id,
        username: u.username,
        role: Role::Reviewer,
        enterprise_id: None,
        supplier_id: None,
    })
}

fn program(source: &str) -> ProgramInput {
    let level = |name: &str, scope| ReviewLevel {
        name: name.into(),
        scope,
    };
    ProgramInput {
        name: "2026年山东省语料券（三级审核·分期拨付）".into(),
        voucher_type: "corpus".into(),
        year: 2026,
        rate_bps: 5000,
        face_value_cap_fen: 1_500_000 * 100,
        enterprise_year_cap_fen: 1_500_000 * 100,
        apply_from: "2026-07-01".into(),
        apply_until: "2026-11-30".into(),
        valid_from: "2026-07-01".into(),
        valid_until: "2027-06-30".into(),
        notice_days: 5,
        eligible_cities: vec![],
        eligible_sizes: vec![],
        eligible_industries: vec![],
        budget_fen: 30_000_000 * 100,
        funding: vec![FundingShareInput {
            source_id: source.into(),
            share_bps: 10_000,
        }],
        policy: ProgramPolicyFields {
            review_levels: vec![
                level("市级初审", ReviewScope::City),
                level("省级复核", ReviewScope::Province),
                level("财政审批", ReviewScope::Province),
            ],
            first_milestone_fen: Some(750_000 * 100),
            ..Default::default()
        },
    }
}

fn decide(approve: bool, level: u32, reason: &str) -> ReviewInput {
    ReviewInput {
        decision: if approve { "approve" } else { "reject" }.into(),
        amount_fen: None,
        reason: Some(reason.into()),
        level: Some(level),
    }
}

pub async fn seed_review(store: &Store, w: &ReviewWorld<'_>) -> Result<()> {
    let jn = user(
        store,
        w,
        ("jinan_reviewer", "济南市工信局 李审核", Some("370100")),
    )
    .await?;
    let qd = user(
        store,
        w,
        ("qingdao_reviewer", "青岛市工信局 周审核", Some("370200")),
    )
    .await?;
    let fin = user(store, w, ("finance", "省财政厅 郑审批", None)).await?;
    let input = program(w.province_source);
    let prog = tx!(store, |tx| ops::programs::create(
        &mut tx,
        w.admin,
        &input,
        &Now::at(day("2026-07-01"))
    )
    .await)?;
    let corpus = w
        .products
        .iter()
        .find(|p| p.1 == "corpus")
        .context("a corpus product")?;
    // Enterprises of Jinan and Qingdao, past the two the other stories use.
    let mut pick = Vec::new();
    for id in &w.ents[2..] {
        let e = ops::enterprises::get(store, w.admin, id).await?;
        if e.city_code == "370100" || e.city_code == "370200" {
            pick.push((id.clone(), e.city_code));
        }
        if pick.len() == 8 {
            break;
        }
    }
    // How far each goes: levels passed (0–3), rejected at level 2, or issued with an acceptance.
    let stages: [(u32, Option<&str>); 8] = [
        (0, None),
        (1, None),
        (2, None),
        (9, None),
        (3, Some("excellent")),
        (3, Some("pass")),
        (3, Some("fail")),
        (3, Some("held")),
    ];
    for (n, ((ent, city), (stage, acceptance))) in pick.iter().zip(stages).enumerate() {
        let applied = day("2026-08-03") + chrono::Duration::days(n as i64 * 3);
        let a = ApplicationInput {
            program_id: prog.id.clone(),
            enterprise_id: Some(ent.clone()),
            amount_fen: (1_200_000 + n as i64 * 30_000) * 100,
            plan: "建设行业高质量语料并完成数据资源登记（演示）".into(),
        };
        // An enterprise already applying, or on the dishonesty list, is passed over.
        let app = match tx!(store, |tx| ops::applications::apply(
            &mut tx,
            w.admin,
            &a,
            &Now::at(applied)
        )
        .await)
        {
            Ok(app) => app,
            Err(StoreError::Conflict { .. }) => continue,
            Err(e) => return Err(e).context("a chained application"),
        };
        let id = app.id.to_string();
        let city_reviewer = if city == "370100" { &jn } else { &qd };
        let steps: Vec<(&Actor, ReviewInput)> = match stage {
            9 => vec![
                (city_reviewer, decide(true, 1, "材料真实完整")),
                (
                    w.reviewer,
                    decide(false, 2, "语料来源授权链条不完整，请补充后重新申报"),
                ),
            ],
            k => [
                (city_reviewer, decide(true, 1, "材料真实完整")),
                (w.reviewer, decide(true, 2, "符合申报条件")),
                (&fin, decide(true, 3, "同意拨付")),
            ]
            .into_iter()
            .take(k as usize)
            .collect(),
        };
        for (i, (who, d)) in steps.iter().enumerate() {
            let at = Now::at(applied + chrono::Duration::days(2 + i as i64 * 2));
            tx!(store, |tx| ops::applications::review(
                &mut tx, who, &id, d, &at
            )
            .await)
            .with_context(|| format!("level {} of application {n}", i + 1))?;
        }
        let Some(rating) = acceptance else { continue };
        let issued = applied + chrono::Duration::days(14);
        let v = tx!(store, |tx| ops::applications::issue(
            &mut tx,
            w.admin,
            &id,
            &Now::at(issued)
        )
        .await)?;
        let voucher = v.id.to_string();
        let claim = RedemptionInput {
            voucher_id: voucher.clone(),
            product_id: corpus.0.clone(),
            invoice_number: format!("3701{:016}", 90_000 + n),
            invoice_amount_fen: 600_000 * 100,
            invoice_date: (issued + chrono::Duration::days(5)).to_string(),
            contract_id: None,
            payment_proof: None,
            delivery_proof: None,
        };
        let req = quan_domain::RedemptionRequest::parse(&claim)?;
        match tx!(store, |tx| ops::redemptions::redeem(
            &mut tx,
            w.admin,
            &req,
            &Now::at(issued + chrono::Duration::days(5))
        )
        .await)
        {
            // An affiliated pair is refused: the voucher simply has no invoice.
            Ok(_) | Err(StoreError::Conflict { .. }) => {}
            Err(e) => return Err(e).context("a milestone voucher's invoice"),
        }
        if rating == "held" {
            continue;
        }
        let check = AcceptanceInput {
            rating: rating.into(),
            panel: "省大数据局验收专家组（演示）".into(),
            checked_on: "2026-11-10".into(),
            report_ref: format!("鲁数验字（2026）第{:03}号", 20 + n),
        };
        tx!(store, |tx| ops::acceptance::record(
            &mut tx,
            w.admin,
            &voucher,
            &check,
            &Now::at(day("2026-11-10"))
        )
        .await)
        .with_context(|| format!("acceptance {rating}"))?;
    }
    Ok(())
}
