//! Building a trust anchor and its secrets: the domain half of `multiprover keys`, also used by
//! `devnet` and by the benchmark harness (crates/bench).

use std::path::{Path, PathBuf};
use std::time::Instant;

use multiprover_core::anchor::{TeeRegistry, TrustAnchor, ANCHOR_VERSION};
use multiprover_core::schnorr::SecretKey;
use multiprover_core::{
    genesis_tree, Address, Family, GenesisAccount, Policy, Profile, StatementVersion, SystemId,
    Tier,
};
use rand::RngCore;

use multiprover_core::proposal::address_of_secret;

use crate::error::CliError;
use crate::systems::{available, AnyProver, Secrets};
use crate::util::{now_unix, write_file};

/// The policy a new anchor gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PolicyChoice {
    /// Value-at-risk tiers.
    Default,
    /// All configured systems.
    All,
}

/// What a new trust anchor holds.
#[derive(Clone, Debug)]
pub struct KeyConfig {
    /// Chain id.
    pub chain_id: u64,
    /// Tree depth and batch capacity.
    pub profile: Profile,
    /// The statement version the anchor pins (v2: the genesis accounts get keys, kept in the
    /// secrets file).
    pub statement_version: StatementVersion,
    /// The funded accounts of the genesis.
    pub genesis: Vec<GenesisAccount>,
    /// Systems to include (empty: every system this binary has).
    pub systems: Vec<SystemId>,
    /// Pin this system's deliberately unsound key (needs `demo-faults`).
    pub faulty: Option<SystemId>,
    /// The anchor's policy.
    pub policy: PolicyChoice,
    /// Print nothing on stderr.
    pub quiet: bool,
}

impl KeyConfig {
    /// Chain 7, accounts `1..=accounts` funded with `balance` each, the default policy, every
    /// system compiled in, no faulty system.
    pub fn funded(profile: Profile, accounts: u32, balance: u64) -> KeyConfig {
        KeyConfig {
            chain_id: 7,
            profile,
            statement_version: StatementVersion::V1,
            genesis: funded_accounts(accounts, balance),
            systems: Vec::new(),
            faulty: None,
            policy: PolicyChoice::Default,
            quiet: false,
        }
    }
}

/// Accounts `1..=n`, each with `balance`.
pub fn funded_accounts(n: u32, balance: u64) -> Vec<GenesisAccount> {
    (1..=n)
        .map(|index| GenesisAccount::new(index, balance))
        .collect()
}

/// The default policy (DESIGN.md §5), trimmed to what the configured systems can meet.
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

/// Where the secrets of the anchor at `anchor` live: `<anchor>.secrets.json`.
pub fn secrets_path(anchor: &Path) -> PathBuf {
    let mut s = anchor.as_os_str().to_owned();
    s.push(".secrets.json");
    PathBuf::from(s)
}

/// Where the sequencer's key of the anchor at `anchor` lives: `<anchor>.sequencer.key`.
pub fn sequencer_key_path(anchor: &Path) -> PathBuf {
    let mut s = anchor.as_os_str().to_owned();
    s.push(".sequencer.key");
    PathBuf::from(s)
}

/// Read a sequencer key file: 32 bytes as hex (0x optional, surrounding whitespace ignored).
pub fn read_sequencer_key(path: &Path) -> Result<[u8; 32], CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))?;
    crate::systems::parse_seed(text.trim())
        .map_err(|_| CliError::Usage(format!("{}: not a 32-byte hex key", path.display())))
}

/// Build the anchor and the secrets with a new sequencer key; returns (anchor, secrets).
pub fn make_keys(c: &KeyConfig) -> Result<(TrustAnchor, Secrets), CliError> {
    make_keys_with(c, None)
}

/// [`make_keys`] pinning the sequencer key `sequencer` (`None`: a new random one), which the
/// secrets carry (never into the secrets file).
pub fn make_keys_with(
    c: &KeyConfig,
    sequencer: Option<[u8; 32]>,
) -> Result<(TrustAnchor, Secrets), CliError> {
    let profile = c.profile;
    profile.validate()?;
    let mut genesis = c.genesis.clone();
    let mut account_keys = std::collections::BTreeMap::new();
    if c.statement_version == StatementVersion::V2 {
        // Statement v2: every genesis account owns a key; its secret goes to the secrets file.
        for a in genesis.iter_mut().filter(|a| a.pk.is_zero()) {
            let mut seed = [0u8; 32];
            rand::thread_rng().fill_bytes(&mut seed);
            let sk = SecretKey::from_seed(&seed);
            a.pk = sk.public_key().encoding();
            account_keys.insert(a.index, hex::encode(sk.to_le_bytes()));
        }
    }
    let tree = genesis_tree(profile.depth, &genesis)?;
    let systems: Vec<SystemId> = if c.systems.is_empty() {
        available()
    } else {
        c.systems.clone()
    };
    if let Some(f) = c.faulty {
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
    let sequencer = match sequencer {
        Some(k) => k,
        None => loop {
            let mut k = [0u8; 32];
            rng.fill_bytes(&mut k);
            if address_of_secret(&k).is_ok() {
                break k;
            }
        },
    };
    let sequencer_address = address_of_secret(&sequencer)?;
    let secrets = Secrets {
        tee_seed: Some(hex::encode(tee_seed)),
        tee_instance: Some(1),
        council_key: Some(hex::encode(council)),
        accounts: account_keys,
        sequencer_key: Some(sequencer),
    };
    let now = now_unix();
    let keys: Vec<Result<(multiprover_core::SystemKey, f64), CliError>> =
        std::thread::scope(|scope| {
            let handles: Vec<_> = systems
                .iter()
                .map(|s| {
                    let secrets = &secrets;
                    let faulty = c.faulty == Some(*s) && *s != SystemId::Tee;
                    scope.spawn(move || {
                        let t = Instant::now();
                        let p =
                            AnyProver::setup(*s, profile, c.statement_version, faulty, secrets)?;
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
        if !c.quiet {
            eprintln!("  {s:8} verifying key {} ({:.1} s)", key.vk_id, secs);
        }
        system_keys.push(key);
    }
    let tee = if systems.contains(&SystemId::Tee) {
        tee_registry(profile, c.statement_version, tee_seed, now)
    } else {
        TeeRegistry::default()
    };
    let anchor = TrustAnchor {
        version: ANCHOR_VERSION,
        chain_id: c.chain_id,
        profile,
        statement_version: c.statement_version,
        genesis_root: tree.root(),
        genesis,
        policy: match c.policy {
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
        sequencer: sequencer_address,
    };
    anchor.validate()?;
    Ok((anchor, secrets))
}

/// The registry of the simulated enclave of `seed`: its measurement, and instance 1 registered
/// for a year from an hour ago (production would check a DCAP quote first).
#[cfg(feature = "tee")]
fn tee_registry(
    profile: Profile,
    version: StatementVersion,
    seed: [u8; 32],
    now: u64,
) -> TeeRegistry {
    let enclave = multiprover_tee::Enclave::for_version(profile, version, seed);
    TeeRegistry {
        measurements: vec![enclave.measurement()],
        instances: vec![enclave.registration(1, now.saturating_sub(3600), now + 365 * 24 * 3600)],
    }
}

/// Without the TEE compiled in, `--systems` cannot name it, so no registry is needed.
#[cfg(not(feature = "tee"))]
fn tee_registry(
    _profile: Profile,
    _version: StatementVersion,
    _seed: [u8; 32],
    _now: u64,
) -> TeeRegistry {
    TeeRegistry::default()
}

/// Write the anchor to `out`, the secrets beside it and the sequencer key (if the secrets
/// carry one) to [`sequencer_key_path`]; both secret files are created with mode 0600 on
/// Unix ([`write_secret_file`]).
pub fn write_keys(out: &Path, anchor: &TrustAnchor, secrets: &Secrets) -> Result<(), CliError> {
    write_keys_to(out, anchor, secrets, &sequencer_key_path(out))
}

/// [`write_keys`] with the sequencer key written to `sequencer_key`.
pub fn write_keys_to(
    out: &Path,
    anchor: &TrustAnchor,
    secrets: &Secrets,
    sequencer_key: &Path,
) -> Result<(), CliError> {
    write_file(out, anchor.to_json_pretty().as_bytes())?;
    write_secret_file(
        &secrets_path(out),
        serde_json::to_string_pretty(secrets)
            .unwrap_or_default()
            .as_bytes(),
    )?;
    if let Some(k) = secrets.sequencer_key {
        write_secret_file(sequencer_key, format!("0x{}\n", hex::encode(k)).as_bytes())?;
    }
    Ok(())
}

/// Write a secret: an existing file is removed first and the new one is created with mode
/// 0600 on Unix (never readable by others, not even between creation and a later chmod).
pub fn write_secret_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, e))?;
        }
    }
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(CliError::io(path, e)),
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| CliError::io(path, e))?;
    f.write_all(bytes).map_err(|e| CliError::io(path, e))?;
    f.sync_all().map_err(|e| CliError::io(path, e))
}
