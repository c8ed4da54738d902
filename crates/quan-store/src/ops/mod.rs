//! Operations: each loads what it needs, asks `quan-domain` for the decision and writes the
//! outcome (rows, ledger transfers, audit record) inside the caller's transaction.
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::rows::Page;
use crate::Store;

pub mod acceptance;
pub mod applications;
pub(crate) mod budget;
pub mod catalogue;
pub mod catalogue_edit;
pub mod change_requests;
pub mod closing;
pub mod compute;
pub mod contracts;
pub(crate) mod counters;
pub mod dashboard;
pub mod data_check;
pub mod data_consents;
pub mod data_hub;
pub mod data_registry;
pub mod enterprises;
pub mod exports;
pub mod exports_plans;
pub(crate) mod funding;
pub mod integrity;
pub(crate) mod notice;
pub(crate) mod numbers;
pub mod programs;
pub mod reconcile;
pub mod redemptions;
pub mod reimbursements;
pub mod review_chain;
pub(crate) mod rowset;
pub mod scheduler;
pub mod selection;
pub mod settlements;
pub mod statement;
pub mod targets;
pub mod throttle;
pub mod todos;
pub mod usage;
pub mod usage_writer;
pub mod users;
pub mod vouchers;
pub mod whatif;

/// The moment an operation happens: the timestamp recorded and the calendar day rules use.
#[derive(Debug, Clone)]
pub struct Now {
    pub ts: String,
    pub today: NaiveDate,
}

impl Now {
    pub fn at(today: NaiveDate) -> Now {
        let ts = format!("{}T{}Z", today, chrono::Utc::now().format("%H:%M:%S%.3f"));
        Now { ts, today }
    }
    pub fn real() -> Now {
        let now = chrono::Utc::now();
        Now {
            ts: now.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            today: now.date_naive(),
        }
    }
}

/// Random, unguessable ids with a readable prefix (`ent_…`, `vch_…`).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

pub(crate) fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

#[derive(Debug, Clone, Copy)]
pub struct PageReq {
    pub page: i64,
    pub page_size: i64,
    /// The order the caller asked for; the list's own order breaks ties.
    pub sort: Sort,
}

/// A sort key an endpoint allows: the name clients send and the SQL expression it orders by.
pub type SortKey = (&'static str, &'static str);

/// A validated sort: one column from a list's allowlist, ascending or descending. Only
/// expressions from an allowlist ever reach the SQL, so a sort parameter cannot inject.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sort {
    column: Option<&'static str>,
    desc: bool,
}

impl Sort {
    /// Parses `field` or `-field` (descending) against `allowed`; `None` or empty keeps the
    /// list's default order. An unknown key is a validation error on `sort` naming the keys.
    pub fn parse(
        param: Option<&str>,
        allowed: &[SortKey],
    ) -> Result<Sort, quan_domain::ValidationError> {
        let Some(p) = param.map(str::trim).filter(|p| !p.is_empty()) else {
            return Ok(Sort::default());
        };
        let (name, desc) = match p.strip_prefix('-') {
            Some(rest) => (rest, true),
            None => (p, false),
        };
        match allowed.iter().find(|(k, _)| *k == name) {
            Some((_, column)) => Ok(Sort {
                column: Some(column),
                desc,
            }),
            None => {
                let keys: Vec<&str> = allowed.iter().map(|(k, _)| *k).collect();
                Err(quan_domain::ValidationError::new(
                    "sort",
                    "invalid_sort",
                    format!(
                        "sort: {name:?} is not a sort key here; use one of {} (prefix - for descending)",
                        if keys.is_empty() { "none".to_string() } else { keys.join(", ") }
                    ),
                ))
            }
        }
    }
    /// `ORDER BY` clause body: the requested column first, then `default` to break ties.
    pub fn order_by(&self, default: &str) -> String {
        match self.column {
            Some(c) => format!("{c} {}, {default}", if self.desc { "DESC" } else { "ASC" }),
            None => default.to_string(),
        }
    }
}

impl PageReq {
    pub const MAX_PAGE_SIZE: i64 = 200;
    pub fn offset(&self) -> i64 {
        (self.page.max(1) - 1) * self.page_size
    }
}

impl Default for PageReq {
    fn default() -> Self {
        PageReq {
            page: 1,
            page_size: 50,
            sort: Sort::default(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Arg {
    S(String),
    I(i64),
}

/// A `LIKE` pattern that matches `s` literally: `%`, `_` and `\\` escaped with a backslash
/// (used with `ESCAPE '\\'`, which both databases understand).
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A WHERE clause built from optional filters, with numbered placeholders for both backends.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    clauses: Vec<String>,
    args: Vec<Arg>,
}

impl Filter {
    pub fn new() -> Self {
        Filter::default()
    }
    /// Adds `clause` where `?` stands for the next placeholder.
    pub fn add(&mut self, clause: &str, arg: Arg) -> &mut Self {
        self.add_many(clause, vec![arg])
    }
    /// Adds `clause` whose `?`s stand, in order, for `args`.
    pub fn add_many(&mut self, clause: &str, args: Vec<Arg>) -> &mut Self {
        let mut out = String::new();
        let mut args = args.into_iter();
        for ch in clause.chars() {
            if ch == '?' {
                self.args
                    .push(args.next().expect("one argument per placeholder"));
                out.push_str(&format!("${}", self.args.len()));
            } else {
                out.push(ch);
            }
        }
        self.clauses.push(out);
        self
    }
    pub fn eq_opt(&mut self, col: &str, v: Option<&str>) -> &mut Self {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            self.add(&format!("{col} = ?"), Arg::S(v.to_string()));
        }
        self
    }
    /// Keeps rows where any of `cols` contains `text` (trimmed; nothing when blank), literally and
    /// ignoring ASCII case on both backends (PostgreSQL's LIKE is case-sensitive, SQLite's is not).
    pub fn contains_any(&mut self, cols: &[&str], text: Option<&str>) -> &mut Self {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return self;
        };
        let like = format!("%{}%", like_escape(&text.to_lowercase()));
        let clause = cols
            .iter()
            .map(|c| format!("LOWER({c}) LIKE ? ESCAPE '\\'"))
            .collect::<Vec<_>>()
            .join(" OR ");
        self.add_many(&format!("({clause})"), vec![Arg::S(like); cols.len()])
    }
    /// Keeps rows whose day in `col` (a `YYYY-MM-DD` date or an ISO timestamp) lies from `from`
    /// through `to`, both inclusive and either open.
    pub fn day_range(
        &mut self,
        col: &str,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
    ) -> &mut Self {
        if let Some(d) = from {
            self.add(&format!("{col} >= ?"), Arg::S(d.to_string()));
        }
        if let Some(d) = to.and_then(|d| d.succ_opt()) {
            self.add(&format!("{col} < ?"), Arg::S(d.to_string()));
        }
        self
    }
    pub fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
    pub fn next_placeholder(&self, k: usize) -> String {
        format!("${}", self.args.len() + k)
    }
    pub fn bind<'q>(
        &self,
        mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for a in &self.args {
            q = match a {
                Arg::S(s) => q.bind(s.clone()),
                Arg::I(i) => q.bind(*i),
            };
        }
        q
    }
}

/// Runs a paginated SELECT with a COUNT(*) over the same filter.
pub(crate) async fn fetch_page<T>(
    store: &Store,
    columns: &str,
    from: &str,
    filter: &Filter,
    order_by: &str,
    page: PageReq,
    map: fn(&AnyRow) -> Result<T>,
) -> Result<Page<T>> {
    let w = filter.where_sql();
    let order_by = page.sort.order_by(order_by);
    let sql = format!(
        "SELECT {columns} FROM {from}{w} ORDER BY {order_by} LIMIT {} OFFSET {}",
        filter.next_placeholder(1),
        filter.next_placeholder(2)
    );
    let rows = filter
        .bind(sqlx::query(&sql))
        .bind(page.page_size)
        .bind(page.offset())
        .fetch_all(store.reader())
        .await?;
    let count_sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {from}{w}");
    let total: i64 = filter
        .bind(sqlx::query(&count_sql))
        .fetch_one(store.reader())
        .await?
        .try_get(0)?;
    let items = rows.iter().map(map).collect::<Result<Vec<T>>>()?;
    Ok(Page {
        items,
        total,
        page: page.page.max(1),
        page_size: page.page_size,
    })
}

pub(crate) async fn fetch_one_opt<T>(
    tx: &mut Tx,
    sql: &str,
    id: &str,
    map: fn(&AnyRow) -> Result<T>,
) -> Result<Option<T>> {
    let row = sqlx::query(sql).bind(id).fetch_optional(&mut **tx).await?;
    row.as_ref().map(map).transpose()
}

pub(crate) fn not_found(what: &'static str) -> StoreError {
    StoreError::NotFound { what }
}

/// Whether the transaction runs on PostgreSQL (for the few statements that differ).
pub(crate) fn is_postgres(tx: &mut Tx) -> bool {
    (**tx)
        .backend_name()
        .to_ascii_lowercase()
        .contains("postgres")
}
