//! The demo's policy-target figures (issue 13): the figures the platform does not hold itself,
//! entered as an administrator would, each with the document it comes from. The figures are
//! illustrative for the demo (the documents are named as a real entry would name them).
use crate::seed::tx;
use anyhow::Result;
use chrono::NaiveDate;
use quan_store::ops::targets::FigureInput;
use quan_store::ops::{self, Now};
use quan_store::{Actor, Store};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("seed date")
}

/// (target, value, as of, source document): an earlier and a later figure for the compute
/// targets, so the history and the trend have two points.
const FIGURES: &[(&str, f64, &str, &str)] = &[
    (
        "total_compute",
        7.8,
        "2024-12-31",
        "山东省算力基础设施发展统计公报（2024年度）（演示）",
    ),
    (
        "total_compute",
        11.2,
        "2025-12-31",
        "山东省算力基础设施发展统计公报（2025年度）（演示）",
    ),
    (
        "intelligent_compute_share",
        41.0,
        "2024-12-31",
        "山东省算力基础设施发展统计公报（2024年度）（演示）",
    ),
    (
        "intelligent_compute_share",
        48.5,
        "2025-12-31",
        "山东省算力基础设施发展统计公报（2025年度）（演示）",
    ),
    (
        "hub_share_new_compute",
        73.0,
        "2025-12-31",
        "省发展改革委 算力枢纽新增算力统计（演示）",
    ),
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
