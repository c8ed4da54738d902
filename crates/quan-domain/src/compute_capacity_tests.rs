use super::*;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn site(city: &str, hub: Option<Hub>, kind: ComputeKind, on: &str, pflops: i64) -> SiteCapacity {
    let t = pflops * 1000;
    SiteCapacity {
        city_code: city.into(),
        hub,
        kind,
        commissioned_on: d(on),
        fp16_tflops: if kind == ComputeKind::Intelligent {
            t
        } else {
            0
        },
        fp64_tflops: if kind == ComputeKind::General { t } else { 0 },
        accelerator_count: if kind == ComputeKind::Intelligent {
            1000
        } else {
            0
        },
    }
}

fn request<'a>() -> SiteRequest<'a> {
    SiteRequest {
        name: "济南人工智能计算中心",
        city_code: "370100",
        hub: Some("jinan"),
        kind: "intelligent",
        commissioned_on: d("2025-03-01"),
        fp16_pflops: 400.5,
        fp64_pflops: 0.0,
        accelerator_model: Some("昇腾910B"),
        accelerator_count: 1280,
    }
}

#[test]
fn a_site_is_checked_field_by_field() {
    let today = d("2026-06-01");
    let ok = check_site(&request(), today).unwrap();
    assert_eq!(ok.capacity.fp16_tflops, 400_500);
    assert_eq!(ok.capacity.hub, Some(Hub::Jinan));
    let field = |r: SiteRequest<'_>| check_site(&r, today).unwrap_err().field;
    assert_eq!(
        field(SiteRequest {
            hub: Some("weifang"),
            ..request()
        }),
        "hub"
    );
    // A hub lies in its own city only.
    assert_eq!(
        field(SiteRequest {
            hub: Some("qingdao"),
            ..request()
        }),
        "hub"
    );
    assert_eq!(
        field(SiteRequest {
            city_code: "110000",
            hub: None,
            ..request()
        }),
        "city_code"
    );
    assert_eq!(
        field(SiteRequest {
            kind: "quantum",
            ..request()
        }),
        "kind"
    );
    assert_eq!(
        field(SiteRequest {
            fp16_pflops: -1.0,
            ..request()
        }),
        "fp16_pflops"
    );
    assert_eq!(
        field(SiteRequest {
            fp16_pflops: 1e9,
            ..request()
        }),
        "fp16_pflops"
    );
    assert_eq!(
        field(SiteRequest {
            fp16_pflops: f64::NAN,
            ..request()
        }),
        "fp16_pflops"
    );
    assert_eq!(
        field(SiteRequest {
            fp16_pflops: 1.2345,
            ..request()
        }),
        "fp16_pflops"
    );
    // The kind's own precision must be declared.
    assert_eq!(
        field(SiteRequest {
            fp16_pflops: 0.0,
            ..request()
        }),
        "fp16_pflops"
    );
    assert_eq!(
        field(SiteRequest {
            kind: "general",
            ..request()
        }),
        "fp64_pflops"
    );
    assert_eq!(
        field(SiteRequest {
            accelerator_count: 0,
            ..request()
        }),
        "accelerator_count"
    );
    assert_eq!(
        field(SiteRequest {
            accelerator_count: -5,
            ..request()
        }),
        "accelerator_count"
    );
    assert_eq!(
        field(SiteRequest {
            accelerator_model: Some("  "),
            ..request()
        }),
        "accelerator_model"
    );
    assert_eq!(
        field(SiteRequest {
            name: " ",
            ..request()
        }),
        "name"
    );
    assert_eq!(
        field(SiteRequest {
            commissioned_on: d("2032-01-01"),
            ..request()
        }),
        "commissioned_on"
    );
    // A general site needs no accelerators; a planned site may be registered ahead.
    let general = SiteRequest {
        kind: "general",
        fp64_pflops: 12.0,
        fp16_pflops: 0.0,
        accelerator_count: 0,
        accelerator_model: None,
        hub: None,
        commissioned_on: d("2027-06-30"),
        ..request()
    };
    assert_eq!(
        check_site(&general, today)
            .unwrap()
            .capacity
            .reported_tflops(),
        12_000
    );
}

#[test]
fn figures_count_each_site_at_its_reported_precision_and_day() {
    let sites = [
        // Before the period: counts in totals, not as new.
        site(
            "370100",
            Some(Hub::Jinan),
            ComputeKind::Intelligent,
            "2023-06-01",
            3000,
        ),
        site("370300", None, ComputeKind::General, "2023-01-01", 3000),
        // In the period: 2,000 in hubs, 1,000 outside.
        site(
            "370200",
            Some(Hub::Qingdao),
            ComputeKind::Intelligent,
            "2024-01-01",
            1500,
        ),
        site(
            "370400",
            Some(Hub::Zaozhuang),
            ComputeKind::General,
            "2025-05-01",
            500,
        ),
        site("370700", None, ComputeKind::Intelligent, "2025-12-31", 1000),
        // After the day: counts nowhere.
        site(
            "370100",
            Some(Hub::Jinan),
            ComputeKind::Intelligent,
            "2026-01-01",
            9000,
        ),
    ];
    let f = capacity_figures(&sites, d("2025-12-31"), d("2024-01-01"));
    assert_eq!(f.total_eflops, 9.0);
    assert_eq!(f.intelligent_eflops, 5.5);
    assert_eq!(f.general_eflops, 3.5);
    assert!((f.intelligent_share.unwrap() - 61.111).abs() < 0.01);
    assert_eq!(f.new_eflops, 3.0);
    assert_eq!(f.new_in_hubs_eflops, 2.0);
    assert!((f.hub_share_new.unwrap() - 66.667).abs() < 0.01);
    let jinan = &f.by_hub[0];
    assert_eq!(
        (jinan.hub, jinan.part.sites, jinan.part.new_pflops),
        (Hub::Jinan, 1, 0.0)
    );
    assert_eq!(f.by_hub[1].part.new_pflops, 1500.0);
    assert_eq!(f.by_city.len(), 5);
    // The period starts a day later: the Qingdao site is no longer new.
    let later = capacity_figures(&sites, d("2025-12-31"), d("2024-01-02"));
    assert_eq!(later.new_eflops, 1.5);
    assert!((later.hub_share_new.unwrap() - 33.333).abs() < 0.01);
    // Nothing registered: no shares, not 0%.
    let none = capacity_figures(&[], d("2025-12-31"), d("2024-01-01"));
    assert_eq!((none.intelligent_share, none.hub_share_new), (None, None));
}

fn any_site() -> impl Strategy<Value = SiteCapacity> {
    (0usize..4, any::<bool>(), 0i64..1200, 0i64..5_000).prop_map(|(h, intelligent, day, p)| {
        let hub = [
            Some(Hub::Jinan),
            Some(Hub::Qingdao),
            Some(Hub::Zaozhuang),
            None,
        ][h];
        let city = hub.map(|h| h.city_code()).unwrap_or("370600");
        let kind = if intelligent {
            ComputeKind::Intelligent
        } else {
            ComputeKind::General
        };
        let mut s = site(city, hub, kind, "2023-01-01", 0);
        s.commissioned_on = d("2023-01-01") + chrono::Duration::days(day);
        s.fp16_tflops = if intelligent { p } else { 0 };
        s.fp64_tflops = if intelligent { 0 } else { p };
        s
    })
}

proptest! {
    /// The parts add up to the whole; shares stay within 0–100; adding a site never lowers the
    /// total; hub share counts only the period.
    #[test]
    fn parts_add_up(sites in proptest::collection::vec(any_site(), 0..30), day in 0i64..1300, from in 0i64..1300) {
        let as_of = d("2023-01-01") + chrono::Duration::days(day);
        let new_from = d("2023-01-01") + chrono::Duration::days(from);
        let f = capacity_figures(&sites, as_of, new_from);
        let cities: f64 = f.by_city.iter().map(|c| c.part.total_pflops).sum();
        prop_assert!((cities / 1000.0 - f.total_eflops).abs() < 1e-9);
        let in_service = sites.iter().filter(|s| s.commissioned_on <= as_of).count() as i64;
        prop_assert_eq!(f.by_city.iter().map(|c| c.part.sites).sum::<i64>(), in_service);
        let hubs_new: f64 = f.by_hub.iter().map(|h| h.part.new_pflops).sum();
        prop_assert!((hubs_new / 1000.0 - f.new_in_hubs_eflops).abs() < 1e-9);
        for s in [f.intelligent_share, f.hub_share_new].into_iter().flatten() {
            prop_assert!((0.0..=100.0).contains(&s));
        }
        let mut more = sites.clone();
        more.push(site("370100", Some(Hub::Jinan), ComputeKind::Intelligent, "2023-01-01", 1));
        prop_assert!(capacity_figures(&more, as_of, new_from).total_eflops >= f.total_eflops);
        if new_from > as_of {
            prop_assert_eq!(f.new_eflops, 0.0);
        }
    }
}
