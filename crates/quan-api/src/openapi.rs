//! The OpenAPI 3 document, generated from the handlers' annotations.
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::*;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Quan API", version = "1", description = "Quan runs government AI-element voucher programs. Money is integer fen (`*_fen`), rates basis points (`*_bps`)."),
    modifiers(&BearerAuth),
    paths(
        session::login, session::logout, session::change_password, session::me, session::todos,
        public::cities, public::dashboard, public::metering_live, public::verify_voucher, targets::list, targets::history, targets::enter, compute::capacity, compute::list, compute::register, public::selected_products, public::notices,
        enterprises::list, enterprises::create, enterprises::get_one, enterprises::patch, enterprises::file_history,
        catalogue::list_suppliers, catalogue::create_supplier, catalogue::get_supplier,
        catalogue::list_products, catalogue::create_product, catalogue::get_product, catalogue::patch_supplier, catalogue::patch_product,
        programs::list_sources, programs::create_source, programs::list, programs::create, programs::get_one, programs::patch,
        programs::budget, programs::forecast, programs::what_if, programs::start_what_if_run, programs::what_if_run, programs::list_eligible, programs::add_eligible, programs::remove_eligible,
        applications::list, applications::create, applications::get_one, applications::review, applications::object,
        applications::resolve, applications::issue,
        money::list_vouchers, money::get_voucher, money::expire_voucher, money::acceptance,
        money::list_redemptions, money::redeem, money::preview_redemption, money::get_redemption, money::clawback, money::release,
        money::list_settlements, money::run_settlement, money::get_settlement,
        payouts::settlement_csv, payouts::settlement_xlsx, payouts::list_reimbursements, payouts::run_reimbursement, payouts::get_reimbursement,
        payouts::reimbursement_csv, payouts::reimbursement_xlsx, payouts::list_contracts, payouts::create_contract, payouts::get_contract,
        usage::ingest, usage::list, usage::summary, usage::list_keys, usage::register_key,
        admin::audit_list, admin::audit_verify, admin::list_users, admin::create_user, admin::set_clock, admin::tick, admin::unlock, admin::login_locks, admin::audit_checkpoint, public::audit_checkpoint, public::clock,
        programs::close, programs::top_up, programs::list_top_ups,
        integrity::list_dishonesty, integrity::add_dishonesty, integrity::lift_dishonesty,
        integrity::request_change, integrity::list_changes, integrity::decide_change, integrity::held_payments,
        selection::list_rounds, selection::create_round, selection::get_round, selection::add_expert, selection::list_entries,
        selection::enter, selection::assign, selection::close_panel, selection::publish, selection::take_effect,
        selection::list_objections, selection::get_entry, selection::score, selection::recuse, selection::object,
        selection::resolve_objection, selection::public_selections,
        data::list_registrations, data::apply, data::get_registration, data::accept_registration, data::return_registration,
        data::resubmit_registration, data::pass_registration, data::reject_registration, data::register_registration,
        data::object_registration, data::resolve_registration_objection, data::public_registrations, data::verify_registration,
        data::list_authorizations, data::create_authorization, data::get_authorization, data::revoke_authorization,
        data::list_consents, data::grant_consent, data::get_consent, data::revoke_consent, data::consent_receipt,
        data::check, data::publish_disclosure, data::public_disclosures,
    )
)]
pub struct ApiDoc;

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The document as pretty JSON, ending in a newline (what `quan openapi` prints and what
/// `web/src/api/openapi.json` holds; the web's types are generated from that file).
pub fn document_json() -> String {
    let mut s = ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    s.push('\n');
    s
}
