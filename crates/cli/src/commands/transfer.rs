use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use multiprover_core::ecgfp5::GFp5;
use multiprover_core::schnorr::PublicKey;
use multiprover_core::{StatementVersion, Transfer};
use multiprover_node::client::Client;

use crate::commands::account::read_key_file;
use crate::error::CliError;

#[derive(Args, Debug)]
pub struct TransferArgs {
    /// The node (its sequencer queues the transfer for the next batch).
    #[arg(long)]
    pub node: String,
    /// Sender account index.
    #[arg(long)]
    pub from: u32,
    /// Receiver account index.
    #[arg(long)]
    pub to: u32,
    /// Amount.
    #[arg(long)]
    pub amount: u64,
    /// The sender's key file (`account new`, `account export`).
    #[arg(long)]
    pub key: PathBuf,
    /// The receiver's key (0x hex of its 40-byte encoding): required when the receiver has
    /// no key yet (it gets this one); otherwise it must be the receiver's key.
    #[arg(long)]
    pub to_pk: Option<String>,
}

fn parse_pk(s: &str) -> Result<GFp5, CliError> {
    let bad = |why: &str| CliError::Usage(format!("--to-pk: {why}"));
    let raw = hex::decode(s.trim_start_matches("0x")).map_err(|_| bad("not hex"))?;
    let raw: [u8; 40] = raw.try_into().map_err(|_| bad("not 40 bytes"))?;
    let pk = PublicKey::from_le_bytes(&raw).map_err(|e| bad(&e.to_string()))?;
    Ok(pk.encoding())
}

pub fn run(a: TransferArgs) -> Result<ExitCode, CliError> {
    let key = read_key_file(&a.key)?;
    let given = a.to_pk.as_deref().map(parse_pk).transpose()?;
    let client = Client::new(&a.node);
    let anchor = client.anchor()?;
    if anchor.statement_version != StatementVersion::V2 {
        return Err(CliError::Usage(format!(
            "the node's anchor pins statement {}: signed transfers need v2",
            anchor.statement_version
        )));
    }
    let sender = client.account(a.from)?;
    if sender.pending.pk != key.public_key().encoding() {
        return Err(CliError::Usage(format!(
            "{} is not the key of account {}",
            a.key.display(),
            a.from
        )));
    }
    // The receiver's key as the next batch will see it (a first payment still pending
    // counts).
    let receiver = client.account(a.to)?.pending.pk;
    let to_pk = match (receiver.is_zero(), given) {
        (false, None) => receiver,
        (false, Some(pk)) if pk == receiver => receiver,
        (false, Some(_)) => {
            return Err(CliError::Usage(format!(
                "--to-pk is not account {}'s key {}",
                a.to,
                serde_json::to_value(receiver).unwrap_or_default()
            )))
        }
        (true, Some(pk)) => pk,
        (true, None) => {
            return Err(CliError::Usage(format!(
                "account {} has no key yet: pass --to-pk (its owner's `account show`)",
                a.to
            )))
        }
    };
    let nonce = u32::try_from(sender.pending.nonce)
        .map_err(|_| CliError::Usage(format!("account {}'s nonce overflows", a.from)))?;
    let mut t = Transfer::new(a.from, a.to, a.amount, nonce);
    t.to_pk = to_pk;
    let t = t.signed(anchor.chain_id, &key)?;
    let answer = client.submit_transfer(&t)?;
    println!("{answer}");
    Ok(ExitCode::SUCCESS)
}
