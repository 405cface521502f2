//! The TOML config file: `[ingest]` (reader settings) and `[triage]` (engine settings).

use crate::Failure;
use apitriage_engine::EngineSettings;
use apitriage_ingest::IngestConfig;
use serde::Deserialize;
use std::path::Path;

/// The whole config file.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Reader settings.
    pub ingest: IngestConfig,
    /// Engine settings.
    pub triage: EngineSettings,
}

/// Loads the config, or the defaults when no file is given.
pub fn load(path: Option<&Path>) -> Result<Config, Failure> {
    let Some(p) = path else {
        return Ok(Config::default());
    };
    let text =
        std::fs::read_to_string(p).map_err(|e| Failure::usage(format!("{}: {e}", p.display())))?;
    toml::from_str(&text).map_err(|e| Failure::usage(format!("{}: {e}", p.display())))
}
