use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use multiprover_core::{GenesisAccount, Profile, SystemId};
use serde::Deserialize;

use crate::error::CliError;
use crate::keygen::{
    funded_accounts, make_keys_with, read_sequencer_key, sequencer_key_path, write_keys_to,
    KeyConfig, PolicyChoice,
};
use crate::parse_system;
use crate::util::{read_json, spinner};

#[derive(Args, Debug, Clone)]
pub struct KeysArgs {
    /// Where to write the trust anchor (secrets go to <out>.secrets.json).
    #[arg(long)]
    pub out: PathBuf,
    /// Chain id.
    #[arg(long, default_value_t = 7)]
    pub chain_id: u64,
    /// Tree depth D.
    #[arg(long, default_value_t = 20)]
    pub depth: u8,
    /// Batch capacity T.
    #[arg(long, default_value_t = 8)]
    pub capacity: u32,
    /// Fund accounts 1..=N with --balance each.
    #[arg(long, default_value_t = 16, conflicts_with = "genesis")]
    pub accounts: u32,
    /// Starting balance of each funded account.
    #[arg(long, default_value_t = 1_000_000_000_000)]
    pub balance: u64,
    /// Genesis JSON: {"accounts": [{"index", "balance"}]}.
    #[arg(long)]
    pub genesis: Option<PathBuf>,
    /// Systems to include (default: every system this binary has).
    #[arg(long, value_delimiter = ',', value_parser = parse_system)]
    pub systems: Vec<SystemId>,
    /// Pin SYSTEM's deliberately unsound key (demo of the conflict path; needs demo-faults).
    #[arg(long, value_parser = parse_system)]
    pub faulty: Option<SystemId>,
    /// Statement version the anchor pins: 1 (unsigned transfers; every system) or 2 (signed
    /// transfers; the genesis accounts get keys, kept in the secrets file; only systems that
    /// prove v2 can be pinned: today the tee).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub statement_version: u8,
    /// Policy: `default` (DESIGN.md §5 tiers, trimmed to the systems present) or `all`
    /// (every configured system must agree, whatever the value at risk).
    #[arg(long, value_enum, default_value_t = PolicyChoice::Default)]
    pub policy: PolicyChoice,
    /// The sequencer's key file, whose address the anchor pins as the only proposer: an
    /// existing file is used as it is, else a new key is generated into it (mode 0600).
    /// Default: <out>.sequencer.key.
    #[arg(long)]
    pub sequencer_key: Option<PathBuf>,
    /// Print nothing but the JSON result.
    #[arg(long)]
    pub json: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GenesisFile {
    accounts: Vec<GenesisAccount>,
}

impl KeysArgs {
    /// The anchor these arguments ask for (reads the `--genesis` file, if any).
    pub fn key_config(&self) -> Result<KeyConfig, CliError> {
        let profile = Profile {
            depth: self.depth,
            capacity: self.capacity,
        };
        profile.validate()?;
        let genesis = match &self.genesis {
            Some(p) => read_json::<GenesisFile>(p)?.accounts,
            None => funded_accounts(self.accounts, self.balance),
        };
        Ok(KeyConfig {
            chain_id: self.chain_id,
            profile,
            statement_version: crate::statement_version(self.statement_version)?,
            genesis,
            systems: self.systems.clone(),
            faulty: self.faulty,
            policy: self.policy,
            quiet: self.json,
        })
    }
}

pub fn run(a: KeysArgs) -> Result<ExitCode, CliError> {
    let key_path = a
        .sequencer_key
        .clone()
        .unwrap_or_else(|| sequencer_key_path(&a.out));
    let existing = if a.sequencer_key.is_some() && key_path.exists() {
        Some(read_sequencer_key(&key_path)?)
    } else {
        None
    };
    let pb = spinner("generating verifying keys", a.json);
    let (anchor, mut secrets) = make_keys_with(&a.key_config()?, existing)?;
    pb.finish_and_clear();
    if existing.is_some() {
        // Pinned from the file as it is: nothing to write.
        secrets.sequencer_key = None;
    }
    write_keys_to(&a.out, &anchor, &secrets, &key_path)?;
    println!(
        "{}",
        serde_json::json!({
            "genesis_root": anchor.genesis_root,
            "anchor_hash": anchor.hash(),
            "sequencer": anchor.sequencer,
            "sequencer_key": key_path,
        })
    );
    Ok(ExitCode::SUCCESS)
}
