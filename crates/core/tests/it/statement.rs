//! Statement encodings and the EIP-712 digest, checked against alloy-sol-types.

use alloy_sol_types::{eip712_domain, sol, SolStruct};
use multiprover_core::{Digest, Statement};

sol! {
    struct Transition {
        uint64 chainId;
        uint64 batchNumber;
        bytes32 preRoot;
        bytes32 batchHash;
        bytes32 postRoot;
    }
}

fn sample(chain_id: u64) -> Statement {
    Statement {
        chain_id,
        batch_number: 42,
        pre_root: Digest::from_u64s([1, 2, 3, 4]).unwrap(),
        post_root: Digest::from_u64s([5, 6, 7, 8]).unwrap(),
        batch_hash: Digest::from_u64s([9, 10, 11, 0xffff_ffff_0000_0000]).unwrap(),
    }
}

#[test]
fn eip712_digest_matches_alloy() {
    for chain_id in [1u64, 7, 0xffff_ffff_0000_0000] {
        let s = sample(chain_id);
        let domain = eip712_domain! {
            name: "multiprover",
            version: "1",
            chain_id: chain_id,
        };
        let t = Transition {
            chainId: s.chain_id,
            batchNumber: s.batch_number,
            preRoot: s.pre_root.to_b256(),
            batchHash: s.batch_hash.to_b256(),
            postRoot: s.post_root.to_b256(),
        };
        assert_eq!(s.eip712_digest(), t.eip712_signing_hash(&domain));
    }
}

#[test]
fn byte_encodings() {
    let s = sample(7);
    let b = s.to_bytes();
    assert_eq!(Statement::from_bytes(&b).unwrap(), s);
    // roots are the four elements as u64 little-endian
    assert_eq!(&s.pre_root.to_b256()[..8], &1u64.to_le_bytes());
    assert_eq!(&s.pre_root.to_b256()[24..], &4u64.to_le_bytes());
    let pi = s.public_inputs_u64();
    assert_eq!(
        pi,
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0xffff_ffff_0000_0000]
    );
    // non-canonical chain id
    let mut bad = b;
    bad[..8].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(Statement::from_bytes(&bad).is_err());
    assert!(Statement::from_bytes(&b[..100]).is_err());
    // JSON uses 0x-prefixed 32-byte hex roots
    let j = serde_json::to_value(s).unwrap();
    assert_eq!(
        j["pre_root"],
        serde_json::json!(format!("{}", s.pre_root.to_b256()))
    );
    let back: Statement = serde_json::from_value(j).unwrap();
    assert_eq!(back, s);
}
