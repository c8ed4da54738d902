//! What waits for the signed-in user: counts the console shows as badges on its menu, each
//! counting the rows the page behind it would list for that user (same scope, same status).
use chrono::Duration;
pub use quan_domain::views::Todo;
use sqlx::Row;

use super::Now;
use crate::error::Result;
use crate::{Actor, Role, Store};

/// Vouchers ending within this many days count as expiring.
pub const EXPIRING_DAYS: i64 = 30;

async fn count(conn: &mut sqlx::AnyConnection, sql: &str, args: &[String]) -> Result<i64> {
    let mut q = sqlx::query(sql);
    for a in args {
        q = q.bind(a.clone());
    }
    Ok(q.fetch_one(&mut *conn).await?.try_get(0)?)
}

/// The counts for `actor` (only non-zero ones), as of the platform's today.
pub async fn for_actor(store: &Store, actor: &Actor, now: &Now) -> Result<Vec<Todo>> {
    let mut conn = store.reader().acquire().await?;
    let today = now.today.to_string();
    let mut out: Vec<(&str, i64)> = Vec::new();
    if matches!(actor.role, Role::Reviewer | Role::Admin) {
        let city = super::review_chain::confined_city(&mut conn, actor).await?;
        let n = match city {
            Some(c) => {
                count(
                    &mut conn,
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM applications a JOIN enterprises e ON e.id = a.enterprise_id \
                     WHERE a.status = 'submitted' AND e.city_code = $1",
                    &[c],
                )
                .await?
            }
            None => {
                count(
                    &mut conn,
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM applications WHERE status = 'submitted'",
                    &[],
                )
                .await?
            }
        };
        out.push(("applications_to_review", n));
        let n = count(
            &mut conn,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM data_registrations WHERE status IN ('submitted', 'accepted')",
            &[],
        )
        .await?;
        out.push(("registrations_to_review", n));
    }
    if actor.is(Role::Admin) {
        for (key, sql) in [
            ("notices_due", "SELECT CAST(COUNT(*) AS BIGINT) FROM applications a WHERE a.status = 'approved' AND a.notice_ends_on <= $1 \
              AND NOT EXISTS (SELECT 1 FROM objections o WHERE o.application_id = a.id AND o.status = 'open')"),
            ("objections_open", "SELECT CAST(COUNT(*) AS BIGINT) FROM objections WHERE status = 'open' AND $1 <> ''"),
            ("held_payments", "SELECT CAST(COUNT(*) AS BIGINT) FROM redemptions WHERE status = 'held' AND $1 <> ''"),
            ("change_requests", "SELECT CAST(COUNT(*) AS BIGINT) FROM enterprise_change_requests WHERE status = 'pending' AND $1 <> ''"),
        ] {
            out.push((key, count(&mut conn, sql, std::slice::from_ref(&today)).await?));
        }
    }
    if let Some(own) = actor.enterprise_scope() {
        let n = count(
            &mut conn,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM data_registrations WHERE status = 'returned' \
             AND applicant_kind = 'enterprise' AND applicant_id = $1",
            &[own.to_string()],
        )
        .await?;
        out.push(("registrations_returned", n));
        let until = (now.today + Duration::days(EXPIRING_DAYS)).to_string();
        let n = count(
            &mut conn,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM vouchers v JOIN ledger_accounts la ON la.id = 'voucher:' || v.id \
             WHERE v.enterprise_id = $1 AND v.status = 'active' AND v.valid_until >= $2 AND v.valid_until <= $3 AND la.balance > 0",
            &[own.to_string(), today.clone(), until],
        )
        .await?;
        out.push(("vouchers_expiring", n));
    }
    Ok(out
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(key, count)| Todo {
            key: key.into(),
            count,
        })
        .collect())
}
