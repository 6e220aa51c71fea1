//! End-to-end tests of the `multiprover` binary on the small profile (D = 8, T = 2): keys,
//! apply, prove, verify and their exit codes; devnets that finalize, conflict, or lose a
//! worker; a node restart. Every service binds 127.0.0.1 and is stopped by the test.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use multiprover_core::{BatchStatus, Decision, SystemId};
use multiprover_node::client::Client;

const BIN: &str = env!("CARGO_BIN_EXE_multiprover");

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run multiprover")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn small_keys(dir: &Path, extra: &[&str]) -> PathBuf {
    let anchor = dir.join("anchor.json");
    let mut args = vec![
        "keys",
        "--out",
        anchor.to_str().unwrap(),
        "--depth",
        "8",
        "--capacity",
        "2",
        "--accounts",
        "6",
        "--json",
    ];
    // halo2's setup takes minutes per process on this machine (k = 17 even for the small
    // profile), so most tests run the three fast systems; one (ignored) test runs halo2.
    if !extra.contains(&"--systems") {
        args.extend_from_slice(&["--systems", "plonky2,stark,tee"]);
    }
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(o.status.success(), "keys failed: {}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("keys prints JSON");
    assert!(v["genesis_root"].as_str().unwrap().starts_with("0x"));
    assert!(v["anchor_hash"].as_str().unwrap().starts_with("0x"));
    anchor
}

/// The sequencer key `keys` wrote beside `anchor`, bound to that anchor.
fn sequencer(anchor: &Path) -> multiprover_node::Sequencer {
    let key = multiprover_cli::keygen::read_sequencer_key(
        &multiprover_cli::keygen::sequencer_key_path(anchor),
    )
    .unwrap();
    let a = multiprover_core::TrustAnchor::from_json(&std::fs::read(anchor).unwrap()).unwrap();
    multiprover_node::Sequencer::new(key, &a).unwrap()
}

#[cfg(unix)]
fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `keys` writes the sequencer key (0600) and pins its address; `keys --sequencer-key` pins an
/// existing key as it is; `propose` signs with it and refuses a key the anchor does not pin.
#[test]
fn keys_pin_the_sequencer_and_propose_signs_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let anchor = small_keys(dir.path(), &["--systems", "stark"]);
    let key_path = multiprover_cli::keygen::sequencer_key_path(&anchor);
    let secrets = dir.path().join("anchor.json.secrets.json");
    #[cfg(unix)]
    {
        assert_eq!(mode_of(&key_path), 0o600);
        assert_eq!(mode_of(&secrets), 0o600);
    }
    let a = multiprover_core::TrustAnchor::from_json(&std::fs::read(&anchor).unwrap()).unwrap();
    let key = multiprover_cli::keygen::read_sequencer_key(&key_path).unwrap();
    assert_eq!(
        multiprover_core::proposal::address_of_secret(&key).unwrap(),
        a.sequencer
    );
    // The secrets file (which workers read) does not hold the sequencer key.
    let s = std::fs::read_to_string(&secrets).unwrap();
    assert!(!s.contains(&hex::encode(key)), "{s}");
    // Another anchor pinning the same existing key.
    let again = dir.path().join("again.json");
    let o = run(&[
        "keys",
        "--out",
        again.to_str().unwrap(),
        "--depth",
        "8",
        "--capacity",
        "2",
        "--accounts",
        "6",
        "--systems",
        "stark",
        "--json",
        "--sequencer-key",
        key_path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let b = multiprover_core::TrustAnchor::from_json(&std::fs::read(&again).unwrap()).unwrap();
    assert_eq!(b.sequencer, a.sequencer);
    assert_eq!(
        multiprover_cli::keygen::read_sequencer_key(&key_path).unwrap(),
        key
    );
    // A third anchor with a fresh key, to sign with the wrong one.
    let other_dir = dir.path().join("other");
    std::fs::create_dir_all(&other_dir).unwrap();
    let other = small_keys(&other_dir, &["--systems", "stark"]);
    let other_key = multiprover_cli::keygen::sequencer_key_path(&other);

    let addr = free_addr();
    let url = format!("http://{addr}/");
    let (_node, client) = start_node(&anchor, &dir.path().join("node.db"), &addr);
    let batch = write(
        &dir.path().join("b1.json"),
        &batch_json(1, r#"{"from":1,"to":2,"amount":100,"nonce":0}"#),
    );
    let o = run(&[
        "propose",
        "--node",
        &url,
        "--anchor",
        anchor.to_str().unwrap(),
        "--sequencer-key",
        other_key.to_str().unwrap(),
        &batch,
    ]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(client.batches().unwrap().is_empty());
    let o = run(&[
        "propose",
        "--node",
        &url,
        "--anchor",
        anchor.to_str().unwrap(),
        &batch,
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(client.batches().unwrap().len(), 1);
    let rec = client.record(1).unwrap();
    assert!(rec.signature.is_some());
}

fn write(path: &Path, s: &str) -> String {
    std::fs::write(path, s).unwrap();
    path.to_str().unwrap().to_string()
}

/// A child process killed on drop.
struct Proc(Child);
impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_addr() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

fn start_node(anchor: &Path, db: &Path, addr: &str) -> (Proc, Client) {
    start_node_with(anchor, db, addr, &[])
}

fn start_node_with(anchor: &Path, db: &Path, addr: &str, extra: &[&str]) -> (Proc, Client) {
    let child = Command::new(BIN)
        .args([
            "node",
            "--anchor",
            anchor.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--listen",
            addr,
        ])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = Client::new(&format!("http://{addr}/"));
    let t = Instant::now();
    while client.status().is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(120),
            "node did not come up"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (Proc(child), client)
}

fn start_worker(system: SystemId, url: &str, secrets: &Path) -> Proc {
    start_worker_logged(system, url, secrets, None)
}

/// A worker whose stderr (one line per proof: "... accepted") goes to `log` if given.
fn start_worker_logged(system: SystemId, url: &str, secrets: &Path, log: Option<&Path>) -> Proc {
    let stderr = match log {
        Some(p) => Stdio::from(std::fs::File::create(p).unwrap()),
        None => Stdio::null(),
    };
    Proc(
        Command::new(BIN)
            .args([
                "worker",
                "--system",
                system.name(),
                "--node",
                url,
                "--secrets",
                secrets.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap(),
    )
}

fn batch_json(n: u64, transfers: &str) -> String {
    format!(r#"{{"chain_id": 7, "batch_number": {n}, "transfers": [{transfers}]}}"#)
}

#[test]
fn keys_apply_prove_verify_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let anchor = small_keys(dir.path(), &[]);
    let a = anchor.to_str().unwrap();
    let b1 = write(
        &dir.path().join("b1.json"),
        &batch_json(
            1,
            r#"{"from":1,"to":2,"amount":100,"nonce":0},{"from":3,"to":4,"amount":5,"nonce":0}"#,
        ),
    );
    let hist = dir.path().join("hist");
    std::fs::create_dir_all(&hist).unwrap();
    std::fs::copy(&b1, hist.join("b1.json")).unwrap();
    let b2 = write(
        &dir.path().join("b2.json"),
        &batch_json(2, r#"{"from":1,"to":5,"amount":7,"nonce":1}"#),
    );

    // apply: the statement as JSON with 0x 32-byte hex roots
    let o = run(&["apply", "--anchor", a, "--batch", &b1]);
    assert!(o.status.success(), "{}", text(&o));
    let st: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for k in ["pre_root", "post_root", "batch_hash"] {
        let h = st[k].as_str().unwrap();
        assert!(h.starts_with("0x") && h.len() == 66, "{k} = {h}");
    }
    // batch 2 needs its history
    assert_eq!(
        run(&["apply", "--anchor", a, "--batch", &b2]).status.code(),
        Some(2)
    );
    let o = run(&[
        "apply",
        "--anchor",
        a,
        "--batch",
        &b2,
        "--history",
        hist.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let st2: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(st2["pre_root"], st["post_root"]);
    // an invalid batch exits 1 naming the transfer and the rule
    let bad = write(
        &dir.path().join("bad.json"),
        &batch_json(
            1,
            r#"{"from":1,"to":2,"amount":100,"nonce":0},{"from":1,"to":2,"amount":1,"nonce":0}"#,
        ),
    );
    let o = run(&["apply", "--anchor", a, "--batch", &bad]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("transfer #1") && text(&o).contains("nonce"),
        "{}",
        text(&o)
    );

    // prove with every system in parallel
    let out = dir.path().join("proofs");
    let o = run(&[
        "prove",
        "--system",
        "all",
        "--anchor",
        a,
        "--batch",
        &b1,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let mut envs: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .collect();
    envs.sort();
    let anchor_v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&anchor).unwrap()).unwrap();
    assert_eq!(
        envs.len(),
        anchor_v["systems"].as_array().unwrap().len(),
        "one envelope per system"
    );

    // verify: all valid, with and without the batch
    let mut args = vec!["verify", "--anchor", a];
    args.extend(envs.iter().map(|s| s.as_str()));
    let o = run(&args);
    assert!(o.status.success(), "{}", text(&o));
    let mut with_batch = vec!["verify", "--anchor", a, "--batch", &b1];
    with_batch.extend(envs.iter().map(|s| s.as_str()));
    assert!(run(&with_batch).status.success());
    // the same envelopes checked against another batch: exit 1, one line each
    let mut wrong = vec!["verify", "--anchor", a, "--batch", &b2];
    wrong.extend(envs.iter().map(|s| s.as_str()));
    let o = run(&wrong);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter(|l| l.starts_with("INVALID"))
            .count(),
        envs.len()
    );

    // tampered, truncated and garbage envelopes: exit 1 with a reason, never a crash
    let first = std::fs::read(&envs[0]).unwrap();
    let mut flipped = first.clone();
    let last = flipped.len() - 10;
    flipped[last] ^= 0x40;
    let f = dir.path().join("flipped.env");
    std::fs::write(&f, &flipped).unwrap();
    let t = dir.path().join("truncated.env");
    std::fs::write(&t, &first[..first.len() / 2]).unwrap();
    let g = dir.path().join("garbage.env");
    std::fs::write(&g, b"definitely not an envelope").unwrap();
    for p in [&f, &t, &g] {
        let o = run(&["verify", "--anchor", a, p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(
            String::from_utf8_lossy(&o.stdout).starts_with("INVALID"),
            "{}",
            text(&o)
        );
    }
    // usage errors exit 2
    assert_eq!(run(&["verify", "--anchor", a]).status.code(), Some(2));
    assert_eq!(
        run(&["verify", "--anchor", "/nonexistent.json", &envs[0]])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(run(&["prove", "--system", "nope"]).status.code(), Some(2));
}

fn devnet(dir: &Path, extra: &[&str]) -> (Output, Vec<serde_json::Value>) {
    let mut args = vec![
        "devnet",
        "--dir",
        dir.to_str().unwrap(),
        "--batches",
        "2",
        "--listen",
        "127.0.0.1:0",
        "--depth",
        "8",
        "--capacity",
        "2",
        "--accounts",
        "6",
        "--exit-when-settled",
        "--timeout",
        "900",
        "--systems",
        "plonky2,stark,tee",
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    let summary = String::from_utf8_lossy(&o.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix("SUMMARY ")
                .map(|j| serde_json::from_str::<Vec<serde_json::Value>>(j).unwrap())
        })
        .unwrap_or_default();
    (o, summary)
}

#[test]
fn devnet_reaches_final() {
    let dir = tempfile::tempdir().unwrap();
    let (o, summary) = devnet(dir.path(), &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(summary.len(), 2, "{}", text(&o));
    for b in &summary {
        assert_eq!(b["status"], "final", "{b}");
    }
}

#[cfg(feature = "demo-faults")]
#[test]
fn faulty_devnet_ends_in_conflict_never_final() {
    let dir = tempfile::tempdir().unwrap();
    let (o, summary) = devnet(dir.path(), &["--faulty", "stark"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!summary.is_empty(), "{}", text(&o));
    assert_eq!(summary[0]["status"], "halted", "{}", text(&o));
    assert!(
        summary.iter().all(|b| b["status"] != "final"),
        "{}",
        text(&o)
    );
}

/// Start a node and workers for all systems of a fresh anchor, propose one batch, kill the
/// `victim`'s worker at once, and wait until the others have proven the batch.
fn one_worker_killed(policy: &str, victim: SystemId) -> Decision {
    let dir = tempfile::tempdir().unwrap();
    let anchor = small_keys(
        dir.path(),
        &["--policy", policy, "--systems", "plonky2,stark,tee"],
    );
    let secrets = dir.path().join("anchor.json.secrets.json");
    let addr = free_addr();
    let (_node, client) = start_node(&anchor, &dir.path().join("node.db"), &addr);
    let url = format!("http://{addr}/");
    let mut workers = Vec::new();
    for s in [SystemId::Plonky2, SystemId::Stark, SystemId::Tee] {
        let mut w = start_worker(s, &url, &secrets);
        if s == victim {
            w.0.kill().unwrap();
        }
        workers.push(w);
    }
    let batch: multiprover_core::Batch = serde_json::from_str(&batch_json(
        1,
        r#"{"from":1,"to":2,"amount":100,"nonce":0}"#,
    ))
    .unwrap();
    client.propose(&batch, &sequencer(&anchor)).unwrap();
    let t = Instant::now();
    loop {
        let list = client.batches().unwrap();
        let b = &list[0];
        if b.proofs.len() >= 2 {
            return b.decision.clone();
        }
        assert!(
            t.elapsed() < Duration::from_secs(300),
            "workers did not prove in time: {:?}",
            b
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[test]
fn a_killed_worker_stalls_nobody_under_two_of_three() {
    let d = one_worker_killed("default", SystemId::Tee);
    assert!(d.is_final(), "{d:?}");
}

#[test]
fn a_killed_worker_keeps_an_all_of_tier_pending_naming_it() {
    let d = one_worker_killed("all", SystemId::Stark);
    match d {
        Decision::Pending { missing, .. } => assert_eq!(missing, vec![SystemId::Stark]),
        d => panic!("expected pending, got {d:?}"),
    }
}

#[test]
fn a_restarted_node_keeps_every_batch_and_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let anchor = small_keys(dir.path(), &["--systems", "stark,tee", "--policy", "all"]);
    let secrets = dir.path().join("anchor.json.secrets.json");
    let db = dir.path().join("node.db");
    let addr = free_addr();
    let url = format!("http://{addr}/");
    let before = {
        let (_node, client) = start_node(&anchor, &db, &addr);
        let b1: multiprover_core::Batch = serde_json::from_str(&batch_json(
            1,
            r#"{"from":1,"to":2,"amount":100,"nonce":0}"#,
        ))
        .unwrap();
        let b2: multiprover_core::Batch =
            serde_json::from_str(&batch_json(2, r#"{"from":2,"to":3,"amount":50,"nonce":0}"#))
                .unwrap();
        client.propose(&b1, &sequencer(&anchor)).unwrap();
        client.propose(&b2, &sequencer(&anchor)).unwrap();
        let _w1 = start_worker(SystemId::Stark, &url, &secrets);
        let _w2 = start_worker(SystemId::Tee, &url, &secrets);
        let t = Instant::now();
        loop {
            let list = client.batches().unwrap();
            if list.iter().all(|b| b.status == BatchStatus::Final) {
                break (list, client.record(1).unwrap(), client.record(2).unwrap());
            }
            assert!(
                t.elapsed() < Duration::from_secs(900),
                "not final in time: {list:?}"
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    };
    // the node and the workers are gone; start the node again on the same database
    let (_node, client) = start_node(&anchor, &db, &addr);
    let after = (
        client.batches().unwrap(),
        client.record(1).unwrap(),
        client.record(2).unwrap(),
    );
    assert_eq!(
        serde_json::to_value(&before.0).unwrap(),
        serde_json::to_value(&after.0).unwrap()
    );
    assert_eq!(before.1, after.1);
    assert_eq!(before.2, after.2);
}

/// Wait until every batch is final, or fail after `secs`.
fn wait_all_final(client: &Client, secs: u64) -> Vec<multiprover_node::BatchSummary> {
    let t = Instant::now();
    loop {
        let list = client.batches().unwrap();
        if list.iter().all(|b| b.status == BatchStatus::Final) {
            return list;
        }
        assert!(
            t.elapsed() < Duration::from_secs(secs),
            "not final in time: {list:?}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// The node is SIGKILLed while two workers are submitting proofs for 12 batches, then
/// restarted on the same database: every envelope a worker saw acknowledged is there, the
/// store replays (a half-written store is refused at startup), the workers carry on, and each
/// batch ends with exactly one proof per system.
#[test]
fn a_node_killed_mid_submission_keeps_everything_it_acknowledged() {
    const BATCHES: u64 = 12;
    let dir = tempfile::tempdir().unwrap();
    let anchor = small_keys(dir.path(), &["--systems", "stark,tee", "--policy", "all"]);
    let secrets = dir.path().join("anchor.json.secrets.json");
    let db = dir.path().join("node.db");
    let addr = free_addr();
    let url = format!("http://{addr}/");
    let (mut node, client) = start_node(&anchor, &db, &addr);
    for n in 1..=BATCHES {
        let b: multiprover_core::Batch = serde_json::from_str(&batch_json(
            n,
            &format!(r#"{{"from":1,"to":2,"amount":1,"nonce":{}}}"#, n - 1),
        ))
        .unwrap();
        client.propose(&b, &sequencer(&anchor)).unwrap();
    }
    let logs = [dir.path().join("stark.log"), dir.path().join("tee.log")];
    let _ws = start_worker_logged(SystemId::Stark, &url, &secrets, Some(&logs[0]));
    let _wt = start_worker_logged(SystemId::Tee, &url, &secrets, Some(&logs[1]));
    // Kill as soon as some, but not all, proofs are in.
    let t = Instant::now();
    loop {
        let proofs: usize = client
            .batches()
            .unwrap()
            .iter()
            .map(|b| b.proofs.len())
            .sum();
        if proofs >= 4 {
            assert!(
                proofs < 2 * BATCHES as usize,
                "all proofs were in before the kill"
            );
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(300), "no proofs arrived");
        std::thread::sleep(Duration::from_millis(20));
    }
    node.0.kill().unwrap(); // SIGKILL: no shutdown path runs
    node.0.wait().unwrap();
    let acknowledged: Vec<(String, u64)> = logs
        .iter()
        .flat_map(|l| {
            std::fs::read_to_string(l)
                .unwrap()
                .lines()
                .filter(|x| x.ends_with("and accepted"))
                .map(|x| {
                    let system = x[1..x.find(']').unwrap()].to_string();
                    let n = x.split_whitespace().nth(2).unwrap().parse().unwrap();
                    (system, n)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!acknowledged.is_empty());
    let (_node2, client) = start_node(&anchor, &db, &addr);
    let list = client.batches().unwrap();
    assert_eq!(list.len(), BATCHES as usize);
    for (system, n) in &acknowledged {
        assert!(
            list[*n as usize - 1]
                .proofs
                .iter()
                .any(|p| p.system.name() == system),
            "{system} proof of batch {n} was acknowledged but is gone after the restart"
        );
    }
    println!(
        "{} acknowledged envelopes survived a SIGKILL of the node",
        acknowledged.len()
    );
    // The workers (which retry an unreachable node for 30 s) finish the job.
    let list = wait_all_final(&client, 600);
    for b in &list {
        assert_eq!(
            b.proofs.len(),
            2,
            "batch {}: {:?}",
            b.batch_number,
            b.proofs
        );
        assert_eq!(client.record(b.batch_number).unwrap().envelopes.len(), 2);
    }
}

/// A STARK worker is killed while it proves a batch (right after it logs "proving", so it
/// holds the lease). Once the 3 s lease expires, a new worker proves the batch.
#[test]
fn a_worker_that_dies_holding_a_lease_is_replaced_when_the_lease_expires() {
    let dir = tempfile::tempdir().unwrap();
    let anchor = small_keys(dir.path(), &["--systems", "stark,tee", "--policy", "all"]);
    let secrets = dir.path().join("anchor.json.secrets.json");
    let addr = free_addr();
    let url = format!("http://{addr}/");
    let (_node, client) = start_node_with(
        &anchor,
        &dir.path().join("node.db"),
        &addr,
        &["--lease-secs", "3"],
    );
    let log = dir.path().join("stark.log");
    let mut victim = start_worker_logged(SystemId::Stark, &url, &secrets, Some(&log));
    let t = Instant::now();
    while !std::fs::read_to_string(&log).unwrap().contains("ready") {
        assert!(t.elapsed() < Duration::from_secs(120), "worker not ready");
        std::thread::sleep(Duration::from_millis(50));
    }
    let b: multiprover_core::Batch = serde_json::from_str(&batch_json(
        1,
        r#"{"from":1,"to":2,"amount":100,"nonce":0}"#,
    ))
    .unwrap();
    client.propose(&b, &sequencer(&anchor)).unwrap();
    let t = Instant::now();
    while !std::fs::read_to_string(&log)
        .unwrap()
        .contains("batch 1: proving")
    {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "worker never took the batch"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    victim.0.kill().unwrap();
    victim.0.wait().unwrap();
    let killed_at = Instant::now();
    assert!(
        client.batches().unwrap()[0].proofs.is_empty(),
        "the worker finished before it was killed"
    );
    // The dead worker still holds the lease: no STARK work for anyone else yet.
    assert!(client.work(SystemId::Stark).unwrap().is_none());
    let _w1 = start_worker(SystemId::Stark, &url, &secrets);
    let _w2 = start_worker(SystemId::Tee, &url, &secrets);
    let list = wait_all_final(&client, 300);
    let stark: Vec<_> = list[0]
        .proofs
        .iter()
        .filter(|p| p.system == SystemId::Stark)
        .collect();
    assert_eq!(stark.len(), 1);
    println!(
        "batch final {:.1} s after its prover was killed mid-proof",
        killed_at.elapsed().as_secs_f64()
    );
}

/// halo2 through the binary: keys, prove, verify, and a tampered proof rejected.
#[test]
#[ignore = "three halo2 setups (Params::new + keygen at k = 17) take 10+ min on 2 cores; run with `cargo test -p multiprover-cli -- --ignored`"]
fn halo2_keys_prove_verify() {
    let dir = tempfile::tempdir().unwrap();
    let anchor = small_keys(dir.path(), &["--systems", "halo2,tee"]);
    let a = anchor.to_str().unwrap();
    let b1 = write(
        &dir.path().join("b1.json"),
        &batch_json(1, r#"{"from":1,"to":2,"amount":100,"nonce":0}"#),
    );
    let out = dir.path().join("proofs");
    let o = run(&[
        "prove",
        "--system",
        "halo2",
        "--anchor",
        a,
        "--batch",
        &b1,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let env = out.join("batch-1.halo2.env");
    let mut bytes = std::fs::read(&env).unwrap();
    let flipped = dir.path().join("flipped.env");
    let i = bytes.len() - 40;
    bytes[i] ^= 1;
    std::fs::write(&flipped, &bytes).unwrap();
    // one process, so the verifying key is rebuilt once for both envelopes
    let o = run(&[
        "verify",
        "--anchor",
        a,
        "--batch",
        &b1,
        env.to_str().unwrap(),
        flipped.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("ok") && l.contains("halo2")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("INVALID") && l.contains("flipped")),
        "{stdout}"
    );
}

/// `GET path` over a fresh connection, the path sent exactly as given: the status code and the
/// body.
fn raw_get(addr: &str, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {answer:?}"));
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body.to_string())
}

/// `npm start`'s layout: a working directory with the demo in site/, the devnet's keys in
/// .devnet/ and the repository's files beside them. The devnet serves site/ and nothing else.
#[test]
fn a_devnet_serves_the_demo_and_not_its_keys() {
    use std::io::{BufRead, BufReader};
    let root = tempfile::tempdir().unwrap();
    for (file, text) in [
        ("site/index.html", "<title>demo</title>"),
        ("Cargo.toml", "[workspace]"),
        (".git/config", "[core]"),
    ] {
        let path = root.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let mut child = Command::new(BIN)
        .current_dir(root.path())
        .args([
            "devnet",
            "--dir",
            ".devnet",
            "--batches",
            "1",
            "--listen",
            "127.0.0.1:0",
        ])
        .args(["--depth", "8", "--capacity", "2", "--accounts", "6"])
        .args([
            "--systems",
            "plonky2,stark,tee",
            "--no-worker",
            "plonky2,stark,tee",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kept open until the end: the devnet writes to it.
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let _devnet = Proc(child);
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            l.strip_prefix("multiprover devnet: node and light-client demo at ")
                .map(str::to_string)
        })
        .expect("the devnet prints its URL");
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    assert!(root
        .path()
        .join(".devnet/anchor.json.secrets.json")
        .is_file());
    assert_eq!(
        raw_get(&addr, "/"),
        (200, "<title>demo</title>".to_string())
    );
    for path in [
        "/.devnet/anything",
        "/.devnet/anchor.json.secrets.json",
        "/.devnet/node.db",
        "/Cargo.toml",
        "/.git/config",
        "/site/index.html",
        "/../.devnet/anchor.json.secrets.json",
    ] {
        assert_eq!(raw_get(&addr, path).0, 404, "{path}");
    }
}
