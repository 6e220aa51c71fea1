//! The dispatcher and the light client on the committed proof fixtures of every system this
//! build verifies (testdata/fixtures/<system>/; small profile, chain 7, batch 1 =
//! [1→2 amount 100, 3→4 amount 5] from genesis accounts 1..=4 with 1,000,000 each).

use multiprover_core::anchor::TrustAnchor;
use multiprover_core::{genesis_tree, Batch, Envelope, SystemId, SystemKey, Transfer};
use multiprover_testkit::{fixture, sign_proposal, sign_proposal_with, Scenario, NOW};
use multiprover_verifier::{
    compiled_systems, verify_envelope, verify_envelope_bytes, verify_envelopes, BatchRecord,
    HexBytes, LightClient,
};

fn fixtures() -> Vec<(SystemKey, Vec<u8>)> {
    compiled_systems()
        .into_iter()
        .map(|s| (fixture::key(s), fixture::envelope_bytes(s)))
        .collect()
}

/// The fixture scenario's anchor with the fixture keys of the systems this build verifies
/// (halo2's params shared through the params directory).
fn anchor() -> TrustAnchor {
    multiprover_testkit::share_halo2_params();
    Scenario::small().fixture_anchor(&compiled_systems())
}

fn batch() -> Batch {
    Scenario::small().batch(1).clone()
}

#[test]
fn every_fixture_verifies_and_tampering_is_rejected() {
    let a = anchor();
    for (key, bytes) in fixtures() {
        let e = verify_envelope_bytes(&a, &bytes, NOW)
            .unwrap_or_else(|err| panic!("{}: {err}", key.system));
        assert_eq!(e.system, key.system);
        // flip a byte in the proof part, truncate, extend
        let mut flipped = bytes.clone();
        let i = bytes.len() - 1 - (bytes.len() - multiprover_core::envelope::HEADER_BYTES) / 2;
        flipped[i] ^= 1;
        assert!(
            verify_envelope_bytes(&a, &flipped, NOW).is_err(),
            "{}: flipped accepted",
            key.system
        );
        assert!(verify_envelope_bytes(&a, &bytes[..bytes.len() - 1], NOW).is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(verify_envelope_bytes(&a, &longer, NOW).is_err());
        // each public input changed
        for field in 0..3 {
            let mut env = Envelope::from_bytes(&bytes).unwrap();
            let d = match field {
                0 => &mut env.statement.pre_root,
                1 => &mut env.statement.post_root,
                _ => &mut env.statement.batch_hash,
            };
            d.0[1] += multiprover_core::Fp::ONE;
            assert!(
                verify_envelope_bytes(&a, &env.to_bytes(), NOW).is_err(),
                "{}: changed input {field} accepted",
                key.system
            );
        }
        // relabelled as another batch / chain, or under another system's id or key id
        // (A batch number relabelled alone is bound only through the batch hash, which the
        // light client recomputes from the transfers: see `light_client_on_fixtures`.)
        let mut env = Envelope::from_bytes(&bytes).unwrap();
        env.statement.chain_id = 8;
        assert!(verify_envelope_bytes(&a, &env.to_bytes(), NOW).is_err());
        let mut env = Envelope::from_bytes(&bytes).unwrap();
        env.vk_id = multiprover_core::B256::repeat_byte(3);
        assert!(verify_envelope_bytes(&a, &env.to_bytes(), NOW).is_err());
        for other in SystemId::ALL.into_iter().filter(|s| *s != key.system) {
            let mut env = Envelope::from_bytes(&bytes).unwrap();
            env.system = other;
            if let Some(k) = a.key(other) {
                env.vk_id = k.vk_id;
            }
            assert!(
                verify_envelope_bytes(&a, &env.to_bytes(), NOW).is_err(),
                "{} proof accepted as {other}",
                key.system
            );
        }
    }
}

#[test]
fn light_client_on_fixtures() {
    let a = anchor();
    let mut client = LightClient::new(a.clone()).unwrap();
    let mut state = genesis_tree(a.profile.depth, &a.genesis).unwrap();
    let w = multiprover_core::apply_batch(&mut state, &batch(), a.profile).unwrap();
    let mut envelopes: Vec<HexBytes> = fixtures().into_iter().map(|(_, b)| HexBytes(b)).collect();
    envelopes.push(HexBytes(b"garbage".to_vec()));
    let record = BatchRecord {
        batch: batch(),
        claimed_post_root: w.statement.post_root,
        timestamp: NOW,
        signature: Some(sign_proposal(&a, &batch(), a.genesis_root, NOW)),
        envelopes,
    };
    let json = record.to_json();
    let record = BatchRecord::from_json(json.as_bytes()).unwrap();
    let mut t = 0.0;
    let mut clock = || {
        t += 1.0;
        t
    };
    let v = client.ingest(&record, &mut clock).unwrap();
    let n = compiled_systems().len();
    assert_eq!(v.proofs.len(), n + 1);
    assert!(v.proofs[..n].iter().all(|p| p.ok), "{:?}", v.proofs);
    assert!(!v.proofs[n].ok && v.proofs[n].error.is_some());
    assert!(v.proofs.iter().all(|p| p.millis > 0.0));
    assert_eq!(v.batch_hash, w.statement.batch_hash);
    // value at risk 105: two systems with a zk one finalize
    let zk = compiled_systems()
        .iter()
        .filter(|s| s.is_in(multiprover_core::Family::Zk))
        .count();
    if n >= 2 && zk >= 1 {
        assert_eq!(
            v.status,
            multiprover_core::BatchStatus::Final,
            "{:?}",
            v.decision
        );
        assert_eq!(client.status().final_batch, 1);
    } else {
        assert_eq!(v.status, multiprover_core::BatchStatus::Pending);
    }
    // the same number with different transfers is refused
    let mut other = record.clone();
    other.batch.transfers.pop();
    assert!(client.ingest(&other, &mut clock).is_err());
    // envelopes relabelled as batch 2 do not match batch 2's own hash
    let mut next = state.clone();
    let b2 = Batch {
        chain_id: 7,
        batch_number: 2,
        transfers: vec![Transfer {
            from: 2,
            to: 1,
            amount: 1,
            nonce: 0,
        }],
    };
    let w2 = multiprover_core::apply_batch(&mut next, &b2, a.profile).unwrap();
    let relabelled: Vec<HexBytes> = fixtures()
        .into_iter()
        .map(|(_, b)| {
            let mut e = Envelope::from_bytes(&b).unwrap();
            e.statement.batch_number = 2;
            e.statement.pre_root = w2.statement.pre_root;
            HexBytes(e.to_bytes())
        })
        .collect();
    let r2 = BatchRecord {
        signature: Some(sign_proposal(&a, &b2, w2.statement.pre_root, NOW)),
        batch: b2,
        claimed_post_root: w2.statement.post_root,
        timestamp: NOW,
        envelopes: relabelled,
    };
    let v2 = client.ingest(&r2, &mut clock).unwrap();
    assert!(v2.proofs.iter().all(|p| !p.ok), "{:?}", v2.proofs);
    assert_eq!(v2.status, multiprover_core::BatchStatus::Pending);
    // a batch that does not extend the chain is refused
    let mut skip = record.clone();
    skip.batch.batch_number = 4;
    assert!(client.ingest(&skip, &mut clock).is_err());
}

/// Each fixture's envelope and a copy with one proof byte flipped.
fn with_flipped() -> Vec<Envelope> {
    let mut out = Vec::new();
    for (_, bytes) in fixtures() {
        let e = Envelope::from_bytes(&bytes).unwrap();
        let mut bad = e.clone();
        let mid = bad.proof.len() / 2;
        bad.proof[mid] ^= 1;
        out.push(e);
        out.push(bad);
    }
    out
}

#[test]
fn batched_verification_says_what_one_by_one_says() {
    let a = anchor();
    let mut list = with_flipped();
    // halo2's valid proof twice more: a batch check that passes, then one that fails.
    if let Some(h) = list.iter().find(|e| e.system == SystemId::Halo2).cloned() {
        let only_good = verify_envelopes(&a, &[h.clone(), h.clone()], NOW);
        assert!(only_good.iter().all(|r| r.is_ok()), "{only_good:?}");
        list.push(h);
    }
    let batched = verify_envelopes(&a, &list, NOW);
    assert_eq!(batched.len(), list.len());
    for (e, r) in list.iter().zip(&batched) {
        assert_eq!(
            r.is_ok(),
            verify_envelope(&a, e, NOW).is_ok(),
            "{}: batched and single verification disagree",
            e.system
        );
    }
    assert_eq!(
        batched.iter().filter(|r| r.is_ok()).count(),
        compiled_systems().len() + usize::from(compiled_systems().contains(&SystemId::Halo2))
    );
}

#[test]
fn ingest_many_gives_the_verdicts_of_ingest() {
    let a = anchor();
    let mut state = genesis_tree(a.profile.depth, &a.genesis).unwrap();
    let w = multiprover_core::apply_batch(&mut state, &batch(), a.profile).unwrap();
    let mut envelopes: Vec<HexBytes> = with_flipped()
        .into_iter()
        .map(|e| HexBytes(e.to_bytes()))
        .collect();
    envelopes.push(HexBytes(b"garbage".to_vec()));
    let record = BatchRecord {
        batch: batch(),
        claimed_post_root: w.statement.post_root,
        timestamp: NOW,
        signature: Some(sign_proposal(&a, &batch(), a.genesis_root, NOW)),
        envelopes,
    };
    let mut clock = {
        let mut t = 0.0;
        move || {
            t += 1.0;
            t
        }
    };
    let mut one = LightClient::new(a.clone()).unwrap();
    let single = one.ingest(&record, &mut clock).unwrap();
    let mut many = LightClient::new(a.clone()).unwrap();
    let verdicts = many
        .ingest_many(std::slice::from_ref(&record), &mut clock)
        .unwrap();
    assert_eq!(verdicts.len(), 1);
    let ok = |v: &multiprover_verifier::BatchVerdict| -> Vec<(Option<SystemId>, bool)> {
        v.proofs.iter().map(|p| (p.system, p.ok)).collect()
    };
    assert_eq!(ok(&verdicts[0]), ok(&single));
    assert_eq!(verdicts[0].status, single.status);
    assert_eq!(verdicts[0].decision, single.decision);
    assert_eq!(many.status(), one.status());
    // Ingesting the same record again adds nothing, as with ingest.
    let again = many
        .ingest_many(std::slice::from_ref(&record), &mut clock)
        .unwrap();
    assert_eq!(again[0].proofs.len(), single.proofs.len());
    // A record that does not extend the chain stops ingest_many with an error.
    let mut skip = record.clone();
    skip.batch.batch_number = 4;
    assert!(many.ingest_many(&[skip], &mut clock).is_err());
}

fn clock() -> impl FnMut() -> f64 {
    let mut t = 0.0;
    move || {
        t += 1.0;
        t
    }
}

/// Batch 1 of the scenario as a record signed with `secret` (`None`: unsigned) at `timestamp`
/// under `a`, with every fixture envelope.
fn record_signed(a: &TrustAnchor, secret: Option<&[u8; 32]>, timestamp: u64) -> BatchRecord {
    let mut state = genesis_tree(a.profile.depth, &a.genesis).unwrap();
    let w = multiprover_core::apply_batch(&mut state, &batch(), a.profile).unwrap();
    BatchRecord {
        batch: batch(),
        claimed_post_root: w.statement.post_root,
        timestamp,
        signature: secret.map(|k| sign_proposal_with(k, a, &batch(), a.genesis_root, timestamp)),
        envelopes: fixtures().into_iter().map(|(_, b)| HexBytes(b)).collect(),
    }
}

#[test]
fn light_client_rejects_a_record_whose_sequencer_signature_is_wrong() {
    use multiprover_core::error::ProposalFault;
    use multiprover_core::CoreError;
    use multiprover_verifier::Error;
    let a = anchor();
    let seq = multiprover_testkit::SEQUENCER_SECRET;
    let mut client = LightClient::new(a.clone()).unwrap();
    let mut clock = clock();
    // Signed by another key.
    let stranger = record_signed(&a, Some(&[0x77; 32]), NOW);
    assert!(matches!(
        client.ingest(&stranger, &mut clock),
        Err(Error::Core(CoreError::BadProposalSignature(
            ProposalFault::NotSequencer
        )))
    ));
    // Unsigned.
    assert!(matches!(
        client.ingest(&record_signed(&a, None, NOW), &mut clock),
        Err(Error::Core(CoreError::UnsignedProposal(1)))
    ));
    // Signed by the sequencer, then a field changed: the timestamp, a transfer.
    let mut later = record_signed(&a, Some(&seq), NOW);
    later.timestamp += 1;
    assert!(matches!(
        client.ingest(&later, &mut clock),
        Err(Error::Core(CoreError::BadProposalSignature(_)))
    ));
    let mut changed = record_signed(&a, Some(&seq), NOW);
    changed.batch.transfers[0].amount -= 1;
    changed.claimed_post_root = {
        let mut st = genesis_tree(a.profile.depth, &a.genesis).unwrap();
        multiprover_core::apply_batch(&mut st, &changed.batch, a.profile)
            .unwrap()
            .statement
            .post_root
    };
    assert!(matches!(
        client.ingest(&changed, &mut clock),
        Err(Error::Core(CoreError::BadProposalSignature(_)))
    ));
    // Signed for another deployment (another anchor hash) by the same key.
    let mut other = a.clone();
    other.council = multiprover_core::Address::repeat_byte(1);
    let mut foreign = record_signed(&a, Some(&seq), NOW);
    foreign.signature = Some(sign_proposal(&other, &batch(), a.genesis_root, NOW));
    assert!(client.ingest(&foreign, &mut clock).is_err());
    // A malformed signature does not parse.
    let mut json: serde_json::Value =
        serde_json::from_str(&record_signed(&a, Some(&seq), NOW).to_json()).unwrap();
    json["signature"] = "0x1234".into();
    assert!(BatchRecord::from_json(json.to_string().as_bytes()).is_err());
    // Nothing was ingested; the honest record is.
    assert_eq!(client.status().head, 0);
    assert!(client.verdicts().is_empty());
    let good = record_signed(&a, Some(&seq), NOW);
    client.ingest(&good, &mut clock).unwrap();
    assert_eq!(client.status().head, 1);
    // Published again with another (valid) signature or timestamp: not the batch ingested.
    let mut resigned = record_signed(&a, Some(&seq), NOW + 5);
    resigned.envelopes.clear();
    assert!(matches!(
        client.ingest(&resigned, &mut clock),
        Err(Error::BatchMismatch(_))
    ));
}

/// The fixture enclave registered only for `[from, until)`, long in the past.
fn anchor_with_tee_window(from: u64, until: u64) -> TrustAnchor {
    let mut a = anchor();
    for i in &mut a.tee.instances {
        i.valid_from = from;
        i.valid_until = until;
    }
    a
}

#[test]
fn tee_windows_are_checked_at_the_batch_timestamp_not_the_clock() {
    if !compiled_systems().contains(&SystemId::Tee) {
        return;
    }
    let seq = multiprover_testkit::SEQUENCER_SECRET;
    // Registered 2001-09-09 .. 2017-07-14: today is long after valid_until.
    let (from, until) = (1_000_000_000, 1_500_000_000);
    let a = anchor_with_tee_window(from, until);
    let tee = |v: &multiprover_verifier::BatchVerdict| {
        v.proofs
            .iter()
            .find(|p| p.system == Some(SystemId::Tee))
            .cloned()
            .unwrap()
    };
    // A batch signed inside the window stays valid whenever it is verified.
    for ts in [from, 1_200_000_000, until - 1] {
        let mut c = LightClient::new(a.clone()).unwrap();
        let v = c
            .ingest(&record_signed(&a, Some(&seq), ts), &mut clock())
            .unwrap();
        assert!(tee(&v).ok, "batch at {ts}: {:?}", tee(&v).error);
        let many = LightClient::new(a.clone())
            .unwrap()
            .ingest_many(&[record_signed(&a, Some(&seq), ts)], &mut clock())
            .unwrap();
        assert!(tee(&many[0]).ok);
    }
    // A batch signed outside it is refused as expired (or not yet valid), whatever the clock.
    for ts in [until, until + 1, 1_800_000_000] {
        let mut c = LightClient::new(a.clone()).unwrap();
        let v = c
            .ingest(&record_signed(&a, Some(&seq), ts), &mut clock())
            .unwrap();
        let p = tee(&v);
        assert!(!p.ok);
        assert_eq!(
            p.error.unwrap().kind,
            multiprover_core::ErrorKind::Expired,
            "batch at {ts}"
        );
    }
    let mut c = LightClient::new(a.clone()).unwrap();
    let v = c
        .ingest(&record_signed(&a, Some(&seq), from - 1), &mut clock())
        .unwrap();
    assert!(!tee(&v).ok);
    // The dispatcher says the same at the batch timestamp.
    let e = Envelope::from_bytes(&fixture::envelope_bytes(SystemId::Tee)).unwrap();
    assert!(verify_envelope(&a, &e, 1_200_000_000).is_ok());
    assert!(verify_envelope(&a, &e, until).is_err());
}

#[test]
fn garbage_never_panics() {
    let a = anchor();
    let mut rng = 0x1234_5678u64;
    for len in [0usize, 1, 10, 150, 154, 155, 300, 5000] {
        for _ in 0..20 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    rng as u8
                })
                .collect();
            assert!(verify_envelope_bytes(&a, &bytes, NOW).is_err());
        }
    }
    for junk in [&b"{}"[..], b"[]", b"{\"batch\":1}", b"\xff\xfe"] {
        assert!(BatchRecord::from_json(junk).is_err());
    }
}

/// The fuzz targets' checks (fuzz/src/lib.rs, included as is) on every seed `scripts/fuzz.sh`
/// starts from (derived from testdata/ and tests/browser/data/, see [`fuzz_seeds`]), every
/// committed input in fuzz/corpus/<target>/ and every kept crash input in
/// fuzz/regressions/<target>/: a fixed crash stays fixed in the normal suite. Here rather than
/// in a file of its own so that halo2's verifier setup is shared with the fixture tests above
/// (one process).
#[cfg(all(
    feature = "halo2",
    feature = "plonky2",
    feature = "stark",
    feature = "tee"
))]
#[test]
fn fuzz_corpora_and_regressions_replay() {
    #[allow(dead_code)]
    #[path = "../../../fuzz/src/lib.rs"]
    mod fuzz_checks;

    multiprover_testkit::share_halo2_params();
    let root = multiprover_testkit::workspace_root().join("fuzz");
    let mut inputs = fuzz_seeds();
    for kind in ["corpus", "regressions"] {
        let Ok(targets) = std::fs::read_dir(root.join(kind)) else {
            continue;
        };
        for target in targets.flatten() {
            let name = target.file_name().to_string_lossy().into_owned();
            let mut files: Vec<_> = std::fs::read_dir(target.path())
                .expect("target dir")
                .flatten()
                .map(|f| f.path())
                .collect();
            files.sort();
            for file in files {
                inputs.push((name.clone(), std::fs::read(&file).expect("input")));
            }
        }
    }
    let anchor = fuzz_checks::fixture_anchor();
    for (name, data) in &inputs {
        match name.as_str() {
            "envelope" => fuzz_checks::envelope(data),
            "anchor" => fuzz_checks::anchor(data),
            "batch_record" => fuzz_checks::batch_record(data),
            "proof_plonky2" => fuzz_checks::proof(&anchor, SystemId::Plonky2, data),
            "proof_stark" => fuzz_checks::proof(&anchor, SystemId::Stark, data),
            "proof_tee" => fuzz_checks::proof(&anchor, SystemId::Tee, data),
            "proof_halo2" => fuzz_checks::proof(&anchor, SystemId::Halo2, data),
            other => panic!("fuzz input for {other}: no such fuzz target"),
        }
    }
    let seeds = fuzz_seeds().len();
    assert!(
        inputs.len() > seeds,
        "no committed fuzz inputs found under {root:?}"
    );
    println!("replayed {} fuzz inputs ({seeds} seeds)", inputs.len());
}

/// The seeds of the fuzz targets, as `scripts/fuzz.sh` derives them (keep the two alike):
/// each system's committed envelope (`envelope`) and its proof bytes (`proof_<system>`), the
/// browser-test anchor (`anchor`) and batch records (`batch_record`).
#[cfg(all(
    feature = "halo2",
    feature = "plonky2",
    feature = "stark",
    feature = "tee"
))]
fn fuzz_seeds() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for s in SystemId::ALL {
        let bytes = fixture::envelope_bytes(s);
        let proof = Envelope::from_bytes(&bytes).expect("fixture").proof;
        out.push(("envelope".to_string(), bytes));
        out.push((format!("proof_{s}"), proof));
    }
    let data = multiprover_testkit::workspace_root().join("tests/browser/data");
    out.push((
        "anchor".into(),
        std::fs::read(data.join("anchor.json")).expect("browser-test anchor"),
    ));
    let mut batches: Vec<_> = std::fs::read_dir(data.join("batches"))
        .expect("browser-test batches")
        .flatten()
        .map(|f| f.path())
        .collect();
    batches.sort();
    for b in batches {
        out.push((
            "batch_record".into(),
            std::fs::read(b).expect("batch record"),
        ));
    }
    out
}
