//! The web's API types are generated from `web/src/api/openapi.json`; this test fails when the
//! server's OpenAPI document drifts from that file. `UPDATE_OPENAPI=1 cargo test -p quan-api
//! --test openapi_snapshot` rewrites it (then `npm --prefix web run gen:api` regenerates types).
use std::path::PathBuf;

#[test]
fn committed_openapi_matches_the_server() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web/src/api/openapi.json");
    let now = quan_api::openapi::document_json();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &now).expect("write openapi.json");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == now,
        "web/src/api/openapi.json is out of date with the server; run \
         UPDATE_OPENAPI=1 cargo test -p quan-api --test openapi_snapshot && npm --prefix web run gen:api"
    );
}
