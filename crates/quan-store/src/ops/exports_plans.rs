//! The policy's figures as spreadsheets: the policy targets, a program's run-out forecast and a
//! what-if comparison. Their words (target names, units, verdicts) are the console's own,
//! read from its dictionaries (web/src/i18n/zh.ts and en.ts, compiled in), so an export and the
//! page it came from always say the same thing.
use std::collections::HashMap;
use std::sync::OnceLock;

use quan_domain::{city, ProgramForecast, RunOutForecast, TargetStatus, WhatIf, WhatIfFigures};

use crate::export::{Cell, Lang, Table};
use quan_domain::Money;

const ZH: &str = include_str!("../../../../web/src/i18n/zh.ts");
const EN: &str = include_str!("../../../../web/src/i18n/en.ts");

/// The entries `'key': 'value',` of a dictionary file (one per line, as the console writes them).
fn parse_dictionary(src: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for line in src.lines() {
        let l = line.trim();
        let Some(rest) = l.strip_prefix('\'') else {
            continue;
        };
        let Some((key, value)) = rest.split_once("': '") else {
            continue;
        };
        let Some(value) = value.strip_suffix("',") else {
            continue;
        };
        out.insert(key.to_string(), value.replace("\\'", "'"));
    }
    out
}

/// The console's word for `key` in `lang` (the key itself when the dictionary lacks it; a test
/// checks every key this module uses is there).
pub fn word(lang: Lang, key: &str) -> String {
    static DICTS: OnceLock<(HashMap<String, String>, HashMap<String, String>)> = OnceLock::new();
    let (zh, en) = DICTS.get_or_init(|| (parse_dictionary(ZH), parse_dictionary(EN)));
    let d = match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    d.get(key).cloned().unwrap_or_else(|| key.to_string())
}

fn date(d: Option<chrono::NaiveDate>) -> Cell {
    Cell::text(d.map(|d| d.to_string()).unwrap_or_default())
}

fn number(x: Option<f64>) -> Cell {
    Cell::text(x.map(|v| format!("{v}")).unwrap_or_default())
}

fn verdict(f: &RunOutForecast, l: Lang) -> String {
    let code = serde_json::to_value(f.verdict)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    word(l, &format!("fc.verdict.{code}"))
}

/// A unit as the targets page writes it: symbols for percent and EFLOPS, words otherwise.
fn unit_word(unit: &str, l: Lang) -> String {
    match unit {
        "percent" => "%".into(),
        "EFLOPS" => "EFLOPS".into(),
        u => word(l, &format!("tg.unit.{u}")),
    }
}

/// Every policy target with its figure, source, progress and verdict.
pub fn targets_table(rows: &[TargetStatus], l: Lang) -> Table {
    let headers = match l {
        Lang::Zh => vec![
            "指标",
            "政策文件",
            "目标值",
            "单位",
            "截止日",
            "当前值",
            "数据来源",
            "截至",
            "来源文件",
            "完成度（%）",
            "剩余天数",
            "判断",
        ],
        Lang::En => vec![
            "Target",
            "Policy seed",
            "Target value",
            "Unit",
            "Deadline",
            "Figure",
            "Source",
            "As of",
            "Source document",
            "Progress (%)",
            "Days left",
            "Verdict",
        ],
    };
    let rows = rows
        .iter()
        .map(|t| {
            let source = match t.source {
                quan_domain::FigureSource::Platform => {
                    l.t("平台记录计算", "Computed from the platform's records")
                }
                quan_domain::FigureSource::Entered => {
                    l.t("管理员录入", "Entered by an administrator")
                }
            };
            let verdict = serde_json::to_value(t.progress.verdict)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            vec![
                Cell::text(word(l, &format!("tg.name.{}", t.target.id))),
                Cell::text(t.target.seed.clone()),
                number(Some(t.target.target)),
                Cell::text(unit_word(&t.target.unit, l)),
                date(t.target.deadline),
                number(t.figure),
                Cell::text(source),
                date(t.as_of),
                Cell::text(t.source_document.clone().unwrap_or_default()),
                number(t.progress.ratio.map(|r| (r * 1000.0).round() / 10.0)),
                Cell::text(
                    t.progress
                        .days_left
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                ),
                Cell::text(word(l, &format!("tg.verdict.{verdict}"))),
            ]
        })
        .collect();
    Table {
        sheet: l.t("政策目标", "Policy targets"),
        headers,
        rows,
    }
}

fn forecast_row(what: String, f: &RunOutForecast, l: Lang) -> Vec<Cell> {
    vec![
        Cell::text(what),
        Cell::money(Money::from_fen(f.remaining_fen)),
        Cell::money(Money::from_fen(f.fen_per_day)),
        date(f.run_out_on),
        date(f.earliest_on),
        date(f.latest_on),
        date(Some(f.ends_on)),
        Cell::Money(f.left_at_end_fen.map(Money::from_fen)),
        Cell::text(verdict(f, l)),
    ]
}

/// A program's forecast: the committed and spent bases, then each funding source's committed.
pub fn forecast_table(f: &ProgramForecast, l: Lang) -> Table {
    let headers = match l {
        Lang::Zh => vec![
            "口径",
            "剩余金额（元）",
            "日均速度（元）",
            "预计用尽日",
            "最早",
            "最晚",
            "期限日",
            "期末预计剩余（元）",
            "判断",
        ],
        Lang::En => vec![
            "Basis",
            "Left (yuan)",
            "Pace per day (yuan)",
            "Runs out on",
            "Earliest",
            "Latest",
            "Period ends",
            "Left at the end (yuan)",
            "Verdict",
        ],
    };
    let mut rows = vec![
        forecast_row(word(l, "fc.basis.committed"), &f.committed, l),
        forecast_row(word(l, "fc.basis.spent"), &f.spent, l),
    ];
    for s in &f.sources {
        let what = format!("{} · {}", s.source_name, word(l, "fc.basis.committed"));
        rows.push(forecast_row(what, &s.committed, l));
    }
    Table {
        sheet: l.t("用尽预测", "Run-out forecast"),
        headers,
        rows,
    }
}

fn compare(rows: &mut Vec<Vec<Cell>>, what: String, a: Cell, b: Cell, diff: Cell) {
    rows.push(vec![Cell::text(what), a, b, diff]);
}

fn money_row(rows: &mut Vec<Vec<Cell>>, what: String, a: i64, b: i64) {
    let m = Money::from_fen;
    compare(
        rows,
        what,
        Cell::money(m(a)),
        Cell::money(m(b)),
        Cell::money(m(b - a)),
    );
}

fn count_row(rows: &mut Vec<Vec<Cell>>, what: String, a: i64, b: i64) {
    compare(rows, what, Cell::Int(a), Cell::Int(b), Cell::Int(b - a));
}

fn headline(rows: &mut Vec<Vec<Cell>>, r: &WhatIfFigures, w: &WhatIfFigures, l: Lang) {
    money_row(
        rows,
        l.t("发券金额（元）", "Granted (yuan)").into(),
        r.granted_fen,
        w.granted_fen,
    );
    money_row(
        rows,
        l.t(
            "已支付补贴（元，扣除追回）",
            "Subsidy paid (yuan, net of clawbacks)",
        )
        .into(),
        r.paid_fen,
        w.paid_fen,
    );
    money_row(
        rows,
        l.t("追回（元）", "Clawed back (yuan)").into(),
        r.clawed_back_fen,
        w.clawed_back_fen,
    );
    count_row(rows, l.t("券数", "Vouchers").into(), r.vouchers, w.vouchers);
    count_row(
        rows,
        l.t("受益企业", "Beneficiary enterprises").into(),
        r.beneficiaries,
        w.beneficiaries,
    );
    count_row(
        rows,
        l.t("获得补贴的企业", "Enterprises paid a subsidy").into(),
        r.subsidised_enterprises,
        w.subsidised_enterprises,
    );
    count_row(
        rows,
        l.t("不符合条件的授予", "Grants not eligible").into(),
        r.grants_not_eligible,
        w.grants_not_eligible,
    );
    count_row(
        rows,
        l.t("超过年度上限的授予", "Grants over the yearly cap")
            .into(),
        r.grants_over_year_cap,
        w.grants_over_year_cap,
    );
    count_row(
        rows,
        l.t("预算不足的授予", "Grants the budget could not fund")
            .into(),
        r.grants_budget_exhausted,
        w.grants_budget_exhausted,
    );
    count_row(
        rows,
        l.t("无补贴的发票核销", "Invoice redemptions paid nothing")
            .into(),
        r.redemptions_refused,
        w.redemptions_refused,
    );
    count_row(
        rows,
        l.t("无补贴的计量记录", "Metered records paid nothing")
            .into(),
        r.usage_unsubsidised,
        w.usage_unsubsidised,
    );
    compare(
        rows,
        l.t("预算用尽日（按实际支付）", "Budget runs out (paid)")
            .into(),
        date(r.run_out.run_out_on),
        date(w.run_out.run_out_on),
        Cell::text(verdict(&w.run_out, l)),
    );
}

fn breakdowns(rows: &mut Vec<Vec<Cell>>, r: &WhatIfFigures, w: &WhatIfFigures, l: Lang) {
    for s in &r.by_source {
        let other = w.by_source.iter().find(|x| x.source_id == s.source_id);
        let paid = other.map_or(0, |o| o.paid_fen);
        money_row(
            rows,
            format!("{} · {}", s.source_name, l.t("已支付（元）", "paid (yuan)")),
            s.paid_fen,
            paid,
        );
    }
    let label = |group: &str, key: &str| -> String {
        match group {
            "city" => city(key)
                .map(|c| match l {
                    Lang::Zh => c.name_zh.clone(),
                    Lang::En => c.name_en.clone(),
                })
                .unwrap_or_else(|| key.to_string()),
            "size" => word(l, &format!("size.{key}")),
            _ => word(l, &format!("vt.{key}")),
        }
    };
    for (group, a, b) in [
        ("city", &r.by_city, &w.by_city),
        ("size", &r.by_size, &w.by_size),
        ("type", &r.by_voucher_type, &w.by_voucher_type),
    ] {
        let mut keys: Vec<&str> = a.iter().chain(b.iter()).map(|x| x.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            let find = |v: &[quan_domain::BreakdownRow]| {
                v.iter().find(|x| x.key == k).map_or(0, |x| x.paid_fen)
            };
            money_row(
                rows,
                format!(
                    "{} · {}",
                    label(group, k),
                    l.t("已支付（元）", "paid (yuan)")
                ),
                find(a),
                find(b),
            );
        }
    }
}

/// A what-if: each figure as recorded, under the changed rules, and the difference.
pub fn whatif_table(w: &WhatIf, l: Lang) -> Table {
    let headers = match l {
        Lang::Zh => vec!["项目", "实际", "推演", "差额"],
        Lang::En => vec!["Figure", "Recorded", "What-if", "Difference"],
    };
    let mut rows = Vec::new();
    headline(&mut rows, &w.recorded, &w.replayed, l);
    breakdowns(&mut rows, &w.recorded, &w.replayed, l);
    Table {
        sheet: l.t("推演对比", "What-if"),
        headers,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_the_exports_use_is_in_both_dictionaries() {
        let (zh, en) = (parse_dictionary(ZH), parse_dictionary(EN));
        let mut keys: Vec<String> = quan_domain::policy_targets()
            .iter()
            .flat_map(|t| [format!("tg.name.{}", t.id), format!("tg.unit.{}", t.unit)])
            .filter(|k| k != "tg.unit.percent" && k != "tg.unit.EFLOPS")
            .collect();
        for v in ["met", "on_track", "at_risk", "no_data"] {
            keys.push(format!("tg.verdict.{v}"));
        }
        for v in [
            "exhausted",
            "ended",
            "no_recent_activity",
            "runs_out_before_end",
            "lasts_to_end",
        ] {
            keys.push(format!("fc.verdict.{v}"));
        }
        for k in ["fc.basis.committed", "fc.basis.spent"] {
            keys.push(k.into());
        }
        for s in quan_domain::SizeClass::ALL {
            keys.push(format!("size.{}", s.as_str()));
        }
        for t in ["compute", "model", "corpus", "innovation"] {
            keys.push(format!("vt.{t}"));
        }
        for k in &keys {
            assert!(zh.contains_key(k), "zh.ts lacks {k}");
            assert!(en.contains_key(k), "en.ts lacks {k}");
        }
        assert_eq!(word(Lang::Zh, "tg.verdict.met"), zh["tg.verdict.met"]);
    }
}
