//! The demo's annual selection (issue 10): the 2026 model and corpus rounds run end to end
//! (entries with evidence, a panel of three experts, a recusal from the registered file, sealed
//! sheets, publication, an objection upheld on the model round — the first reserve moves up —
//! and one dismissed on the corpus round, then effect), which is how the 2026 model and corpus
//! programs get their lists; and the 2027 model round still open, with sheets due from the demo
//! reviewer.
use crate::seed::tx;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use quan_domain::inputs::{
    AssignmentInput, CriterionScoreInput, ObjectionInput, PanelExpertInput, ResolveInput,
    ScoreInput, SelectionEntryInput, SelectionRoundInput,
};
use quan_domain::Criterion;
use quan_store::ops::catalogue::ProductInput;
use quan_store::ops::{self, selection as sel, Now};
use quan_store::{Actor, Role, Store};
use rand::rngs::StdRng;
use rand::Rng;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("seed date")
}

pub struct SelectionWorld<'a> {
    pub admin: &'a Actor,
    /// The demo reviewer (王磊), also on every panel.
    pub reviewer: &'a Actor,
    pub password_hash: &'a str,
    /// (product id, kind, supplier id) of the catalogue; every model and corpus product here is
    /// selected (the demo's vouchers are spent on them).
    pub products: &'a [(String, String, String)],
}

fn criteria(kind: &str) -> Vec<Criterion> {
    let c = |key: &str, name: &str, weight| Criterion {
        key: key.into(),
        name: name.into(),
        weight,
    };
    if kind == "model" {
        vec![
            c("technical_quality", "技术水平", 40),
            c("application_value", "应用价值", 30),
            c("data_compliance", "数据合规", 15),
            c("price", "价格合理性", 15),
        ]
    } else {
        vec![
            c("data_quality", "数据质量", 40),
            c("scale", "数据规模", 20),
            c("application_value", "应用价值", 25),
            c("data_compliance", "合规与权属", 15),
        ]
    }
}

fn round_input(kind: &str, year: i32, cap: u32, call: (&str, &str)) -> SelectionRoundInput {
    let what = if kind == "model" {
        "大模型产品"
    } else {
        "高质量语料"
    };
    SelectionRoundInput {
        name: format!("{year}年度山东省{what}遴选"),
        kind: kind.into(),
        year,
        batch: None,
        cap,
        call_from: call.0.into(),
        call_until: call.1.into(),
        notice_days: 7,
        min_records: None,
        registration_required: Some(kind == "corpus"),
        pass_mark: Some(60),
        criteria: criteria(kind),
    }
}

fn evidence(kind: &str, product: &str, n: usize, code: Option<&String>) -> SelectionEntryInput {
    if kind == "model" {
        SelectionEntryInput {
            product_id: product.into(),
            evaluation_report: Some(format!("中国信通院 大模型评测报告 CAICT-LLM-2025-{n:03}")),
            deployment_evidence: Some("已在济南人工智能计算中心部署并提供服务（演示）".into()),
            record_count: None,
            registration_ref: None,
            summary: Some("面向山东重点产业的行业大模型（演示）".into()),
        }
    } else {
        SelectionEntryInput {
            product_id: product.into(),
            evaluation_report: None,
            deployment_evidence: None,
            record_count: Some(120_000 + n as i64 * 35_000),
            registration_ref: code.cloned(),
            summary: Some("已完成数据资源登记的行业语料（演示）".into()),
        }
    }
}

fn sheet(criteria: &[Criterion], base: i64, rng: &mut StdRng) -> ScoreInput {
    ScoreInput {
        scores: criteria
            .iter()
            .map(|c| CriterionScoreInput {
                criterion: c.key.clone(),
                score: (base + rng.gen_range(-3..=3)).clamp(0, 100),
            })
            .collect(),
        comment: Some("材料齐全，符合申报要求".into()),
    }
}

async fn experts(store: &Store, w: &SelectionWorld<'_>, related: &str) -> Result<Vec<Actor>> {
    let t = Now::at(day("2025-10-20"));
    let mut out = vec![w.reviewer.clone()];
    for (username, name) in [
        ("expert1", "刘建国"),
        ("expert2", "孙丽华"),
        ("expert3", related),
    ] {
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
                city_code: None,
            },
            &t,
        )
        .await)?;
        out.push(Actor {
            user_id: u.id,
            username: u.username,
            role: Role::Reviewer,
            enterprise_id: None,
            supplier_id: None,
        });
    }
    Ok(out)
}

/// Entries of one round: `(product, supplier, score base)`.
type Entries = Vec<(String, String, i64)>;

/// Opens a round, seats the panel, enters, assigns (every expert on every entry; the related
/// one is recused by the file) and scores. Returns the round and the entry ids in order.
async fn run_call(
    store: &Store,
    w: &SelectionWorld<'_>,
    panel: &[Actor],
    (input, entries): (SelectionRoundInput, &Entries),
    (score_upto, scored_on): (usize, &str),
    rng: &mut StdRng,
    codes: &std::collections::HashMap<String, String>,
) -> Result<(String, Vec<String>)> {
    let kind = input.kind.clone();
    let crit = input.criteria.clone();
    let open = Now::at(day(&input.call_from));
    let round = tx!(store, |tx| sel::create_round(
        &mut tx, w.admin, &input, &open
    )
    .await)?
    .id;
    for e in panel {
        let i = PanelExpertInput {
            user_id: e.user_id.clone(),
        };
        tx!(store, |tx| sel::add_expert(
            &mut tx,
            w.admin,
            round.as_str(),
            &i,
            &open
        )
        .await)?;
    }
    let mut ids = Vec::new();
    for (n, (product, _, _)) in entries.iter().enumerate() {
        let i = evidence(&kind, product, n, codes.get(product));
        let e = tx!(store, |tx| sel::enter(
            &mut tx,
            w.admin,
            round.as_str(),
            &i,
            &open
        )
        .await)
        .with_context(|| format!("entering {product}"))?;
        for x in panel {
            let a = AssignmentInput {
                entry_id: e.id.to_string(),
                expert_id: x.user_id.clone(),
            };
            tx!(store, |tx| sel::assign(
                &mut tx,
                w.admin,
                round.as_str(),
                &a,
                &open
            )
            .await)?;
        }
        ids.push(e.id.to_string());
    }
    for (n, (id, (_, _, base))) in ids.iter().zip(entries).enumerate().take(score_upto) {
        for x in panel {
            let s = sheet(&crit, *base, rng);
            let at = Now::at(day(scored_on));
            match tx!(store, |tx| sel::score(&mut tx, x, id, &s, &at).await) {
                Ok(_) => {}
                // The recused expert cannot score: that is the point.
                Err(quan_store::StoreError::Conflict {
                    code: "must_recuse",
                    ..
                }) => {}
                // The demo reviewer leaves the last open entries for the demo to score.
                Err(e) => return Err(e).with_context(|| format!("scoring entry {n}")),
            }
        }
    }
    Ok((round.to_string(), ids))
}

async fn extra(
    store: &Store,
    admin: &Actor,
    supplier: String,
    kind: &str,
    name: &str,
) -> Result<quan_store::rows::Product> {
    let input = ProductInput {
        supplier_id: Some(supplier),
        kind: kind.into(),
        name: name.into(),
        city_code: None,
        gpu_model: None,
        price_per_unit_fen: None,
        billing_unit: None,
        description: "参加年度遴选（演示）".into(),
    };
    let t = Now::at(day("2025-10-20"));
    Ok(tx!(store, |tx| ops::catalogue::create_product(
        &mut tx, admin, &input, &t
    )
    .await)?)
}

pub async fn seed_selection(store: &Store, rng: &mut StdRng, w: &SelectionWorld<'_>) -> Result<()> {
    let of = |kind: &str| -> Vec<(String, String)> {
        w.products
            .iter()
            .filter(|p| p.1 == kind)
            .map(|p| (p.0.clone(), p.2.clone()))
            .collect()
    };
    let (models, corpora) = (of("model"), of("corpus"));
    // The third expert is the legal representative of the first model vendor: recused there.
    let vendor = ops::catalogue::get_supplier(store, w.admin, &models[0].1).await?;
    let panel = experts(store, w, &vendor.legal_rep).await?;

    // Extra entries that are not on the lists: one strong model whose report turns out expired
    // (objection upheld), weaker ones that stay reserves or fall below the pass mark.
    let mut model_entries: Entries = Vec::new();
    let x1 = extra(
        store,
        w.admin,
        models[3].1.clone(),
        "model",
        "海岱工业智脑 超大参数版",
    )
    .await?;
    model_entries.push((x1.id, models[3].1.clone(), 96));
    for (n, (p, s)) in models.iter().enumerate() {
        model_entries.push((p.clone(), s.clone(), 92 - n as i64));
    }
    for (name, base) in [("泉城智言 轻量版", 58), ("长风交通模型 试验版", 50)] {
        let p = extra(store, w.admin, models[1].1.clone(), "model", name).await?;
        model_entries.push((p.id, models[1].1.clone(), base));
    }
    let mut corpus_entries: Entries = Vec::new();
    for (n, (p, s)) in corpora.iter().enumerate() {
        corpus_entries.push((p.clone(), s.clone(), 90 - 2 * n as i64));
    }
    for (name, base) in [("鲁中方言语音语料（二期）", 66), ("港口视频标注语料", 55)]
    {
        let p = extra(store, w.admin, corpora[0].1.clone(), "corpus", name).await?;
        corpus_entries.push((p.id, corpora[0].1.clone(), base));
    }

    // Every corpus's data is registered before it is entered (the round requires it).
    let corpus_parties: Vec<(String, String)> = corpus_entries
        .iter()
        .map(|(p, s, _)| (p.clone(), s.clone()))
        .collect();
    let codes =
        crate::seed_data::register_corpora(store, w.admin, w.reviewer, &corpus_parties).await?;
    // The 2026 model round: 33 entries, cap 30.
    let input = round_input("model", 2026, 30, ("2025-10-20", "2025-11-20"));
    let n = model_entries.len();
    let (round, ids) = run_call(
        store,
        w,
        &panel,
        (input, &model_entries),
        (n, "2025-11-18"),
        rng,
        &codes,
    )
    .await?;
    let closing = Now::at(day("2025-11-25"));
    tx!(store, |tx| sel::close_panel(
        &mut tx, w.admin, &round, &closing
    )
    .await)?;
    tx!(store, |tx| sel::publish(&mut tx, w.admin, &round, &closing)
        .await)?;
    let objecting = Now::at(day("2025-11-28"));
    let o = ObjectionInput {
        reason: "群众来信反映：该产品所附第三方测评报告已过有效期（演示）".into(),
    };
    let ob = tx!(store, |tx| sel::file_objection(
        &mut tx, w.admin, &ids[0], &o, &objecting
    )
    .await)?;
    let uphold = ResolveInput {
        uphold: true,
        note: "经核查测评报告已过期，取消入选资格，由第31名递补（演示）".into(),
    };
    tx!(store, |tx| sel::resolve_objection(
        &mut tx, w.admin, &ob.id, &uphold, &objecting
    )
    .await)?;
    let effective = Now::at(day("2025-12-06"));
    tx!(store, |tx| sel::take_effect(
        &mut tx, w.admin, &round, &effective
    )
    .await)
    .context("the 2026 model selection")?;

    // The 2026 corpus round: 12 entries, cap 10; an objection dismissed.
    let input = round_input("corpus", 2026, 10, ("2025-10-20", "2025-11-20"));
    let n = corpus_entries.len();
    let (round, ids) = run_call(
        store,
        w,
        &panel,
        (input, &corpus_entries),
        (n, "2025-11-18"),
        rng,
        &codes,
    )
    .await?;
    tx!(store, |tx| sel::close_panel(
        &mut tx, w.admin, &round, &closing
    )
    .await)?;
    tx!(store, |tx| sel::publish(&mut tx, w.admin, &round, &closing)
        .await)?;
    let o = ObjectionInput {
        reason: "同业来函质疑该语料的数据来源授权（演示）".into(),
    };
    let ob = tx!(store, |tx| sel::file_objection(
        &mut tx, w.admin, &ids[2], &o, &objecting
    )
    .await)?;
    let dismiss = ResolveInput {
        uphold: false,
        note: "已提供数据资源登记证书及授权链条，异议不成立（演示）".into(),
    };
    tx!(store, |tx| sel::resolve_objection(
        &mut tx, w.admin, &ob.id, &dismiss, &objecting
    )
    .await)?;
    tx!(store, |tx| sel::take_effect(
        &mut tx, w.admin, &round, &effective
    )
    .await)
    .context("the 2026 corpus selection")?;

    // The 2027 model round, still open: six entries; the panel has scored four.
    let input = round_input("model", 2027, 30, ("2026-11-01", "2026-12-15"));
    let next: Entries = model_entries[1..7].to_vec();
    run_call(
        store,
        w,
        &panel,
        (input, &next),
        (4, "2026-11-20"),
        rng,
        &codes,
    )
    .await?;
    Ok(())
}
