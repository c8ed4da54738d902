//! The demo's policy-target figures (issue 13): the compute registry's sites at the three hubs and
//! elsewhere (the compute targets are computed from them), and the figures the platform does not
//! hold itself, entered as an administrator would, each with the document it comes from. Both are
//! illustrative for the demo (the documents are named as a real entry would name them).
use crate::seed::tx;
use anyhow::Result;
use chrono::NaiveDate;
use quan_store::ops::compute::ComputeSiteInput;
use quan_store::ops::targets::FigureInput;
use quan_store::ops::{self, Now};
use quan_store::{Actor, Store};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("seed date")
}

/// (target, value, as of, source document): the figures the platform does not hold. The compute
/// targets are not among them: they come from the compute registry seeded below.
const FIGURES: &[(&str, f64, &str, &str)] = &[
    (
        "vertical_industry_models",
        14.0,
        "2026-09-30",
        "省工业和信息化厅 行业大模型培育情况通报（演示）",
    ),
    (
        "benchmark_scenarios",
        31.0,
        "2026-09-30",
        "省工业和信息化厅 标杆应用场景名单（演示）",
    ),
    (
        "provincial_datasets_per_year",
        6.0,
        "2026-10-31",
        "省大数据局 高质量数据集建设进展（演示）",
    ),
    (
        "hightech_digital_enterprises",
        2310.0,
        "2026-06-30",
        "省科技厅 数字经济高新技术企业认定公告（演示）",
    ),
];

pub async fn seed_targets(store: &Store, admin: &Actor, today: NaiveDate) -> Result<()> {
    for (target, value, as_of, source) in FIGURES {
        let input = FigureInput {
            value: *value,
            as_of: day(as_of),
            source: (*source).to_string(),
        };
        // Entered on the day after the figure (or today, when that is later than today).
        let on = (day(as_of) + chrono::Duration::days(1)).min(today);
        tx!(store, |tx| ops::targets::enter(
            &mut tx,
            admin,
            target,
            &input,
            &Now::at(on)
        )
        .await)?;
    }
    Ok(())
}

/// (operator: the index of the Jinan, Qingdao or Zaozhuang compute supplier; name; city; hub;
/// kind; commissioned on; FP16 PFLOPS; FP64 PFLOPS; accelerator model; accelerators). The older
/// general-purpose centres come before the targets' start (2024-01-01); the intelligent ones after
/// it, most of them in the hubs; one is planned for 2027.
type Site = (
    usize,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    f64,
    f64,
    Option<&'static str>,
    i64,
);
const SITES: &[Site] = &[
    (
        0,
        "国家超算济南中心 通用集群（演示）",
        "370100",
        Some("jinan"),
        "general",
        "2019-06-01",
        0.0,
        2000.0,
        None,
        0,
    ),
    (
        1,
        "青岛海洋科学超算平台（演示）",
        "370200",
        Some("qingdao"),
        "general",
        "2020-09-01",
        0.0,
        1500.0,
        None,
        0,
    ),
    (
        0,
        "烟台 通用数据中心（演示）",
        "370600",
        None,
        "general",
        "2021-05-01",
        0.0,
        1200.0,
        None,
        0,
    ),
    (
        1,
        "潍坊 通用数据中心（演示）",
        "370700",
        None,
        "general",
        "2022-03-01",
        0.0,
        900.0,
        None,
        0,
    ),
    (
        0,
        "济南 昇腾人工智能计算中心（演示）",
        "370100",
        Some("jinan"),
        "intelligent",
        "2024-03-15",
        2500.0,
        40.0,
        Some("Ascend 910B"),
        7800,
    ),
    (
        1,
        "青岛 智算中心一期（演示）",
        "370200",
        Some("qingdao"),
        "intelligent",
        "2024-08-01",
        1200.0,
        38.5,
        Some("A100"),
        4000,
    ),
    (
        2,
        "枣庄 鲁南算力枢纽智算节点（演示）",
        "370400",
        Some("zaozhuang"),
        "intelligent",
        "2025-04-01",
        1000.0,
        16.0,
        Some("Ascend 910B"),
        3200,
    ),
    (
        2,
        "临沂 推理算力中心（演示）",
        "371300",
        None,
        "intelligent",
        "2025-06-01",
        600.0,
        2.5,
        Some("L40S"),
        1650,
    ),
    (
        0,
        "济南 超算扩容（演示）",
        "370100",
        Some("jinan"),
        "general",
        "2025-09-01",
        0.0,
        400.0,
        None,
        0,
    ),
    (
        1,
        "青岛 智算中心二期（规划，演示）",
        "370200",
        Some("qingdao"),
        "intelligent",
        "2027-03-01",
        1500.0,
        24.0,
        Some("H20"),
        10000,
    ),
];

/// Registers the demo's compute sites for the three compute suppliers (in the hubs' order), as an
/// administrator would for each, on the day each was commissioned (or today, for a planned one).
pub async fn seed_compute_sites(
    store: &Store,
    admin: &Actor,
    compute_suppliers: &[String],
    today: NaiveDate,
) -> Result<()> {
    for &(op, name, city, hub, kind, on, fp16, fp64, model, count) in SITES {
        let input = ComputeSiteInput {
            supplier_id: Some(compute_suppliers[op].clone()),
            name: name.into(),
            city_code: city.into(),
            hub: hub.map(str::to_string),
            kind: kind.into(),
            commissioned_on: day(on),
            fp16_pflops: fp16,
            fp64_pflops: fp64,
            accelerator_model: model.map(str::to_string),
            accelerator_count: count,
        };
        tx!(store, |tx| ops::compute::register(
            &mut tx,
            admin,
            &input,
            &Now::at(day(on).min(today))
        )
        .await)?;
    }
    Ok(())
}
