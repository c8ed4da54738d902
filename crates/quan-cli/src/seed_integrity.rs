//! The demo's integrity records (issue 11): the 2025 round closed with its unspent budget back
//! at the sources, a provincial top-up, dishonesty-list entries (one lifted), change requests in
//! every state, a program policy with a split-purchase rule and the invoices it holds.
use crate::seed::tx;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use quan_domain::inputs::{
    ChangeDecisionInput, DishonestyInput, EnterpriseChangeInput, TopUpInput,
};
use quan_domain::{DishonestyRequest, ProgramPolicyFields, RedemptionRequest};
use quan_store::ops::{self, Now};
use quan_store::{Actor, Store, StoreError};
use rand::rngs::StdRng;
use rand::Rng;
use sqlx::Row;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("seed date")
}

pub struct IntegrityWorld<'a> {
    pub admin: &'a Actor,
    pub ents: &'a [String],
    /// (id, voucher type); [0] is the 2025 computing-power round.
    pub programs: &'a [(String, String)],
    pub province_source: &'a str,
    /// A supplier that is not the demo supplier, to be listed.
    pub listed_supplier: &'a str,
    pub today: NaiveDate,
}

pub async fn seed_integrity(store: &Store, rng: &mut StdRng, w: &IntegrityWorld<'_>) -> Result<()> {
    close_2025(store, w)
        .await
        .context("closing the 2025 round")?;
    let admin = w.admin;
    let top_up = TopUpInput {
        amount_fen: 200_000_000 * 100,
        document: "鲁财教指〔2026〕45号 追加人工智能产业发展专项资金".into(),
    };
    tx!(store, |tx| ops::closing::top_up(
        &mut tx,
        admin,
        w.province_source,
        &top_up,
        &Now::at(day("2026-07-01"))
    )
    .await)?;
    dishonesty(store, w)
        .await
        .context("seeding the dishonesty list")?;
    change_requests(store, w)
        .await
        .context("seeding change requests")?;
    split_purchases(store, rng, w)
        .await
        .context("seeding held invoices")?;
    Ok(())
}

/// The 2025 round ended: what is still open is decided, its vouchers have expired, and closing
/// returns the unspent budget to the sources.
async fn close_2025(store: &Store, w: &IntegrityWorld<'_>) -> Result<()> {
    let program = &w.programs[0].0;
    let on = Now::at(day("2026-01-10"));
    let open: Vec<(String, String)> = sqlx::query(
        "SELECT id, status FROM applications WHERE program_id = $1 AND status IN ('submitted','approved')",
    )
    .bind(program)
    .fetch_all(store.reader())
    .await?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    for (id, status) in open {
        if status == "submitted" {
            let input = quan_domain::inputs::ReviewInput {
                level: None,
                decision: "reject".into(),
                amount_fen: None,
                reason: Some("申报期已结束，未在年度内完成审核".into()),
            };
            tx!(store, |tx| ops::applications::review(
                &mut tx, w.admin, &id, &input, &on
            )
            .await)?;
        } else {
            tx!(store, |tx| ops::applications::issue(
                &mut tx, w.admin, &id, &on
            )
            .await)?;
        }
    }
    for id in ops::vouchers::due_for_expiry(store, &on, 10_000).await? {
        tx!(store, |tx| ops::vouchers::expire(
            &mut tx, w.admin, &id, &on
        )
        .await)?;
    }
    let reason = "2025年度第一批算力券执行完毕，结余预算按出资比例退回各资金来源";
    tx!(store, |tx| ops::closing::close_program(
        &mut tx, w.admin, program, reason, &on
    )
    .await)?;
    Ok(())
}

async fn dishonesty(store: &Store, w: &IntegrityWorld<'_>) -> Result<()> {
    let entries = [
        (
            "supplier",
            w.listed_supplier,
            "虚开算力服务发票，被税务部门立案查处",
            "国家税务总局青岛市税务局稽查局 青税稽处〔2026〕118号",
            "2026-10-15",
            None,
            None,
        ),
        (
            "enterprise",
            w.ents[5].as_str(),
            "以虚假材料骗取财政补贴资金",
            "信用中国（山东）严重失信主体名单 鲁信用〔2026〕0912号",
            "2026-09-01",
            None,
            None,
        ),
        (
            "enterprise",
            w.ents[6].as_str(),
            "未按期履行法院判决",
            "最高人民法院失信被执行人名单（2026）鲁01执1234号",
            "2026-03-01",
            None,
            Some("2026-08-01"),
        ),
    ];
    for (kind, party, reason, source, from, until, lifted_on) in entries {
        let input = DishonestyInput {
            party_kind: kind.into(),
            party_id: party.into(),
            reason: reason.into(),
            source: source.into(),
            listed_from: Some(from.into()),
            listed_until: until,
        };
        let at = Now::at(day(from));
        let req = DishonestyRequest::parse(&input, at.today)?;
        let e = tx!(store, |tx| ops::integrity::add(&mut tx, w.admin, &req, &at)
            .await)?;
        if let Some(on) = lifted_on {
            let note = "已履行判决并完成信用修复，经核查移出名单";
            tx!(store, |tx| ops::integrity::lift(
                &mut tx,
                w.admin,
                &e.id,
                note,
                &Now::at(day(on))
            )
            .await)?;
        }
    }
    let today = Now::at(w.today);
    tx!(store, |tx| ops::integrity::refresh_flags(
        &mut tx,
        today.today
    )
    .await)?;
    Ok(())
}

async fn change_requests(store: &Store, w: &IntegrityWorld<'_>) -> Result<()> {
    let cases = [
        (
            &w.ents[7],
            EnterpriseChangeInput {
                legal_rep: Some("刘建国".into()),
                evidence: "营业执照变更登记通知书 济市监变〔2026〕3318号".into(),
                ..Default::default()
            },
            None,
            "2026-11-20",
        ),
        (
            &w.ents[8],
            EnterpriseChangeInput {
                shareholders: Some(vec!["山东省新动能基金管理有限公司".into(), "赵明".into()]),
                evidence: "股权变更登记 鲁市监股〔2026〕0715号".into(),
                ..Default::default()
            },
            Some(("approve", "材料齐全，准予变更")),
            "2026-07-15",
        ),
        (
            &w.ents[9],
            EnterpriseChangeInput {
                size_class: Some("large".into()),
                evidence: "2025年度财务报表".into(),
                ..Default::default()
            },
            Some(("reject", "未提供从业人员及营业收入证明，不予变更")),
            "2026-08-20",
        ),
    ];
    for (ent, input, decision, on) in cases {
        let at = Now::at(day(on));
        let c = match tx!(store, |tx| ops::change_requests::submit(
            &mut tx, w.admin, ent, &input, &at
        )
        .await)
        {
            Ok(c) => c,
            // The generated file may already say it (e.g. the same size class).
            Err(StoreError::Validation(_)) => continue,
            Err(e) => return Err(e.into()),
        };
        if let Some((decision, note)) = decision {
            let d = ChangeDecisionInput {
                decision: decision.into(),
                note: Some(note.into()),
            };
            tx!(store, |tx| ops::change_requests::decide(
                &mut tx, w.admin, &c.id, &d, &at
            )
            .await)?;
        }
    }
    Ok(())
}

/// The 2026 model-voucher round holds split purchases: invoices under ¥200,000 that add up to it
/// within 7 days. One enterprise sends three ¥80,000 invoices in a week; the third is held.
async fn split_purchases(store: &Store, rng: &mut StdRng, w: &IntegrityWorld<'_>) -> Result<()> {
    let Some((program, _)) = w.programs.iter().find(|p| p.1 == "model") else {
        return Ok(());
    };
    let patch = quan_domain::inputs::ProgramPatch {
        policy: Some(ProgramPolicyFields {
            pilot_bonus_bps: 500,
            split_window_days: Some(7),
            split_threshold_fen: Some(200_000 * 100),
            ..Default::default()
        }),
        ..Default::default()
    };
    let at = Now::at(day("2026-10-01"));
    tx!(store, |tx| ops::programs::patch(
        &mut tx, w.admin, program, &patch, &at
    )
    .await)?;
    let candidates = sqlx::query(
        "SELECT v.id, p.id FROM vouchers v JOIN eligible_products ep ON ep.program_id = v.program_id \
         JOIN products p ON p.id = ep.product_id WHERE v.program_id = $1 AND v.status = 'active' ORDER BY v.id, p.id",
    )
    .bind(program)
    .fetch_all(store.reader())
    .await?;
    let now = Now::at(w.today);
    for r in candidates {
        let (voucher, product): (String, String) = (r.get(0), r.get(1));
        let mut done = 0;
        for k in 0..3 {
            let req = RedemptionRequest {
                voucher_id: voucher.as_str().into(),
                product_id: product.as_str().into(),
                invoice: quan_domain::InvoiceNumber::parse(
                    "invoice_number",
                    &format!("2637{:016}", rng.gen_range(0..10_000_000_000_000_000u64)),
                )?,
                invoice_amount: quan_domain::Money::from_fen(80_000 * 100),
                invoice_date: day("2026-11-16") + chrono::Duration::days(k),
                contract_id: None,
                payment_proof: None,
                delivery_proof: None,
            };
            match tx!(store, |tx| ops::redemptions::redeem(
                &mut tx, w.admin, &req, &now
            )
            .await)
            {
                Ok(_) => done += 1,
                Err(StoreError::Conflict { .. }) => break,
                Err(e) => return Err(e.into()),
            }
        }
        if done == 3 {
            return Ok(());
        }
    }
    Ok(())
}
