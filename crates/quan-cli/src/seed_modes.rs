//! The demo's second redemption mode (issue 11): a 2026 model-voucher pilot where the
//! enterprise pays the supplier in full under a registered contract and is reimbursed. Its
//! enterprises (the demo enterprise first) have contracts, claims with payment and delivery
//! proof, a September reimbursement run with its statement, and October claims still due.
use crate::seed::tx;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use quan_domain::inputs::{ContractInput, ReimbursementInput};
use quan_domain::ProgramPolicyFields;
use quan_store::ops::applications::{ApplicationInput, ReviewInput};
use quan_store::ops::programs::{FundingShareInput, ProgramInput};
use quan_store::ops::redemptions::RedemptionInput;
use quan_store::ops::{self, Now};
use quan_store::{Actor, Store, StoreError};
use rand::rngs::StdRng;
use rand::Rng;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("seed date")
}

pub struct ModesWorld<'a> {
    pub admin: &'a Actor,
    pub reviewer: &'a Actor,
    pub ents: &'a [String],
    pub province_source: &'a str,
    /// (product id, kind, supplier id) of the catalogue.
    pub products: &'a [(String, String, String)],
}

fn program_input(source: &str) -> ProgramInput {
    ProgramInput {
        name: "2026年山东省模型券（企业先付后补试点）".into(),
        voucher_type: "model".into(),
        year: 2026,
        rate_bps: 3000,
        face_value_cap_fen: 1_000_000 * 100,
        enterprise_year_cap_fen: 1_000_000 * 100,
        apply_from: "2026-08-01".into(),
        apply_until: "2026-10-31".into(),
        valid_from: "2026-08-01".into(),
        valid_until: "2026-12-31".into(),
        notice_days: 7,
        eligible_cities: vec![],
        eligible_sizes: vec![],
        eligible_industries: vec![],
        budget_fen: 20_000_000 * 100,
        funding: vec![FundingShareInput {
            source_id: source.into(),
            share_bps: 10_000,
        }],
        policy: ProgramPolicyFields {
            redemption_mode: quan_domain::RedemptionMode::EnterpriseReimbursed,
            contract_required: true,
            contract_from: Some("2026-08-01".into()),
            delivery_proof_required: true,
            ..Default::default()
        },
    }
}

pub async fn seed_modes(store: &Store, rng: &mut StdRng, w: &ModesWorld<'_>) -> Result<()> {
    let admin = w.admin;
    let models: Vec<&(String, String, String)> =
        w.products.iter().filter(|p| p.1 == "model").collect();
    let input = program_input(w.province_source);
    let program = tx!(store, |tx| ops::programs::create(
        &mut tx,
        admin,
        &input,
        &Now::at(day("2026-07-20"))
    )
    .await)?;
    for p in &models {
        tx!(store, |tx| ops::catalogue::add_eligible(
            &mut tx,
            admin,
            &program.id,
            &p.0,
            &Now::at(day("2026-07-25"))
        )
        .await)?;
    }
    let mut due = Vec::new();
    for (i, ent) in w.ents.iter().take(8).enumerate() {
        let (product, _, supplier) = models[i % models.len()];
        let Some(voucher) = voucher(store, w, &program.id, ent, i).await? else {
            continue;
        };
        let contract = ContractInput {
            contract_number: format!("SDMX-2026-{:04}", 101 + i),
            enterprise_id: Some(ent.clone()),
            supplier_id: Some(supplier.clone()),
            kind: "model".into(),
            subject: "行业大模型私有化部署及一年运维服务".into(),
            signed_on: format!("2026-08-{:02}", 15 + i),
            amount_fen: rng.gen_range(80..300) * 10_000 * 100,
        };
        let c = tx!(store, |tx| ops::contracts::create(
            &mut tx,
            admin,
            &contract,
            &Now::at(day("2026-08-28"))
        )
        .await)?;
        // The first half paid in September (reimbursed in the run), the rest in October (due).
        let paid_on = if i % 2 == 0 {
            "2026-09-18"
        } else {
            "2026-10-16"
        };
        let claim = RedemptionInput {
            voucher_id: voucher,
            product_id: product.clone(),
            invoice_number: format!("2637{:016}", rng.gen_range(0..10_000_000_000_000_000u64)),
            invoice_amount_fen: contract.amount_fen,
            invoice_date: paid_on.into(),
            contract_id: Some(c.id.into_string()),
            payment_proof: Some(format!("银行电子回单 {}{:06}", paid_on.replace('-', ""), i)),
            delivery_proof: Some(format!("验收报告 YS-2026-{:03}", 40 + i)),
        };
        let req = quan_domain::RedemptionRequest::parse(&claim)?;
        match tx!(store, |tx| ops::redemptions::redeem(
            &mut tx,
            admin,
            &req,
            &Now::at(day(paid_on) + chrono::Duration::days(2))
        )
        .await)
        {
            Ok(_) if i % 2 == 0 => due.push(ent.clone()),
            Ok(_) | Err(StoreError::Conflict { .. }) => {}
            Err(e) => return Err(e).context("seeding a reimbursement claim"),
        }
    }
    for ent in due {
        let run = ReimbursementInput {
            enterprise_id: ent,
            period: "2026-09".into(),
        };
        tx!(store, |tx| ops::reimbursements::run(
            &mut tx,
            admin,
            &run,
            &Now::at(day("2026-10-10"))
        )
        .await)?;
    }
    Ok(())
}

/// Apply → approve → notice → issue for one enterprise; `None` if it is not eligible.
async fn voucher(
    store: &Store,
    w: &ModesWorld<'_>,
    program: &str,
    ent: &str,
    i: usize,
) -> Result<Option<String>> {
    let input = ApplicationInput {
        program_id: program.into(),
        enterprise_id: Some(ent.into()),
        amount_fen: 1_000_000 * 100,
        plan: "采购行业大模型私有化部署，企业全额支付后申请补贴（演示）".into(),
    };
    let applied = day("2026-08-03") + chrono::Duration::days(i as i64);
    let app = match tx!(store, |tx| ops::applications::apply(
        &mut tx,
        w.admin,
        &input,
        &Now::at(applied)
    )
    .await)
    {
        Ok(a) => a,
        Err(StoreError::Conflict { .. }) | Err(StoreError::Validation(_)) => return Ok(None),
        Err(e) => return Err(e).context("seeding a pilot application"),
    };
    let review = ReviewInput {
        level: None,
        decision: "approve".into(),
        amount_fen: None,
        reason: Some("符合试点条件".into()),
    };
    let reviewed = applied + chrono::Duration::days(2);
    let app_id = app.id.as_str().to_string();
    match tx!(store, |tx| ops::applications::review(
        &mut tx,
        w.reviewer,
        &app_id,
        &review,
        &Now::at(reviewed)
    )
    .await)
    {
        Ok(_) => {}
        Err(StoreError::Conflict { .. }) | Err(StoreError::Forbidden { .. }) => return Ok(None),
        Err(e) => return Err(e).context("seeding a pilot review"),
    }
    let v = tx!(store, |tx| ops::applications::issue(
        &mut tx,
        w.admin,
        &app_id,
        &Now::at(reviewed + chrono::Duration::days(8))
    )
    .await)?;
    Ok(Some(v.id.into_string()))
}
