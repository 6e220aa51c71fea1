#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

use std::path::PathBuf;

use multiprover_core::anchor::ANCHOR_VERSION;
use multiprover_core::proposal::address_of_secret;
pub use multiprover_core::schnorr::SecretKey;
use multiprover_core::settlement::BatchState;
use multiprover_core::{
    apply_batch_for, genesis_tree, Address, Batch, BatchWitness, CoreError, Digest, GenesisAccount,
    Policy, Profile, ProposalSignature, Settlement, SparseMerkleTree, StatementVersion, SystemId,
    SystemKey, TeeRegistry, Transfer, TrustAnchor,
};
use rand::{Rng, SeedableRng};

pub mod fixture;
pub mod regen;

/// The fixture time: an explicit "now" inside the fixture enclave's registration window
/// (2027-01-15; the window is 2023-11-14 .. 2100-01-01).
pub const NOW: u64 = 1_800_000_000;

/// The chain id of the fixture scenario.
pub const CHAIN_ID: u64 = 7;

/// The balance of each genesis account of the fixture scenario.
pub const GENESIS_BALANCE: u64 = 1_000_000;

/// The secret key of the fixture sequencer (what every test anchor pins as its sequencer).
pub const SEQUENCER_SECRET: [u8; 32] = [0x5e; 32];

/// The address of [`SEQUENCER_SECRET`].
pub fn sequencer() -> Address {
    address_of_secret(&SEQUENCER_SECRET).expect("the fixture sequencer key is valid")
}

/// The fixture sequencer's signature of `batch` as the next batch of `settlement`, at
/// `timestamp`.
pub fn sign_next(settlement: &Settlement, batch: &Batch, timestamp: u64) -> ProposalSignature {
    settlement
        .next_proposal(batch, timestamp)
        .and_then(|p| p.sign(&settlement.anchor_hash(), &SEQUENCER_SECRET))
        .map(|sp| sp.signature)
        .unwrap_or(ProposalSignature([0; 65]))
}

/// The fixture sequencer's signature of `batch` on the pre root `pre_root` at `timestamp`,
/// under `anchor` (what a published batch record carries).
pub fn sign_proposal(
    anchor: &TrustAnchor,
    batch: &Batch,
    pre_root: Digest,
    timestamp: u64,
) -> ProposalSignature {
    sign_proposal_with(&SEQUENCER_SECRET, anchor, batch, pre_root, timestamp)
}

/// [`sign_proposal`] with another secret key (tests of signatures that must be refused).
pub fn sign_proposal_with(
    secret: &[u8; 32],
    anchor: &TrustAnchor,
    batch: &Batch,
    pre_root: Digest,
    timestamp: u64,
) -> ProposalSignature {
    let proposal = multiprover_core::Proposal {
        chain_id: batch.chain_id,
        batch_number: batch.batch_number,
        pre_root,
        batch_hash: anchor
            .batch_hash(batch)
            .expect("a batch within the capacity"),
        timestamp,
    };
    proposal
        .sign(&anchor.hash(), secret)
        .expect("a valid secret key")
        .signature
}

/// Propose `batch` to `settlement` signed by the fixture sequencer at [`NOW`].
pub fn propose_signed(
    settlement: &mut Settlement,
    batch: Batch,
    claimed_post_root: Digest,
) -> Result<&BatchState, CoreError> {
    let sig = sign_next(settlement, &batch, NOW);
    settlement.propose(batch, claimed_post_root, NOW, Some(&sig))
}

/// The repository's root directory (where `Cargo.toml`, `testdata/` and `fuzz/` are).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A transfer, shorter.
pub const fn transfer(from: u32, to: u32, amount: u64, nonce: u32) -> Transfer {
    Transfer::new(from, to, amount, nonce)
}

/// The one scenario every committed fixture was made from: a profile, chain 7, accounts
/// 1..=4 with 1,000,000 each, and batch 1 = [1→2 amount 100, 3→4 amount 5], both at nonce 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// The profile (depth and capacity).
    pub profile: Profile,
    /// The chain id.
    pub chain_id: u64,
    /// The funded genesis accounts.
    pub genesis: Vec<GenesisAccount>,
    /// Batches 1, 2, … in order.
    pub batches: Vec<Batch>,
    /// The statement version the batches follow.
    pub version: StatementVersion,
}

/// The deterministic Schnorr key of account `index` in the statement-v2 scenario:
/// `SecretKey::from_seed("multiprover-testkit-account-<index>")`.
pub fn account_key(index: u32) -> SecretKey {
    SecretKey::from_seed(format!("multiprover-testkit-account-{index}").as_bytes())
}

impl Scenario {
    /// The scenario of the committed fixtures: the small profile (D = 8, T = 2).
    pub fn small() -> Self {
        Self::in_profile(Profile::SMALL)
    }

    /// The same genesis and batch 1 in another profile.
    pub fn in_profile(profile: Profile) -> Self {
        Scenario {
            profile,
            chain_id: CHAIN_ID,
            genesis: (1..=4)
                .map(|index| GenesisAccount::new(index, GENESIS_BALANCE))
                .collect(),
            batches: vec![Batch {
                chain_id: CHAIN_ID,
                batch_number: 1,
                transfers: vec![transfer(1, 2, 100, 0), transfer(3, 4, 5, 0)],
            }],
            version: StatementVersion::V1,
        }
    }

    /// The statement-v2 scenario in the small profile: accounts 1..=4 own
    /// [`account_key`]`(i)` with 1,000,000 each, and batch 1 = [1→2 amount 100 (to 2's key),
    /// 3→5 amount 5 (account 5 has no key: the payment gives it `account_key(5)`)], each
    /// signed by its sender.
    pub fn small_v2() -> Self {
        Self::v2_in_profile(Profile::SMALL)
    }

    /// [`Scenario::small_v2`] in another profile.
    pub fn v2_in_profile(profile: Profile) -> Self {
        let pk = |i: u32| account_key(i).public_key().encoding();
        let signed = |t: Transfer, to_pk| {
            Transfer { to_pk, ..t }
                .signed(CHAIN_ID, &account_key(t.from))
                .expect("canonical transfer")
        };
        Scenario {
            profile,
            chain_id: CHAIN_ID,
            genesis: (1..=4)
                .map(|index| GenesisAccount::with_key(index, GENESIS_BALANCE, pk(index)))
                .collect(),
            batches: vec![Batch {
                chain_id: CHAIN_ID,
                batch_number: 1,
                transfers: vec![
                    signed(transfer(1, 2, 100, 0), pk(2)),
                    signed(transfer(3, 5, 5, 0), pk(5)),
                ],
            }],
            version: StatementVersion::V2,
        }
    }

    /// The same scenario with each genesis account holding `balance` instead (suites that
    /// move large amounts).
    pub fn with_balance(mut self, balance: u64) -> Self {
        for a in &mut self.genesis {
            a.balance = balance;
        }
        self
    }

    /// The genesis state tree.
    pub fn genesis_tree(&self) -> SparseMerkleTree {
        genesis_tree(self.profile.depth, &self.genesis).expect("the scenario's genesis is valid")
    }

    /// Batch `n` (numbered from 1).
    pub fn batch(&self, n: u64) -> &Batch {
        &self.batches[(n - 1) as usize]
    }

    /// The state after batches `1..=n` and the witness of batch `n`, by the reference STF.
    pub fn state_and_witness(&self, n: u64) -> (SparseMerkleTree, BatchWitness) {
        let mut tree = self.genesis_tree();
        let mut last = None;
        for b in &self.batches[..n as usize] {
            last = Some(
                apply_batch_for(&mut tree, b, self.profile, self.version)
                    .expect("valid scenario batch"),
            );
        }
        (tree, last.expect("n >= 1"))
    }

    /// The reference STF's witness of batch `n`.
    pub fn witness(&self, n: u64) -> BatchWitness {
        self.state_and_witness(n).1
    }

    /// A trust anchor for this scenario pinning `systems` (and `tee` for the TEE), with the
    /// default policy tiers, a zero council address and the fixture [`sequencer`].
    pub fn anchor(&self, systems: Vec<SystemKey>, tee: TeeRegistry) -> TrustAnchor {
        TrustAnchor {
            version: ANCHOR_VERSION,
            chain_id: self.chain_id,
            profile: self.profile,
            statement_version: self.version,
            genesis_root: self.genesis_tree().root(),
            genesis: self.genesis.clone(),
            policy: Policy::default_tiers(),
            systems,
            tee,
            council: Address::ZERO,
            sequencer: sequencer(),
        }
    }

    /// The anchor with the committed fixture keys of `systems` (and the fixture enclave
    /// registry when the TEE is one of them).
    pub fn fixture_anchor(&self, systems: &[SystemId]) -> TrustAnchor {
        let tee = if systems.contains(&SystemId::Tee) {
            fixture::tee_registry()
        } else {
            TeeRegistry::default()
        };
        self.anchor(systems.iter().map(|s| fixture::key(*s)).collect(), tee)
    }
}

/// Replay `batches` (numbered 1, 2, … in order) from the anchor's genesis with the reference
/// STF: the final state and each batch's witness. Panics on a batch the STF refuses.
pub fn replay(anchor: &TrustAnchor, batches: &[Batch]) -> (SparseMerkleTree, Vec<BatchWitness>) {
    let mut tree =
        genesis_tree(anchor.profile.depth, &anchor.genesis).expect("the anchor's genesis");
    let witnesses = batches
        .iter()
        .enumerate()
        .map(|(i, b)| {
            assert_eq!(
                b.batch_number,
                i as u64 + 1,
                "batches must be 1, 2, … in order"
            );
            anchor
                .apply(&mut tree, b)
                .unwrap_or_else(|e| panic!("batch {} is invalid: {e}", b.batch_number))
        })
        .collect();
    (tree, witnesses)
}

pub use multiprover_core::sample::BatchShape;

/// `n` random valid batches from the anchor's genesis (core's
/// [`multiprover_core::sample::random_batches`]), reproducible from `seed`.
pub fn random_batches(anchor: &TrustAnchor, n: u64, shape: BatchShape, seed: u64) -> Vec<Batch> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut below = |m: u64| rng.gen_range(0..m.max(1));
    multiprover_core::sample::random_batches(anchor, n, shape, &mut below)
        .expect("the anchor's genesis funds at least two accounts")
}

/// The environment variable through which native processes share halo2's IPA params.
pub const HALO2_PARAMS_DIR_ENV: &str = "MULTIPROVER_HALO2_PARAMS_DIR";

/// The directory where this process shares halo2's params: `$MULTIPROVER_HALO2_PARAMS_DIR`,
/// or, when it is unset, `<workspace>/target/halo2-params`, which this sets it to (once per
/// process, before any params are computed), so that a plain `cargo test` computes the
/// params once for every test process instead of once in each.
pub fn share_halo2_params() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| match std::env::var_os(HALO2_PARAMS_DIR_ENV) {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => {
            let d = workspace_root().join("target/halo2-params");
            std::env::set_var(HALO2_PARAMS_DIR_ENV, &d);
            d
        }
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_batches_are_valid_and_reproducible() {
        let anchor = Scenario::small().anchor(vec![], TeeRegistry::default());
        for shape in [BatchShape::Random, BatchShape::Full, BatchShape::Large] {
            let a = random_batches(&anchor, 5, shape, 1);
            assert_eq!(a, random_batches(&anchor, 5, shape, 1));
            replay(&anchor, &a);
            if shape == BatchShape::Full {
                assert!(a.iter().all(|b| b.transfers.len() == 2));
            }
        }
    }
}
