//! Synthetic but realistic Shandong data. Everything goes through the same store operations the
//! API uses, so the seeded database keeps every invariant and has a complete audit trail.
//! Names carry "（演示）" so nobody mistakes them for real companies.
use std::collections::HashSet;

use crate::progress::bar;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Args;
use quan_domain::{cities, make_uscc};
use quan_store::ops::applications::{ApplicationInput, ObjectionInput, ResolveInput, ReviewInput};
use quan_store::ops::catalogue::{ProductInput, SupplierInput};
use quan_store::ops::enterprises::EnterpriseInput;
use quan_store::ops::programs::{FundingShareInput, FundingSourceInput, ProgramInput};
use quan_store::ops::redemptions::{ClawbackInput, RedemptionInput};
use quan_store::ops::settlements::SettlementInput;
use quan_store::ops::{self, Now};
use quan_store::{in_tx, Actor, Role, Store, StoreError};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::config::{Config, DEFAULT_DB};

#[derive(Args)]
pub struct SeedArgs {
    #[arg(long, env = "QUAN_DB")]
    pub db: Option<String>,
    /// Synthetic enterprises to add.
    #[arg(long, default_value_t = 1000)]
    pub enterprises: usize,
    /// Also create the demo catalogue, programs, users and activity (on an empty database).
    #[arg(long)]
    pub demo: bool,
    /// Random seed (the same seed gives the same data).
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

pub const DEMO_PASSWORD: &str = "quan-demo";
pub const DEMO_TODAY: &str = "2026-11-23";

pub async fn run(a: SeedArgs, cfg: &Config) -> Result<()> {
    let url =
        a.db.clone()
            .or(cfg.db.clone())
            .unwrap_or_else(|| DEFAULT_DB.into());
    let store = crate::serve::open_store(&url, cfg, true).await?;
    let mut rng = StdRng::seed_from_u64(a.seed);
    if a.demo {
        seed_demo(&store, a.enterprises, &mut rng).await?;
    } else {
        let t = std::time::Instant::now();
        let ids = seed_enterprises(&store, a.enterprises, &mut rng, &Now::real()).await?;
        println!(
            "added {} enterprises in {:.1}s",
            ids.len(),
            t.elapsed().as_secs_f64()
        );
    }
    store.close().await;
    Ok(())
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("literal date")
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
    "秀英", "建华", "志强", "海燕", "晓东", "文博", "思远",
];
const CORES: &[&str] = &[
    "星河", "灵犀", "泉城", "齐鲁", "海数", "天衡", "博远", "云图", "数智", "海岱", "岱宗", "明湖",
    "蓝海", "智汇", "鲁信", "开元", "长风", "青禾", "沧澜", "知微",
];
const TRADES: &[(&str, char)] = &[
    ("智能科技", 'I'),
    ("信息技术", 'I'),
    ("数据科技", 'I'),
    ("软件", 'I'),
    ("机器人", 'C'),
    ("智能装备", 'C'),
    ("精密制造", 'C'),
    ("生物医药", 'M'),
    ("检测认证", 'M'),
    ("物流科技", 'G'),
    ("新能源", 'D'),
    ("农业科技", 'A'),
];
const USCC_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

fn person(rng: &mut StdRng) -> String {
    format!(
        "{}{}",
        SURNAMES[rng.gen_range(0..SURNAMES.len())],
        GIVEN[rng.gen_range(0..GIVEN.len())]
    )
}

fn uscc(rng: &mut StdRng, city_code: &str, used: &mut HashSet<String>) -> String {
    loop {
        let district = format!("{}{:02}", &city_code[..4], rng.gen_range(1..=12));
        let org: String = (0..9)
            .map(|_| USCC_CHARS[rng.gen_range(0..USCC_CHARS.len())] as char)
            .collect();
        let code = make_uscc('9', '1', &district, &org);
        if used.insert(code.clone()) {
            return code;
        }
    }
}

/// Most AI enterprises sit in Jinan and Qingdao (the pilot zone), the rest spread over the province.
fn pick_city(rng: &mut StdRng) -> &'static quan_domain::City {
    let all = cities();
    let r: f64 = rng.gen();
    if r < 0.36 {
        &all[0]
    } else if r < 0.66 {
        &all[1]
    } else {
        &all[rng.gen_range(2..all.len())]
    }
}

fn enterprise_input(
    rng: &mut StdRng,
    used: &mut HashSet<String>,
    names: &mut HashSet<String>,
) -> EnterpriseInput {
    let city = pick_city(rng);
    let short = city.name_zh.trim_end_matches('市');
    let (trade, industry) = TRADES[rng.gen_range(0..TRADES.len())];
    let mut name;
    let mut n = 0;
    loop {
        let core = CORES[rng.gen_range(0..CORES.len())];
        name = if n == 0 {
            format!("{short}{core}{trade}有限公司（演示）")
        } else {
            format!("{short}{core}{trade}{n}号有限公司（演示）")
        };
        if names.insert(name.clone()) {
            break;
        }
        n = rng.gen_range(1..100_000);
    }
    let size = match rng.gen_range(0..10) {
        0..=2 => "micro",
        3..=6 => "small",
        7..=8 => "medium",
        _ => "large",
    };
    let legal_rep = person(rng);
    let mut shareholders = vec![legal_rep.clone()];
    for _ in 0..rng.gen_range(0..3) {
        shareholders.push(person(rng));
    }
    if rng.gen_bool(0.2) {
        shareholders.push(format!(
            "{short}{}创业投资合伙企业（演示）",
            CORES[rng.gen_range(0..CORES.len())]
        ));
    }
    shareholders.dedup();
    EnterpriseInput {
        uscc: uscc(rng, &city.code, used),
        name,
        city_code: city.code.clone(),
        industry: industry.to_string(),
        size_class: size.into(),
        pilot_zone: city.pilot_zone.is_some() && rng.gen_bool(0.5),
        legal_rep,
        shareholders,
        actual_controller: String::new(),
    }
}

/// Adds `n` enterprises in transactions of 500, with a progress bar. Returns their ids.
pub async fn seed_enterprises(
    store: &Store,
    n: usize,
    rng: &mut StdRng,
    now: &Now,
) -> Result<Vec<String>> {
    let mut used: HashSet<String> = HashSet::new();
    let mut names: HashSet<String> = HashSet::new();
    let system = Actor::system();
    let pb = bar(n as u64, "enterprises");
    let mut ids = Vec::with_capacity(n);
    let mut left = n;
    while left > 0 {
        let chunk = left.min(500);
        let inputs: Vec<EnterpriseInput> = (0..chunk)
            .map(|_| enterprise_input(rng, &mut used, &mut names))
            .collect();
        let created: Result<Vec<String>, StoreError> = in_tx!(store, |tx| {
            let mut out = Vec::new();
            for i in &inputs {
                match ops::enterprises::create(&mut tx, &system, i, now).await {
                    Ok(e) => out.push(e.id),
                    // A code already in the database (seeding twice): skip it.
                    Err(StoreError::Conflict {
                        code: "duplicate_uscc",
                        ..
                    }) => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(out)
        });
        ids.extend(created?);
        left -= chunk;
        pb.inc(chunk as u64);
    }
    pb.finish();
    Ok(ids)
}

macro_rules! tx {
    ($store:expr, |$tx:ident| $body:expr) => {{
        let r: Result<_, quan_store::StoreError> = quan_store::in_tx!($store, |$tx| $body);
        r
    }};
}
pub(crate) use tx;

/// The demo data set: funding sources, the catalogue and selected lists, the 2025 first round
/// and the four 2026 programs, enterprises, and activity in every state up to `DEMO_TODAY`.
pub async fn seed_demo(store: &Store, n_enterprises: usize, rng: &mut StdRng) -> Result<()> {
    let admin = Actor::system();
    let t0 = Now::at(day("2025-01-02"));
    // Funding sources: the provincial AI fund plus city and county co-funding.
    let sources = tx!(store, |tx| {
        let mut out = Vec::new();
        for (name, level, city, yuan) in [
            (
                "山东省人工智能产业发展专项资金",
                "province",
                None,
                1_000_000_000i64,
            ),
            (
                "济南市人工智能配套资金",
                "city",
                Some("370100"),
                100_000_000,
            ),
            (
                "青岛市人工智能配套资金",
                "city",
                Some("370200"),
                100_000_000,
            ),
            ("枣庄市算力配套资金", "city", Some("370400"), 30_000_000),
            (
                "济南市历下区科技创新配套资金",
                "county",
                Some("370100"),
                20_000_000,
            ),
        ] {
            let input = FundingSourceInput {
                name: name.into(),
                level: level.into(),
                city_code: city.map(String::from),
                appropriated_fen: yuan * 100,
            };
            out.push(
                ops::programs::create_source(&mut tx, &admin, &input, &t0)
                    .await?
                    .id,
            );
        }
        Ok(out)
    })?;
    let (province, jinan, qingdao, zaozhuang, lixia) = (
        &sources[0],
        &sources[1],
        &sources[2],
        &sources[3],
        &sources[4],
    );

    // Suppliers and products.
    let mut used = HashSet::new();
    let mut sup_specs: Vec<(String, &str, String, Vec<ProductInput>)> = Vec::new();
    for (city, hub, gpus) in [
        (
            "370100",
            "济南国家级算力枢纽示范运营有限公司（演示）",
            vec![
                ("昇腾910B 训练集群", "Ascend 910B", 1800),
                ("A800 推理集群", "A800", 2600),
                ("H20 推理池", "H20", 1500),
            ],
        ),
        (
            "370200",
            "青岛海洋智算中心运营有限公司（演示）",
            vec![
                ("海光 DCU 训练集群", "Hygon DCU Z100", 1200),
                ("A100 训练集群", "A100", 2400),
                ("L40S 渲染推理", "L40S", 900),
            ],
        ),
        (
            "370400",
            "枣庄鲁南算力枢纽有限公司（演示）",
            vec![
                ("昇腾910B 枢纽节点", "Ascend 910B", 1600),
                ("4090 推理节点", "RTX 4090", 450),
            ],
        ),
    ] {
        let products = gpus
            .into_iter()
            .map(|(n, g, yuan_per_hour)| ProductInput {
                supplier_id: None,
                kind: "compute".into(),
                name: n.into(),
                city_code: Some(city.into()),
                gpu_model: Some(g.into()),
                price_per_unit_fen: Some(yuan_per_hour as i64),
                billing_unit: None,
                description: format!("{g}，按 GPU 小时计费"),
            })
            .collect();
        sup_specs.push((hub.into(), "compute", city.into(), products));
    }
    let model_vendors = [
        "齐鲁大模型",
        "泉城智言",
        "海岱工业智脑",
        "鲁信金融模型",
        "青禾农业模型",
        "明湖医疗模型",
        "沧澜海洋模型",
        "开元政务模型",
        "知微教育模型",
        "长风交通模型",
    ];
    for (i, v) in model_vendors.iter().enumerate() {
        let city = if i % 2 == 0 { "370100" } else { "370200" };
        let products = ["基础版", "行业版", "私有化部署版"]
            .iter()
            .map(|edition| ProductInput {
                supplier_id: None,
                kind: "model".into(),
                name: format!("{v}{edition}"),
                city_code: None,
                gpu_model: None,
                price_per_unit_fen: None,
                billing_unit: None,
                description: "入选年度大模型产品目录（演示）".into(),
            })
            .collect();
        sup_specs.push((
            format!("{v}科技有限公司（演示）"),
            "model",
            city.into(),
            products,
        ));
    }
    let corpora = [
        ("山东制造业工艺语料", "工业质检图像语料"),
        ("齐鲁政务问答语料", "鲁语方言语音语料"),
        ("黄河流域生态遥感语料", "海洋观测时序语料"),
        ("中医药古籍语料", "临床病历脱敏语料"),
        ("农业病虫害图像语料", "港口物流单证语料"),
    ];
    for (i, (a, b)) in corpora.iter().enumerate() {
        let city = ["370100", "370200", "370500", "370800", "370700"][i];
        let products = [a, b]
            .iter()
            .map(|n| ProductInput {
                supplier_id: None,
                kind: "corpus".into(),
                name: n.to_string(),
                city_code: None,
                gpu_model: None,
                price_per_unit_fen: None,
                billing_unit: None,
                description: "≥100,000 条，已完成数据资源登记（演示）".into(),
            })
            .collect();
        sup_specs.push((
            format!("{}数据科技有限公司（演示）", &CORES[i + 5]),
            "corpus",
            city.into(),
            products,
        ));
    }
    for (i, v) in [
        "山东人工智能创新服务中心（演示）",
        "青岛智能制造服务平台（演示）",
        "济南数字化转型促进中心（演示）",
    ]
    .iter()
    .enumerate()
    {
        let city = ["370100", "370200", "370100"][i];
        let products = ["场景验证服务", "模型评测服务"]
            .iter()
            .map(|n| ProductInput {
                supplier_id: None,
                kind: "innovation_service".into(),
                name: n.to_string(),
                city_code: None,
                gpu_model: None,
                price_per_unit_fen: None,
                billing_unit: None,
                description: "创新券服务（演示）".into(),
            })
            .collect();
        sup_specs.push((v.to_string(), "innovation_service", city.into(), products));
    }
    let mut suppliers: Vec<(String, String)> = Vec::new(); // (supplier id, kind)
    let mut products: Vec<(String, String, String)> = Vec::new(); // (product id, kind, supplier id)
    for (name, kind, city, prods) in &sup_specs {
        let input = SupplierInput {
            name: name.clone(),
            uscc: uscc(rng, city, &mut used),
            kind: kind.to_string(),
            city_code: city.clone(),
            legal_rep: person(rng),
            shareholders: vec![person(rng)],
            actual_controller: String::new(),
        };
        let created = tx!(store, |tx| {
            let s = ops::catalogue::create_supplier(&mut tx, &admin, &input, &t0).await?;
            let mut ps = Vec::new();
            for p in prods {
                let mut p = p.clone();
                p.supplier_id = Some(s.id.clone());
                ps.push(
                    ops::catalogue::create_product(&mut tx, &admin, &p, &t0)
                        .await?
                        .id,
                );
            }
            Ok((s.id, ps))
        })?;
        for p in created.1 {
            products.push((p, kind.to_string(), created.0.clone()));
        }
        suppliers.push((created.0, kind.to_string()));
    }

    // Programs.
    let share = |v: &[(&String, i64)]| {
        v.iter()
            .map(|(s, b)| FundingShareInput {
                source_id: (*s).clone(),
                share_bps: *b,
            })
            .collect::<Vec<_>>()
    };
    let prog = |name: &str,
                vt: &str,
                year: i64,
                rate: i64,
                cap: i64,
                ycap: i64,
                apply: (&str, &str),
                valid: (&str, &str),
                budget: i64,
                funding: Vec<FundingShareInput>| ProgramInput {
        name: name.into(),
        voucher_type: vt.into(),
        year,
        rate_bps: rate,
        face_value_cap_fen: cap * 100,
        enterprise_year_cap_fen: ycap * 100,
        apply_from: apply.0.into(),
        apply_until: apply.1.into(),
        valid_from: valid.0.into(),
        valid_until: valid.1.into(),
        notice_days: 7,
        eligible_cities: vec![],
        eligible_sizes: vec![],
        eligible_industries: vec![],
        budget_fen: budget * 100,
        funding,
        policy: Default::default(),
    };
    let specs = vec![
        (
            prog(
                "2025年山东省算力券（第一批）",
                "compute",
                2025,
                500,
                5_000_000,
                5_000_000,
                ("2025-01-02", "2025-06-30"),
                ("2025-01-02", "2025-12-31"),
                30_000_000,
                share(&[(province, 10000)]),
            ),
            t0.clone(),
        ),
        (
            prog(
                "2026年山东省算力券",
                "compute",
                2026,
                2000,
                2_000_000,
                5_000_000,
                ("2026-01-05", "2026-12-15"),
                ("2026-01-05", "2026-12-31"),
                300_000_000,
                share(&[(province, 8000), (jinan, 1000), (qingdao, 1000)]),
            ),
            Now::at(day("2026-01-05")),
        ),
        (
            prog(
                "2026年山东省模型券",
                "model",
                2026,
                3000,
                1_500_000,
                3_000_000,
                ("2026-01-05", "2026-12-15"),
                ("2026-01-05", "2026-12-31"),
                250_000_000,
                share(&[(province, 9000), (jinan, 1000)]),
            ),
            Now::at(day("2026-01-05")),
        ),
        (
            prog(
                "2026年山东省语料券",
                "corpus",
                2026,
                3000,
                750_000,
                1_500_000,
                ("2026-01-05", "2026-12-15"),
                ("2026-01-05", "2026-12-31"),
                150_000_000,
                share(&[(province, 9000), (qingdao, 1000)]),
            ),
            Now::at(day("2026-01-05")),
        ),
        (
            prog(
                "2026年山东省创新券",
                "innovation",
                2026,
                5000,
                500_000,
                500_000,
                ("2026-01-05", "2026-12-15"),
                ("2026-01-05", "2026-12-31"),
                100_000_000,
                share(&[(province, 8500), (zaozhuang, 500), (lixia, 1000)]),
            ),
            Now::at(day("2026-01-05")),
        ),
    ];
    let mut programs: Vec<(String, String)> = Vec::new(); // (id, voucher type)
    for (input, when) in &specs {
        let id = tx!(store, |tx| {
            let p = ops::programs::create(&mut tx, &admin, input, when).await?;
            let want =
                quan_domain::VoucherType::parse("voucher_type", &p.voucher_type)?.product_kind();
            // Model and corpus programs get their lists from the year's selection round.
            let selected = matches!(
                want,
                quan_domain::ProductKind::Model | quan_domain::ProductKind::Corpus
            );
            for (pid, kind, _) in &products {
                if kind == want.as_str() && !selected {
                    ops::catalogue::add_eligible(&mut tx, &admin, &p.id, pid, when).await?;
                }
            }
            Ok(p.id)
        })?;
        programs.push((id, input.voucher_type.clone()));
    }

    // Enterprises.
    let ents = seed_enterprises(store, n_enterprises.max(50), rng, &t0).await?;

    // Users.
    let hash = quan_api::auth::hash_password(DEMO_PASSWORD);
    let demo_enterprise = ents[0].clone();
    let demo_supplier = suppliers[0].0.clone();
    let reviewer = tx!(store, |tx| {
        let mut reviewer = None;
        for (username, role, e, s, name) in [
            ("admin", Role::Admin, None, None, "省发改委 管理员"),
            ("reviewer", Role::Reviewer, None, None, "王磊"),
            ("auditor", Role::Auditor, None, None, "省审计厅 审计员"),
            (
                "enterprise",
                Role::Enterprise,
                Some(demo_enterprise.as_str()),
                None,
                "企业用户",
            ),
            (
                "supplier",
                Role::Supplier,
                None,
                Some(demo_supplier.as_str()),
                "算力枢纽运营",
            ),
        ] {
            let u = ops::users::create(
                &mut tx,
                &admin,
                &ops::users::NewUser {
                    username,
                    password_hash: &hash,
                    role,
                    enterprise_id: e,
                    supplier_id: s,
                    display_name: name,
                    city_code: None,
                },
                &t0,
            )
            .await?;
            if role == Role::Reviewer {
                reviewer = Some(Actor {
                    user_id: u.id,
                    username: u.username,
                    role,
                    enterprise_id: None,
                    supplier_id: None,
                });
            }
        }
        Ok(reviewer.expect("reviewer created"))
    })?;
    // One enterprise whose legal representative shares the reviewer's name: the reviewer must recuse.
    tx!(store, |tx| {
        let p = ops::enterprises::EnterprisePatch {
            legal_rep: Some("王磊".into()),
            ..Default::default()
        };
        ops::enterprises::patch(&mut tx, &admin, &ents[1], &p, &t0).await?;
        Ok(())
    })?;

    crate::seed_selection::seed_selection(
        store,
        rng,
        &crate::seed_selection::SelectionWorld {
            admin: &admin,
            reviewer: &reviewer,
            password_hash: &hash,
            products: &products,
        },
    )
    .await
    .context("seeding the selection rounds")?;
    seed_activity(store, rng, &admin, &reviewer, &ents, &programs, &products).await?;
    let listed_supplier = &suppliers[suppliers.len() - 1].0;
    crate::seed_integrity::seed_integrity(
        store,
        rng,
        &crate::seed_integrity::IntegrityWorld {
            admin: &admin,
            ents: &ents,
            programs: &programs,
            province_source: province,
            listed_supplier,
            today: day(DEMO_TODAY),
        },
    )
    .await?;
    crate::seed_modes::seed_modes(
        store,
        rng,
        &crate::seed_modes::ModesWorld {
            admin: &admin,
            reviewer: &reviewer,
            ents: &ents,
            province_source: province,
            products: &products,
        },
    )
    .await
    .context("seeding the reimbursed pilot")?;
    crate::seed_review::seed_review(
        store,
        &crate::seed_review::ReviewWorld {
            admin: &admin,
            reviewer: &reviewer,
            password_hash: &hash,
            ents: &ents,
            province_source: province,
            products: &products,
        },
    )
    .await
    .context("seeding the review chain and milestones")?;
    let operator_name = ops::enterprises::get(store, &admin, &ents[0]).await?.name;
    crate::seed_data::seed_data(
        store,
        &crate::seed_data::DataWorld {
            admin: &admin,
            reviewer: &reviewer,
            operator: &ents[0],
            operator_name: &operator_name,
            ents: &ents,
        },
    )
    .await
    .context("seeding the data registry and authorization hub")?;
    let compute_suppliers: Vec<String> = suppliers
        .iter()
        .filter(|s| s.1 == "compute")
        .map(|s| s.0.clone())
        .collect();
    crate::seed_targets::seed_compute_sites(store, &admin, &compute_suppliers, day(DEMO_TODAY))
        .await
        .context("seeding the compute registry")?;
    crate::seed_targets::seed_targets(store, &admin, day(DEMO_TODAY))
        .await
        .context("seeding the policy targets' figures")?;
    quan_store::ledger::check_conservation(store.reader()).await?;
    println!(
        "demo data: {} enterprises, {} suppliers, {} products, {} programs",
        ents.len(),
        suppliers.len(),
        products.len(),
        programs.len()
    );
    Ok(())
}

fn invoice_number(rng: &mut StdRng) -> String {
    format!("2637{:016}", rng.gen_range(0..10_000_000_000_000_000u64))
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    d + chrono::Duration::days(n)
}

/// Applications, reviews, notices, objections, vouchers, redemptions, settlements, clawbacks and
/// expiries, each dated so that the demo's "today" sees every state.
async fn seed_activity(
    store: &Store,
    rng: &mut StdRng,
    admin: &Actor,
    reviewer: &Actor,
    ents: &[String],
    programs: &[(String, String)],
    products: &[(String, String, String)],
) -> Result<()> {
    let today = day(DEMO_TODAY);
    let n_apps = (ents.len() / 4).clamp(40, 800);
    let pb = bar(n_apps as u64, "activity");
    let mut issued: Vec<(String, String, NaiveDate, String)> = Vec::new(); // (voucher id, voucher type, issue day, enterprise)
    for i in 0..n_apps {
        // The demo enterprise applies to every 2026 program; the 2025 round gets a few dozen.
        let (program_id, vtype) = if i < 4 {
            &programs[1 + i]
        } else if i < 44 {
            &programs[0]
        } else {
            &programs[1 + rng.gen_range(0..4)]
        };
        let enterprise = if i < 4 {
            &ents[0]
        } else if i == 44 {
            &ents[1]
        } else {
            &ents[rng.gen_range(2..ents.len())]
        };
        let (start, end) = if program_id == &programs[0].0 {
            (day("2025-01-10"), day("2025-06-20"))
        } else {
            (day("2026-01-10"), day("2026-11-20"))
        };
        let span = (end - start).num_days();
        // Two applications late in the year, so the demo always has notices still running.
        let late = i == 45 || i == 46;
        let applied = if i < 4 {
            day("2026-03-02") + chrono::Duration::days(i as i64 * 80)
        } else if late {
            add_days(today, -6)
        } else {
            add_days(start, rng.gen_range(0..span))
        };
        let cap: i64 = match vtype.as_str() {
            "compute" => 2_000_000,
            "model" => 1_500_000,
            "corpus" => 750_000,
            _ => 500_000,
        };
        let amount = (rng.gen_range(cap / 10..=cap) / 1000) * 1000 * 100;
        let input = ApplicationInput {
            program_id: program_id.clone(),
            enterprise_id: Some(enterprise.clone()),
            amount_fen: amount,
            plan: "用于大模型训练与行业场景落地（演示）".into(),
        };
        let app = match tx!(store, |tx| ops::applications::apply(
            &mut tx,
            admin,
            &input,
            &Now::at(applied)
        )
        .await)
        {
            Ok(a) => a,
            Err(StoreError::Conflict {
                code: "duplicate_application",
                ..
            })
            | Err(StoreError::Validation(_)) => {
                pb.inc(1);
                continue;
            }
            Err(e) => return Err(e).context("seeding an application"),
        };
        // Outcome: most approved and issued; some still waiting, rejected, in notice, revoked.
        let wait = rng.gen_range(3..20);
        let reviewed = add_days(applied, if late { 2 } else { wait });
        let outcome = if i == 44 {
            9
        } else if late || i == 2 {
            8
        } else if i == 3 {
            7
        } else {
            rng.gen_range(0..20)
        };
        if reviewed > today || outcome >= 18 || (i == 44) {
            pb.inc(1);
            continue; // still submitted
        }
        let reject = outcome >= 16;
        let review = ReviewInput {
            level: None,
            decision: if reject {
                "reject".into()
            } else {
                "approve".into()
            },
            amount_fen: if reject {
                None
            } else {
                Some(if rng.gen_bool(0.3) {
                    amount / 2 / 100 * 100
                } else {
                    amount
                })
            },
            reason: Some(if reject {
                "申报材料不完整，算力使用计划不具体".into()
            } else {
                "符合申报条件".into()
            }),
        };
        let app = match tx!(store, |tx| ops::applications::review(
            &mut tx,
            reviewer,
            app.id.as_str(),
            &review,
            &Now::at(reviewed)
        )
        .await)
        {
            Ok(a) => a,
            Err(StoreError::Conflict { .. }) => {
                pb.inc(1);
                continue;
            }
            Err(e) => return Err(e).context("seeding a review"),
        };
        if reject {
            pb.inc(1);
            continue;
        }
        let notice_end = add_days(reviewed, 7);
        if outcome == 15 && notice_end <= today {
            // An objection during notice, upheld: the reservation is voided.
            let filed = add_days(reviewed, 2);
            tx!(store, |tx| {
                let o = ops::applications::file_objection(
                    &mut tx,
                    admin,
                    app.id.as_str(),
                    &ObjectionInput {
                        reason: "举报：申报主体与供应商存在关联关系".into(),
                    },
                    &Now::at(filed),
                )
                .await?;
                ops::applications::resolve_objection(
                    &mut tx,
                    admin,
                    &o.id,
                    &ResolveInput {
                        uphold: true,
                        note: "经核实关联关系属实".into(),
                    },
                    &Now::at(add_days(filed, 1)),
                )
                .await?;
                Ok(())
            })?;
            pb.inc(1);
            continue;
        }
        if notice_end > today || outcome == 8 {
            pb.inc(1);
            continue; // in notice (公示)
        }
        let v = tx!(store, |tx| ops::applications::issue(
            &mut tx,
            admin,
            app.id.as_str(),
            &Now::at(notice_end)
        )
        .await)?;
        issued.push((
            v.id.into_string(),
            vtype.clone(),
            notice_end,
            enterprise.clone(),
        ));
        pb.inc(1);
    }
    pb.finish();

    // Redemptions, dated after issue, against products of the right kind.
    let pb = bar(issued.len() as u64, "redemptions");
    let mut redemptions = Vec::new();
    for (voucher_id, vtype, issued_on, _) in &issued {
        let kind = quan_domain::VoucherType::parse("voucher_type", vtype)?.product_kind();
        let candidates: Vec<&(String, String, String)> =
            products.iter().filter(|p| p.1 == kind.as_str()).collect();
        let last_day = if issued_on.format("%Y").to_string() == "2025" {
            day("2025-12-20")
        } else {
            add_days(today, -1)
        };
        for _ in 0..rng.gen_range(0..4) {
            let span = (last_day - *issued_on).num_days();
            if span <= 0 {
                break;
            }
            let d = add_days(*issued_on, rng.gen_range(0..span));
            let p = candidates[rng.gen_range(0..candidates.len())];
            let input = RedemptionInput {
                voucher_id: voucher_id.clone(),
                product_id: p.0.clone(),
                invoice_number: invoice_number(rng),
                invoice_amount_fen: rng.gen_range(20_000..2_000_000) * 100,
                invoice_date: d.to_string(),
                contract_id: None,
                payment_proof: None,
                delivery_proof: None,
            };
            let req = quan_domain::RedemptionRequest::parse(&input)?;
            match tx!(store, |tx| ops::redemptions::redeem(
                &mut tx,
                admin,
                &req,
                &Now::at(d)
            )
            .await)
            {
                Ok(r) => redemptions.push((r.id, d)),
                Err(StoreError::Conflict { .. }) => {}
                Err(e) => return Err(e).context("seeding a redemption"),
            }
        }
        pb.inc(1);
    }
    pb.finish();

    // A few clawbacks (fraud found on inspection).
    for (rid, d) in redemptions.iter().step_by(37).take(4) {
        let when = add_days(*d, 5).min(today);
        tx!(store, |tx| ops::redemptions::clawback(
            &mut tx,
            admin,
            rid.as_str(),
            &ClawbackInput {
                reason: "抽查发现发票与合同不符".into()
            },
            &Now::at(when)
        )
        .await)?;
    }

    // Metered usage from the hubs against the 2026 computing-power vouchers.
    let metered: Vec<crate::seed_usage::MeteredVoucher> = issued
        .iter()
        .filter(|v| v.1 == "compute" && v.2 >= day("2026-01-01"))
        .map(|v| (v.0.clone(), v.3.clone(), v.2))
        .collect();
    crate::seed_usage::seed_usage(store, rng, admin, &metered, products, today).await?;

    // Monthly settlements for every supplier with payables (invoices and usage), up to last month.
    let suppliers: HashSet<&String> = products.iter().map(|p| &p.2).collect();
    for period in [
        "2025-06", "2025-12", "2026-06", "2026-08", "2026-09", "2026-10",
    ] {
        let run_on = day(&format!("{period}-01")) + chrono::Duration::days(35);
        for s in &suppliers {
            let input = SettlementInput {
                supplier_id: (*s).clone(),
                period: period.into(),
            };
            match tx!(store, |tx| ops::settlements::run(
                &mut tx,
                admin,
                &input,
                &Now::at(run_on.min(today))
            )
            .await)
            {
                Ok(_) | Err(StoreError::Conflict { .. }) => {}
                Err(e) => return Err(e).context("seeding a settlement"),
            }
        }
    }

    // The 2025 round is over: its vouchers expire and release what is left.
    let expiry_day = day("2026-01-05");
    for id in ops::vouchers::due_for_expiry(store, &Now::at(expiry_day), 10_000).await? {
        tx!(store, |tx| ops::vouchers::expire(
            &mut tx,
            admin,
            &id,
            &Now::at(expiry_day)
        )
        .await)?;
    }
    quan_store::ledger::check_conservation(store.reader()).await?;
    Ok(())
}
