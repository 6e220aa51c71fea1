//! A small blocking client of the node's HTTP API, for workers, the devnet and tests.

use std::time::Duration;

use multiprover_core::proposal::address_of_secret;
use multiprover_core::{
    Address, Batch, Digest, Proposal, ProposalSignature, Statement, SystemId, Transfer,
    TrustAnchor, B256,
};
use multiprover_verifier::BatchRecord;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::Error;
use crate::state::{AccountView, BatchSummary, WorkItem};

/// Answer to a proposal.
#[derive(Clone, Debug, Deserialize)]
pub struct ProposeResponse {
    /// The batch number given.
    pub batch_number: u64,
    /// The statement the node computed.
    pub statement: Statement,
}

/// Answer to a submission.
#[derive(Clone, Debug, Deserialize)]
pub struct SubmitResponse {
    /// Batch number.
    pub batch_number: u64,
    /// System.
    pub system: SystemId,
    /// The batch's decision afterwards.
    pub decision: multiprover_core::Decision,
}

/// The sequencer's signing key, bound to one anchor (its chain, capacity, statement version and hash: the
/// EIP-712 salt of proposals).
#[derive(Clone)]
pub struct Sequencer {
    secret: [u8; 32],
    address: Address,
    anchor_hash: B256,
    capacity: u32,
    version: multiprover_core::StatementVersion,
}

impl std::fmt::Debug for Sequencer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sequencer({})", self.address)
    }
}

impl Sequencer {
    /// The key with secret `secret` for `anchor`; refused unless it is the anchor's sequencer.
    pub fn new(secret: [u8; 32], anchor: &TrustAnchor) -> Result<Sequencer, Error> {
        let address = address_of_secret(&secret)?;
        if address != anchor.sequencer {
            return Err(Error::Core(
                multiprover_core::CoreError::BadProposalSignature(
                    multiprover_core::error::ProposalFault::NotSequencer,
                ),
            ));
        }
        Ok(Sequencer::new_unchecked(secret, anchor))
    }

    /// The key with secret `secret` for `anchor`, whether or not the anchor pins it (tests of
    /// a node that must refuse it).
    pub fn new_unchecked(secret: [u8; 32], anchor: &TrustAnchor) -> Sequencer {
        Sequencer {
            secret,
            address: address_of_secret(&secret).unwrap_or(Address::ZERO),
            anchor_hash: anchor.hash(),
            capacity: anchor.profile.capacity,
            version: anchor.statement_version,
        }
    }

    /// The key's address.
    pub fn address(&self) -> Address {
        self.address
    }

    /// Sign `batch` as the batch after the head root `pre_root`, at `timestamp`.
    pub fn sign(
        &self,
        batch: &Batch,
        pre_root: Digest,
        timestamp: u64,
    ) -> Result<ProposalSignature, Error> {
        let proposal = Proposal {
            chain_id: batch.chain_id,
            batch_number: batch.batch_number,
            pre_root,
            batch_hash: batch.hash_for(self.capacity, self.version)?,
            timestamp,
        };
        Ok(proposal.sign(&self.anchor_hash, &self.secret)?.signature)
    }
}

/// The head of the node's chain, as `GET /api/status` reports it.
#[derive(Clone, Debug, Deserialize)]
pub struct Head {
    /// The last batch number (0: none yet).
    pub head: u64,
    /// The root the next batch starts from.
    pub head_root: Digest,
    /// The last batch's signed timestamp (0: none yet).
    pub head_timestamp: u64,
}

/// The client.
#[derive(Clone, Debug)]
pub struct Client {
    base: String,
    agent: ureq::Agent,
}

fn http_error(e: ureq::Error) -> Error {
    match e {
        ureq::Error::Status(status, resp) => {
            let body = resp.into_string().unwrap_or_default();
            let message = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("error").and_then(|m| m.as_str()).map(str::to_string))
                .unwrap_or(body);
            Error::Http { status, message }
        }
        other => Error::Transport(Box::new(other)),
    }
}

fn parse<T: DeserializeOwned>(r: ureq::Response) -> Result<T, Error> {
    let s = r.into_string()?;
    serde_json::from_str(&s).map_err(Error::BadAnswer)
}

impl Client {
    /// A client of the node at `base` (e.g. `http://127.0.0.1:8080/`).
    pub fn new(base: &str) -> Client {
        Client {
            base: base.trim_end_matches('/').to_string(),
            agent: ureq::AgentBuilder::new()
                .timeout_connect(Duration::from_secs(5))
                .timeout(Duration::from_secs(60))
                .build(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        parse(self.agent.get(&self.url(path)).call().map_err(http_error)?)
    }

    /// `POST /api/batches`, signed by `sequencer`: reads the head from `GET /api/status`,
    /// numbers the batch as the next one when its number is 0, and signs it on the head root
    /// at the later of this machine's clock and the head's timestamp (timestamps never
    /// decrease). A batch proposed by someone else in between makes the signature stale
    /// (403): read the head again and retry.
    pub fn propose(&self, batch: &Batch, sequencer: &Sequencer) -> Result<ProposeResponse, Error> {
        let head = self.head()?;
        let mut batch = batch.clone();
        if batch.batch_number == 0 {
            batch.batch_number = head.head + 1;
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let timestamp = now.max(head.head_timestamp);
        let signature = sequencer.sign(&batch, head.head_root, timestamp)?;
        self.propose_signed(&batch, timestamp, Some(&signature))
    }

    /// `POST /api/batches` with a given timestamp and signature (none: an unsigned proposal,
    /// which the node refuses).
    pub fn propose_signed(
        &self,
        batch: &Batch,
        timestamp: u64,
        signature: Option<&ProposalSignature>,
    ) -> Result<ProposeResponse, Error> {
        let mut body = serde_json::to_value(batch).unwrap_or_default();
        if let Some(obj) = body.as_object_mut() {
            obj.insert("timestamp".into(), timestamp.into());
            if let Some(sig) = signature {
                obj.insert("signature".into(), sig.to_hex().into());
            }
        }
        let body = body.to_string();
        parse(
            self.agent
                .post(&self.url("/api/batches"))
                .set("content-type", "application/json")
                .send_string(&body)
                .map_err(http_error)?,
        )
    }

    /// `GET /api/work?system=S`; `None` when there is nothing to do.
    pub fn work(&self, system: SystemId) -> Result<Option<WorkItem>, Error> {
        let r = self
            .agent
            .get(&self.url(&format!("/api/work?system={}", system.name())))
            .call()
            .map_err(http_error)?;
        if r.status() == 204 {
            return Ok(None);
        }
        parse(r).map(Some)
    }

    /// `POST /api/envelopes`.
    pub fn submit(&self, envelope: &[u8]) -> Result<SubmitResponse, Error> {
        parse(
            self.agent
                .post(&self.url("/api/envelopes"))
                .set("content-type", "application/octet-stream")
                .send_bytes(envelope)
                .map_err(http_error)?,
        )
    }

    /// `GET /api/batches`.
    pub fn batches(&self) -> Result<Vec<BatchSummary>, Error> {
        self.get("/api/batches")
    }

    /// `GET /api/batches/{n}`.
    pub fn record(&self, n: u64) -> Result<BatchRecord, Error> {
        let r = self
            .agent
            .get(&self.url(&format!("/api/batches/{n}")))
            .call()
            .map_err(http_error)?;
        let s = r.into_string()?;
        BatchRecord::from_json(s.as_bytes()).map_err(Error::BadRecord)
    }

    /// `GET /api/anchor`.
    pub fn anchor(&self) -> Result<TrustAnchor, Error> {
        let r = self
            .agent
            .get(&self.url("/api/anchor"))
            .call()
            .map_err(http_error)?;
        let s = r.into_string()?;
        Ok(TrustAnchor::from_json(s.as_bytes())?)
    }

    /// `POST /api/batches/{n}/resolve`: the council resolves halted batch `n` to `root`
    /// (`signature`: 65-byte `r ‖ s ‖ v` over `multiprover_core::settlement::resolution_digest`).
    /// Answers `{"batch_number", "quarantined", "status", "final_root"}`.
    pub fn resolve(
        &self,
        n: u64,
        root: multiprover_core::Digest,
        signature: &[u8],
    ) -> Result<serde_json::Value, Error> {
        let body = serde_json::json!({
            "root": root,
            "signature": format!("0x{}", hex::encode(signature)),
        });
        parse(
            self.agent
                .post(&self.url(&format!("/api/batches/{n}/resolve")))
                .set("content-type", "application/json")
                .send_string(&body.to_string())
                .map_err(http_error)?,
        )
    }

    /// `GET /api/accounts/{index}`: the account at the node's head and with the pending
    /// transfers applied.
    pub fn account(&self, index: u32) -> Result<AccountView, Error> {
        self.get(&format!("/api/accounts/{index}"))
    }

    /// `POST /api/transfers`: queue a signed transfer. Answers `{"queued", "from", "to",
    /// "amount", "nonce", "pending"}` (202); a refusal is [`Error::Http`] with the status.
    pub fn submit_transfer(&self, t: &Transfer) -> Result<serde_json::Value, Error> {
        let body = serde_json::to_string(t).unwrap_or_default();
        parse(
            self.agent
                .post(&self.url("/api/transfers"))
                .set("content-type", "application/json")
                .send_string(&body)
                .map_err(http_error)?,
        )
    }

    /// `GET /api/transfers/pending`: the pending transfers, oldest first.
    pub fn pending_transfers(&self) -> Result<Vec<Transfer>, Error> {
        #[derive(Deserialize)]
        struct Pending {
            transfers: Vec<Transfer>,
        }
        Ok(self.get::<Pending>("/api/transfers/pending")?.transfers)
    }

    /// `GET /api/status`.
    pub fn status(&self) -> Result<serde_json::Value, Error> {
        self.get("/api/status")
    }

    /// The head of the chain (from `GET /api/status`).
    pub fn head(&self) -> Result<Head, Error> {
        self.get("/api/status")
    }
}
