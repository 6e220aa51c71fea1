use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use multiprover_core::anchor::{TeeRegistry, TrustAnchor, ANCHOR_VERSION};
use multiprover_core::{
    genesis_tree, Address, Family, GenesisAccount, Policy, Profile, SystemId, Tier,
};
use rand::RngCore;
use serde::Deserialize;

use crate::error::CliError;
use crate::parse_system;
use crate::systems::{available, AnyProver, Secrets};
use crate::util::{now_unix, read_json, spinner, write_file};

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
    /// Policy: `default` (the standard value-at-risk tiers, trimmed to the systems present) or
    /// `all` (every configured system must agree, whatever the value at risk).
    #[arg(long, value_enum, default_value_t = PolicyChoice::Default)]
    pub policy: PolicyChoice,
    /// Print nothing but the JSON result.
    #[arg(long)]
    pub json: bool,
}

/// The policy a new anchor gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PolicyChoice {
    /// Value-at-risk tiers.
    Default,
    /// All configured systems.
    All,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GenesisFile {
    accounts: Vec<GenesisAccount>,
}

/// The default policy (`Policy::default_tiers`), trimmed to what the configured systems can meet.
pub fn policy_for(systems: &[SystemId]) -> Policy {
    let mut p = Policy::default_tiers();
    let n = systems.len().max(1) as u8;
    for t in &mut p.tiers {
        t.min_systems = t.min_systems.min(n);
        t.required_families
            .retain(|f: &Family| systems.iter().any(|s| s.is_in(*f)));
    }
    // Merge neighbouring tiers that ask the same after trimming.
    let mut merged: Vec<Tier> = Vec::new();
    for t in p.tiers {
        match merged.last_mut() {
            Some(last)
                if last.min_systems == t.min_systems
                    && last.required_families == t.required_families =>
            {
                last.below = t.below;
            }
            _ => merged.push(t),
        }
    }
    p.tiers = merged;
    p
}

pub fn secrets_path(anchor: &Path) -> PathBuf {
    let mut s = anchor.as_os_str().to_owned();
    s.push(".secrets.json");
    PathBuf::from(s)
}

/// Build the anchor and the secrets; returns (anchor, secrets).
pub fn make_keys(a: &KeysArgs) -> Result<(TrustAnchor, Secrets), CliError> {
    let profile = Profile {
        depth: a.depth,
        capacity: a.capacity,
    };
    profile.validate()?;
    let genesis = match &a.genesis {
        Some(p) => read_json::<GenesisFile>(p)?.accounts,
        None => (1..=a.accounts)
            .map(|i| GenesisAccount {
                index: i,
                balance: a.balance,
            })
            .collect(),
    };
    let tree = genesis_tree(profile.depth, &genesis)?;
    let systems: Vec<SystemId> = if a.systems.is_empty() {
        available()
    } else {
        a.systems.clone()
    };
    if let Some(f) = a.faulty {
        if !systems.contains(&f) {
            return Err(CliError::Usage(format!(
                "--faulty {f}: {f} is not among the systems"
            )));
        }
    }
    let mut rng = rand::thread_rng();
    let mut tee_seed = [0u8; 32];
    rng.fill_bytes(&mut tee_seed);
    let mut council = [0u8; 32];
    rng.fill_bytes(&mut council);
    let council_key = k256::ecdsa::SigningKey::from_slice(&council)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let secrets = Secrets {
        tee_seed: Some(hex::encode(tee_seed)),
        tee_instance: Some(1),
        council_key: Some(hex::encode(council)),
    };
    let now = now_unix();
    let keys: Vec<Result<(multiprover_core::SystemKey, f64), CliError>> =
        std::thread::scope(|scope| {
            let handles: Vec<_> = systems
                .iter()
                .map(|s| {
                    let secrets = &secrets;
                    let faulty = a.faulty == Some(*s) && *s != SystemId::Tee;
                    scope.spawn(move || {
                        let t = Instant::now();
                        let p = AnyProver::setup(*s, profile, faulty, secrets)?;
                        Ok((p.system_key(), t.elapsed().as_secs_f64()))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(CliError::Usage("key generation panicked".into())))
                })
                .collect()
        });
    let mut system_keys = Vec::new();
    for (s, k) in systems.iter().zip(keys) {
        let (key, secs) = k?;
        if !a.json {
            eprintln!("  {s:8} verifying key {} ({:.1} s)", key.vk_id, secs);
        }
        system_keys.push(key);
    }
    let mut tee = TeeRegistry::default();
    #[cfg(feature = "tee")]
    if systems.contains(&SystemId::Tee) {
        let enclave = multiprover_tee::Enclave::new(profile, tee_seed);
        tee.measurements.push(multiprover_tee::measurement(profile));
        // Registered for a year; production would check a DCAP quote here.
        tee.instances.push(enclave.registration(
            1,
            now.saturating_sub(3600),
            now + 365 * 24 * 3600,
        ));
    }
    let _ = now;
    let anchor = TrustAnchor {
        version: ANCHOR_VERSION,
        chain_id: a.chain_id,
        profile,
        genesis_root: tree.root(),
        genesis,
        policy: match a.policy {
            PolicyChoice::Default => policy_for(&systems),
            PolicyChoice::All => Policy {
                tiers: vec![Tier {
                    below: None,
                    min_systems: systems.len() as u8,
                    required_families: vec![],
                }],
                quarantined: vec![],
            },
        },
        systems: system_keys,
        tee,
        council: Address::from_public_key(council_key.verifying_key()),
    };
    anchor.validate()?;
    Ok((anchor, secrets))
}

pub fn write_keys(out: &Path, anchor: &TrustAnchor, secrets: &Secrets) -> Result<(), CliError> {
    write_file(out, anchor.to_json_pretty().as_bytes())?;
    let sp = secrets_path(out);
    write_file(
        &sp,
        serde_json::to_string_pretty(secrets)
            .unwrap_or_default()
            .as_bytes(),
    )?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&sp, std::fs::Permissions::from_mode(0o600));
    }
    Ok(())
}

pub fn run(a: KeysArgs) -> Result<ExitCode, CliError> {
    let pb = spinner("generating verifying keys", a.json);
    let (anchor, secrets) = make_keys(&a)?;
    pb.finish_and_clear();
    write_keys(&a.out, &anchor, &secrets)?;
    println!(
        "{}",
        serde_json::json!({"genesis_root": anchor.genesis_root, "anchor_hash": anchor.hash()})
    );
    Ok(ExitCode::SUCCESS)
}
