//! Downloads: a list's `format=csv|xlsx` answers every row its filters select as a file (the
//! same filters and order as the JSON pages), and statements use the same rendering.
use std::future::Future;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use quan_store::export::{Lang, Table};
use quan_store::ops::exports::MAX_EXPORT_ROWS;
use quan_store::ops::PageReq;
use quan_store::rows::Page;

use crate::error::{ApiError, ApiResult};

/// What a list answers: its JSON page, or every selected row as CSV or XLSX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
}

impl Format {
    /// `json` (or none), `csv` or `xlsx`; another value is a 400 naming `format`.
    pub fn parse(s: Option<&str>) -> ApiResult<Format> {
        match s.map(str::trim) {
            None | Some("") | Some("json") => Ok(Format::Json),
            Some("csv") => Ok(Format::Csv),
            Some("xlsx") => Ok(Format::Xlsx),
            Some(other) => Err(ApiError::bad_request(
                "invalid_format",
                Some("format"),
                format!("format: {other:?} is not one of json, csv, xlsx"),
            )),
        }
    }
}

/// Every row of a list, page after page in the list's order; more than [`MAX_EXPORT_ROWS`]
/// is a 400 asking to narrow the filters (nothing is half-written).
pub async fn all_rows<T, F, Fut>(page: PageReq, mut fetch: F) -> ApiResult<Vec<T>>
where
    F: FnMut(PageReq) -> Fut,
    Fut: Future<Output = Result<Page<T>, quan_store::StoreError>>,
{
    let mut req = PageReq {
        page: 1,
        page_size: PageReq::MAX_PAGE_SIZE,
        ..page
    };
    let mut out = Vec::new();
    loop {
        let p = fetch(req).await?;
        if p.total > MAX_EXPORT_ROWS {
            return Err(ApiError::bad_request(
                "too_many_rows",
                None,
                format!(
                    "{} rows match; an export holds at most {MAX_EXPORT_ROWS}: narrow the filters",
                    p.total
                ),
            ));
        }
        let got = p.items.len();
        out.extend(p.items);
        if got == 0 || out.len() as i64 >= p.total {
            return Ok(out);
        }
        req.page += 1;
    }
}

/// A table as a file download named `{name}.csv` or `{name}.xlsx`.
pub fn download(table: &Table, name: &str, format: Format) -> ApiResult<Response> {
    let (kind, ext, body) = match format {
        Format::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            table.to_xlsx()?,
        ),
        _ => (
            "text/csv; charset=utf-8",
            "csv",
            table.to_csv()?.into_bytes(),
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{ext}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// A list's answer in the format asked for: its JSON page, or every row its filters select as a
/// file named `name`, rendered by `table` in `lang` (Chinese unless `en`).
pub async fn list_answer<T, F, Fut>(
    format: Option<&str>,
    lang: Option<&str>,
    page: PageReq,
    name: &str,
    table: fn(&[T], Lang) -> Table,
    mut fetch: F,
) -> ApiResult<Response>
where
    T: serde::Serialize,
    F: FnMut(PageReq) -> Fut,
    Fut: Future<Output = Result<Page<T>, quan_store::StoreError>>,
{
    match Format::parse(format)? {
        Format::Json => Ok(axum::Json(fetch(page).await?).into_response()),
        f => {
            let rows = all_rows(page, fetch).await?;
            download(&table(&rows, Lang::parse(lang)), name, f)
        }
    }
}

/// `format` and `lang` of a figure that can also be downloaded (targets, forecast, what-if).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// `csv` or `xlsx`: the figures as a download; `json` (the default) the JSON answer.
    pub format: Option<String>,
    /// Headers and words of a download: `en` for English, Chinese otherwise.
    pub lang: Option<String>,
}

/// `value` as JSON, or rendered by `table` as the file `name` in the format asked for.
pub fn answer<T: serde::Serialize>(
    q: &FileQuery,
    value: T,
    name: &str,
    table: impl FnOnce(&T, Lang) -> Table,
) -> ApiResult<Response> {
    match Format::parse(q.format.as_deref())? {
        Format::Json => Ok(axum::Json(value).into_response()),
        f => download(&table(&value, Lang::parse(q.lang.as_deref())), name, f),
    }
}
