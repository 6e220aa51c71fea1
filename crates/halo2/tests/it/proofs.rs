//! Real keygen, segment proofs and verification for the small profile (k = 14): the test
//! matrix shared with the other systems, per envelope and per segment.

use multiprover_core::proof_system::{Classify, ErrorKind, PrecheckError};
use std::sync::OnceLock;

use crate::common::*;
use multiprover_core::{apply_batch, Batch, Digest, Envelope, Fp, SystemId, SystemKey};
use multiprover_halo2::segment::{SegmentPublic, SegmentedProof};
use multiprover_halo2::{verify, verify_many, verify_segment, Error, KeyMaterial, Prover};

fn prover() -> &'static Prover {
    static P: OnceLock<Prover> = OnceLock::new();
    P.get_or_init(|| {
        multiprover_testkit::share_halo2_params();
        let t = std::time::Instant::now();
        let p = Prover::setup(PROFILE).expect("setup");
        eprintln!("setup: {:?}", t.elapsed());
        p
    })
}

fn honest_envelope() -> &'static Envelope {
    static E: OnceLock<Envelope> = OnceLock::new();
    E.get_or_init(|| {
        let t = std::time::Instant::now();
        let e = prover().prove(&fixture_witness()).expect("prove");
        eprintln!("prove (2 segments): {:?}", t.elapsed());
        e
    })
}

fn key() -> SystemKey {
    prover().system_key()
}

fn km() -> KeyMaterial {
    KeyMaterial::from_bytes(&key().key).expect("key material")
}

fn container(e: &Envelope) -> SegmentedProof {
    SegmentedProof::from_bytes(&e.proof, PROFILE.capacity).expect("container")
}

/// `e` with its container replaced by `sp`.
fn with(e: &Envelope, sp: &SegmentedProof) -> Envelope {
    let mut e = e.clone();
    e.proof = sp.to_bytes().expect("encode");
    e
}

fn rejected(r: Result<(), Error>) -> bool {
    matches!(r, Err(Error::Rejected(_) | Error::Chain(_)))
}

#[test]
fn honest_proof_verifies_and_everything_else_is_rejected() {
    let p = prover();
    let key = key();
    let env = honest_envelope();
    assert_eq!(p.key_material().k, multiprover_halo2::k_for(PROFILE));
    let t = std::time::Instant::now();
    verify(&key, env).expect("honest proof verifies");
    eprintln!("verify (2 segments, batched): {:?}", t.elapsed());
    let decoded = Envelope::from_bytes(&env.to_bytes()).expect("decode");
    verify(&key, &decoded).expect("decoded envelope verifies");
    assert_eq!(container(env).proofs.len(), 2);

    // A changed public input.
    for i in 0..3 {
        let mut e = env.clone();
        let d = match i {
            0 => &mut e.statement.pre_root,
            1 => &mut e.statement.post_root,
            _ => &mut e.statement.batch_hash,
        };
        d.0[i] += Fp::ONE;
        assert!(rejected(verify(&key, &e)), "public input {i}");
    }
    // Cross-batch reuse: batch 1's proof presented for batch 2.
    let mut tree = fixture_genesis();
    apply_batch(&mut tree, &fixture_batch(), PROFILE).expect("batch 1");
    let batch2 = Batch {
        chain_id: CHAIN_ID,
        batch_number: 2,
        transfers: vec![tx(2, 1, 7, 0)],
    };
    let w2 = apply_batch(&mut tree, &batch2, PROFILE).expect("batch 2");
    let mut e = env.clone();
    e.statement = w2.statement;
    assert!(rejected(verify(&key, &e)));
    // The same transfers under another batch number or chain id change the batch hash.
    for (chain, number) in [(CHAIN_ID, 9), (CHAIN_ID + 1, 1)] {
        let mut tree = fixture_genesis();
        let mut b = fixture_batch();
        b.batch_number = number;
        b.chain_id = chain;
        let w = apply_batch(&mut tree, &b, PROFILE).expect("batch");
        let mut e = env.clone();
        e.statement = w.statement;
        assert!(rejected(verify(&key, &e)), "chain {chain} batch {number}");
    }

    // Wrong system, wrong vk ids, bad key material, the previous circuit version.
    let mut e = env.clone();
    e.system = SystemId::Plonky2;
    assert!(matches!(
        verify(&key, &e),
        Err(Error::Precheck(PrecheckError::WrongSystem { .. }))
    ));
    let mut e = env.clone();
    e.vk_id = multiprover_core::B256::repeat_byte(1);
    assert!(matches!(
        verify(&key, &e),
        Err(Error::Precheck(
            PrecheckError::KeyMismatch { .. } | PrecheckError::KeyIdMismatch { .. }
        ))
    ));
    for (byte, value) in [(11, key.key[11] + 1), (5, 2)] {
        let mut k2 = key.clone();
        let mut material = k2.key.to_vec();
        material[byte] = value; // k; circuit version 2 (one proof per batch, k = 17)
        k2.key = material.into();
        k2.vk_id = multiprover_halo2::vk_id(&k2.key);
        let mut e = env.clone();
        e.vk_id = k2.vk_id;
        let r = verify(&k2, &e);
        assert!(matches!(r, Err(Error::BadKey(_))), "{r:?}");
        assert_eq!(r.unwrap_err().kind(), ErrorKind::WrongKey);
    }
    for cut in 0..key.key.len() {
        let mut k3 = key.clone();
        k3.key = key.key[..cut].to_vec().into();
        k3.vk_id = multiprover_halo2::vk_id(&k3.key);
        let mut e = env.clone();
        e.vk_id = k3.vk_id;
        assert!(verify(&k3, &e).is_err());
    }
}

#[test]
fn missing_duplicated_reordered_or_changed_segments_are_rejected() {
    let key = key();
    let env = honest_envelope();
    let sp = container(env);
    // Missing: the last, the first, all.
    for keep in [0..1, 1..2, 0..0] {
        let cut = SegmentedProof {
            links: sp.links[keep.clone()].to_vec(),
            proofs: sp.proofs[keep.clone()].to_vec(),
        };
        assert!(rejected(verify(&key, &with(env, &cut))), "kept {keep:?}");
    }
    // Duplicated, reordered.
    for order in [[0, 0], [1, 1], [1, 0]] {
        let s = SegmentedProof {
            links: order.iter().map(|&i| sp.links[i]).collect(),
            proofs: order.iter().map(|&i| sp.proofs[i].clone()).collect(),
        };
        assert!(rejected(verify(&key, &with(env, &s))), "order {order:?}");
    }
    // Only the proofs swapped (the intermediate values in place).
    let mut s = sp.clone();
    s.proofs.swap(0, 1);
    assert!(rejected(verify(&key, &with(env, &s))));
    // A third segment (count above the number of transfers; the capacity is 2: refused by
    // the parser).
    let mut s = sp.clone();
    s.links.push(sp.links[1]);
    s.proofs.push(sp.proofs[1].clone());
    assert!(matches!(
        verify(&key, &with(env, &s)),
        Err(Error::BadProof(_))
    ));
    // Changed intermediate values: each lane of each link.
    for seg in 0..2 {
        for lane in 0..8 {
            let mut s = sp.clone();
            let l = &mut s.links[seg];
            let d = if lane < 4 {
                &mut l.root_after
            } else {
                &mut l.acc_after
            };
            d.0[lane % 4] += Fp::ONE;
            assert!(
                rejected(verify(&key, &with(env, &s))),
                "segment {seg} lane {lane}"
            );
        }
    }
}

#[test]
fn a_segment_proof_is_bound_to_its_position_batch_and_chain() {
    let km = km();
    let w = fixture_witness();
    let env = honest_envelope();
    let sp = container(env);
    let publics = multiprover_halo2::segment::chain(&env.statement, PROFILE.capacity, &sp.links)
        .expect("chain");
    for (p, proof) in publics.iter().zip(&sp.proofs) {
        verify_segment(&km, p, proof).expect("honest segment");
    }
    assert_eq!(publics[0].root_before, w.statement.pre_root);
    // Every public input changed on its own: the statement and position rows (bound by the
    // transcript) as much as the chained ones (copy-constrained).
    let one = |d: &Digest| {
        let mut d = *d;
        d.0[0] += Fp::ONE;
        d
    };
    let p = publics[1];
    let variants: Vec<(&str, SegmentPublic)> = vec![
        ("slot", SegmentPublic { slot: 0, ..p }),
        ("count", SegmentPublic { count: 1, ..p }),
        (
            "chain id",
            SegmentPublic {
                statement: multiprover_core::Statement {
                    chain_id: CHAIN_ID + 1,
                    ..p.statement
                },
                ..p
            },
        ),
        (
            "batch number",
            SegmentPublic {
                statement: multiprover_core::Statement {
                    batch_number: 2,
                    ..p.statement
                },
                ..p
            },
        ),
        (
            "pre root",
            SegmentPublic {
                statement: multiprover_core::Statement {
                    pre_root: one(&p.statement.pre_root),
                    ..p.statement
                },
                ..p
            },
        ),
        (
            "post root",
            SegmentPublic {
                statement: multiprover_core::Statement {
                    post_root: one(&p.statement.post_root),
                    ..p.statement
                },
                ..p
            },
        ),
        (
            "batch hash",
            SegmentPublic {
                statement: multiprover_core::Statement {
                    batch_hash: one(&p.statement.batch_hash),
                    ..p.statement
                },
                ..p
            },
        ),
        (
            "root before",
            SegmentPublic {
                root_before: one(&p.root_before),
                ..p
            },
        ),
        (
            "root after",
            SegmentPublic {
                root_after: one(&p.root_after),
                ..p
            },
        ),
        (
            "acc before",
            SegmentPublic {
                acc_before: one(&p.acc_before),
                ..p
            },
        ),
        (
            "acc after",
            SegmentPublic {
                acc_after: one(&p.acc_after),
                ..p
            },
        ),
    ];
    for (name, v) in variants {
        let r = verify_segment(&km, &v, &sp.proofs[1]);
        assert!(matches!(r, Err(Error::Rejected(_))), "{name}: {r:?}");
    }
    // Segment 0's proof in position 1 (with position 1's public inputs).
    assert!(verify_segment(&km, &publics[1], &sp.proofs[0]).is_err());
}

#[test]
fn flipped_or_truncated_bytes_are_errors_not_panics() {
    let key = key();
    let env = honest_envelope();
    let n = env.proof.len();
    // Every byte of the header and the intermediate values, then a sample of the proofs.
    let mut positions: Vec<usize> = (0..7 + 2 * 64 + 4).collect();
    positions.extend([n / 3, n / 2, n - 33, n - 1]);
    for pos in positions {
        let mut e = env.clone();
        let mut b = e.proof.to_vec();
        b[pos] ^= 0x01;
        e.proof = b;
        assert!(verify(&key, &e).is_err(), "flipped byte {pos}");
    }
    for len in (0..n).step_by(97).chain([n - 1]) {
        let mut e = env.clone();
        e.proof = env.proof[..len].to_vec();
        assert!(
            matches!(verify(&key, &e), Err(Error::BadProof(_))),
            "truncated to {len}"
        );
    }
    let mut b = env.proof.to_vec();
    b.push(0);
    let mut e = env.clone();
    e.proof = b;
    assert!(matches!(verify(&key, &e), Err(Error::BadProof(_))));
    // A segment proof with a byte appended (its length field adjusted).
    let mut sp = container(env);
    sp.proofs[0].push(0);
    assert!(matches!(
        verify(&key, &with(env, &sp)),
        Err(Error::BadProof(_))
    ));
    // Hostile counts and lengths.
    for count in [3u16, 1000, u16::MAX] {
        let mut b = env.proof.to_vec();
        b[5..7].copy_from_slice(&count.to_le_bytes());
        let mut e = env.clone();
        e.proof = b;
        assert!(
            matches!(verify(&key, &e), Err(Error::BadProof(_))),
            "count {count}"
        );
    }
    let at = 7 + 2 * 64;
    for len in [0u32, 1 << 17, u32::MAX] {
        let mut b = env.proof.to_vec();
        b[at..at + 4].copy_from_slice(&len.to_le_bytes());
        let mut e = env.clone();
        e.proof = b;
        assert!(
            matches!(verify(&key, &e), Err(Error::BadProof(_))),
            "len {len}"
        );
    }
}

#[test]
fn batch_verification_reports_each_envelope() {
    let env = honest_envelope();
    let mut bad = env.clone();
    bad.statement.post_root = bad.statement.pre_root;
    let mut short = env.clone();
    short.proof = env.proof[..10].to_vec();
    // Proofs in place, but segment 1's proof replaced by segment 0's: only the batch check
    // can see it.
    let mut sp = container(env);
    sp.proofs[1] = sp.proofs[0].clone();
    let swapped = with(env, &sp);
    let km = km();
    let all_good = vec![env, env, env];
    let res = verify_many(&km, &all_good);
    assert!(res.iter().all(|r| r.is_ok()), "{res:?}");
    let mixed = vec![env, &bad, env, &short, &swapped];
    let res = verify_many(&km, &mixed);
    assert!(res[0].is_ok() && res[2].is_ok(), "{res:?}");
    assert!(matches!(res[1], Err(Error::Chain(_))), "{res:?}");
    assert!(matches!(res[3], Err(Error::BadProof(_))), "{res:?}");
    assert!(matches!(res[4], Err(Error::Rejected(_))), "{res:?}");
}

#[test]
fn segments_prove_one_by_one_and_assemble() {
    // What a node does with several workers: each proves a segment, the node assembles.
    let p = prover();
    let w = fixture_witness();
    assert_eq!(p.segment_count(&w).expect("count"), 2);
    let s1 = p.prove_segment(&w, 1).expect("segment 1");
    let km = km();
    let sp = container(honest_envelope());
    let publics = multiprover_halo2::segment::chain(&w.statement, PROFILE.capacity, &sp.links)
        .expect("chain");
    verify_segment(&km, &publics[1], &s1.proof).expect("segment verifies on arrival");
    let s0 = multiprover_halo2::SegmentProof {
        slot: 0,
        link: sp.links[0],
        proof: sp.proofs[0].clone(),
    };
    let env = p
        .assemble(&w.statement, vec![s1.clone(), s0.clone()])
        .expect("assemble");
    verify(&key(), &env).expect("assembled envelope verifies");
    assert!(
        p.assemble(&w.statement, vec![s0.clone()]).is_err(),
        "missing"
    );
    assert!(
        p.assemble(&w.statement, vec![s0.clone(), s0]).is_err(),
        "duplicated"
    );
    assert!(p.prove_segment(&w, 2).is_err(), "no slot 2");
}

#[test]
fn a_witness_of_the_wrong_shape_is_an_error() {
    let mut w = fixture_witness();
    w.slots.pop();
    assert!(matches!(prover().prove(&w), Err(Error::BadWitness(_))));
    let mut w = fixture_witness();
    w.slots[0].sender_path.siblings.pop();
    assert!(matches!(prover().prove(&w), Err(Error::BadWitness(_))));
    let mut w = fixture_witness();
    w.profile.depth += 1;
    assert!(matches!(prover().prove(&w), Err(Error::BadWitness(_))));
    let mut w = fixture_witness();
    w.slots[1].active = false;
    assert!(matches!(prover().prove(&w), Err(Error::BadWitness(_))));
}

#[test]
fn a_rule_breaking_witness_gives_no_envelope() {
    // A real proof of an overspend: the prover's own check refuses it.
    let mut tree = fixture_genesis();
    let mut b = fixture_batch();
    b.transfers[1].amount = 1 << 50;
    let w = unchecked_witness(&mut tree, &b, 0, multiprover_core::Transfer::PADDING);
    assert!(matches!(prover().prove(&w), Err(Error::Unsatisfied)));
}
