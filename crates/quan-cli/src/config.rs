//! Configuration: an optional TOML file, overridden by QUAN_* environment variables and flags
//! (clap reads the environment for each flag).
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

pub const DEFAULT_DB: &str = "quan.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub db: Option<String>,
    pub listen: Option<String>,
    pub web_dir: Option<String>,
    pub max_connections: Option<u32>,
    pub session_hours: Option<i64>,
    /// Seconds the public dashboard is served from memory (default 5; 0 computes every request).
    pub public_cache_seconds: Option<u64>,
}

impl Config {
    pub fn load(path: Option<&Path>) -> Result<Config> {
        match path {
            None => Ok(Config::default()),
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("reading config {}", p.display()))?;
                toml::from_str(&text).with_context(|| format!("parsing config {}", p.display()))
            }
        }
    }
}
