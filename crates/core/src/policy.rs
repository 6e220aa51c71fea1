//! Finality policy (docs/spec.md, "Policy and settlement"): data, not code.

use alloc::format;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::hash::Digest;
use crate::system::{Family, SystemId};

/// One value-at-risk tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// The tier applies when the value at risk is below this bound (exclusive);
    /// `None` = no upper bound (must be the last tier).
    pub below: Option<u128>,
    /// Minimum number of distinct agreeing systems.
    pub min_systems: u8,
    /// Families that must each be represented among the agreeing systems.
    pub required_families: Vec<Family>,
}

/// The policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Tiers, by increasing `below`; the last must be unbounded.
    pub tiers: Vec<Tier>,
    /// Systems whose proofs do not count (and cannot cause a conflict).
    pub quarantined: Vec<SystemId>,
}

/// The policy's verdict on a batch given the valid proofs so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Decision {
    /// Enough distinct systems agree on `root`.
    Final {
        /// The agreed post root.
        root: Digest,
        /// The systems that proved it.
        systems: Vec<SystemId>,
    },
    /// Not enough yet.
    Pending {
        /// Configured, non-quarantined systems that have not proven the batch yet.
        missing: Vec<SystemId>,
        /// Families still required.
        missing_families: Vec<Family>,
        /// Distinct agreeing systems required.
        need: u8,
        /// Distinct agreeing systems so far.
        have: u8,
    },
    /// Two valid proofs for different post roots: the batch halts.
    Conflict {
        /// Each proven root with the systems that proved it.
        roots: Vec<(Digest, Vec<SystemId>)>,
    },
}

impl Decision {
    /// Whether this is `Final`.
    pub fn is_final(&self) -> bool {
        matches!(self, Decision::Final { .. })
    }
}

impl Policy {
    /// The default tiers: below 10^6 two systems with a `zk` one; below 10^9 three with a
    /// `hash-based` one; above, all four.
    pub fn default_tiers() -> Policy {
        Policy {
            tiers: alloc::vec![
                Tier {
                    below: Some(1_000_000),
                    min_systems: 2,
                    required_families: alloc::vec![Family::Zk]
                },
                Tier {
                    below: Some(1_000_000_000),
                    min_systems: 3,
                    required_families: alloc::vec![Family::Zk, Family::HashBased]
                },
                Tier {
                    below: None,
                    min_systems: 4,
                    required_families: alloc::vec![Family::Zk, Family::HashBased, Family::Tee]
                },
            ],
            quarantined: Vec::new(),
        }
    }

    /// Tiers ordered and bounded, the last unbounded, `min_systems` in 1..=4.
    pub fn validate(&self) -> Result<(), CoreError> {
        if self.tiers.is_empty() {
            return Err(CoreError::BadPolicy("no tiers".into()));
        }
        let mut prev: Option<u128> = None;
        for (i, t) in self.tiers.iter().enumerate() {
            if t.min_systems == 0 || t.min_systems as usize > SystemId::ALL.len() {
                return Err(CoreError::BadPolicy(format!(
                    "tier {i}: min_systems must be 1..=4"
                )));
            }
            let last = i + 1 == self.tiers.len();
            match (t.below, last) {
                (None, false) => {
                    return Err(CoreError::BadPolicy(format!(
                        "tier {i}: only the last tier may be unbounded"
                    )))
                }
                (Some(_), true) => {
                    return Err(CoreError::BadPolicy(
                        "the last tier must be unbounded".into(),
                    ))
                }
                (Some(b), false) => {
                    if prev.is_some_and(|p| b <= p) {
                        return Err(CoreError::BadPolicy(format!(
                            "tier {i}: bounds must increase"
                        )));
                    }
                    prev = Some(b);
                }
                (None, true) => {}
            }
        }
        Ok(())
    }

    /// The tier for a value at risk.
    pub fn tier(&self, value_at_risk: u128) -> &Tier {
        self.tiers
            .iter()
            .find(|t| t.below.is_none_or(|b| value_at_risk < b))
            .unwrap_or_else(|| &self.tiers[self.tiers.len() - 1])
    }

    /// Decide a batch from the valid proofs `(system, proven post root)` so far.
    /// Proofs by quarantined systems are ignored; `configured` lists the systems the anchor
    /// has keys for.
    pub fn decide(
        &self,
        value_at_risk: u128,
        proofs: &[(SystemId, Digest)],
        configured: &[SystemId],
    ) -> Decision {
        let mut roots: Vec<(Digest, Vec<SystemId>)> = Vec::new();
        for (sys, root) in proofs {
            if self.quarantined.contains(sys) {
                continue;
            }
            match roots.iter_mut().find(|(r, _)| r == root) {
                Some((_, v)) => {
                    if !v.contains(sys) {
                        v.push(*sys);
                        v.sort();
                    }
                }
                None => roots.push((*root, alloc::vec![*sys])),
            }
        }
        if roots.len() > 1 {
            roots.sort();
            return Decision::Conflict { roots };
        }
        let tier = self.tier(value_at_risk);
        let agreeing: Vec<SystemId> = roots.first().map(|(_, v)| v.clone()).unwrap_or_default();
        let missing_families: Vec<Family> = tier
            .required_families
            .iter()
            .copied()
            .filter(|f| !agreeing.iter().any(|s| s.is_in(*f)))
            .collect();
        if agreeing.len() >= tier.min_systems as usize && missing_families.is_empty() {
            return Decision::Final {
                root: roots[0].0,
                systems: agreeing,
            };
        }
        let mut missing: Vec<SystemId> = configured
            .iter()
            .copied()
            .filter(|s| !self.quarantined.contains(s) && !agreeing.contains(s))
            .collect();
        missing.sort();
        missing.dedup();
        Decision::Pending {
            missing,
            missing_families,
            need: tier.min_systems,
            have: agreeing.len() as u8,
        }
    }
}
