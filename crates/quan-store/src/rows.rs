//! Records as the store returns them. Serialisable so the API can hand them out as they are;
//! money fields are integer fen and end in `_fen`.
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;
use utoipa::ToSchema;

use crate::error::Result;

pub(crate) fn json_list(r: &AnyRow, col: &str) -> Result<Vec<String>> {
    let s: String = r.try_get(col)?;
    serde_json::from_str(&s).map_err(|e| crate::StoreError::Corrupt(format!("{col}: {e}")))
}
pub(crate) fn flag(r: &AnyRow, col: &str) -> Result<bool> {
    Ok(r.try_get::<i64, _>(col)? != 0)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Enterprise {
    pub id: String,
    pub uscc: String,
    pub name: String,
    pub city_code: String,
    pub industry: String,
    pub size_class: String,
    pub pilot_zone: bool,
    pub legal_rep: String,
    pub shareholders: Vec<String>,
    pub dishonest: bool,
    pub created_at: String,
}

impl Enterprise {
    pub(crate) const COLUMNS: &'static str =
        "id, uscc, name, city_code, industry, size_class, pilot_zone, legal_rep, shareholders, dishonest, created_at";
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Enterprise {
            id: r.try_get("id")?,
            uscc: r.try_get("uscc")?,
            name: r.try_get("name")?,
            city_code: r.try_get("city_code")?,
            industry: r.try_get("industry")?,
            size_class: r.try_get("size_class")?,
            pilot_zone: flag(r, "pilot_zone")?,
            legal_rep: r.try_get("legal_rep")?,
            shareholders: json_list(r, "shareholders")?,
            dishonest: flag(r, "dishonest")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Supplier {
    pub id: String,
    pub name: String,
    pub uscc: String,
    pub kind: String,
    pub city_code: String,
    pub legal_rep: String,
    pub shareholders: Vec<String>,
    pub dishonest: bool,
    pub created_at: String,
}

impl Supplier {
    pub(crate) const COLUMNS: &'static str =
        "id, name, uscc, kind, city_code, legal_rep, shareholders, dishonest, created_at";
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Supplier {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            uscc: r.try_get("uscc")?,
            kind: r.try_get("kind")?,
            city_code: r.try_get("city_code")?,
            legal_rep: r.try_get("legal_rep")?,
            shareholders: json_list(r, "shareholders")?,
            dishonest: flag(r, "dishonest")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Product {
    pub id: String,
    pub supplier_id: String,
    pub supplier_name: String,
    pub kind: String,
    pub name: String,
    pub city_code: Option<String>,
    pub gpu_model: Option<String>,
    pub price_per_gpu_hour_fen: Option<i64>,
    pub description: String,
    /// Programs whose selected (eligible) list holds this product now.
    pub eligible_programs: Vec<String>,
    pub created_at: String,
}

impl Product {
    pub(crate) const COLUMNS: &'static str =
        "p.id, p.supplier_id, s.name AS supplier_name, p.kind, p.name, p.city_code, p.gpu_model, \
         p.price_per_gpu_hour_fen, p.description, p.created_at";
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Product {
            id: r.try_get("id")?,
            supplier_id: r.try_get("supplier_id")?,
            supplier_name: r.try_get("supplier_name")?,
            kind: r.try_get("kind")?,
            name: r.try_get("name")?,
            city_code: r.try_get("city_code")?,
            gpu_model: r.try_get("gpu_model")?,
            price_per_gpu_hour_fen: r.try_get("price_per_gpu_hour_fen")?,
            description: r.try_get("description")?,
            eligible_programs: Vec::new(),
            created_at: r.try_get("created_at")?,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FundingSource {
    pub id: String,
    pub name: String,
    pub level: String,
    pub city_code: Option<String>,
    pub appropriated_fen: i64,
    /// Not yet allocated to a program.
    pub available_fen: i64,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgramFunding {
    pub source_id: String,
    pub source_name: String,
    pub share_bps: i64,
    pub allocated_fen: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Program {
    pub id: String,
    pub name: String,
    pub voucher_type: String,
    pub year: i64,
    pub rate_bps: i64,
    pub face_value_cap_fen: i64,
    pub enterprise_year_cap_fen: i64,
    pub apply_from: String,
    pub apply_until: String,
    pub valid_from: String,
    pub valid_until: String,
    pub notice_days: i64,
    pub eligible_cities: Vec<String>,
    pub eligible_sizes: Vec<String>,
    pub eligible_industries: Vec<String>,
    pub budget_fen: i64,
    pub funding: Vec<ProgramFunding>,
    /// Budget neither reserved nor issued: what new grants can still draw on.
    pub available_fen: i64,
    /// Reserved for approved grants still in their notice period.
    pub reserved_fen: i64,
    pub created_at: String,
}

impl Program {
    pub(crate) const COLUMNS: &'static str = "id, name, voucher_type, year, rate_bps, face_value_cap_fen, enterprise_year_cap_fen, apply_from, \
         apply_until, valid_from, valid_until, notice_days, eligible_cities, eligible_sizes, eligible_industries, budget_fen, created_at";
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Program {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            voucher_type: r.try_get("voucher_type")?,
            year: r.try_get("year")?,
            rate_bps: r.try_get("rate_bps")?,
            face_value_cap_fen: r.try_get("face_value_cap_fen")?,
            enterprise_year_cap_fen: r.try_get("enterprise_year_cap_fen")?,
            apply_from: r.try_get("apply_from")?,
            apply_until: r.try_get("apply_until")?,
            valid_from: r.try_get("valid_from")?,
            valid_until: r.try_get("valid_until")?,
            notice_days: r.try_get("notice_days")?,
            eligible_cities: json_list(r, "eligible_cities")?,
            eligible_sizes: json_list(r, "eligible_sizes")?,
            eligible_industries: json_list(r, "eligible_industries")?,
            budget_fen: r.try_get("budget_fen")?,
            funding: Vec::new(),
            available_fen: 0,
            reserved_fen: 0,
            created_at: r.try_get("created_at")?,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Objection {
    pub id: String,
    pub application_id: String,
    pub filed_by: String,
    pub reason: String,
    pub status: String,
    pub resolution_note: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Application {
    pub id: String,
    pub program_id: String,
    pub program_name: String,
    pub voucher_type: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub city_code: String,
    pub amount_fen: i64,
    pub plan: String,
    pub status: String,
    pub approved_fen: Option<i64>,
    pub reason: Option<String>,
    pub reviewer_id: Option<String>,
    pub reviewed_at: Option<String>,
    pub notice_ends_on: Option<String>,
    pub voucher_id: Option<String>,
    pub created_at: String,
    /// Related-party findings between the applicant and the reviewer or listed suppliers.
    pub conflicts: Vec<String>,
    pub objections: Vec<Objection>,
}

impl Application {
    pub(crate) const COLUMNS: &'static str = "a.id, a.program_id, p.name AS program_name, p.voucher_type, a.enterprise_id, \
         e.name AS enterprise_name, e.city_code, a.amount_fen, a.plan, a.status, a.approved_fen, a.reason, a.reviewer_id, \
         a.reviewed_at, a.notice_ends_on, a.voucher_id, a.created_at";
    pub(crate) const FROM: &'static str =
        "applications a JOIN programs p ON p.id = a.program_id JOIN enterprises e ON e.id = a.enterprise_id";
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Application {
            id: r.try_get("id")?,
            program_id: r.try_get("program_id")?,
            program_name: r.try_get("program_name")?,
            voucher_type: r.try_get("voucher_type")?,
            enterprise_id: r.try_get("enterprise_id")?,
            enterprise_name: r.try_get("enterprise_name")?,
            city_code: r.try_get("city_code")?,
            amount_fen: r.try_get("amount_fen")?,
            plan: r.try_get("plan")?,
            status: r.try_get("status")?,
            approved_fen: r.try_get("approved_fen")?,
            reason: r.try_get("reason")?,
            reviewer_id: r.try_get("reviewer_id")?,
            reviewed_at: r.try_get("reviewed_at")?,
            notice_ends_on: r.try_get("notice_ends_on")?,
            voucher_id: r.try_get("voucher_id")?,
            created_at: r.try_get("created_at")?,
            conflicts: Vec::new(),
            objections: Vec::new(),
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Voucher {
    pub id: String,
    pub application_id: String,
    pub program_id: String,
    pub program_name: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub voucher_type: String,
    pub face_value_fen: i64,
    pub balance_fen: i64,
    pub redeemed_fen: i64,
    pub reversed_fen: i64,
    pub released_fen: i64,
    pub valid_from: String,
    pub valid_until: String,
    pub status: String,
    pub issued_at: String,
}

impl Voucher {
    pub(crate) const COLUMNS: &'static str = "v.id, v.application_id, v.program_id, p.name AS program_name, v.enterprise_id, \
         e.name AS enterprise_name, v.voucher_type, v.face_value_fen, la.balance AS balance_fen, v.valid_from, v.valid_until, \
         v.status, v.issued_at, \
         (SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM ledger_transfers t WHERE t.debit = la.id AND t.code IN ('redeem','usage')) AS redeemed_fen, \
         (SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM ledger_transfers t WHERE t.credit = la.id AND t.code = 'clawback') AS reversed_fen, \
         (SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM ledger_transfers t WHERE t.debit = la.id AND t.code = 'release') AS released_fen";
    pub(crate) const FROM: &'static str = "vouchers v JOIN programs p ON p.id = v.program_id JOIN enterprises e ON e.id = v.enterprise_id \
         JOIN ledger_accounts la ON la.id = 'voucher:' || v.id";
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Voucher {
            id: r.try_get("id")?,
            application_id: r.try_get("application_id")?,
            program_id: r.try_get("program_id")?,
            program_name: r.try_get("program_name")?,
            enterprise_id: r.try_get("enterprise_id")?,
            enterprise_name: r.try_get("enterprise_name")?,
            voucher_type: r.try_get("voucher_type")?,
            face_value_fen: r.try_get("face_value_fen")?,
            balance_fen: r.try_get("balance_fen")?,
            redeemed_fen: r.try_get("redeemed_fen")?,
            reversed_fen: r.try_get("reversed_fen")?,
            released_fen: r.try_get("released_fen")?,
            valid_from: r.try_get("valid_from")?,
            valid_until: r.try_get("valid_until")?,
            status: r.try_get("status")?,
            issued_at: r.try_get("issued_at")?,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Redemption {
    pub id: String,
    pub voucher_id: String,
    pub program_id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub supplier_id: String,
    pub supplier_name: String,
    pub product_id: String,
    pub product_name: String,
    pub invoice_number: String,
    pub invoice_amount_fen: i64,
    pub invoice_date: String,
    pub subsidy_fen: i64,
    pub enterprise_pays_fen: i64,
    pub status: String,
    pub settlement_id: Option<String>,
    pub clawback_reason: Option<String>,
    pub created_at: String,
}

impl Redemption {
    pub(crate) const COLUMNS: &'static str = "r.id, r.voucher_id, r.program_id, r.enterprise_id, e.name AS enterprise_name, r.supplier_id, \
         s.name AS supplier_name, r.product_id, pr.name AS product_name, r.invoice_number, r.invoice_amount_fen, r.invoice_date, \
         r.subsidy_fen, r.enterprise_pays_fen, r.status, r.settlement_id, r.clawback_reason, r.created_at";
    pub(crate) const FROM: &'static str = "redemptions r JOIN enterprises e ON e.id = r.enterprise_id JOIN suppliers s ON s.id = r.supplier_id \
         JOIN products pr ON pr.id = r.product_id";
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Redemption {
            id: r.try_get("id")?,
            voucher_id: r.try_get("voucher_id")?,
            program_id: r.try_get("program_id")?,
            enterprise_id: r.try_get("enterprise_id")?,
            enterprise_name: r.try_get("enterprise_name")?,
            supplier_id: r.try_get("supplier_id")?,
            supplier_name: r.try_get("supplier_name")?,
            product_id: r.try_get("product_id")?,
            product_name: r.try_get("product_name")?,
            invoice_number: r.try_get("invoice_number")?,
            invoice_amount_fen: r.try_get("invoice_amount_fen")?,
            invoice_date: r.try_get("invoice_date")?,
            subsidy_fen: r.try_get("subsidy_fen")?,
            enterprise_pays_fen: r.try_get("enterprise_pays_fen")?,
            status: r.try_get("status")?,
            settlement_id: r.try_get("settlement_id")?,
            clawback_reason: r.try_get("clawback_reason")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Settlement {
    pub id: String,
    pub supplier_id: String,
    pub supplier_name: String,
    pub period: String,
    pub total_fen: i64,
    pub item_count: i64,
    pub created_by: String,
    pub created_at: String,
}

impl Settlement {
    pub(crate) const COLUMNS: &'static str =
        "st.id, st.supplier_id, s.name AS supplier_name, st.period, st.total_fen, st.item_count, st.created_by, st.created_at";
    pub(crate) const FROM: &'static str =
        "settlements st JOIN suppliers s ON s.id = st.supplier_id";
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Settlement {
            id: r.try_get("id")?,
            supplier_id: r.try_get("supplier_id")?,
            supplier_name: r.try_get("supplier_name")?,
            period: r.try_get("period")?,
            total_fen: r.try_get("total_fen")?,
            item_count: r.try_get("item_count")?,
            created_by: r.try_get("created_by")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: String,
    pub username: String,
    pub role: String,
    pub enterprise_id: Option<String>,
    pub supplier_id: Option<String>,
    pub display_name: String,
}

impl User {
    pub(crate) const COLUMNS: &'static str =
        "id, username, role, enterprise_id, supplier_id, display_name";
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(User {
            id: r.try_get("id")?,
            username: r.try_get("username")?,
            role: r.try_get("role")?,
            enterprise_id: r.try_get("enterprise_id")?,
            supplier_id: r.try_get("supplier_id")?,
            display_name: r.try_get("display_name")?,
        })
    }
}
