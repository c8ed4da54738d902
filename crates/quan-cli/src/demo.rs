use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use rand::SeedableRng;

use crate::config::Config;
use crate::seed::{seed_demo, DEMO_PASSWORD, DEMO_TODAY};
use crate::serve::{open_store, serve_store, ServeArgs};

#[derive(Args)]
pub struct DemoArgs {
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// SQLite file for the demo; it is recreated on every start.
    #[arg(long, default_value = "quan-demo.db")]
    pub db: PathBuf,
    #[arg(long, default_value_t = 2000)]
    pub enterprises: usize,
    /// Do not build the web front end even if it is missing.
    #[arg(long)]
    pub no_web_build: bool,
    #[arg(long, env = "QUAN_WEB_DIR")]
    pub web_dir: Option<PathBuf>,
}

fn web_root() -> PathBuf {
    let here = PathBuf::from("web");
    if here.join("package.json").exists() {
        here
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web")
    }
}

/// Builds the web front end with npm when `web/dist` is missing.
pub fn ensure_web_built(root: &Path) -> Result<()> {
    if root.join("dist/index.html").exists() || !root.join("package.json").exists() {
        return Ok(());
    }
    let npm = |args: &[&str]| -> Result<()> {
        eprintln!("building the web front end: npm {}", args.join(" "));
        let st = std::process::Command::new("npm")
            .args(args)
            .current_dir(root)
            .status()
            .context("running npm (is Node.js installed?)")?;
        anyhow::ensure!(st.success(), "npm {} failed", args.join(" "));
        Ok(())
    };
    if !root.join("node_modules").exists() {
        npm(&["ci", "--no-audit", "--no-fund"])?;
    }
    npm(&["run", "build"])
}

pub async fn run(a: DemoArgs) -> Result<()> {
    let root = web_root();
    if !a.no_web_build {
        if let Err(e) = ensure_web_built(&root) {
            eprintln!("warning: {e:#}; serving the API only");
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", a.db.display()));
        if p.exists() {
            std::fs::remove_file(&p)
                .with_context(|| format!("removing old demo database {}", p.display()))?;
        }
    }
    let cfg = Config::default();
    let db = a.db.to_string_lossy().to_string();
    let store = open_store(&db, &cfg, true).await?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let t = std::time::Instant::now();
    seed_demo(&store, a.enterprises, &mut rng).await?;
    eprintln!("seeded in {:.1}s", t.elapsed().as_secs_f64());
    // The demo's audit signing key, beside its database (a deployment keeps its own elsewhere).
    let key_file = PathBuf::from(format!("{}.audit-key", a.db.display()));
    if !key_file.exists() {
        crate::audit_cmd::write_new_key(&key_file)?;
    }
    let args = ServeArgs {
        db: Some(db),
        listen: Some(a.listen.clone()),
        web_dir: a.web_dir.clone().or_else(|| Some(root.join("dist"))),
        test_clock: true,
        sqlite_relaxed: false,
        tick_seconds: 60,
        today: Some(DEMO_TODAY.into()),
        audit_key: Some(key_file),
        usage_stream: None,
    };
    let today = chrono::NaiveDate::parse_from_str(DEMO_TODAY, "%Y-%m-%d").expect("demo date");
    serve_store(store, args, &cfg, move |addr| {
        println!("\nQuan demo running at http://{addr}/");
        println!(
            "Logins (password {DEMO_PASSWORD}): admin, reviewer, auditor, enterprise, supplier"
        );
        println!("Demo date: {today} (the data is dated up to it). Stop with Ctrl-C.\n");
    })
    .await
}
