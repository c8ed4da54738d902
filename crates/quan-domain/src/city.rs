//! The 16 prefecture-level cities of Shandong, embedded at compile time from
//! `data/shandong_cities.csv` (committed copy of the province's reference file) (GB/T 2260 codes).

use std::sync::OnceLock;

use serde::Serialize;

use crate::error::ValidationError;

/// The CSV as committed in `data/` (columns `code,name_zh,name_en,compute_hub,pilot_zone`).
pub const SHANDONG_CITIES_CSV: &str = include_str!("../../../data/shandong_cities.csv");

/// A Shandong city.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct City {
    /// GB/T 2260 code, e.g. `370100`.
    pub code: String,
    /// Chinese name, e.g. `济南市`.
    pub name_zh: String,
    /// English name, e.g. `Jinan`.
    pub name_en: String,
    /// Whether the city hosts one of the province's computing-power hubs.
    pub compute_hub: bool,
    /// The pilot zone the city belongs to, if any (e.g. `jinan_qingdao_ai`).
    pub pilot_zone: Option<String>,
}

fn parse_csv(text: &str) -> Vec<City> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let header = lines.next().expect("cities csv has a header");
    assert_eq!(
        header, "code,name_zh,name_en,compute_hub,pilot_zone",
        "cities csv header changed"
    );
    lines
        .map(|line| {
            let cols: Vec<&str> = line.split(',').map(str::trim).collect();
            assert_eq!(
                cols.len(),
                5,
                "cities csv line {line:?} must have 5 columns"
            );
            City {
                code: cols[0].to_string(),
                name_zh: cols[1].to_string(),
                name_en: cols[2].to_string(),
                compute_hub: match cols[3] {
                    "true" => true,
                    "false" => false,
                    other => panic!("cities csv: compute_hub {other:?} is not true/false"),
                },
                pilot_zone: (!cols[4].is_empty()).then(|| cols[4].to_string()),
            }
        })
        .collect()
}

/// All 16 cities, in code order as in the CSV.
pub fn cities() -> &'static [City] {
    static CITIES: OnceLock<Vec<City>> = OnceLock::new();
    CITIES.get_or_init(|| parse_csv(SHANDONG_CITIES_CSV))
}

/// The city with this GB/T 2260 code, if it is a Shandong city.
pub fn city(code: &str) -> Option<&'static City> {
    cities().iter().find(|c| c.code == code)
}

/// Validates a city code (`unknown_city` unless it is one of the 16 Shandong city codes).
pub fn validate_city(field: &str, code: &str) -> Result<&'static City, ValidationError> {
    city(code.trim()).ok_or_else(|| {
        ValidationError::new(
            field,
            "unknown_city",
            format!(
                "{field}: {code} is not a Shandong city (must be one of the 16 GB/T 2260 city codes such as 370100)"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteen_cities() {
        let all = cities();
        assert_eq!(all.len(), 16);
        let mut codes: Vec<&str> = all.iter().map(|c| c.code.as_str()).collect();
        codes.dedup();
        assert_eq!(codes.len(), 16);
        assert!(all
            .iter()
            .all(|c| c.code.len() == 6 && c.code.starts_with("37") && c.code.ends_with("00")));
        let jinan = city("370100").unwrap();
        assert_eq!(jinan.name_zh, "济南市");
        assert_eq!(jinan.name_en, "Jinan");
        assert!(jinan.compute_hub);
        assert_eq!(jinan.pilot_zone.as_deref(), Some("jinan_qingdao_ai"));
        let zibo = city("370300").unwrap();
        assert!(!zibo.compute_hub);
        assert_eq!(zibo.pilot_zone, None);
        assert_eq!(city("371200"), None); // Laiwu merged into Jinan in 2019
    }

    #[test]
    fn three_compute_hubs() {
        let hubs: Vec<&str> = cities()
            .iter()
            .filter(|c| c.compute_hub)
            .map(|c| c.name_en.as_str())
            .collect();
        assert_eq!(hubs, vec!["Jinan", "Qingdao", "Zaozhuang"]);
    }

    #[test]
    fn validate() {
        assert_eq!(
            validate_city("city_code", "370200").unwrap().name_en,
            "Qingdao"
        );
        let e = validate_city("city_code", "110100").unwrap_err();
        assert_eq!(e.code, "unknown_city");
        assert_eq!(e.field, "city_code");
        assert!(
            e.message
                .starts_with("city_code: 110100 is not a Shandong city"),
            "{}",
            e.message
        );
        assert!(validate_city("city_code", "").is_err());
    }

    #[test]
    fn serializes() {
        let j = serde_json::to_value(city("370400").unwrap()).unwrap();
        assert_eq!(j["code"], "370400");
        assert_eq!(j["compute_hub"], true);
        assert!(j["pilot_zone"].is_null());
    }
}
