//! Tables as downloads: CSV (UTF-8 with a BOM, so spreadsheet software reads the Chinese) and
//! XLSX (a bold header row, money as numbers formatted `#,##0.00` so columns add up). One set of
//! rows, two renderings. Statements and every exported list go through here; headers and the
//! words in cells (statuses, types) are Chinese by default and English on request.
use quan_domain::Money;

use crate::error::{Result, StoreError};

/// The language of headers and of the words in cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `en` (or `en-…`) is English; anything else, Chinese.
    pub fn parse(s: Option<&str>) -> Lang {
        match s {
            Some(l) if l.to_ascii_lowercase().starts_with("en") => Lang::En,
            _ => Lang::Zh,
        }
    }
    pub fn t(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// Yuan with two decimals (blank when none).
    Money(Option<Money>),
    Int(i64),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
    pub fn money(m: Money) -> Cell {
        Cell::Money(Some(m))
    }
    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Money(m) => m.map(|m| m.to_string()).unwrap_or_default(),
            Cell::Int(i) => i.to_string(),
        }
    }
}

/// A sheet: its name, the header row and the rows.
#[derive(Debug, Clone)]
pub struct Table {
    pub sheet: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The table as CSV text with a BOM.
    pub fn to_csv(&self) -> Result<String> {
        let err = |e: csv::Error| StoreError::Corrupt(e.to_string());
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.headers).map_err(err)?;
        for row in &self.rows {
            w.write_record(row.iter().map(Cell::csv)).map_err(err)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
    }

    /// The table as an XLSX workbook of one sheet.
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        use rust_xlsxwriter::{Format, Workbook};
        let err = |e: rust_xlsxwriter::XlsxError| StoreError::Corrupt(format!("xlsx: {e}"));
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name(self.sheet).map_err(err)?;
        let bold = Format::new().set_bold();
        let yuan = Format::new().set_num_format("#,##0.00");
        for (c, h) in self.headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(err)?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            let r = i as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => sheet.write_string(r, c, s).map(|_| ()),
                    // Fen to yuan for display only: the cell holds the exact two-decimal value.
                    Cell::Money(Some(m)) => sheet
                        .write_number_with_format(r, c, m.fen() as f64 / 100.0, &yuan)
                        .map(|_| ()),
                    Cell::Money(None) => Ok(()),
                    Cell::Int(n) => sheet.write_number(r, c, *n as f64).map(|_| ()),
                }
                .map_err(err)?;
            }
        }
        let last = self.headers.len().saturating_sub(1) as u16;
        sheet.set_column_range_width(0, last, 18).map_err(err)?;
        book.save_to_buffer().map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_a_bom_and_yuan_with_two_decimals() {
        let t = Table {
            sheet: "s",
            headers: vec!["名称", "金额（元）", "条数"],
            rows: vec![vec![
                Cell::text("济南, \"测试\""),
                Cell::money(Money::from_fen(123_405)),
                Cell::Int(3),
            ]],
        };
        let csv = t.to_csv().unwrap();
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("\"济南, \"\"测试\"\"\",1234.05,3"), "{csv}");
        let xlsx = t.to_xlsx().unwrap();
        assert_eq!(&xlsx[..2], b"PK");
    }
}
