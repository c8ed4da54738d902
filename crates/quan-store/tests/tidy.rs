//! Architecture invariants a test can check by reading the tree (see ARCHITECTURE.md):
//! - money moves only through `quan_store::ledger`: no SQL that writes `ledger_accounts` or
//!   `ledger_transfers` anywhere else;
//! - quan-store knows SQL, not HTTP: it depends on neither axum nor utoipa and derives no schema;
//! - quan-domain does no I/O: none of its dependencies can.
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// SQL that changes a ledger table, case-insensitively, with any whitespace.
fn writes_ledger(src: &str) -> Option<String> {
    let flat: String = src
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    for verb in ["insert into ", "update ", "delete from "] {
        for table in ["ledger_accounts", "ledger_transfers"] {
            let needle = format!("{verb}{table}");
            if flat.contains(&needle) {
                return Some(needle);
            }
        }
    }
    None
}

#[test]
fn money_moves_only_through_the_ledger_module() {
    let mut files = Vec::new();
    for c in ["quan-domain", "quan-store", "quan-api", "quan-cli"] {
        rust_files(&root().join("crates").join(c).join("src"), &mut files);
    }
    let ledger_dir = root()
        .join("crates/quan-store/src/ledger")
        .canonicalize()
        .unwrap();
    let allowed = [
        // The benchmark's baseline is the naive design written out on purpose (one transaction
        // per record with its own balance update, `bench_baseline.rs`), and it seeds a million
        // voucher accounts in bulk; it runs against throwaway databases only.
        root().join("crates/quan-cli/src/bench.rs"),
        root().join("crates/quan-cli/src/bench_baseline.rs"),
        // The what-if benchmark writes its history's issue postings and redemptions in bulk.
        root().join("crates/quan-cli/src/bench_whatif.rs"),
    ];
    let mut offenders = Vec::new();
    for f in files {
        let f_abs = f.canonicalize().unwrap();
        if f_abs.starts_with(&ledger_dir)
            || allowed
                .iter()
                .any(|a| a.canonicalize().ok().as_ref() == Some(&f_abs))
        {
            continue;
        }
        if let Some(what) = writes_ledger(&std::fs::read_to_string(&f).unwrap()) {
            offenders.push(format!("{}: {what}", f.display()));
        }
    }
    assert!(
        offenders.is_empty(),
        "ledger tables written outside quan_store::ledger:\n{}",
        offenders.join("\n")
    );
    // The check itself finds what it looks for.
    assert!(writes_ledger("sqlx::query(\"UPDATE\n  ledger_accounts SET balance = 0\")").is_some());
}

fn manifest(krate: &str) -> String {
    std::fs::read_to_string(root().join("crates").join(krate).join("Cargo.toml")).unwrap()
}

#[test]
fn the_store_knows_sql_not_http() {
    let m = manifest("quan-store");
    for dep in ["axum", "utoipa", "tower", "hyper"] {
        assert!(
            !m.lines().any(|l| l.trim_start().starts_with(dep)),
            "quan-store depends on {dep}"
        );
    }
    let mut files = Vec::new();
    rust_files(&root().join("crates/quan-store/src"), &mut files);
    for f in files {
        let s = std::fs::read_to_string(&f).unwrap();
        assert!(
            !s.contains("ToSchema"),
            "{} derives an OpenAPI schema",
            f.display()
        );
        assert!(!s.contains("axum"), "{} names axum", f.display());
    }
}

#[test]
fn the_domain_does_no_io() {
    let m = manifest("quan-domain");
    let deps = m
        .split("[dependencies]")
        .nth(1)
        .and_then(|s| s.split("\n[").next())
        .unwrap();
    for line in deps.lines().filter(|l| !l.trim().is_empty()) {
        let name = line.split(['=', '.', ' ']).next().unwrap().trim();
        assert!(
            [
                "serde",
                "serde_json",
                "thiserror",
                "sha2",
                "hex",
                "chrono",
                "utoipa",
                "unicode-normalization",
                "ed25519-dalek",
            ]
            .contains(&name),
            "quan-domain depends on {name}, which may do I/O"
        );
    }
    let mut files = Vec::new();
    rust_files(&root().join("crates/quan-domain/src"), &mut files);
    for f in files {
        let s = std::fs::read_to_string(&f).unwrap();
        for io in [
            "std::fs",
            "std::net",
            "Utc::now",
            "Local::now",
            "SystemTime",
            "std::env",
        ] {
            assert!(!s.contains(io), "{} uses {io}", f.display());
        }
    }
}
