//! The computing-power registry (the unified computing-power service platform's view): compute
//! sites with their capacity by precision, hub membership and commissioning date, and the
//! figures the policy promises about them — total provincial compute against 12 EFLOPS, the
//! intelligent share against 50%, and the share of new compute in the three hubs against 70% —
//! each computed as of a day, with its method written next to it.
//!
//! Capacity is kept as whole TFLOPS (1 PFLOPS = 1,000 TFLOPS) so sums are exact; requests give
//! PFLOPS with at most three decimals.
use chrono::NaiveDate;
use serde::Serialize;

use crate::city::{city, validate_city};
use crate::enterprise::validate_text;
use crate::error::ValidationError;

/// One of the province's three computing-power hubs (Seed 002 §19).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Hub {
    Jinan,
    Qingdao,
    Zaozhuang,
}

impl Hub {
    pub const ALL: [Hub; 3] = [Hub::Jinan, Hub::Qingdao, Hub::Zaozhuang];

    pub fn code(self) -> &'static str {
        match self {
            Hub::Jinan => "jinan",
            Hub::Qingdao => "qingdao",
            Hub::Zaozhuang => "zaozhuang",
        }
    }

    /// The city (GB/T 2260) the hub lies in.
    pub fn city_code(self) -> &'static str {
        match self {
            Hub::Jinan => "370100",
            Hub::Qingdao => "370200",
            Hub::Zaozhuang => "370400",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<Hub, ValidationError> {
        Hub::ALL.into_iter().find(|h| h.code() == s).ok_or_else(|| {
            ValidationError::new(
                field,
                "invalid",
                format!("{field}: {s:?} is not a hub (jinan, qingdao or zaozhuang)"),
            )
        })
    }
}

/// General-purpose (CPU) or intelligent (AI accelerator) computing.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ComputeKind {
    General,
    Intelligent,
}

impl ComputeKind {
    pub fn code(self) -> &'static str {
        match self {
            ComputeKind::General => "general",
            ComputeKind::Intelligent => "intelligent",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<ComputeKind, ValidationError> {
        match s {
            "general" => Ok(ComputeKind::General),
            "intelligent" => Ok(ComputeKind::Intelligent),
            _ => Err(ValidationError::new(
                field,
                "invalid",
                format!("{field}: {s:?} is not general or intelligent"),
            )),
        }
    }
}

/// The most one site may declare at one precision: 20,000 PFLOPS (20 EFLOPS), more than any
/// single cluster in the country; a larger figure is a typing error.
pub const MAX_SITE_PFLOPS: f64 = 20_000.0;
/// The most accelerators one site may declare.
pub const MAX_ACCELERATORS: i64 = 2_000_000;

/// A site's capacity and place, checked: what the figures are computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteCapacity {
    pub city_code: String,
    pub hub: Option<Hub>,
    pub kind: ComputeKind,
    pub commissioned_on: NaiveDate,
    pub fp16_tflops: i64,
    pub fp64_tflops: i64,
    pub accelerator_count: i64,
}

impl SiteCapacity {
    /// The capacity a site counts for in the provincial total: FP16/BF16 for intelligent
    /// computing, FP64 for general computing (each kind at the precision it is reported in).
    pub fn reported_tflops(&self) -> i64 {
        match self.kind {
            ComputeKind::Intelligent => self.fp16_tflops,
            ComputeKind::General => self.fp64_tflops,
        }
    }
}

/// A new site as asked for, before checking.
#[derive(Clone, Debug)]
pub struct SiteRequest<'a> {
    pub name: &'a str,
    pub city_code: &'a str,
    pub hub: Option<&'a str>,
    pub kind: &'a str,
    pub commissioned_on: NaiveDate,
    pub fp16_pflops: f64,
    pub fp64_pflops: f64,
    pub accelerator_model: Option<&'a str>,
    pub accelerator_count: i64,
}

/// A checked new site: its trimmed name and model, and its capacity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedSite {
    pub name: String,
    pub accelerator_model: Option<String>,
    pub capacity: SiteCapacity,
}

/// PFLOPS as given to whole TFLOPS: finite, not negative, at most [`MAX_SITE_PFLOPS`], at most
/// three decimals.
pub fn pflops_to_tflops(field: &str, v: f64) -> Result<i64, ValidationError> {
    let bad =
        |what: String| ValidationError::new(field, "out_of_range", format!("{field}: {what}"));
    if !v.is_finite() || v < 0.0 {
        return Err(bad("must be a number of PFLOPS not below 0".into()));
    }
    if v > MAX_SITE_PFLOPS {
        return Err(bad(format!(
            "{v} PFLOPS is more than one site can hold (at most {MAX_SITE_PFLOPS})"
        )));
    }
    let t = v * 1000.0;
    if (t - t.round()).abs() > 1e-6 {
        return Err(bad(format!("{v}: at most three decimals (whole TFLOPS)")));
    }
    Ok(t.round() as i64)
}

/// Checks a new site: a Shandong city; a hub only in its own city; the kind's precision
/// declared (above 0); accelerators for intelligent computing; commissioning at most five years
/// ahead of `today` (a site under construction is registered with its planned day and counts
/// from it).
pub fn check_site(r: &SiteRequest<'_>, today: NaiveDate) -> Result<CheckedSite, ValidationError> {
    let name = validate_text("name", r.name, 200)?;
    validate_city("city_code", r.city_code)?;
    let hub = r.hub.map(|h| Hub::parse("hub", h)).transpose()?;
    if let Some(h) = hub {
        if h.city_code() != r.city_code {
            let city_name = city(h.city_code())
                .map(|c| c.name_en.as_str())
                .unwrap_or("?");
            return Err(ValidationError::new(
                "hub",
                "invalid",
                format!(
                    "hub: the {} hub lies in {city_name} ({}), not in city {}",
                    h.code(),
                    h.city_code(),
                    r.city_code
                ),
            ));
        }
    }
    let kind = ComputeKind::parse("kind", r.kind)?;
    let fp16_tflops = pflops_to_tflops("fp16_pflops", r.fp16_pflops)?;
    let fp64_tflops = pflops_to_tflops("fp64_pflops", r.fp64_pflops)?;
    let (field, reported) = match kind {
        ComputeKind::Intelligent => ("fp16_pflops", fp16_tflops),
        ComputeKind::General => ("fp64_pflops", fp64_tflops),
    };
    if reported == 0 {
        return Err(ValidationError::new(
            field,
            "required",
            format!(
                "{field}: a {} site reports its capacity at this precision; it must be above 0",
                kind.code()
            ),
        ));
    }
    if !(0..=MAX_ACCELERATORS).contains(&r.accelerator_count) {
        return Err(ValidationError::new(
            "accelerator_count",
            "out_of_range",
            format!("accelerator_count: must be 0 to {MAX_ACCELERATORS}"),
        ));
    }
    let accelerator_model = match r.accelerator_model.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => Some(validate_text("accelerator_model", m, 100)?),
        None => None,
    };
    if kind == ComputeKind::Intelligent && (r.accelerator_count == 0 || accelerator_model.is_none())
    {
        let field = if r.accelerator_count == 0 {
            "accelerator_count"
        } else {
            "accelerator_model"
        };
        return Err(ValidationError::new(
            field,
            "required",
            format!(
                "{field}: an intelligent-computing site names its accelerators and their count"
            ),
        ));
    }
    let latest = today
        .checked_add_signed(chrono::Duration::days(5 * 366))
        .unwrap_or(today);
    if r.commissioned_on > latest {
        return Err(ValidationError::new(
            "commissioned_on",
            "out_of_range",
            format!(
                "commissioned_on: {} is more than five years ahead",
                r.commissioned_on
            ),
        ));
    }
    Ok(CheckedSite {
        name,
        accelerator_model,
        capacity: SiteCapacity {
            city_code: r.city_code.to_string(),
            hub,
            kind,
            commissioned_on: r.commissioned_on,
            fp16_tflops,
            fp64_tflops,
            accelerator_count: r.accelerator_count,
        },
    })
}

/// Capacity of one hub or city.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CapacityPart {
    /// Sites in service on the day.
    pub sites: i64,
    pub total_pflops: f64,
    pub intelligent_pflops: f64,
    /// Capacity commissioned in the period of the new-compute figure.
    pub new_pflops: f64,
    /// Accelerators of the intelligent sites in service.
    pub accelerators: i64,
}

/// A hub's part.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HubCapacity {
    pub hub: Hub,
    pub city_code: String,
    #[serde(flatten)]
    pub part: CapacityPart,
}

/// A city's part (every site of the city, in a hub or not).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CityCapacity {
    pub city_code: String,
    pub name_zh: String,
    pub name_en: String,
    #[serde(flatten)]
    pub part: CapacityPart,
}

/// The method of each figure, in English (the console says them in its language).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CapacityMethods {
    pub total: &'static str,
    pub intelligent_share: &'static str,
    pub hub_share_new: &'static str,
}

pub const METHODS: CapacityMethods = CapacityMethods {
    total: "sum over the registered sites commissioned on or before the day of each site's reported capacity: FP16/BF16 PFLOPS for intelligent computing, FP64 PFLOPS for general computing; 1 EFLOPS = 1,000 PFLOPS",
    intelligent_share: "intelligent sites' reported capacity / total reported capacity, both as of the day, in percent",
    hub_share_new: "reported capacity of the sites commissioned from the period's first day to the day (both included) that belong to the Jinan, Qingdao or Zaozhuang hub / reported capacity of all sites commissioned in that period, in percent",
};

/// The registry's figures as of a day.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CapacityFigures {
    pub as_of: NaiveDate,
    /// First day of the period "new" compute is counted over (to `as_of`).
    pub new_from: NaiveDate,
    pub total_eflops: f64,
    pub intelligent_eflops: f64,
    pub general_eflops: f64,
    /// Percent; None without capacity.
    pub intelligent_share: Option<f64>,
    pub new_eflops: f64,
    pub new_in_hubs_eflops: f64,
    /// Percent; None when nothing was commissioned in the period.
    pub hub_share_new: Option<f64>,
    pub by_hub: Vec<HubCapacity>,
    pub by_city: Vec<CityCapacity>,
    pub methods: CapacityMethods,
}

fn pflops(tflops: i64) -> f64 {
    tflops as f64 / 1000.0
}

fn eflops(tflops: i64) -> f64 {
    tflops as f64 / 1_000_000.0
}

fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

#[derive(Default, Clone, Copy)]
struct Sums {
    sites: i64,
    total: i64,
    intelligent: i64,
    new: i64,
    accelerators: i64,
}

impl Sums {
    fn add(&mut self, s: &SiteCapacity, is_new: bool) {
        self.sites += 1;
        self.total += s.reported_tflops();
        if s.kind == ComputeKind::Intelligent {
            self.intelligent += s.reported_tflops();
            self.accelerators += s.accelerator_count;
        }
        if is_new {
            self.new += s.reported_tflops();
        }
    }

    fn part(self) -> CapacityPart {
        CapacityPart {
            sites: self.sites,
            total_pflops: pflops(self.total),
            intelligent_pflops: pflops(self.intelligent),
            new_pflops: pflops(self.new),
            accelerators: self.accelerators,
        }
    }
}

/// The figures of `sites` as of `as_of`, new compute counted from `new_from` (see [`METHODS`]).
/// A site commissioned after `as_of` counts nowhere; one commissioned before `new_from` counts
/// in the totals but not as new.
pub fn capacity_figures(
    sites: &[SiteCapacity],
    as_of: NaiveDate,
    new_from: NaiveDate,
) -> CapacityFigures {
    let mut all = Sums::default();
    let mut new_in_hubs = 0i64;
    let mut hubs = [Sums::default(); 3];
    let mut cities: std::collections::BTreeMap<&str, Sums> = Default::default();
    for s in sites.iter().filter(|s| s.commissioned_on <= as_of) {
        let is_new = s.commissioned_on >= new_from;
        all.add(s, is_new);
        cities
            .entry(s.city_code.as_str())
            .or_default()
            .add(s, is_new);
        if let Some(h) = s.hub {
            hubs[h as usize].add(s, is_new);
            if is_new {
                new_in_hubs += s.reported_tflops();
            }
        }
    }
    let by_hub = Hub::ALL
        .into_iter()
        .map(|h| HubCapacity {
            hub: h,
            city_code: h.city_code().into(),
            part: hubs[h as usize].part(),
        })
        .collect();
    let by_city = cities
        .into_iter()
        .map(|(code, s)| {
            let c = city(code);
            CityCapacity {
                city_code: code.into(),
                name_zh: c.map(|c| c.name_zh.clone()).unwrap_or_default(),
                name_en: c.map(|c| c.name_en.clone()).unwrap_or_default(),
                part: s.part(),
            }
        })
        .collect();
    CapacityFigures {
        as_of,
        new_from,
        total_eflops: eflops(all.total),
        intelligent_eflops: eflops(all.intelligent),
        general_eflops: eflops(all.total - all.intelligent),
        intelligent_share: percent(all.intelligent, all.total),
        new_eflops: eflops(all.new),
        new_in_hubs_eflops: eflops(new_in_hubs),
        hub_share_new: percent(new_in_hubs, all.new),
        by_hub,
        by_city,
        methods: METHODS,
    }
}

/// A registered compute site, as the API shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComputeSite {
    pub id: String,
    pub supplier_id: String,
    pub supplier_name: String,
    pub name: String,
    pub city_code: String,
    pub hub: Option<Hub>,
    pub kind: ComputeKind,
    pub commissioned_on: NaiveDate,
    pub fp16_pflops: f64,
    pub fp64_pflops: f64,
    pub accelerator_model: Option<String>,
    pub accelerator_count: i64,
    pub registered_by: String,
    pub registered_at: String,
}

/// How much of a city's intelligent capacity metered voucher usage took over a window.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CityUtilisation {
    pub city_code: String,
    pub window_days: i64,
    pub gpu_hours: f64,
    /// Accelerators of the city's intelligent sites in service × hours of the window.
    pub accelerator_hours: f64,
    /// Percent; None without accelerators.
    pub percent: Option<f64>,
}

/// The method of [`CityUtilisation`].
pub const UTILISATION_METHOD: &str = "GPU-hours metered on the platform (voucher usage of products in the city) over the window's days ending on the day / (accelerators of the city's intelligent sites in service on the day x 24 x the window's days), in percent; usage the platform does not meter is not counted";

/// Utilisation of `accelerators` by `gpu_seconds` over `days` days.
pub fn utilisation(
    city_code: &str,
    gpu_seconds: i64,
    accelerators: i64,
    days: i64,
) -> CityUtilisation {
    let capacity_hours = accelerators as f64 * 24.0 * days as f64;
    let gpu_hours = gpu_seconds as f64 / 3600.0;
    CityUtilisation {
        city_code: city_code.into(),
        window_days: days,
        gpu_hours,
        accelerator_hours: capacity_hours,
        percent: (capacity_hours > 0.0).then(|| gpu_hours * 100.0 / capacity_hours),
    }
}

/// The registry's figures with the metered utilisation, as the API answers them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComputeCapacity {
    #[serde(flatten)]
    pub figures: CapacityFigures,
    pub utilisation: Vec<CityUtilisation>,
    pub utilisation_method: &'static str,
}

#[cfg(test)]
#[path = "compute_capacity_tests.rs"]
mod tests;
