//! Trust anchor JSON: round trip, canonical hash, strict parsing.

use crate::common::anchor;
use multiprover_core::{CoreError, Policy, SystemId, Tier, TrustAnchor};

#[test]
fn round_trip_and_hash() {
    let a = anchor(Policy::default_tiers(), &SystemId::ALL);
    let back = TrustAnchor::from_json(a.to_json_pretty().as_bytes()).unwrap();
    assert_eq!(back, a);
    assert_eq!(
        back.hash(),
        a.hash(),
        "pretty and compact JSON have the same canonical hash"
    );
    let mut b = a.clone();
    b.chain_id = 8;
    assert_ne!(b.hash(), a.hash());
    let mut c = a.clone();
    c.policy.quarantined.push(SystemId::Tee);
    assert_ne!(c.hash(), a.hash(), "the policy is part of the anchor hash");
}

#[test]
fn strict_parsing() {
    let a = anchor(Policy::default_tiers(), &SystemId::ALL);
    let mut v: serde_json::Value = serde_json::from_str(&a.to_json()).unwrap();
    v["surprise"] = serde_json::json!(1);
    assert!(matches!(
        TrustAnchor::from_json(v.to_string().as_bytes()),
        Err(CoreError::BadAnchor(_))
    ));
    // genesis accounts that do not hash to the root
    let mut g = a.clone();
    g.genesis[0].balance += 1;
    assert!(matches!(
        TrustAnchor::from_json(g.to_json().as_bytes()),
        Err(CoreError::BadAnchor(_))
    ));
    // two keys for one system
    let mut d = a.clone();
    d.systems.push(d.systems[0].clone());
    assert!(d.validate().is_err());
    // a policy whose last tier is bounded
    let mut p = a.clone();
    p.policy.tiers = vec![Tier {
        below: Some(5),
        min_systems: 1,
        required_families: vec![],
    }];
    assert!(matches!(p.validate(), Err(CoreError::BadPolicy(_))));
    // garbage never panics
    for junk in [
        &b""[..],
        b"{",
        b"null",
        b"[]",
        b"{\"version\":1}",
        &[0xff; 64],
    ] {
        assert!(TrustAnchor::from_json(junk).is_err());
    }
}
