//! The console's lists as spreadsheets: the rows a list's filters select (every page, up to
//! [`MAX_EXPORT_ROWS`]), with the columns a reader of that list needs, headers and words in the
//! reader's language. The words for statuses and types are the console's (web/src/i18n).
use quan_domain::{city, ApplicationStatus, Money, RedemptionStatus, VoucherStatus, VoucherType};

use crate::export::{Cell, Lang, Table};
use crate::rows::{Application, Enterprise, Redemption, Settlement, Voucher};
use quan_domain::Reimbursement;

/// More rows than this is refused: the reader is asked to narrow the filters.
pub const MAX_EXPORT_ROWS: i64 = 100_000;

fn city_name(code: &str, l: Lang) -> String {
    city(code)
        .map(|c| match l {
            Lang::Zh => c.name_zh.clone(),
            Lang::En => c.name_en.clone(),
        })
        .unwrap_or_else(|| code.to_string())
}

fn voucher_type(t: VoucherType, l: Lang) -> &'static str {
    match t {
        VoucherType::Compute => l.t("算力券", "Compute voucher"),
        VoucherType::Model => l.t("模型券", "Model voucher"),
        VoucherType::Corpus => l.t("语料券", "Corpus voucher"),
        VoucherType::Innovation => l.t("创新券", "Innovation voucher"),
    }
}

fn application_status(s: ApplicationStatus, l: Lang) -> &'static str {
    match s {
        ApplicationStatus::Submitted => l.t("待审核", "Submitted"),
        ApplicationStatus::Approved => l.t("公示中", "In notice"),
        ApplicationStatus::Rejected => l.t("已驳回", "Rejected"),
        ApplicationStatus::Revoked => l.t("已撤销", "Revoked"),
        ApplicationStatus::Issued => l.t("已发券", "Issued"),
    }
}

fn voucher_status(s: VoucherStatus, l: Lang) -> &'static str {
    match s {
        VoucherStatus::Active => l.t("有效", "Active"),
        VoucherStatus::Expired => l.t("已过期", "Expired"),
        VoucherStatus::Cancelled => l.t("已作废（验收不合格）", "Cancelled (failed acceptance)"),
    }
}

fn redemption_status(s: RedemptionStatus, l: Lang) -> &'static str {
    match s {
        RedemptionStatus::Held => l.t("暂缓支付", "Held"),
        RedemptionStatus::Payable => l.t("待结算", "Payable"),
        RedemptionStatus::Settled => l.t("已结算", "Settled"),
        RedemptionStatus::ClawedBack => l.t("已追回", "Clawed back"),
    }
}

fn payee(kind: &str, l: Lang) -> &'static str {
    if kind == "enterprise" {
        l.t("企业（先付后补）", "Enterprise (reimbursed)")
    } else {
        l.t("供应商", "Supplier")
    }
}

fn money(m: Money) -> Cell {
    Cell::money(m)
}

fn opt_money(m: Option<Money>) -> Cell {
    Cell::Money(m)
}

fn text(s: impl Into<String>) -> Cell {
    Cell::text(s)
}

pub fn applications(rows: &[Application], l: Lang) -> Table {
    Table {
        sheet: l.t("申请", "applications"),
        headers: vec![
            l.t("申请编号", "Number"),
            l.t("企业", "Enterprise"),
            l.t("所在市", "City"),
            l.t("项目", "Program"),
            l.t("券种", "Voucher type"),
            l.t("申请金额（元）", "Amount (yuan)"),
            l.t("核定金额（元）", "Approved (yuan)"),
            l.t("状态", "Status"),
            l.t("公示截止", "Notice ends"),
            l.t("提交时间", "Submitted at"),
        ],
        rows: rows
            .iter()
            .map(|a| {
                vec![
                    text(&a.number),
                    text(&a.enterprise_name),
                    text(city_name(&a.city_code, l)),
                    text(&a.program_name),
                    text(voucher_type(a.voucher_type, l)),
                    money(a.amount_fen),
                    opt_money(a.approved_fen),
                    text(application_status(a.status, l)),
                    text(a.notice_ends_on.map(|d| d.to_string()).unwrap_or_default()),
                    text(&a.created_at),
                ]
            })
            .collect(),
    }
}

pub fn vouchers(rows: &[Voucher], l: Lang) -> Table {
    Table {
        sheet: l.t("券", "vouchers"),
        headers: vec![
            l.t("券号", "Number"),
            l.t("持有企业", "Holder"),
            l.t("项目", "Program"),
            l.t("券种", "Voucher type"),
            l.t("面额（元）", "Face value (yuan)"),
            l.t("已使用（元）", "Redeemed (yuan)"),
            l.t("余额（元）", "Balance (yuan)"),
            l.t("有效期起", "Valid from"),
            l.t("有效期止", "Valid until"),
            l.t("状态", "Status"),
        ],
        rows: rows
            .iter()
            .map(|v| {
                vec![
                    text(&v.number),
                    text(&v.enterprise_name),
                    text(&v.program_name),
                    text(voucher_type(v.voucher_type, l)),
                    money(v.face_value_fen),
                    money(v.redeemed_fen),
                    money(v.balance_fen),
                    text(v.valid_from.to_string()),
                    text(v.valid_until.to_string()),
                    text(voucher_status(v.status, l)),
                ]
            })
            .collect(),
    }
}

pub fn redemptions(rows: &[Redemption], l: Lang) -> Table {
    Table {
        sheet: l.t("兑付", "redemptions"),
        headers: vec![
            l.t("兑付编号", "Number"),
            l.t("企业", "Enterprise"),
            l.t("供应商", "Supplier"),
            l.t("产品", "Product"),
            l.t("发票号", "Invoice"),
            l.t("发票日期", "Invoice date"),
            l.t("发票金额（元）", "Invoice (yuan)"),
            l.t("补贴（元）", "Subsidy (yuan)"),
            l.t("企业自付（元）", "Enterprise pays (yuan)"),
            l.t("受款方", "Payee"),
            l.t("状态", "Status"),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    text(&r.number),
                    text(&r.enterprise_name),
                    text(&r.supplier_name),
                    text(&r.product_name),
                    text(r.invoice_number.as_str()),
                    text(r.invoice_date.to_string()),
                    money(r.invoice_amount_fen),
                    money(r.subsidy_fen),
                    money(r.enterprise_pays_fen),
                    text(payee(&r.payee, l)),
                    text(redemption_status(r.status, l)),
                ]
            })
            .collect(),
    }
}

/// A payout run as both run lists show it (a supplier's settlement, an enterprise's
/// reimbursement).
struct Run<'a> {
    number: &'a str,
    party: &'a str,
    period: &'a str,
    items: i64,
    total: Money,
    offset: Money,
    paid: Money,
    created_at: &'a str,
}

fn runs(sheet: &'static str, headers: [&'static str; 2], rows: Vec<Run>, l: Lang) -> Table {
    Table {
        sheet,
        headers: vec![
            headers[0],
            headers[1],
            l.t("结算期", "Period"),
            l.t("条目数", "Items"),
            l.t("应付（元）", "Total (yuan)"),
            l.t("抵扣应收（元）", "Receivable offset (yuan)"),
            l.t("实付（元）", "Paid (yuan)"),
            l.t("生成时间", "Created at"),
        ],
        rows: rows
            .into_iter()
            .map(|r| {
                vec![
                    text(r.number),
                    text(r.party),
                    text(r.period),
                    Cell::Int(r.items),
                    money(r.total),
                    money(r.offset),
                    money(r.paid),
                    text(r.created_at),
                ]
            })
            .collect(),
    }
}

pub fn settlements(rows: &[Settlement], l: Lang) -> Table {
    let rows = rows
        .iter()
        .map(|s| Run {
            number: &s.number,
            party: &s.supplier_name,
            period: &s.period,
            items: s.item_count,
            total: Money::from_fen(s.total_fen),
            offset: Money::from_fen(s.receivable_offset_fen),
            paid: Money::from_fen(s.paid_fen),
            created_at: &s.created_at,
        })
        .collect();
    let headers = [l.t("结算单号", "Number"), l.t("供应商", "Supplier")];
    runs(l.t("结算", "settlements"), headers, rows, l)
}

pub fn reimbursements(rows: &[Reimbursement], l: Lang) -> Table {
    let rows = rows
        .iter()
        .map(|r| Run {
            number: &r.number,
            party: &r.enterprise_name,
            period: &r.period,
            items: r.item_count,
            total: r.total_fen,
            offset: r.receivable_offset_fen,
            paid: r.paid_fen,
            created_at: &r.created_at,
        })
        .collect();
    let headers = [l.t("报销单号", "Number"), l.t("企业", "Enterprise")];
    runs(l.t("报销", "reimbursements"), headers, rows, l)
}

pub fn enterprises(rows: &[Enterprise], l: Lang) -> Table {
    let size = |s: &str| match s {
        "micro" => l.t("微型", "Micro"),
        "small" => l.t("小型", "Small"),
        "medium" => l.t("中型", "Medium"),
        "large" => l.t("大型", "Large"),
        _ => "",
    };
    let yes = |b: bool| {
        if b {
            l.t("是", "Yes")
        } else {
            l.t("否", "No")
        }
    };
    Table {
        sheet: l.t("企业", "enterprises"),
        headers: vec![
            l.t("统一社会信用代码", "USCC"),
            l.t("企业名称", "Name"),
            l.t("所在市", "City"),
            l.t("行业门类", "Industry"),
            l.t("规模", "Size"),
            l.t("试点区", "Pilot zone"),
            l.t("法定代表人", "Legal representative"),
            l.t("失信", "Dishonest"),
            l.t("登记时间", "Registered at"),
        ],
        rows: rows
            .iter()
            .map(|e| {
                vec![
                    text(&e.uscc),
                    text(&e.name),
                    text(city_name(&e.city_code, l)),
                    text(&e.industry),
                    text(size(&e.size_class)),
                    text(yes(e.pilot_zone)),
                    text(&e.legal_rep),
                    text(yes(e.dishonest)),
                    text(&e.created_at),
                ]
            })
            .collect(),
    }
}
