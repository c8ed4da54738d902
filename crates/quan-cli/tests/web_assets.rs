//! The console's static files: hashed assets are compressed (brotli or gzip, as the browser
//! accepts) and cached for a year; the HTML entry is revalidated on every load; API answers are
//! never stored by caches.
mod common;

use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_are_compressed_and_cached_by_hash() {
    let dir = std::env::temp_dir().join(format!("quan-web-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><html lang=\"zh-CN\"><body><div id=\"root\"></div></body></html>",
    )
    .unwrap();
    // A few kilobytes of repetitive script, like a real bundle.
    let js = "export function f(a){return a+1}\n".repeat(400);
    std::fs::write(dir.join("assets/index-3f9a1c2b.js"), &js).unwrap();
    let db = TestDb::new(Backend::Sqlite, "web_assets");
    create_user(&db.url, "admin", "admin", &[]);
    let server = Server::start(&db.url, &["--web-dir", dir.to_str().unwrap()]);
    let http = reqwest::Client::new();
    let get = |path: &str, enc: &str| {
        http.get(format!("{}{path}", server.base))
            .header("accept-encoding", enc)
            .send()
    };
    let header = |r: &reqwest::Response, h: &str| {
        r.headers()
            .get(h)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    for (enc, want) in [("br", "br"), ("gzip", "gzip"), ("identity", "")] {
        let r = get("/assets/index-3f9a1c2b.js", enc).await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "content-encoding"), want, "{enc}");
        assert_eq!(
            header(&r, "cache-control"),
            "public, max-age=31536000, immutable"
        );
        let body = r.bytes().await.unwrap();
        if want.is_empty() {
            assert_eq!(body.len(), js.len());
        } else {
            assert!(
                body.len() * 10 < js.len(),
                "{enc}: {} of {} bytes",
                body.len(),
                js.len()
            );
        }
    }
    // The entry (and a client-side route that falls back to it) is revalidated.
    for path in ["/", "/admin/programs"] {
        let r = get(path, "gzip").await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(header(&r, "cache-control"), "no-cache", "{path}");
    }
    let r = get("/api/v1/public/clock", "gzip").await.unwrap();
    assert_eq!(header(&r, "cache-control"), "no-store");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
