//! What a selection puts into effect: the selected products of a year and kind, their listing
//! on that year's programs, and the public selected list.
use quan_domain::{ProductKind, PublicSelection, RoundStatus};
use sqlx::Row;

use super::{corrupt, date};
use crate::db::Tx;
use crate::error::Result;
use crate::ops::{Arg, Filter, Now};
use crate::Store;

/// The products selected by the effective rounds (every batch) of `year` and `kind`.
pub(crate) async fn selected(tx: &mut Tx, year: i32, kind: ProductKind) -> Result<Vec<String>> {
    Ok(sqlx::query(
        "SELECT e.product_id FROM selection_entries e JOIN selection_rounds r ON r.id = e.round_id \
         WHERE r.year = $1 AND r.kind = $2 AND r.status = 'effective' AND e.outcome = 'selected' ORDER BY r.batch, e.rank",
    )
    .bind(i64::from(year))
    .bind(kind.as_str())
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| r.try_get(0))
    .collect::<std::result::Result<_, _>>()?)
}

/// Lists on `program` every product its year's round selected (a program created after the
/// round took effect gets its list here too).
pub(crate) async fn list_selected(
    tx: &mut Tx,
    program: &str,
    year: i32,
    kind: ProductKind,
    now: &Now,
) -> Result<()> {
    for product in selected(tx, year, kind).await? {
        sqlx::query("INSERT INTO eligible_products (program_id, product_id, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(program)
            .bind(&product)
            .bind(&now.ts)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The public selected list: rounds in notice or in force, their selected entries by rank.
pub async fn public_list(
    store: &Store,
    year: Option<i64>,
    kind: Option<&str>,
) -> Result<Vec<PublicSelection>> {
    let mut f = Filter::new();
    f.add_many(
        "r.status IN (?, ?)",
        vec![Arg::S("published".into()), Arg::S("effective".into())],
    )
    .add("e.outcome = ?", Arg::S("selected".into()));
    if let Some(y) = year {
        f.add("r.year = ?", Arg::I(y));
    }
    f.eq_opt("r.kind", kind);
    let sql = format!(
        "SELECT r.id, r.name, r.year, r.kind, r.status, r.batch, e.id AS entry_id, e.rank, e.mean_score, e.product_id, \
         p.name AS product_name, s.name AS supplier_name, r.published_on, r.notice_ends_on, r.effective_on \
         FROM selection_entries e JOIN selection_rounds r ON r.id = e.round_id JOIN products p ON p.id = e.product_id \
         JOIN suppliers s ON s.id = e.supplier_id{} ORDER BY r.year DESC, r.kind, r.batch, e.rank LIMIT 1000",
        f.where_sql()
    );
    let rows = f.bind(sqlx::query(&sql)).fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            let status: String = r.try_get(4)?;
            Ok(PublicSelection {
                round_id: r.try_get::<String, _>(0)?.into(),
                round_name: r.try_get(1)?,
                year: r.try_get::<i64, _>(2)? as i32,
                batch: r.try_get::<i64, _>("batch")? as u32,
                kind: ProductKind::parse("kind", &r.try_get::<String, _>(3)?).map_err(corrupt)?,
                round_status: RoundStatus::parse(&status).ok_or_else(|| corrupt(&status))?,
                entry_id: r.try_get::<String, _>("entry_id")?.into(),
                rank: r.try_get::<Option<i64>, _>("rank")?.unwrap_or(0) as u32,
                mean_score: r.try_get::<Option<i64>, _>("mean_score")?.unwrap_or(0),
                product_id: r.try_get::<String, _>("product_id")?.into(),
                product_name: r.try_get("product_name")?,
                supplier_name: r.try_get("supplier_name")?,
                published_on: date(r, "published_on")?,
                notice_ends_on: date(r, "notice_ends_on")?,
                effective_on: date(r, "effective_on")?,
            })
        })
        .collect()
}
