//! Program rules: voucher type, rate, caps, windows, eligibility and funding shares.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::city::{city, validate_city};
use crate::enterprise::SizeClass;
use crate::error::ValidationError;
use crate::money::{validate_shares, Money, Rate};

/// The four voucher types of the Shandong policy package.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VoucherType {
    Compute,
    Model,
    Corpus,
    Innovation,
}

/// The kind of catalogue product (and of supplier).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ProductKind {
    Compute,
    Model,
    Corpus,
    InnovationService,
}

impl VoucherType {
    /// All voucher types.
    pub const ALL: [VoucherType; 4] = [
        VoucherType::Compute,
        VoucherType::Model,
        VoucherType::Corpus,
        VoucherType::Innovation,
    ];

    /// `compute`, `model`, `corpus` or `innovation`.
    pub fn as_str(self) -> &'static str {
        match self {
            VoucherType::Compute => "compute",
            VoucherType::Model => "model",
            VoucherType::Corpus => "corpus",
            VoucherType::Innovation => "innovation",
        }
    }

    /// Parses the snake_case name; code `invalid_voucher_type`.
    pub fn parse(field: &str, s: &str) -> Result<VoucherType, ValidationError> {
        let t = s.trim();
        VoucherType::ALL.into_iter().find(|v| v.as_str() == t).ok_or_else(|| {
            ValidationError::new(
                field,
                "invalid_voucher_type",
                format!("{field}: {s:?} is not a voucher type (compute, model, corpus or innovation)"),
            )
        })
    }

    /// The product kind this voucher can be spent on.
    pub fn product_kind(self) -> ProductKind {
        match self {
            VoucherType::Compute => ProductKind::Compute,
            VoucherType::Model => ProductKind::Model,
            VoucherType::Corpus => ProductKind::Corpus,
            VoucherType::Innovation => ProductKind::InnovationService,
        }
    }
}

impl ProductKind {
    /// All product kinds.
    pub const ALL: [ProductKind; 4] = [
        ProductKind::Compute,
        ProductKind::Model,
        ProductKind::Corpus,
        ProductKind::InnovationService,
    ];

    /// `compute`, `model`, `corpus` or `innovation_service`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductKind::Compute => "compute",
            ProductKind::Model => "model",
            ProductKind::Corpus => "corpus",
            ProductKind::InnovationService => "innovation_service",
        }
    }

    /// Parses the snake_case name; code `invalid_product_kind`.
    pub fn parse(field: &str, s: &str) -> Result<ProductKind, ValidationError> {
        let t = s.trim();
        ProductKind::ALL.into_iter().find(|v| v.as_str() == t).ok_or_else(|| {
            ValidationError::new(
                field,
                "invalid_product_kind",
                format!(
                    "{field}: {s:?} is not a product kind (compute, model, corpus or innovation_service)"
                ),
            )
        })
    }
}

/// One funding source's share of a program, in basis points.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FundingShare {
    pub source_id: String,
    pub share_bps: i64,
}

/// The rules of one program (one voucher type for one period).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramRules {
    pub voucher_type: VoucherType,
    pub rate: Rate,
    pub face_value_cap: Money,
    pub enterprise_year_cap: Money,
    pub apply_from: NaiveDate,
    pub apply_until: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub notice_days: u32,
    /// GB/T 2260 city codes; empty = any Shandong city.
    pub eligible_cities: Vec<String>,
    /// Empty = any size class.
    pub eligible_sizes: Vec<SizeClass>,
    /// GB/T 4754 section letters; empty = any industry.
    pub eligible_industries: Vec<char>,
    pub funding: Vec<FundingShare>,
}

/// The longest notice (公示) period a program may set, in days.
pub const MAX_NOTICE_DAYS: u32 = 60;

fn date_order(
    field: &str,
    later: NaiveDate,
    earlier_name: &str,
    earlier: NaiveDate,
) -> Result<(), ValidationError> {
    if later < earlier {
        return Err(ValidationError::new(
            field,
            "invalid_date",
            format!("{field}: {later} is before {earlier_name} {earlier}"),
        ));
    }
    Ok(())
}

impl ProgramRules {
    /// Checks the rules are internally consistent (see the module docs of each check).
    pub fn validate(&self) -> Result<(), ValidationError> {
        Money::positive("face_value_cap_fen", self.face_value_cap.fen())?;
        Money::positive("enterprise_year_cap_fen", self.enterprise_year_cap.fen())?;
        date_order(
            "apply_until",
            self.apply_until,
            "apply_from",
            self.apply_from,
        )?;
        date_order(
            "valid_until",
            self.valid_until,
            "valid_from",
            self.valid_from,
        )?;
        if self.notice_days > MAX_NOTICE_DAYS {
            return Err(ValidationError::new(
                "notice_days",
                "out_of_range",
                format!(
                    "notice_days: {} is over the maximum of {MAX_NOTICE_DAYS} days",
                    self.notice_days
                ),
            ));
        }
        for (i, c) in self.eligible_cities.iter().enumerate() {
            let field = format!("eligible_cities[{i}]");
            validate_city(&field, c)?;
            if self.eligible_cities[..i].contains(c) {
                return Err(ValidationError::new(
                    field.clone(),
                    "duplicate",
                    format!("{field}: city {c} is listed twice"),
                ));
            }
        }
        for (i, &ind) in self.eligible_industries.iter().enumerate() {
            if !ind.is_ascii_uppercase() || ind > 'T' {
                let field = format!("eligible_industries[{i}]");
                return Err(ValidationError::new(
                    field.clone(),
                    "invalid_industry",
                    format!("{field}: {ind:?} is not a GB/T 4754-2017 industry section (a letter A to T)"),
                ));
            }
        }
        for (i, f) in self.funding.iter().enumerate() {
            if f.source_id.trim().is_empty() {
                let field = format!("funding[{i}].source_id");
                return Err(ValidationError::new(
                    field.clone(),
                    "required",
                    format!("{field}: is required"),
                ));
            }
            if self.funding[..i].iter().any(|g| g.source_id == f.source_id) {
                let field = format!("funding[{i}].source_id");
                return Err(ValidationError::new(
                    field.clone(),
                    "duplicate_source",
                    format!("{field}: funding source {} is listed twice", f.source_id),
                ));
            }
        }
        let shares: Vec<i64> = self.funding.iter().map(|f| f.share_bps).collect();
        validate_shares("funding", &shares)
    }
}

/// The facts about an enterprise that eligibility depends on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnterpriseFacts {
    pub city_code: String,
    pub size_class: SizeClass,
    pub industry: char,
    pub pilot_zone: bool,
}

fn not_eligible(field: &str, msg: String) -> ValidationError {
    ValidationError::new(field, "not_eligible", format!("{field}: {msg}"))
}

/// Whether an enterprise may apply to a program on `today` (code `not_eligible`, with the
/// reason). An empty eligible list means "any".
pub fn check_eligibility(
    rules: &ProgramRules,
    e: &EnterpriseFacts,
    today: NaiveDate,
) -> Result<(), ValidationError> {
    if today < rules.apply_from || today > rules.apply_until {
        return Err(not_eligible(
            "program",
            format!(
                "{today} is outside the application window {} to {}",
                rules.apply_from, rules.apply_until
            ),
        ));
    }
    if !rules.eligible_cities.is_empty() && !rules.eligible_cities.contains(&e.city_code) {
        let name = city(&e.city_code)
            .map(|c| format!(" ({})", c.name_en))
            .unwrap_or_default();
        return Err(not_eligible(
            "city_code",
            format!(
                "city {}{name} is not eligible for this program",
                e.city_code
            ),
        ));
    }
    if !rules.eligible_sizes.is_empty() && !rules.eligible_sizes.contains(&e.size_class) {
        return Err(not_eligible(
            "size_class",
            format!(
                "size class {} is not eligible for this program",
                e.size_class.as_str()
            ),
        ));
    }
    if !rules.eligible_industries.is_empty() && !rules.eligible_industries.contains(&e.industry) {
        return Err(not_eligible(
            "industry",
            format!(
                "industry section {} is not eligible for this program",
                e.industry
            ),
        ));
    }
    Ok(())
}

/// Parses a `YYYY-MM-DD` date (exactly that shape, a real calendar day); code `invalid_date`.
pub fn parse_date(field: &str, s: &str) -> Result<NaiveDate, ValidationError> {
    let t = s.trim();
    let b = t.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, &c)| {
            if i == 4 || i == 7 {
                c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    let parsed = if shaped {
        NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
    } else {
        None
    };
    parsed.ok_or_else(|| {
        ValidationError::new(
            field,
            "invalid_date",
            format!("{field}: {s:?} is not a date in the form YYYY-MM-DD"),
        )
    })
}

#[cfg(test)]
#[path = "program_tests.rs"]
mod tests;
