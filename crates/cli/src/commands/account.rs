use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use multiprover_core::schnorr::SecretKey;
use rand::RngCore;

use crate::error::CliError;
use crate::keygen::secrets_path;
use crate::systems::Secrets;
use crate::util::{read_bytes, read_json};

#[derive(Args, Debug)]
pub struct AccountArgs {
    #[command(subcommand)]
    pub command: AccountCommand,
}

#[derive(Subcommand, Debug)]
pub enum AccountCommand {
    /// Generate a Schnorr (EcGFp5) key and write it to a new key file (mode 0600 from
    /// creation; an existing file is never overwritten). Prints {"pk", "key_file"}.
    ///
    /// Example: multiprover account new --out alice.key
    New {
        /// The key file to create.
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the public key of a key file: {"pk", "key_file"}.
    ///
    /// Example: multiprover account show --key alice.key
    Show {
        /// The key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// Write the key of genesis account INDEX, kept in an anchor's secrets file (statement
    /// v2 anchors made by `keys`/`devnet`), to a new key file (mode 0600).
    ///
    /// Example: multiprover account export --anchor .devnet/anchor.json --index 1 --out one.key
    Export {
        /// The anchor whose secrets file (<anchor>.secrets.json) holds the key.
        #[arg(long)]
        anchor: PathBuf,
        /// The genesis account.
        #[arg(long)]
        index: u32,
        /// The key file to create.
        #[arg(long)]
        out: PathBuf,
    },
}

/// A key file: the secret scalar (40 bytes little-endian, hex) and, for reading by eye, the
/// public key it gives (checked when the file is read).
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    secret_key: String,
    pk: multiprover_core::ecgfp5::GFp5,
}

/// Write `key` to a new file at `path`, readable by its owner only from the moment it exists.
pub fn write_key_file(path: &Path, key: &SecretKey) -> Result<(), CliError> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, e))?;
        }
    }
    let body = KeyFile {
        secret_key: hex::encode(key.to_le_bytes()),
        pk: key.public_key().encoding(),
    };
    let text = serde_json::to_string_pretty(&body).unwrap_or_default();
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| CliError::io(path, e))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.write_all(b"\n"))
        .and_then(|()| f.sync_all())
        .map_err(|e| CliError::io(path, e))
}

/// Read a key file written by [`write_key_file`]; its `pk` must be the secret's.
pub fn read_key_file(path: &Path) -> Result<SecretKey, CliError> {
    let bytes = read_bytes(path)?;
    let f: KeyFile = serde_json::from_slice(&bytes).map_err(|e| CliError::json(path, e))?;
    let bad = |why: &str| CliError::Usage(format!("{}: {why}", path.display()));
    let raw = hex::decode(f.secret_key.trim_start_matches("0x"))
        .map_err(|_| bad("secret_key is not hex"))?;
    let raw: [u8; 40] = raw
        .try_into()
        .map_err(|_| bad("secret_key is not 40 bytes"))?;
    let key = SecretKey::from_le_bytes(&raw).map_err(|_| bad("secret_key is not a scalar"))?;
    if key.public_key().encoding() != f.pk {
        return Err(bad("pk is not the public key of secret_key"));
    }
    Ok(key)
}

fn print_key(key: &SecretKey, path: &Path) {
    println!(
        "{}",
        serde_json::json!({"pk": key.public_key().encoding(), "key_file": path.display().to_string()})
    );
}

pub fn run(a: AccountArgs) -> Result<ExitCode, CliError> {
    match a.command {
        AccountCommand::New { out } => {
            let mut seed = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut seed);
            let key = SecretKey::from_seed(&seed);
            write_key_file(&out, &key)?;
            print_key(&key, &out);
        }
        AccountCommand::Show { key } => print_key(&read_key_file(&key)?, &key),
        AccountCommand::Export { anchor, index, out } => {
            let sp = secrets_path(&anchor);
            let secrets: Secrets = read_json(&sp)?;
            let key = secrets.account_key(index).ok_or_else(|| {
                CliError::Usage(format!("{} holds no key of account {index}", sp.display()))
            })?;
            write_key_file(&out, &key)?;
            print_key(&key, &out);
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_is_0600_from_creation_and_round_trips() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/k.key");
        let key = SecretKey::from_seed(b"round trip");
        write_key_file(&path, &key).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(read_key_file(&path).unwrap(), key);
        // Never overwritten.
        let other = SecretKey::from_seed(b"other");
        assert!(matches!(
            write_key_file(&path, &other),
            Err(CliError::Io { .. })
        ));
        assert_eq!(read_key_file(&path).unwrap(), key);
    }

    #[test]
    fn a_key_file_whose_pk_is_not_its_secrets_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = SecretKey::from_seed(b"a");
        let b = SecretKey::from_seed(b"b");
        let path = dir.path().join("mixed.key");
        let mixed = serde_json::json!({
            "secret_key": hex::encode(a.to_le_bytes()),
            "pk": b.public_key().encoding(),
        });
        std::fs::write(&path, mixed.to_string()).unwrap();
        assert!(matches!(read_key_file(&path), Err(CliError::Usage(_))));
        std::fs::write(&path, r#"{"secret_key": "00", "pk": "0x00"}"#).unwrap();
        assert!(read_key_file(&path).is_err());
    }
}
