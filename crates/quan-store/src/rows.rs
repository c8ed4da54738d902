//! Records as the store returns them. Serialisable so the API can hand them out as they are;
//! money fields are integer fen and end in `_fen`.
pub use quan_domain::views::{
    Application, DishonestyEntry, Enterprise, EnterpriseChangeRequest, FieldChange, FundingSource,
    FundingTopUp, HeldPayment, Objection, Page, Product, Program, ProgramFunding, Redemption,
    RedemptionPreview, Settlement, Supplier, User, Voucher,
};

use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::Result;
use quan_domain::{
    ApplicationStatus, InvoiceNumber, Money, RedemptionStatus, VoucherStatus, VoucherType,
};

/// How a read model is read from its table: the columns to select, the joined tables, and the
/// decoding of one row. (The models live in `quan_domain::views`; decoding is the store's.)
pub(crate) trait Decode: Sized {
    const COLUMNS: &'static str;
    const FROM: &'static str = "";
    fn from_row(r: &AnyRow) -> Result<Self>;
}

pub(crate) fn json_list(r: &AnyRow, col: &str) -> Result<Vec<String>> {
    json_col(r, col)
}

/// A JSON column decoded into its type.
pub(crate) fn json_col<T: serde::de::DeserializeOwned>(r: &AnyRow, col: &str) -> Result<T> {
    let s: String = r.try_get(col)?;
    serde_json::from_str(&s).map_err(|e| crate::StoreError::Corrupt(format!("{col}: {e}")))
}
/// A column parsed into its domain type once, here; a stored value that does not parse is
/// corruption, not input.
pub(crate) fn parsed<T>(r: &AnyRow, col: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
    let s: String = r.try_get(col)?;
    parse(&s).ok_or_else(|| crate::StoreError::Corrupt(format!("{col}: {s:?}")))
}
pub(crate) fn parsed_opt<T>(
    r: &AnyRow,
    col: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>> {
    let s: Option<String> = r.try_get(col)?;
    s.map(|s| parse(&s).ok_or_else(|| crate::StoreError::Corrupt(format!("{col}: {s:?}"))))
        .transpose()
}
pub(crate) fn date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}
pub(crate) fn money(r: &AnyRow, col: &str) -> Result<Money> {
    Ok(Money::from_fen(r.try_get(col)?))
}
fn voucher_type(s: &str) -> Option<VoucherType> {
    VoucherType::parse("voucher_type", s).ok()
}
pub(crate) fn flag(r: &AnyRow, col: &str) -> Result<bool> {
    Ok(r.try_get::<i64, _>(col)? != 0)
}

impl Decode for Enterprise {
    const COLUMNS: &'static str =
        "id, uscc, name, city_code, industry, size_class, pilot_zone, legal_rep, shareholders, actual_controller, dishonest, created_at";
    fn from_row(r: &AnyRow) -> Result<Self> {
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
            actual_controller: r.try_get("actual_controller")?,
            dishonest: flag(r, "dishonest")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

impl Decode for Supplier {
    const COLUMNS: &'static str =
        "id, name, uscc, kind, city_code, legal_rep, shareholders, actual_controller, dishonest, suspended, suspend_reason, created_at";
    fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Supplier {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            uscc: r.try_get("uscc")?,
            kind: r.try_get("kind")?,
            city_code: r.try_get("city_code")?,
            legal_rep: r.try_get("legal_rep")?,
            shareholders: json_list(r, "shareholders")?,
            actual_controller: r.try_get("actual_controller")?,
            dishonest: flag(r, "dishonest")?,
            suspended: flag(r, "suspended")?,
            suspend_reason: r.try_get("suspend_reason")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

impl Decode for Product {
    const COLUMNS: &'static str =
        "p.id, p.supplier_id, s.name AS supplier_name, p.kind, p.name, p.city_code, p.gpu_model, \
         p.price_per_unit_fen, p.billing_unit, p.description, p.created_at, p.suspended + s.suspended AS suspended, \
         COALESCE(p.suspend_reason, s.suspend_reason) AS suspend_reason, p.data_registration_code";
    fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Product {
            id: r.try_get("id")?,
            supplier_id: r.try_get("supplier_id")?,
            supplier_name: r.try_get("supplier_name")?,
            kind: r.try_get("kind")?,
            name: r.try_get("name")?,
            city_code: r.try_get("city_code")?,
            gpu_model: r.try_get("gpu_model")?,
            price_per_unit_fen: r.try_get("price_per_unit_fen")?,
            billing_unit: match r.try_get::<Option<i64>, _>("price_per_unit_fen")? {
                None => None,
                Some(_) => Some(
                    quan_domain::BillingUnit::parse(
                        "billing_unit",
                        &r.try_get::<String, _>("billing_unit")?,
                    )
                    .map_err(|e| {
                        crate::StoreError::Corrupt(format!("products.billing_unit: {}", e.message))
                    })?,
                ),
            },
            description: r.try_get("description")?,
            eligible_programs: Vec::new(),
            suspended: flag(r, "suspended")?,
            suspend_reason: r.try_get("suspend_reason")?,
            data_registration_code: r.try_get("data_registration_code")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

impl Decode for Program {
    const COLUMNS: &'static str = "id, name, voucher_type, year, rate_bps, face_value_cap_fen, enterprise_year_cap_fen, apply_from, \
         apply_until, valid_from, valid_until, notice_days, eligible_cities, eligible_sizes, eligible_industries, budget_fen, created_at, \
         closed_at, close_reason, released_fen, pilot_bonus_bps, supplier_cap_fen, min_invoice_fen, split_window_days, split_threshold_fen, \
         redemption_mode, contract_required, contract_from, contract_until, instalments_allowed, delivery_proof_required, group_year_cap_fen, type_year_cap_fen, review_levels, first_milestone_fen";
    fn from_row(r: &AnyRow) -> Result<Self> {
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
            closed_at: r.try_get("closed_at")?,
            close_reason: r.try_get("close_reason")?,
            released_fen: r.try_get("released_fen")?,
            policy: quan_domain::ProgramPolicyFields {
                pilot_bonus_bps: r.try_get("pilot_bonus_bps")?,
                supplier_cap_fen: r.try_get("supplier_cap_fen")?,
                min_invoice_fen: r.try_get("min_invoice_fen")?,
                split_window_days: r.try_get("split_window_days")?,
                split_threshold_fen: r.try_get("split_threshold_fen")?,
                redemption_mode: parsed(r, "redemption_mode", |s| {
                    quan_domain::RedemptionMode::parse("redemption_mode", s).ok()
                })?,
                contract_required: r.try_get::<i64, _>("contract_required")? != 0,
                contract_from: r.try_get("contract_from")?,
                contract_until: r.try_get("contract_until")?,
                instalments_allowed: r.try_get::<i64, _>("instalments_allowed")? != 0,
                delivery_proof_required: r.try_get::<i64, _>("delivery_proof_required")? != 0,
                group_year_cap_fen: r.try_get("group_year_cap_fen")?,
                type_year_cap_fen: r.try_get("type_year_cap_fen")?,
                review_levels: json_col(r, "review_levels")?,
                first_milestone_fen: r.try_get("first_milestone_fen")?,
            },
        })
    }
}

impl Decode for Application {
    const COLUMNS: &'static str = "a.id, a.number, a.program_id, p.name AS program_name, p.voucher_type, a.enterprise_id, \
         e.name AS enterprise_name, e.city_code, a.amount_fen, a.plan, a.status, a.approved_fen, a.reason, a.reviewer_id, \
         a.reviewed_at, a.notice_ends_on, a.voucher_id, a.created_at, a.review_level, p.review_levels";
    const FROM: &'static str =
        "applications a JOIN programs p ON p.id = a.program_id JOIN enterprises e ON e.id = a.enterprise_id";
    fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Application {
            id: r.try_get::<String, _>("id")?.into(),
            number: r
                .try_get::<Option<String>, _>("number")?
                .unwrap_or_default(),
            program_id: r.try_get::<String, _>("program_id")?.into(),
            program_name: r.try_get("program_name")?,
            voucher_type: parsed(r, "voucher_type", voucher_type)?,
            enterprise_id: r.try_get::<String, _>("enterprise_id")?.into(),
            enterprise_name: r.try_get("enterprise_name")?,
            city_code: r.try_get("city_code")?,
            amount_fen: money(r, "amount_fen")?,
            plan: r.try_get("plan")?,
            status: parsed(r, "status", ApplicationStatus::parse)?,
            approved_fen: r
                .try_get::<Option<i64>, _>("approved_fen")?
                .map(Money::from_fen),
            reason: r.try_get("reason")?,
            reviewer_id: r.try_get("reviewer_id")?,
            reviewed_at: r.try_get("reviewed_at")?,
            notice_ends_on: parsed_opt(r, "notice_ends_on", date)?,
            voucher_id: r
                .try_get::<Option<String>, _>("voucher_id")?
                .map(Into::into),
            created_at: r.try_get("created_at")?,
            conflicts: Vec::new(),
            objections: Vec::new(),
            review_level: r.try_get("review_level")?,
            review_chain: json_col(r, "review_levels")?,
            reviews: Vec::new(),
        })
    }
}

impl Decode for Voucher {
    const COLUMNS: &'static str = "v.id, v.number, v.application_id, v.program_id, p.name AS program_name, v.enterprise_id, \
         e.name AS enterprise_name, v.voucher_type, v.face_value_fen, la.balance AS balance_fen, v.valid_from, v.valid_until, \
         v.status, v.issued_at, \
         (SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM ledger_transfers t WHERE t.debit = la.id AND t.code IN ('redeem','usage')) AS redeemed_fen, \
         (SELECT CAST(COALESCE(SUM(r.subsidy_fen), 0) AS BIGINT) FROM redemptions r WHERE r.voucher_id = v.id AND r.status = 'clawed_back') AS reversed_fen, \
         (SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM ledger_transfers t WHERE t.debit = la.id AND t.code = 'release') AS released_fen, \
         (SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM ledger_transfers t WHERE t.credit = la.id AND t.code = 'hold' AND t.kind = 'pending' AND t.pending_state = 'pending') AS held_fen, \
         ac.rating AS acceptance, ac.panel AS acceptance_panel, ac.checked_on AS acceptance_checked_on, ac.report_ref AS acceptance_report_ref";
    const FROM: &'static str = "vouchers v JOIN programs p ON p.id = v.program_id JOIN enterprises e ON e.id = v.enterprise_id \
         JOIN ledger_accounts la ON la.id = 'voucher:' || v.id LEFT JOIN acceptance_checks ac ON ac.voucher_id = v.id";
    fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Voucher {
            id: r.try_get::<String, _>("id")?.into(),
            number: r
                .try_get::<Option<String>, _>("number")?
                .unwrap_or_default(),
            application_id: r.try_get::<String, _>("application_id")?.into(),
            program_id: r.try_get::<String, _>("program_id")?.into(),
            program_name: r.try_get("program_name")?,
            enterprise_id: r.try_get::<String, _>("enterprise_id")?.into(),
            enterprise_name: r.try_get("enterprise_name")?,
            voucher_type: parsed(r, "voucher_type", voucher_type)?,
            face_value_fen: money(r, "face_value_fen")?,
            balance_fen: money(r, "balance_fen")?,
            redeemed_fen: money(r, "redeemed_fen")?,
            reversed_fen: money(r, "reversed_fen")?,
            released_fen: money(r, "released_fen")?,
            valid_from: parsed(r, "valid_from", date)?,
            valid_until: parsed(r, "valid_until", date)?,
            status: parsed(r, "status", VoucherStatus::parse)?,
            issued_at: r.try_get("issued_at")?,
            held_fen: money(r, "held_fen")?,
            acceptance: r
                .try_get::<Option<String>, _>("acceptance")?
                .map(|s| {
                    serde_json::from_value(serde_json::Value::String(s))
                        .map_err(|e| crate::StoreError::Corrupt(format!("acceptance: {e}")))
                })
                .transpose()?,
            acceptance_panel: r.try_get("acceptance_panel")?,
            acceptance_checked_on: r
                .try_get::<Option<String>, _>("acceptance_checked_on")?
                .and_then(|s| date(&s)),
            acceptance_report_ref: r.try_get("acceptance_report_ref")?,
        })
    }
}

impl Decode for Redemption {
    const COLUMNS: &'static str = "r.id, r.number, r.voucher_id, r.program_id, r.enterprise_id, e.name AS enterprise_name, r.supplier_id, \
         s.name AS supplier_name, r.product_id, pr.name AS product_name, r.invoice_number, r.invoice_amount_fen, r.invoice_date, \
         r.subsidy_fen, r.enterprise_pays_fen, r.status, r.settlement_id, r.clawback_reason, r.hold_reason, r.hold_detail, \
         r.release_note, r.created_at, r.payee_kind, r.contract_id, r.payment_proof, r.delivery_proof";
    const FROM: &'static str = "redemptions r JOIN enterprises e ON e.id = r.enterprise_id JOIN suppliers s ON s.id = r.supplier_id \
         JOIN products pr ON pr.id = r.product_id";
    fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Redemption {
            id: r.try_get::<String, _>("id")?.into(),
            number: r
                .try_get::<Option<String>, _>("number")?
                .unwrap_or_default(),
            voucher_id: r.try_get::<String, _>("voucher_id")?.into(),
            program_id: r.try_get::<String, _>("program_id")?.into(),
            enterprise_id: r.try_get::<String, _>("enterprise_id")?.into(),
            enterprise_name: r.try_get("enterprise_name")?,
            supplier_id: r.try_get::<String, _>("supplier_id")?.into(),
            supplier_name: r.try_get("supplier_name")?,
            product_id: r.try_get::<String, _>("product_id")?.into(),
            product_name: r.try_get("product_name")?,
            invoice_number: parsed(r, "invoice_number", |s| {
                InvoiceNumber::parse("invoice_number", s).ok()
            })?,
            invoice_amount_fen: money(r, "invoice_amount_fen")?,
            invoice_date: parsed(r, "invoice_date", date)?,
            subsidy_fen: money(r, "subsidy_fen")?,
            enterprise_pays_fen: money(r, "enterprise_pays_fen")?,
            status: parsed(r, "status", RedemptionStatus::parse)?,
            settlement_id: r
                .try_get::<Option<String>, _>("settlement_id")?
                .map(Into::into),
            clawback_reason: r.try_get("clawback_reason")?,
            hold_reason: r.try_get("hold_reason")?,
            hold: r
                .try_get::<Option<String>, _>("hold_detail")?
                .and_then(|s| serde_json::from_str(&s).ok()),
            release_note: r.try_get("release_note")?,
            created_at: r.try_get("created_at")?,
            payee: r.try_get("payee_kind")?,
            contract_id: r
                .try_get::<Option<String>, _>("contract_id")?
                .map(Into::into),
            payment_proof: r.try_get("payment_proof")?,
            delivery_proof: r.try_get("delivery_proof")?,
        })
    }
}

impl Decode for Settlement {
    const COLUMNS: &'static str =
        "st.id, st.number, st.supplier_id, s.name AS supplier_name, st.period, st.total_fen, st.receivable_offset_fen, st.item_count, st.created_by, st.created_at";
    const FROM: &'static str = "settlements st JOIN suppliers s ON s.id = st.supplier_id";
    fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Settlement {
            id: r.try_get("id")?,
            number: r
                .try_get::<Option<String>, _>("number")?
                .unwrap_or_default(),
            supplier_id: r.try_get("supplier_id")?,
            supplier_name: r.try_get("supplier_name")?,
            period: r.try_get("period")?,
            total_fen: r.try_get("total_fen")?,
            receivable_offset_fen: r.try_get("receivable_offset_fen")?,
            paid_fen: r.try_get::<i64, _>("total_fen")?
                - r.try_get::<i64, _>("receivable_offset_fen")?,
            item_count: r.try_get("item_count")?,
            created_by: r.try_get("created_by")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

impl Decode for User {
    const COLUMNS: &'static str =
        "id, username, role, enterprise_id, supplier_id, display_name, city_code";
    fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(User {
            id: r.try_get("id")?,
            username: r.try_get("username")?,
            role: r.try_get("role")?,
            enterprise_id: r.try_get("enterprise_id")?,
            supplier_id: r.try_get("supplier_id")?,
            display_name: r.try_get("display_name")?,
            city_code: r.try_get("city_code")?,
        })
    }
}
