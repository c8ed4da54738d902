//! The router: `/api/v1/*`, `/openapi.json`, `/healthz`, and the web front end at `/`.
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::error::ApiError;
use crate::routes::*;
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/auth/login", post(session::login))
        .route("/auth/logout", post(session::logout))
        .route("/auth/password", post(session::change_password))
        .route("/me", get(session::me))
        .route("/me/todos", get(session::todos))
        .route("/public/cities", get(public::cities))
        .route("/public/dashboard", get(public::dashboard))
        .route("/public/metering-live", get(public::metering_live))
        .route("/public/selected-products", get(public::selected_products))
        .route("/public/notices", get(public::notices))
        .route(
            "/enterprises",
            get(enterprises::list).post(enterprises::create),
        )
        .route(
            "/enterprises/{id}",
            get(enterprises::get_one).patch(enterprises::patch),
        )
        .route(
            "/suppliers",
            get(catalogue::list_suppliers).post(catalogue::create_supplier),
        )
        .route(
            "/suppliers/{id}",
            get(catalogue::get_supplier).patch(catalogue::patch_supplier),
        )
        .route(
            "/products",
            get(catalogue::list_products).post(catalogue::create_product),
        )
        .route(
            "/products/{id}",
            get(catalogue::get_product).patch(catalogue::patch_product),
        )
        .route(
            "/funding-sources",
            get(programs::list_sources).post(programs::create_source),
        )
        .route("/programs", get(programs::list).post(programs::create))
        .route(
            "/programs/{id}",
            get(programs::get_one).patch(programs::patch),
        )
        .route("/programs/{id}/budget", get(programs::budget))
        .route("/programs/{id}/forecast", get(programs::forecast))
        .route("/programs/{id}/what-if", post(programs::what_if))
        .route(
            "/programs/{id}/what-if/runs",
            post(programs::start_what_if_run),
        )
        .route("/what-if-runs/{run}", get(programs::what_if_run))
        .route(
            "/programs/{id}/eligible-products",
            get(programs::list_eligible).post(programs::add_eligible),
        )
        .route(
            "/programs/{id}/eligible-products/{product_id}",
            delete(programs::remove_eligible),
        )
        .route(
            "/applications",
            get(applications::list).post(applications::create),
        )
        .route("/applications/{id}", get(applications::get_one))
        .route("/applications/{id}/review", post(applications::review))
        .route("/applications/{id}/objections", post(applications::object))
        .route("/applications/{id}/issue", post(applications::issue))
        .route("/objections/{id}/resolve", post(applications::resolve))
        .route("/vouchers", get(money::list_vouchers))
        .route("/vouchers/{id}", get(money::get_voucher))
        .route("/vouchers/{id}/expire", post(money::expire_voucher))
        .route("/vouchers/{id}/acceptance", post(money::acceptance))
        .route(
            "/redemptions",
            get(money::list_redemptions).post(money::redeem),
        )
        .route("/redemptions/preview", post(money::preview_redemption))
        .route("/redemptions/{id}", get(money::get_redemption))
        .route("/redemptions/{id}/clawback", post(money::clawback))
        .route("/redemptions/{id}/release", post(money::release))
        .route(
            "/settlements",
            get(money::list_settlements).post(money::run_settlement),
        )
        .route("/settlements/{id}", get(money::get_settlement))
        .route(
            "/settlements/{id}/statement.csv",
            get(payouts::settlement_csv),
        )
        .route(
            "/settlements/{id}/statement.xlsx",
            get(payouts::settlement_xlsx),
        )
        .route(
            "/reimbursements",
            get(payouts::list_reimbursements).post(payouts::run_reimbursement),
        )
        .route("/reimbursements/{id}", get(payouts::get_reimbursement))
        .route(
            "/reimbursements/{id}/statement.csv",
            get(payouts::reimbursement_csv),
        )
        .route(
            "/reimbursements/{id}/statement.xlsx",
            get(payouts::reimbursement_xlsx),
        )
        .route(
            "/contracts",
            get(payouts::list_contracts).post(payouts::create_contract),
        )
        .route("/contracts/{id}", get(payouts::get_contract))
        .route(
            "/selection-rounds",
            get(selection::list_rounds).post(selection::create_round),
        )
        .route("/selection-rounds/{id}", get(selection::get_round))
        .route(
            "/selection-rounds/{id}/experts",
            post(selection::add_expert),
        )
        .route(
            "/selection-rounds/{id}/entries",
            get(selection::list_entries).post(selection::enter),
        )
        .route(
            "/selection-rounds/{id}/assignments",
            post(selection::assign),
        )
        .route(
            "/selection-rounds/{id}/close-panel",
            post(selection::close_panel),
        )
        .route("/selection-rounds/{id}/publish", post(selection::publish))
        .route(
            "/selection-rounds/{id}/take-effect",
            post(selection::take_effect),
        )
        .route(
            "/selection-rounds/{id}/objections",
            get(selection::list_objections),
        )
        .route("/selection-entries/{id}", get(selection::get_entry))
        .route("/selection-entries/{id}/scores", post(selection::score))
        .route("/selection-entries/{id}/recuse", post(selection::recuse))
        .route(
            "/selection-entries/{id}/objections",
            post(selection::object),
        )
        .route(
            "/selection-objections/{id}/resolve",
            post(selection::resolve_objection),
        )
        .route("/public/selections", get(selection::public_selections))
        .route(
            "/data-registrations",
            get(data::list_registrations).post(data::apply),
        )
        .route("/data-registrations/{id}", get(data::get_registration))
        .route(
            "/data-registrations/{id}/accept",
            post(data::accept_registration),
        )
        .route(
            "/data-registrations/{id}/return",
            post(data::return_registration),
        )
        .route(
            "/data-registrations/{id}/resubmit",
            post(data::resubmit_registration),
        )
        .route(
            "/data-registrations/{id}/pass",
            post(data::pass_registration),
        )
        .route(
            "/data-registrations/{id}/reject",
            post(data::reject_registration),
        )
        .route(
            "/data-registrations/{id}/register",
            post(data::register_registration),
        )
        .route(
            "/data-registrations/{id}/objections",
            post(data::object_registration),
        )
        .route(
            "/data-registration-objections/{id}/resolve",
            post(data::resolve_registration_objection),
        )
        .route("/public/registrations", get(data::public_registrations))
        .route("/public/vouchers/{number}", get(public::verify_voucher))
        .route("/public/policy-targets", get(targets::list))
        .route("/public/compute-capacity", get(compute::capacity))
        .route("/compute-sites", get(compute::list).post(compute::register))
        .route(
            "/policy-targets/{id}/figures",
            get(targets::history).post(targets::enter),
        )
        .route(
            "/public/registrations/{code}",
            get(data::verify_registration),
        )
        .route(
            "/data-authorizations",
            get(data::list_authorizations).post(data::create_authorization),
        )
        .route("/data-authorizations/{id}", get(data::get_authorization))
        .route(
            "/data-authorizations/{id}/revoke",
            post(data::revoke_authorization),
        )
        .route(
            "/data-consents",
            get(data::list_consents).post(data::grant_consent),
        )
        .route("/data-consents/{id}", get(data::get_consent))
        .route("/data-consents/{id}/revoke", post(data::revoke_consent))
        .route("/data-consents/{id}/receipt", get(data::consent_receipt))
        .route("/data-check", post(data::check))
        .route("/data-disclosures", post(data::publish_disclosure))
        .route("/public/data-disclosures", get(data::public_disclosures))
        .route(
            "/usage",
            get(usage::list)
                .post(usage::ingest)
                .layer(DefaultBodyLimit::max(USAGE_BODY_LIMIT_BYTES)),
        )
        .route("/usage/summary", get(usage::summary))
        .route(
            "/suppliers/{id}/usage-keys",
            get(usage::list_keys).post(usage::register_key),
        )
        .route("/audit", get(admin::audit_list))
        .route("/audit/verify", get(admin::audit_verify))
        .route("/users", get(admin::list_users).post(admin::create_user))
        .route("/admin/clock", post(admin::set_clock))
        .route("/admin/tick", post(admin::tick))
        .route("/admin/unlock", post(admin::unlock))
        .route("/admin/audit/checkpoint", post(admin::audit_checkpoint))
        .route("/public/audit/checkpoint", get(public::audit_checkpoint))
        .route("/public/clock", get(public::clock))
        .route("/admin/login-locks", get(admin::login_locks))
        .route("/programs/{id}/close", post(programs::close))
        .route(
            "/funding-sources/{id}/top-ups",
            get(programs::list_top_ups).post(programs::top_up),
        )
        .route("/held-payments", get(integrity::held_payments))
        .route(
            "/dishonesty-list",
            get(integrity::list_dishonesty).post(integrity::add_dishonesty),
        )
        .route(
            "/dishonesty-list/{id}/lift",
            post(integrity::lift_dishonesty),
        )
        .route(
            "/enterprises/{id}/change-requests",
            post(integrity::request_change),
        )
        .route("/enterprises/{id}/history", get(enterprises::file_history))
        .route("/enterprise-change-requests", get(integrity::list_changes))
        .route(
            "/enterprise-change-requests/{id}/decide",
            post(integrity::decide_change),
        )
        .fallback(|| async { ApiError::not_found("endpoint") })
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(axum::middleware::from_fn(path_text_policy));

    let mut app = Router::new()
        .nest("/api/v1", api)
        .route("/openapi.json", get(crate::openapi::serve))
        .route("/healthz", get(|| async { "ok" }));
    app = match &state.config.web_dir {
        Some(dir) if dir.join("index.html").exists() => {
            let index = dir.join("index.html");
            app.fallback_service(
                tower_http::services::ServeDir::new(dir)
                    .fallback(tower_http::services::ServeFile::new(index)),
            )
        }
        _ => app.fallback(|| async { no_front_end() }),
    };
    app.with_state(state)
        .layer(axum::middleware::from_fn(cache_policy))
        // gzip or brotli as the client accepts; tiny bodies and already-compressed types are left alone.
        .layer(tower_http::compression::CompressionLayer::new().gzip(true).br(true))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"),
        ))
        .layer(TraceLayer::new_for_http())
}

/// Vite names built assets by content hash (`/assets/index-3f9a…js`): they never change, so they
/// are cached for a year; the HTML entry and everything else is revalidated every time, so a new
/// release is picked up at once.
async fn cache_policy(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let hashed = req.uri().path().starts_with("/assets/");
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    if !res.headers().contains_key(header::CACHE_CONTROL) && res.status().is_success() {
        let value = match (hashed, api) {
            (true, _) => "public, max-age=31536000, immutable",
            (false, true) => "no-store",
            (false, false) => "no-cache",
        };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

/// Path segments (ids) pass the text policy before any handler sees them: a NUL or a control
/// in an id is a 400 naming `path`, never a database error.
async fn path_text_policy(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let decoded = percent_encoding::percent_decode_str(req.uri().path()).decode_utf8();
    let checked = match decoded {
        Ok(p) => quan_domain::check_text("path", &p, quan_domain::TextKind::Line)
            .map(|_| ())
            .map_err(ApiError::from),
        Err(_) => Err(ApiError::bad_request(
            "invalid_text",
            Some("path"),
            "path: is not valid UTF-8 once percent-decoded",
        )),
    };
    match checked {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

fn no_front_end() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<h1>Quan</h1><p>The web front end is not built. Run <code>npm --prefix web ci && npm --prefix web run build</code>, or use <code>quan demo</code>. The API is at <a href=\"/openapi.json\">/openapi.json</a>.</p>",
    )
        .into_response()
}
