//! The demo's data registry and authorization hub (issue 12): every corpus entered in the
//! selection is registered first (its supplier holds and operates the data); registrations in
//! every other state (submitted, accepted, returned, in notice, rejected after an upheld
//! objection, changed, cancelled, expired); a public-data registration of the province operated
//! by the demo enterprise, with an overall authorization, two sub-domains and their scenarios;
//! a personal-data and a legal-person scenario with consents (some revoked), checks logged as
//! uses, and the operator's 2025 disclosure.
use std::collections::HashMap;

use crate::seed::tx;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use quan_domain::{
    AuthorizationInput, CheckInput, ConsentInput, DisclosedItem, DisclosureInput,
    RegistrationInput, RegistrationStep, RightHolderInput,
};
use quan_store::ops::{
    data_check, data_consents as consents, data_hub as hub, data_registry as reg, Now,
};
use quan_store::{Actor, Store};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("seed date")
}

fn party(kind: &str, id: Option<&str>, name: &str) -> RightHolderInput {
    RightHolderInput {
        party_kind: kind.into(),
        party_id: id.map(Into::into),
        name: name.into(),
    }
}

/// What a registration of `resource` held and operated by `holder` records.
fn resource(
    name: &str,
    category: &str,
    records: i64,
    holder: RightHolderInput,
    operator: RightHolderInput,
) -> RegistrationInput {
    RegistrationInput {
        kind: None,
        original_code: None,
        reason: None,
        resource_name: name.into(),
        description: format!("{name}：经清洗、脱敏与质量评估的数据资源（演示）"),
        category: category.into(),
        grade: "general".into(),
        source: "持有方自有业务系统采集".into(),
        update_cycle: "monthly".into(),
        record_count: records,
        size_bytes: records * 2_048,
        format: "JSON Lines".into(),
        security_measures: "分级分类管理、访问控制、传输与存储加密、操作日志留存 6 个月以上".into(),
        usage_permissions: "限模型训练、评测与行业应用开发；不得逆向识别个人".into(),
        processing: party(&holder.party_kind, holder.party_id.as_deref(), &holder.name),
        holding: holder,
        operation: operator,
    }
}

/// One step on `date`.
async fn step(
    store: &Store,
    actor: &Actor,
    id: &str,
    s: RegistrationStep,
    date: &str,
) -> Result<quan_domain::DataRegistration> {
    let now = Now::at(day(date));
    Ok(tx!(store, |tx| reg::step(&mut tx, actor, id, &s, &now).await)?)
}

async fn apply(
    store: &Store,
    admin: &Actor,
    input: &RegistrationInput,
    date: &str,
) -> Result<String> {
    let now = Now::at(day(date));
    Ok(tx!(store, |tx| reg::apply(&mut tx, admin, input, &now).await)?.id)
}

/// Apply on `date`, accept and pass the same day, register when the notice is over.
async fn register(
    store: &Store,
    admin: &Actor,
    reviewer: &Actor,
    input: &RegistrationInput,
    date: &str,
) -> Result<(String, String)> {
    let id = apply(store, admin, input, date).await?;
    step(store, reviewer, &id, RegistrationStep::Accept, date).await?;
    let r = step(store, reviewer, &id, RegistrationStep::Pass, date).await?;
    let after = r
        .notice_ends
        .map(|d| d.to_string())
        .unwrap_or_else(|| date.to_string());
    let r = step(store, reviewer, &id, RegistrationStep::Register, &after).await?;
    Ok((id, r.code.context("a registered code")?))
}

/// Registers the data of every corpus product `(product, supplier)`; the codes by product.
pub async fn register_corpora(
    store: &Store,
    admin: &Actor,
    reviewer: &Actor,
    corpora: &[(String, String)],
) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for (n, (product, supplier)) in corpora.iter().enumerate() {
        let p = quan_store::ops::catalogue::get_product(store, admin, product).await?;
        let s = quan_store::ops::catalogue::get_supplier(store, admin, supplier).await?;
        let holder = party("supplier", Some(supplier), &s.name);
        let input = resource(
            &p.name,
            "人工智能语料",
            150_000 + n as i64 * 40_000,
            holder,
            party("supplier", Some(supplier), &s.name),
        );
        let (_, code) = register(store, admin, reviewer, &input, "2025-08-01")
            .await
            .with_context(|| format!("registering corpus {product}"))?;
        out.insert(product.clone(), code);
    }
    Ok(out)
}

pub struct DataWorld<'a> {
    pub admin: &'a Actor,
    pub reviewer: &'a Actor,
    /// The demo enterprise: a data holder and the province's authorized data operator.
    pub operator: &'a str,
    pub operator_name: &'a str,
    pub ents: &'a [String],
}

/// Registrations in the states the corpus round did not reach, and the authorization hub.
pub async fn seed_data(store: &Store, w: &DataWorld<'_>) -> Result<()> {
    let op = party("enterprise", Some(w.operator), w.operator_name);
    let own = |name: &str, cat: &str, n| {
        resource(
            name,
            cat,
            n,
            party("enterprise", Some(w.operator), w.operator_name),
            party("enterprise", Some(w.operator), w.operator_name),
        )
    };
    // In every state of the workflow, as the demo's today (2026-11-23) sees them.
    apply(
        store,
        w.admin,
        &own("园区能耗监测数据", "工业制造", 80_000),
        "2026-11-20",
    )
    .await?;
    let a = apply(
        store,
        w.admin,
        &own("供应链订单数据", "商贸流通", 230_000),
        "2026-11-10",
    )
    .await?;
    step(
        store,
        w.reviewer,
        &a,
        RegistrationStep::Accept,
        "2026-11-12",
    )
    .await?;
    let r = apply(
        store,
        w.admin,
        &own("客服对话记录", "人工智能语料", 60_000),
        "2026-11-05",
    )
    .await?;
    step(
        store,
        w.reviewer,
        &r,
        RegistrationStep::Return {
            reason: "未说明个人信息去标识化方法，请补充安全措施".into(),
        },
        "2026-11-08",
    )
    .await?;
    let n = apply(
        store,
        w.admin,
        &own("智能制造质检图像", "工业制造", 410_000),
        "2026-11-16",
    )
    .await?;
    step(
        store,
        w.reviewer,
        &n,
        RegistrationStep::Accept,
        "2026-11-17",
    )
    .await?;
    step(store, w.reviewer, &n, RegistrationStep::Pass, "2026-11-18").await?;
    let x = apply(
        store,
        w.admin,
        &own("外购企业名录数据", "商贸流通", 90_000),
        "2026-09-01",
    )
    .await?;
    step(
        store,
        w.reviewer,
        &x,
        RegistrationStep::Accept,
        "2026-09-02",
    )
    .await?;
    step(store, w.reviewer, &x, RegistrationStep::Pass, "2026-09-02").await?;
    let now = Now::at(day("2026-09-05"));
    let o = tx!(store, |tx| reg::object(
        &mut tx,
        w.admin,
        &x,
        "数据来源于第三方采购，持有权属证明不足",
        &now
    )
    .await)?;
    tx!(store, |tx| reg::resolve_objection(
        &mut tx,
        w.reviewer,
        &o.id,
        true,
        "异议成立：持有方无法证明合法来源",
        &now
    )
    .await)?;
    // A change (the original superseded), a cancellation, and one that expired.
    let (_, code) = register(
        store,
        w.admin,
        w.reviewer,
        &own("物流轨迹数据", "交通运输", 500_000),
        "2025-03-03",
    )
    .await?;
    let mut change = own("物流轨迹数据", "交通运输", 720_000);
    change.kind = Some("change".into());
    change.original_code = Some(code);
    change.reason = Some("新增 2025 年下半年轨迹，记录数更新".into());
    register(store, w.admin, w.reviewer, &change, "2026-02-02").await?;
    let (_, gone) = register(
        store,
        w.admin,
        w.reviewer,
        &own("旧版门店客流数据", "商贸流通", 40_000),
        "2025-04-01",
    )
    .await?;
    let mut cancel = own("旧版门店客流数据", "商贸流通", 40_000);
    cancel.kind = Some("cancellation".into());
    cancel.original_code = Some(gone);
    cancel.reason = Some("业务停止，数据不再维护".into());
    let c = apply(store, w.admin, &cancel, "2026-06-01").await?;
    step(
        store,
        w.reviewer,
        &c,
        RegistrationStep::Accept,
        "2026-06-02",
    )
    .await?;
    step(store, w.reviewer, &c, RegistrationStep::Pass, "2026-06-03").await?;
    register(
        store,
        w.admin,
        w.reviewer,
        &own("2022 年度设备台账", "工业制造", 12_000),
        "2023-01-09",
    )
    .await?;
    let now = Now::at(day("2026-11-23"));
    tx!(store, |tx| reg::expire_due(&mut tx, &now).await)?;
    // Public data of the province, operated by the demo enterprise.
    let province = party("public_body", None, "山东省大数据局");
    let (_, transport) = register(
        store,
        w.admin,
        w.reviewer,
        &resource(
            "全省公共交通运行数据",
            "交通运输",
            3_600_000,
            province.clone(),
            op.clone(),
        ),
        "2026-01-05",
    )
    .await?;
    let (_, health) = register(
        store,
        w.admin,
        w.reviewer,
        &resource(
            "全省医疗机构服务数据",
            "医疗健康",
            1_900_000,
            province,
            op.clone(),
        ),
        "2026-01-05",
    )
    .await?;
    seed_hub(store, w, &transport, &health).await
}

fn grant(
    level: &str,
    parent: Option<&str>,
    name: &str,
    w: &DataWorld<'_>,
    fields: &[&str],
    resources: &[&str],
    until: &str,
) -> AuthorizationInput {
    AuthorizationInput {
        level: level.into(),
        data_class: None,
        parent_id: parent.map(Into::into),
        name: name.into(),
        authority: Some("山东省大数据局".into()),
        operator_id: w.operator.into(),
        purpose: format!("{name}（授权运营，演示）"),
        fields: fields.iter().map(|s| s.to_string()).collect(),
        resources: resources.iter().map(|s| s.to_string()).collect(),
        recipients: vec!["经备案的数据产品使用方".into()],
        valid_from: "2026-02-01".into(),
        valid_until: until.into(),
    }
}

async fn seed_hub(store: &Store, w: &DataWorld<'_>, transport: &str, health: &str) -> Result<()> {
    let t = &Now::at(day("2026-02-01"));
    let create = |i: AuthorizationInput| async move {
        let r: Result<quan_domain::DataAuthorization> =
            Ok(tx!(store, |tx| hub::create_authorization(
                &mut tx, w.admin, &i, t
            )
            .await)?);
        r
    };
    let all = [
        "route.id",
        "route.stops",
        "ridership.daily",
        "vehicle.position",
        "clinic.id",
        "clinic.services",
        "clinic.visits",
    ];
    let overall = create(grant(
        "overall",
        None,
        "全省公共数据授权运营",
        w,
        &all,
        &[transport, health],
        "2030-12-31",
    ))
    .await?;
    let traffic = create(grant(
        "sub_domain",
        Some(&overall.id),
        "交通运输领域",
        w,
        &all[..4],
        &[transport],
        "2029-12-31",
    ))
    .await?;
    let medical = create(grant(
        "sub_domain",
        Some(&overall.id),
        "医疗健康领域",
        w,
        &all[4..],
        &[health],
        "2029-12-31",
    ))
    .await?;
    let s1 = create(grant(
        "scenario",
        Some(&traffic.id),
        "公交线网优化模型训练",
        w,
        &["route.id", "route.stops", "ridership.daily"],
        &[transport],
        "2027-12-31",
    ))
    .await?;
    create(grant(
        "scenario",
        Some(&medical.id),
        "基层医疗资源配置分析",
        w,
        &["clinic.id", "clinic.services"],
        &[health],
        "2027-06-30",
    ))
    .await?;
    let dropped = create(grant(
        "scenario",
        Some(&traffic.id),
        "车辆实时位置商业推送",
        w,
        &["vehicle.position"],
        &[transport],
        "2027-12-31",
    ))
    .await?;
    let now = Now::at(day("2026-05-10"));
    tx!(store, |tx| hub::revoke_authorization(
        &mut tx,
        w.admin,
        &dropped.id,
        "场景超出最小必要范围，停止授权",
        &now
    )
    .await)?;
    let mut personal = grant(
        "scenario",
        None,
        "智能客服个性化应答",
        w,
        &["user.nickname", "user.phone", "order.history"],
        &[],
        "2027-12-31",
    );
    personal.data_class = Some("personal".into());
    let personal = create(personal).await?;
    let mut legal = grant(
        "scenario",
        None,
        "企业信用画像（供应链金融）",
        w,
        &["enterprise.name", "tax.annual_revenue", "invoice.count"],
        &[],
        "2027-12-31",
    );
    legal.data_class = Some("legal_person".into());
    let legal = create(legal).await?;
    let operator = Actor {
        user_id: "seed-operator".into(),
        username: "enterprise".into(),
        role: quan_store::Role::Enterprise,
        enterprise_id: Some(w.operator.into()),
        supplier_id: None,
    };
    let mut consents = Vec::new();
    for n in 0..120 {
        let i = ConsentInput {
            scenario_id: personal.id.clone(),
            subject_kind: "natural_person".into(),
            subject_id: Some(format!("p-{:08x}", 0x5d00_0000u32 + n * 7919)),
            fields: (n % 3 == 0).then(|| vec!["user.nickname".into(), "order.history".into()]),
            expires_at: "2027-06-30".into(),
        };
        let at = Now::at(day("2026-03-01") + chrono::Duration::days(i64::from(n % 200)));
        consents.push(tx!(store, |tx| consents::grant_consent(
            &mut tx, &operator, &i, &at
        )
        .await)?);
    }
    for e in w.ents.iter().take(12) {
        let i = ConsentInput {
            scenario_id: legal.id.clone(),
            subject_kind: "legal_person".into(),
            subject_id: Some(e.clone()),
            fields: None,
            expires_at: "2027-12-31".into(),
        };
        tx!(store, |tx| consents::grant_consent(
            &mut tx,
            w.admin,
            &i,
            &t_at("2026-04-01")
        )
        .await)?;
    }
    for c in consents.iter().step_by(10) {
        tx!(store, |tx| consents::revoke_consent(
            &mut tx,
            &operator,
            &c.id,
            &t_at("2026-09-15")
        )
        .await)?;
    }
    // Checks the operator ran: each yes is a use.
    for (k, c) in consents.iter().enumerate().take(60) {
        let i = CheckInput {
            scenario_id: personal.id.clone(),
            operator_id: None,
            fields: vec!["user.nickname".into()],
            subject_kind: Some("natural_person".into()),
            subject_id: Some(c.subject_id.clone()),
            resource: None,
        };
        tx!(store, |tx| data_check::check(
            &mut tx,
            &operator,
            &i,
            &t_at(if k % 2 == 0 {
                "2026-08-01"
            } else {
                "2026-10-01"
            })
        )
        .await)?;
    }
    for d in ["2026-06-01", "2026-07-01", "2026-08-01"] {
        let i = CheckInput {
            scenario_id: s1.id.clone(),
            operator_id: None,
            fields: vec!["route.id".into(), "ridership.daily".into()],
            subject_kind: None,
            subject_id: None,
            resource: Some(transport.into()),
        };
        tx!(store, |tx| data_check::check(
            &mut tx,
            &operator,
            &i,
            &t_at(d)
        )
        .await)?;
    }
    let item = |name: &str, description: &str| DisclosedItem {
        name: name.into(),
        description: description.into(),
    };
    let d = DisclosureInput {
        operator_id: None,
        year: 2026,
        products: vec![
            item(
                "公交客流预测 API",
                "基于全省公共交通运行数据的线路客流日预测",
            ),
            item("基层医疗资源地图", "按县区汇总的医疗机构服务能力"),
        ],
        fees: vec![
            item("API 调用", "0.05 元/次，政府部门公益使用免费"),
            item("定制分析报告", "2 万元/份起"),
        ],
    };
    tx!(store, |tx| data_check::publish_disclosure(
        &mut tx,
        &operator,
        &d,
        &t_at("2026-11-20")
    )
    .await)?;
    Ok(())
}

fn t_at(s: &str) -> Now {
    Now::at(day(s))
}
