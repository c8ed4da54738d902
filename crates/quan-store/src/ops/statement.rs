//! Statements of a payout run — a supplier's settlement or an enterprise's reimbursement — as
//! CSV (UTF-8 with BOM, so spreadsheet software reads the Chinese names) and XLSX. One set of
//! lines, two renderings; headers in Chinese by default, English on request; amounts in yuan
//! with two decimals (XLSX: numbers formatted `#,##0.00`, so they add up in the sheet).
use quan_domain::Money;
use sqlx::Row;

use crate::error::Result;
use crate::Store;

pub use crate::export::Lang;
use crate::export::{Cell, Table};

/// One paid item: an invoice or a metered usage record.
#[derive(Debug, Clone)]
pub struct Line {
    pub usage: bool,
    pub item: String,
    pub reference: String,
    pub date: String,
    /// The counterparty: the enterprise on a supplier's statement, the supplier on an
    /// enterprise's.
    pub party: String,
    pub product: String,
    pub amount: Money,
    pub subsidy: Money,
    pub enterprise_pays: Money,
}

/// A run's statement: who was paid, for which month, the lines, and what was kept back.
#[derive(Debug, Clone)]
pub struct Statement {
    pub run_id: String,
    pub payee: String,
    pub period: String,
    /// True for an enterprise's reimbursement (its lines name suppliers).
    pub reimbursement: bool,
    pub lines: Vec<Line>,
    pub offset: Money,
    pub paid: Money,
}

/// Loads the lines a run marked (invoices, and for a supplier its usage records).
pub(crate) async fn lines(store: &Store, run_id: &str, reimbursement: bool) -> Result<Vec<Line>> {
    let party = if reimbursement { "s.name" } else { "e.name" };
    let sql = format!(
        "SELECT 0 AS usage, r.id, r.invoice_number, r.invoice_date, {party}, p.name, r.invoice_amount_fen, r.subsidy_fen, r.enterprise_pays_fen \
         FROM redemptions r JOIN enterprises e ON e.id = r.enterprise_id JOIN suppliers s ON s.id = r.supplier_id \
         JOIN products p ON p.id = r.product_id WHERE r.settlement_id = $1 \
         UNION ALL \
         SELECT 1 AS usage, u.record_id, u.voucher_id, SUBSTR(u.ended_at, 1, 10), {party}, p.name, u.amount_fen, u.subsidy_fen, u.amount_fen - u.subsidy_fen \
         FROM usage_records u JOIN enterprises e ON e.id = u.enterprise_id JOIN suppliers s ON s.id = u.supplier_id \
         JOIN products p ON p.id = u.product_id WHERE u.settlement_id = $1 \
         ORDER BY 4, 2"
    );
    let rows = sqlx::query(&sql)
        .bind(run_id)
        .fetch_all(store.reader())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Line {
                usage: r.try_get::<i64, _>(0)? != 0,
                item: r.try_get(1)?,
                reference: r.try_get::<Option<String>, _>(2)?.unwrap_or_default(),
                date: r.try_get(3)?,
                party: r.try_get(4)?,
                product: r.try_get(5)?,
                amount: Money::from_fen(r.try_get(6)?),
                subsidy: Money::from_fen(r.try_get(7)?),
                enterprise_pays: Money::from_fen(r.try_get(8)?),
            })
        })
        .collect()
}

impl Statement {
    fn headers(&self, l: Lang) -> [&'static str; 12] {
        [
            if self.reimbursement {
                l.t("报销单号", "reimbursement")
            } else {
                l.t("结算单号", "settlement")
            },
            if self.reimbursement {
                l.t("企业", "enterprise")
            } else {
                l.t("供应商", "supplier")
            },
            l.t("结算期", "period"),
            l.t("类型", "kind"),
            l.t("条目", "item"),
            l.t("凭据", "reference"),
            l.t("日期", "date"),
            if self.reimbursement {
                l.t("供应商", "supplier")
            } else {
                l.t("企业", "enterprise")
            },
            l.t("产品", "product"),
            l.t("金额（元）", "amount_yuan"),
            l.t("补贴（元）", "subsidy_yuan"),
            l.t("企业自付（元）", "enterprise_pays_yuan"),
        ]
    }

    /// Every row as text cells and the three amounts (None where a row has no amount).
    fn rows(&self, l: Lang) -> Vec<([String; 9], [Option<Money>; 3])> {
        let head = |kind: &str| {
            [
                self.run_id.clone(),
                self.payee.clone(),
                self.period.clone(),
                kind.to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]
        };
        let mut out = Vec::with_capacity(self.lines.len() + 3);
        let sum = |f: fn(&Line) -> Money| {
            Money::from_fen(self.lines.iter().map(|x| f(x).fen()).sum::<i64>())
        };
        for x in &self.lines {
            let mut cells = head(if x.usage {
                l.t("计量用量", "usage")
            } else {
                l.t("发票", "invoice")
            });
            cells[4] = x.item.clone();
            cells[5] = x.reference.clone();
            cells[6] = x.date.clone();
            cells[7] = x.party.clone();
            cells[8] = x.product.clone();
            out.push((
                cells,
                [Some(x.amount), Some(x.subsidy), Some(x.enterprise_pays)],
            ));
        }
        out.push((
            head(l.t("合计", "total")),
            [
                Some(sum(|x| x.amount)),
                Some(sum(|x| x.subsidy)),
                Some(sum(|x| x.enterprise_pays)),
            ],
        ));
        // What the run kept to recover clawed-back subsidies already paid, and what it paid.
        if self.offset.is_positive() {
            let minus = Money::from_fen(-self.offset.fen());
            out.push((
                head(l.t("抵扣应收", "receivable_offset")),
                [None, Some(minus), None],
            ));
            out.push((head(l.t("实付", "paid")), [None, Some(self.paid), None]));
        }
        out
    }

    /// The statement as a table: text cells, then the three amounts.
    pub fn table(&self, l: Lang) -> Table {
        Table {
            sheet: l.t("对账单", "statement"),
            headers: self.headers(l).to_vec(),
            rows: self
                .rows(l)
                .into_iter()
                .map(|(cells, amounts)| {
                    let mut row: Vec<Cell> = cells.into_iter().map(Cell::Text).collect();
                    row.extend(amounts.into_iter().map(Cell::Money));
                    row
                })
                .collect(),
        }
    }

    /// The statement as CSV text with a BOM.
    pub fn to_csv(&self, l: Lang) -> Result<String> {
        self.table(l).to_csv()
    }

    /// The statement as an XLSX workbook: one sheet, a bold header row, amounts as numbers.
    pub fn to_xlsx(&self, l: Lang) -> Result<Vec<u8>> {
        self.table(l).to_xlsx()
    }
}
