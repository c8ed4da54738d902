//! Sets of rows and ids bound positionally, for the set-based metering engine.
//!
//! Why not one JSON parameter: SQLite and PostgreSQL then parse the JSON for every statement,
//! which cost about a quarter of the engine's CPU. Why plain `?` on SQLite: sqlx resolves a
//! numbered SQLite parameter (`$7`) by name, which is linear in the number of parameters, so a
//! statement with thousands of them is quadratic; unnumbered `?` are bound by position.
//! Statements are split into power-of-two chunks so the statement cache sees at most a dozen
//! distinct texts per shape instead of one per batch size.
//!
//! PostgreSQL gets whole columns instead: one array literal per column, expanded by `unnest`, so
//! a statement has a handful of parameters whatever the row count (planning a statement with
//! thousands of parameters cost more than running it). sqlx's `Any` driver cannot bind arrays,
//! so the literals are built here and cast (`CAST($1 AS text[])`).
use crate::db::Tx;
use crate::error::Result;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

/// One bound value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Val<'a> {
    Text(&'a str),
    OptText(Option<&'a str>),
    Int(i64),
    OptInt(Option<i64>),
}

/// Most rows in one statement (SQLite allows 32,766 parameters).
const CHUNK_PARAMS: usize = 16_000;

/// Chunk sizes for `n` rows of `ncols` values: the largest power of two that fits the parameter
/// budget, repeated, then the binary digits of the rest.
pub(crate) fn chunks(n: usize, ncols: usize) -> Vec<usize> {
    let budget = (CHUNK_PARAMS / ncols.max(1)).max(1);
    let big = 1usize << (usize::BITS - 1 - budget.leading_zeros());
    let mut out = vec![big; n / big];
    let rest = n % big;
    let mut bit = big;
    while bit > 0 {
        if rest & bit != 0 {
            out.push(bit);
        }
        bit >>= 1;
    }
    out
}

/// Placeholders for `nrows` rows of `ncols` values, numbered from `first` on PostgreSQL.
pub(crate) fn placeholders(pg: bool, nrows: usize, ncols: usize, first: usize) -> String {
    let mut s = String::with_capacity(nrows * (ncols * 5 + 3));
    let mut n = first;
    for r in 0..nrows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        for c in 0..ncols {
            if c > 0 {
                s.push_str(", ");
            }
            if pg {
                s.push('$');
                s.push_str(&n.to_string());
            } else {
                s.push('?');
            }
            n += 1;
        }
        s.push(')');
    }
    s
}

/// A derived table `(SELECT column1 AS c0, … FROM (VALUES …) AS t)` of `nrows` rows.
pub(crate) fn values_table(pg: bool, nrows: usize, ncols: usize, first: usize) -> String {
    let cols: Vec<String> = (0..ncols)
        .map(|k| format!("column{} AS c{k}", k + 1))
        .collect();
    format!(
        "(SELECT {} FROM (VALUES {}) AS t)",
        cols.join(", "),
        placeholders(pg, nrows, ncols, first)
    )
}

/// `?, ?, …` (or `$first, …`) for an `IN (…)` list.
pub(crate) fn in_list(pg: bool, n: usize, first: usize) -> String {
    let mut s = String::with_capacity(n * 4);
    for k in 0..n {
        if k > 0 {
            s.push_str(", ");
        }
        if pg {
            s.push('$');
            s.push_str(&(first + k).to_string());
        } else {
            s.push('?');
        }
    }
    s
}

pub(crate) fn bind<'q>(
    q: Query<'q, Any, AnyArguments<'q>>,
    v: Val<'q>,
) -> Query<'q, Any, AnyArguments<'q>> {
    match v {
        Val::Text(s) => q.bind(s),
        Val::OptText(s) => q.bind(s),
        Val::Int(i) => q.bind(i),
        Val::OptInt(i) => q.bind(i),
    }
}

pub(crate) fn bind_all<'q>(
    mut q: Query<'q, Any, AnyArguments<'q>>,
    vals: impl IntoIterator<Item = Val<'q>>,
) -> Query<'q, Any, AnyArguments<'q>> {
    for v in vals {
        q = bind(q, v);
    }
    q
}

/// A PostgreSQL array literal: every element double-quoted with `\\` and `"` escaped; `None` is
/// `NULL`.
pub(crate) fn pg_text_array<'a>(vals: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let mut s = String::from("{");
    for (k, v) in vals.into_iter().enumerate() {
        if k > 0 {
            s.push(',');
        }
        match v {
            None => s.push_str("NULL"),
            Some(v) => {
                s.push('"');
                for ch in v.chars() {
                    if ch == '"' || ch == '\\' {
                        s.push('\\');
                    }
                    s.push(ch);
                }
                s.push('"');
            }
        }
    }
    s.push('}');
    s
}

fn pg_int_array(vals: impl IntoIterator<Item = Option<i64>>) -> String {
    let items: Vec<String> = vals
        .into_iter()
        .map(|v| v.map_or_else(|| "NULL".to_string(), |v| v.to_string()))
        .collect();
    format!("{{{}}}", items.join(","))
}

/// The rows as PostgreSQL columns: `SELECT * FROM unnest(CAST($first AS text[]), …) AS t(c0, …)`
/// and the array literals to bind, in order. A column's type follows its first row.
pub(crate) fn pg_unnest<const N: usize>(
    rows: &[[Val<'_>; N]],
    first: usize,
) -> (String, Vec<String>) {
    let mut casts = Vec::with_capacity(N);
    let mut arrays = Vec::with_capacity(N);
    for k in 0..N {
        let int = matches!(
            rows.first().map(|r| r[k]),
            Some(Val::Int(_) | Val::OptInt(_))
        );
        if int {
            arrays.push(pg_int_array(rows.iter().map(|r| match r[k] {
                Val::Int(i) => Some(i),
                Val::OptInt(i) => i,
                _ => Some(0),
            })));
        } else {
            arrays.push(pg_text_array(rows.iter().map(|r| match r[k] {
                Val::Text(s) => Some(s),
                Val::OptText(s) => s,
                Val::Int(_) | Val::OptInt(_) => None,
            })));
        }
        casts.push(format!(
            "CAST(${} AS {})",
            first + k,
            if int { "bigint[]" } else { "text[]" }
        ));
    }
    let cols: Vec<String> = (0..N).map(|k| format!("c{k}")).collect();
    (
        format!(
            "SELECT * FROM unnest({}) AS t({})",
            casts.join(", "),
            cols.join(", ")
        ),
        arrays,
    )
}

/// Runs `SELECT {cols} FROM {from} WHERE {col} IN (ids) {tail}`, in chunks. `ids` must be sorted
/// when `tail` takes locks, so that locks are taken in the global order.
pub(crate) async fn select_in(
    tx: &mut Tx,
    pg: bool,
    cols: &str,
    from: &str,
    col: &str,
    ids: &[&str],
    tail: &str,
) -> Result<Vec<sqlx::any::AnyRow>> {
    if pg {
        let sql = format!(
            "SELECT {cols} FROM {from} WHERE {col} IN (SELECT unnest(CAST($1 AS text[]))){tail}"
        );
        let ids = pg_text_array(ids.iter().map(|s| Some(*s)));
        return Ok(sqlx::query(&sql).bind(ids).fetch_all(&mut **tx).await?);
    }
    let mut out = Vec::new();
    let mut at = 0;
    for n in chunks(ids.len(), 1) {
        let sql = format!(
            "SELECT {cols} FROM {from} WHERE {col} IN ({}){tail}",
            in_list(false, n, 1)
        );
        let q = bind_all(
            sqlx::query(&sql),
            ids[at..at + n].iter().map(|s| Val::Text(s)),
        );
        out.extend(q.fetch_all(&mut **tx).await?);
        at += n;
    }
    Ok(out)
}

/// Runs a statement over `rows`; `make_sql` gets the row source. With `plain_values` it is a
/// complete row-producing clause for `INSERT INTO t (…) {v}` (`VALUES (…), (…)` on SQLite,
/// `SELECT * FROM unnest(…)` on PostgreSQL); otherwise a derived table with columns `c0, c1, …`
/// for `FROM {v} AS v`. SQLite runs it in chunks, PostgreSQL in one statement. Returns the rows
/// affected.
pub(crate) async fn exec_rows<const N: usize>(
    tx: &mut Tx,
    pg: bool,
    rows: &[[Val<'_>; N]],
    plain_values: bool,
    make_sql: impl Fn(&str) -> String,
) -> Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    if pg {
        let (unnest, arrays) = pg_unnest(rows, 1);
        let sql = if plain_values {
            make_sql(&unnest)
        } else {
            make_sql(&format!("({unnest})"))
        };
        let q = arrays.into_iter().fold(sqlx::query(&sql), |q, a| q.bind(a));
        return Ok(q.execute(&mut **tx).await?.rows_affected());
    }
    let mut total = 0u64;
    let mut at = 0;
    for n in chunks(rows.len(), N) {
        let src = if plain_values {
            format!("VALUES {}", placeholders(false, n, N, 1))
        } else {
            values_table(false, n, N, 1)
        };
        let sql = make_sql(&src);
        let q = bind_all(
            sqlx::query(&sql),
            rows[at..at + n].iter().flat_map(|r| r.iter().copied()),
        );
        total += q.execute(&mut **tx).await?.rows_affected();
        at += n;
    }
    Ok(total)
}

/// Runs a query over `rows` as a derived table with columns `c0, c1, …` (`FROM {v} AS v`), as
/// [`exec_rows`] does, and returns what it selects.
pub(crate) async fn fetch_rows<const N: usize>(
    tx: &mut Tx,
    pg: bool,
    rows: &[[Val<'_>; N]],
    make_sql: impl Fn(&str) -> String,
) -> Result<Vec<sqlx::any::AnyRow>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    if pg {
        let (unnest, arrays) = pg_unnest(rows, 1);
        let sql = make_sql(&format!("({unnest})"));
        let q = arrays.into_iter().fold(sqlx::query(&sql), |q, a| q.bind(a));
        return Ok(q.fetch_all(&mut **tx).await?);
    }
    let mut out = Vec::new();
    let mut at = 0;
    for n in chunks(rows.len(), N) {
        let sql = make_sql(&values_table(false, n, N, 1));
        let q = bind_all(
            sqlx::query(&sql),
            rows[at..at + n].iter().flat_map(|r| r.iter().copied()),
        );
        out.extend(q.fetch_all(&mut **tx).await?);
        at += n;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_row_with_few_shapes() {
        for ncols in [1, 2, 5, 14] {
            for n in [0, 1, 7, 1000, 1023, 1024, 5000, 10_000] {
                let c = chunks(n, ncols);
                assert_eq!(c.iter().sum::<usize>(), n);
                assert!(c
                    .iter()
                    .all(|k| k * ncols <= CHUNK_PARAMS && k.is_power_of_two()));
            }
        }
    }

    #[test]
    fn placeholder_text() {
        assert_eq!(placeholders(false, 2, 2, 1), "(?, ?), (?, ?)");
        assert_eq!(placeholders(true, 2, 2, 3), "($3, $4), ($5, $6)");
        assert_eq!(in_list(true, 3, 2), "$2, $3, $4");
        assert_eq!(
            values_table(false, 1, 2, 1),
            "(SELECT column1 AS c0, column2 AS c1 FROM (VALUES (?, ?)) AS t)"
        );
    }

    #[test]
    fn postgres_array_literals_escape_quotes_and_backslashes() {
        assert_eq!(
            pg_text_array([Some("a"), None, Some(""), Some("x\"y\\z,{}")]),
            r#"{"a",NULL,"","x\"y\\z,{}"}"#
        );
        let (sql, arrays) = pg_unnest(
            &[
                [Val::Text("r"), Val::Int(7)],
                [Val::Text("s"), Val::Int(-1)],
            ],
            2,
        );
        assert_eq!(
            sql,
            "SELECT * FROM unnest(CAST($2 AS text[]), CAST($3 AS bigint[])) AS t(c0, c1)"
        );
        assert_eq!(
            arrays,
            vec![r#"{"r","s"}"#.to_string(), "{7,-1}".to_string()]
        );
    }
}
