//! EcGFp5 and Schnorr: the known-answer vectors of Pornin's reference implementation
//! (github.com/pornin/ecgfp5, `python/ecGFp5.py` and `rust/src/{field,curve,scalar}.rs`
//! tests, generated there with Sage), and property tests against a slow reference written
//! from the paper's definition: affine chord-and-tangent on the double-odd curve itself, the
//! group law `P + Q + N`, double-and-add.

use multiprover_core::ecgfp5::{EcError, GFp5, Point, Scalar, ORDER};
use multiprover_core::field::{Fp, P};
use multiprover_core::hash::Digest;
use multiprover_core::schnorr::{self, PublicKey, SecretKey, Signature};
use proptest::prelude::*;

fn gf(v: [u64; 5]) -> GFp5 {
    GFp5::from_u64s(v).expect("vector coefficients are canonical")
}

fn scalar_from_decimal(s: &str) -> Scalar {
    let mut limbs = [0u64; 5];
    for c in s.bytes() {
        let mut carry = (c - b'0') as u128;
        for l in limbs.iter_mut() {
            let v = *l as u128 * 10 + carry;
            *l = v as u64;
            carry = v >> 64;
        }
        assert_eq!(carry, 0);
    }
    Scalar::from_limbs(limbs).expect("below n")
}

// ---------------------------------------------------------------------------------------
// Known-answer vectors.

#[test]
fn gfp5_vectors() {
    // python/ecGFp5.py TestGFp5 and rust/src/field.rs gfp5_ops.
    let a = gf([
        9788683869780751860,
        18176307314149915536,
        17581807048943060475,
        16706651231658143014,
        424516324638612383,
    ]);
    let b = gf([
        1541862605911742196,
        5168181287870979863,
        10854086836664484156,
        11043707160649157424,
        943499178011708365,
    ]);
    let apb = gf([
        11330546475692494056,
        4897744532606311078,
        9989149816192960310,
        9303614322892716117,
        1368015502650320748,
    ]);
    let amb = gf([
        8246821263869009664,
        13008126026278935673,
        6727720212278576319,
        5662944071008985590,
        17927761216041488339,
    ]);
    let atb = gf([
        5924286846078684570,
        12564682493825924142,
        17116577152380521223,
        5260948460973948760,
        15673927150284637712,
    ]);
    let adb = gf([
        6854214528917216670,
        4676163378868226016,
        7338977912708396522,
        9922012834063967541,
        11413717840889184601,
    ]);
    assert_eq!(a + b, apb);
    assert_eq!(a - b, amb);
    assert_eq!(a * b, atb);
    assert_eq!(a.square(), a * a);
    assert_eq!(a * b.inverse().unwrap(), adb);
    assert_eq!(GFp5::ZERO.legendre(), 0);
    assert_eq!(GFp5::ZERO.sqrt(), Some(GFp5::ZERO));
}

/// w0..w7 of python/ecGFp5.py TestEcGFp5 (also rust/src/curve.rs ecgfp5_ops): P0 neutral,
/// P1 random, P2 = e P1, P3 = P1 + P2, P4 = 2 P1, P5 = 2 P2, P6 = 2 P1 + P2, P7 = P1 + 2 P2.
const W: [[u64; 5]; 8] = [
    [0, 0, 0, 0, 0],
    [
        12539254003028696409,
        15524144070600887654,
        15092036948424041984,
        11398871370327264211,
        10958391180505708567,
    ],
    [
        11001943240060308920,
        17075173755187928434,
        3940989555384655766,
        15017795574860011099,
        5548543797011402287,
    ],
    [
        246872606398642312,
        4900963247917836450,
        7327006728177203977,
        13945036888436667069,
        3062018119121328861,
    ],
    [
        8058035104653144162,
        16041715455419993830,
        7448530016070824199,
        11253639182222911208,
        6228757819849640866,
    ],
    [
        10523134687509281194,
        11148711503117769087,
        9056499921957594891,
        13016664454465495026,
        16494247923890248266,
    ],
    [
        12173306542237620,
        6587231965341539782,
        17027985748515888117,
        17194831817613584995,
        10056734072351459010,
    ],
    [
        9420857400785992333,
        4695934009314206363,
        14471922162341187302,
        13395190104221781928,
        16359223219913018041,
    ],
];

/// The scalar `e` with `P2 = e P1`.
const E: &str = "841809598287430541331763924924406256080383779033370172527955679319982746101779529382447999363236";

/// Values that must not decode (same sources).
const BAD_W: [[u64; 5]; 6] = [
    [
        13557832913345268708,
        15669280705791538619,
        8534654657267986396,
        12533218303838131749,
        5058070698878426028,
    ],
    [
        135036726621282077,
        17283229938160287622,
        13113167081889323961,
        1653240450380825271,
        520025869628727862,
    ],
    [
        6727960962624180771,
        17240764188796091916,
        3954717247028503753,
        1002781561619501488,
        4295357288570643789,
    ],
    [
        4578929270179684956,
        3866930513245945042,
        7662265318638150701,
        9503686272550423634,
        12241691520798116285,
    ],
    [
        16890297404904119082,
        6169724643582733633,
        9725973298012340311,
        5977049210035183790,
        11379332130141664883,
    ],
    [
        13777379982711219130,
        14715168412651470168,
        17942199593791635585,
        6188824164976547520,
        15461469634034461986,
    ],
];

#[test]
fn point_vectors() {
    let w: Vec<GFp5> = W.iter().map(|v| gf(*v)).collect();
    let p: Vec<Point> = w.iter().map(|w| Point::decode(w).unwrap()).collect();
    for (wi, pi) in w.iter().zip(&p) {
        assert_eq!(pi.encode(), *wi);
    }
    assert!(p[0].is_neutral());
    assert!(p[1..].iter().all(|q| !q.is_neutral()));
    assert_eq!(p[0], Point::NEUTRAL);
    assert_ne!(p[1], p[0]);
    assert_ne!(p[1], p[2]);

    for bad in BAD_W {
        assert_eq!(Point::decode(&gf(bad)), Err(EcError::InvalidPoint));
    }

    assert_eq!(p[1].add(&p[2]).encode(), w[3]);
    assert_eq!(p[1].double().encode(), w[4]);
    assert_eq!(p[1].add(&p[1]).encode(), w[4]);
    assert_eq!(p[2].double().encode(), w[5]);
    assert_eq!(p[2].add(&p[2]).encode(), w[5]);
    assert_eq!(p[4].add(&p[2]).encode(), w[6]);
    assert_eq!(p[1].double().add(&p[2]).encode(), w[6]);
    assert_eq!(p[5].add(&p[1]).encode(), w[7]);
    assert_eq!(p[1].add(&p[2]).add(&p[2]).encode(), w[7]);

    assert_eq!(p[1].add(&p[0]).encode(), w[1]);
    assert_eq!(p[0].add(&p[1]).encode(), w[1]);
    assert_eq!(p[0].add(&p[0]).encode(), w[0]);
    assert_eq!(p[0].double().encode(), w[0]);
    assert_eq!(p[1].sub(&p[1]).encode(), w[0]);
    assert_eq!(p[1].add(&p[1].neg()).encode(), w[0]);
    assert_eq!(p[1].sub(&p[2].neg()).encode(), w[3]);

    let e = scalar_from_decimal(E);
    assert_eq!(p[1].mul(&e).encode(), w[2]);
    assert_eq!(p[1].mul_add_generator(&Scalar::ZERO, &e).encode(), w[2]);
}

#[test]
fn mul_vector() {
    // rust/src/curve.rs ecgfp5_mul: w2 = enc(e P1) for the 40-byte scalar encoding ebuf.
    let w1 = gf([
        7534507442095725921,
        16658460051907528927,
        12417574136563175256,
        2750788641759288856,
        620002843272906439,
    ]);
    let ebuf: [u8; 40] = [
        0x1B, 0x18, 0x51, 0xC8, 0x1D, 0x22, 0xD4, 0x0D, 0x6D, 0x36, 0xEC, 0xCE, 0x54, 0x27, 0x41,
        0x66, 0x08, 0x14, 0x2F, 0x8F, 0xFF, 0x64, 0xB4, 0x76, 0x28, 0xCD, 0x3F, 0xF8, 0xAA, 0x25,
        0x16, 0xD4, 0xBA, 0xD0, 0xCC, 0x02, 0x1A, 0x44, 0x7C, 0x03,
    ];
    let w2 = gf([
        9486104512504676657,
        14312981644741144668,
        5159846406177847664,
        15978863787033795628,
        3249948839313771192,
    ]);
    let p1 = Point::decode(&w1).unwrap();
    let p2 = Point::decode(&w2).unwrap();
    let e = Scalar::from_le_bytes(&ebuf).unwrap();
    assert_eq!(p1.mul(&e), p2);
    assert_eq!(p1.mul(&e).encode(), w2);
}

#[test]
fn generator_is_w_4() {
    // rust/src/curve.rs: "The conventional generator (corresponding to encoding w = 4)".
    let four = GFp5::from_fp(Fp::new(4));
    assert_eq!(Point::GENERATOR.encode(), four);
    assert_eq!(Point::decode(&four).unwrap(), Point::GENERATOR);
    assert!(Point::GENERATOR
        .mul(&neg_one())
        .add(&Point::GENERATOR)
        .is_neutral());
}

fn neg_one() -> Scalar {
    -Scalar::ONE
}

#[test]
fn scalar_vectors() {
    // rust/src/scalar.rs scalar_ops: buf1 = n - 1 decodes, buf2 = n does not.
    let buf1: [u8; 40] = [
        0xE0, 0xFF, 0x8B, 0x94, 0x96, 0xD9, 0x0F, 0xE8, 0x9C, 0xA0, 0x24, 0xD7, 0x39, 0x5C, 0x88,
        0xE8, 0x39, 0x06, 0xB8, 0xCF, 0xE6, 0xFF, 0xFF, 0x7F, 0x16, 0x00, 0x00, 0x00, 0xF1, 0xFF,
        0xFF, 0x7F, 0x07, 0x00, 0x00, 0x80, 0xFD, 0xFF, 0xFF, 0x7F,
    ];
    let mut buf2 = buf1;
    buf2[0] = 0xE1;
    let s1 = Scalar::from_le_bytes(&buf1).unwrap();
    assert_eq!(s1.to_le_bytes(), buf1);
    assert_eq!(s1, neg_one());
    assert_eq!(Scalar::from_le_bytes(&buf2), None);
    assert_eq!(Scalar::from_limbs(ORDER), None);

    // buf4 = a 512-bit integer, buf5 = buf4 mod n, buf6 = buf4^256 mod n.
    let buf4: [u8; 64] = [
        0xB5, 0xDD, 0x28, 0xB8, 0xD2, 0x9B, 0x6F, 0xF8, 0x15, 0x65, 0x3F, 0x89, 0xDB, 0x7B, 0xA9,
        0xDE, 0x33, 0x7D, 0xA8, 0x27, 0x82, 0x26, 0xB4, 0xD6, 0x9E, 0x1F, 0xFA, 0x97, 0x3D, 0x9E,
        0x01, 0x9C, 0x77, 0xC9, 0x63, 0x5C, 0xB8, 0x34, 0xD8, 0x1A, 0x4D, 0xCB, 0x03, 0x48, 0x62,
        0xCD, 0xEE, 0xC9, 0x8E, 0xC8, 0xC9, 0xA7, 0xB3, 0x6E, 0xDA, 0xCE, 0x18, 0x75, 0x1B, 0xDD,
        0x4F, 0x94, 0x67, 0xB5,
    ];
    let buf5: [u8; 40] = [
        0x89, 0x01, 0x7A, 0x52, 0xBD, 0xDF, 0x45, 0x60, 0xCE, 0x5B, 0xBA, 0xE5, 0x5D, 0x25, 0x96,
        0x5A, 0x0A, 0x4F, 0x0A, 0x27, 0x1A, 0x7A, 0xE8, 0x1D, 0x7D, 0xBF, 0xE3, 0xE3, 0xFA, 0x5E,
        0x17, 0xE0, 0x44, 0xD9, 0xA5, 0x37, 0x9B, 0xF8, 0x38, 0x74,
    ];
    let buf6: [u8; 40] = [
        0x27, 0x7E, 0x2C, 0xAB, 0x6D, 0xAD, 0x8D, 0xA0, 0x15, 0x44, 0x02, 0x0F, 0xFA, 0xD5, 0x4F,
        0x15, 0xBF, 0x6D, 0x1D, 0x76, 0x22, 0x73, 0xCD, 0xDA, 0x23, 0xFE, 0x5A, 0xED, 0xCA, 0x75,
        0xD7, 0x04, 0x05, 0x66, 0x87, 0x3D, 0x37, 0x5B, 0x24, 0x13,
    ];
    let s4 = Scalar::from_le_bytes_reduce(&buf4);
    assert_eq!(s4.to_le_bytes(), buf5);
    assert_eq!(Scalar::from_le_bytes(&buf5), Some(s4));
    let mut s6 = s4;
    for _ in 0..8 {
        s6 = s6 * s6;
    }
    assert_eq!(s6.to_le_bytes(), buf6);
}

// ---------------------------------------------------------------------------------------
// The slow reference: affine points of y^2 = x^3 + a x^2 + b x (a = 2, b = 263 z), `None`
// for the curve's point at infinity; the group G uses `P + Q + N` with N = (0, 0).

type Aff = Option<(GFp5, GFp5)>;

fn ref_a() -> GFp5 {
    GFp5::from_fp(Fp::new(2))
}

fn ref_b() -> GFp5 {
    gf([0, 263, 0, 0, 0])
}

fn div(a: GFp5, b: GFp5) -> GFp5 {
    a * b.inverse().unwrap()
}

/// Curve addition (chord and tangent).
fn curve_add(p: Aff, q: Aff) -> Aff {
    let (x1, y1) = match p {
        None => return q,
        Some(v) => v,
    };
    let (x2, y2) = match q {
        None => return p,
        Some(v) => v,
    };
    let lambda = if x1 == x2 {
        if y1 == -y2 {
            return None;
        }
        let three = GFp5::from_fp(Fp::new(3));
        let two = GFp5::from_fp(Fp::new(2));
        div(three * x1 * x1 + two * ref_a() * x1 + ref_b(), two * y1)
    } else {
        div(y2 - y1, x2 - x1)
    };
    let x3 = lambda * lambda - ref_a() - x1 - x2;
    let y3 = lambda * (x1 - x3) - y1;
    Some((x3, y3))
}

const REF_N: Aff = Some((GFp5::ZERO, GFp5::ZERO));

/// The group law of EcGFp5.
fn ref_add(p: Aff, q: Aff) -> Aff {
    curve_add(curve_add(p, q), REF_N)
}

fn ref_mul(p: Aff, k: &Scalar) -> Aff {
    let mut acc = REF_N;
    for i in (0..320).rev() {
        acc = ref_add(acc, acc);
        if k.bit(i) {
            acc = ref_add(acc, p);
        }
    }
    acc
}

fn on_curve(p: Aff) -> bool {
    match p {
        None => true,
        Some((x, y)) => y * y == x * (x * x + ref_a() * x + ref_b()),
    }
}

/// Decoding as double-odd curves define it: solve `x^2 - (w^2 - a) x + b = 0` for the root
/// that is not a square, `y = w x`.
fn ref_decode(w: GFp5) -> Option<Aff> {
    if w.is_zero() {
        return Some(REF_N);
    }
    let e = w * w - ref_a();
    let delta = e * e - ref_b() * GFp5::from_fp(Fp::new(4));
    let r = delta.sqrt()?;
    let half = GFp5::from_fp(Fp::new(2)).inverse().unwrap();
    let x1 = (e + r) * half;
    let x2 = (e - r) * half;
    let x = if x1.legendre() == -1 { x1 } else { x2 };
    assert_eq!(x.legendre(), -1);
    let p = Some((x, w * x));
    assert!(on_curve(p));
    Some(p)
}

fn ref_encode(p: Aff) -> GFp5 {
    let (x, y) = p.expect("elements of G are never the point at infinity");
    if x.is_zero() {
        GFp5::ZERO
    } else {
        div(y, x)
    }
}

fn arb_gfp5() -> impl Strategy<Value = GFp5> {
    proptest::array::uniform5(0..P).prop_map(gf)
}

/// A valid non-zero encoding: the first decodable one from a random start.
fn arb_point_w() -> impl Strategy<Value = GFp5> {
    arb_gfp5().prop_map(|mut w| {
        while w.is_zero() || Point::decode(&w).is_err() {
            w += GFp5::ONE;
        }
        w
    })
}

fn arb_scalar() -> impl Strategy<Value = Scalar> {
    proptest::collection::vec(any::<u8>(), 64).prop_map(|b| Scalar::from_le_bytes_reduce(&b))
}

fn digest_from(v: [u64; 4]) -> Digest {
    Digest(v.map(Fp::reduce_u64))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn decode_matches_reference(w in arb_gfp5()) {
        match (Point::decode(&w), ref_decode(w)) {
            (Ok(p), Some(r)) => {
                prop_assert_eq!(p.encode(), w);
                prop_assert_eq!(ref_encode(r), w);
            }
            (Err(e), None) => prop_assert_eq!(e, EcError::InvalidPoint),
            (a, b) => prop_assert!(false, "decode {:?} vs reference {:?}", a, b),
        }
    }

    #[test]
    fn add_and_double_match_reference(w1 in arb_point_w(), w2 in arb_point_w()) {
        let (p1, p2) = (Point::decode(&w1).unwrap(), Point::decode(&w2).unwrap());
        let (r1, r2) = (ref_decode(w1).unwrap(), ref_decode(w2).unwrap());
        let sum = ref_add(r1, r2);
        prop_assert!(on_curve(sum));
        prop_assert_eq!(p1.add(&p2).encode(), ref_encode(sum));
        prop_assert_eq!(p1.sub(&p2).encode(), ref_encode(ref_add(r1, ref_decode(-w2).unwrap())));
        prop_assert_eq!(p1.double().encode(), ref_encode(ref_add(r1, r1)));
        // Mixed sums of a sum, so that Z != 1 on both sides.
        let p3 = p1.add(&p2);
        prop_assert_eq!(p3.add(&p3.double()).encode(), ref_encode(ref_add(sum, ref_add(sum, sum))));
        prop_assert_eq!(p3.add(&p3.neg()), Point::NEUTRAL);
        prop_assert_eq!(p3.add(&p1), p1.add(&p3));
    }

    #[test]
    fn encode_decode_round_trip(w in arb_point_w(), k in arb_scalar()) {
        let p = Point::decode(&w).unwrap();
        prop_assert_eq!(Point::decode(&p.encode()).unwrap(), p);
        let q = p.mul(&k);
        prop_assert_eq!(Point::decode(&q.encode()).unwrap(), q);
        prop_assert_eq!(Point::from_le_bytes(&q.to_le_bytes()).unwrap(), q);
    }

    #[test]
    fn decoding_never_panics(b in proptest::array::uniform32(any::<u8>()), tail in any::<u64>()) {
        let mut bytes = [0u8; 40];
        bytes[..32].copy_from_slice(&b);
        bytes[32..].copy_from_slice(&tail.to_le_bytes());
        let _ = Point::from_le_bytes(&bytes);
        let _ = PublicKey::from_le_bytes(&bytes);
        let _ = Scalar::from_le_bytes(&bytes);
        let mut sig = [0u8; 80];
        sig[..40].copy_from_slice(&bytes);
        sig[40..].copy_from_slice(&bytes);
        let _ = Signature::from_bytes(&sig);
    }

    #[test]
    fn non_canonical_coefficients_rejected(w in arb_point_w(), i in 0usize..5, k in 0u64..(1u64 << 32) - 1) {
        // Replace coefficient i by its value plus p (when that fits in 64 bits) or any
        // value >= p: the same residue, or none, must not decode.
        let mut bytes = w.to_le_bytes();
        let c = w.0[i].as_u64();
        let bad = c.checked_add(P).unwrap_or(P + k);
        bytes[8 * i..8 * i + 8].copy_from_slice(&bad.to_le_bytes());
        prop_assert_eq!(Point::from_le_bytes(&bytes), Err(EcError::NonCanonicalField));
        prop_assert_eq!(PublicKey::from_le_bytes(&bytes), Err(EcError::NonCanonicalField));
    }

    #[test]
    fn mul_matches_double_and_add(w in arb_point_w(), k in arb_scalar(), j in arb_scalar()) {
        let p = Point::decode(&w).unwrap();
        let r = ref_decode(w).unwrap();
        prop_assert_eq!(p.mul(&k).encode(), ref_encode(ref_mul(r, &k)));
        let g = ref_decode(GFp5::from_fp(Fp::new(4))).unwrap();
        let kg = Point::mul_generator(&k);
        prop_assert_eq!(kg.encode(), ref_encode(ref_mul(g, &k)));
        prop_assert_eq!(kg, Point::GENERATOR.mul(&k));
        prop_assert_eq!(p.mul_add_generator(&k, &j), kg.add(&p.mul(&j)));
        // Scalar arithmetic agrees with the group.
        prop_assert_eq!(p.mul(&(k + j)), p.mul(&k).add(&p.mul(&j)));
        prop_assert_eq!(p.mul(&(k * j)), p.mul(&k).mul(&j));
    }

    #[test]
    fn signatures_verify(seed in proptest::collection::vec(any::<u8>(), 0..64), m in any::<[u64; 4]>()) {
        let m = digest_from(m);
        let sk = SecretKey::from_seed(&seed);
        let pk = sk.public_key();
        let sig = sk.sign(&m);
        prop_assert_eq!(pk.verify(&m, &sig), Ok(()));
        prop_assert_eq!(schnorr::verify(&pk.encoding(), &m, &sig), Ok(()));
        prop_assert_eq!(PublicKey::from_encoding(&pk.encoding()), Ok(pk));
        prop_assert_eq!(Signature::from_bytes(&sig.to_bytes()), Ok(sig));
        prop_assert_eq!(sk.sign(&m), sig);
    }

    #[test]
    fn any_flipped_bit_fails(seed in any::<[u8; 32]>(), m in any::<[u64; 4]>(), bit in 0usize..640, pk_bit in 0usize..320, m_bit in 0usize..256) {
        let m = digest_from(m);
        let sk = SecretKey::from_seed(&seed);
        let pk = sk.public_key();
        let sig = sk.sign(&m);

        // A bit of R (bits 0..320) or s (320..640).
        let mut sb = sig.to_bytes();
        sb[bit / 8] ^= 1 << (bit % 8);
        let rejected = match Signature::from_bytes(&sb) {
            Err(_) => true,
            Ok(bad) => pk.verify(&m, &bad).is_err(),
        };
        prop_assert!(rejected, "flipped signature bit {} verifies", bit);

        // A bit of the public key.
        let mut kb = pk.encoding().to_le_bytes();
        kb[pk_bit / 8] ^= 1 << (pk_bit % 8);
        let rejected = match PublicKey::from_le_bytes(&kb) {
            Err(_) => true,
            Ok(bad) => bad.verify(&m, &sig).is_err(),
        };
        prop_assert!(rejected, "flipped key bit {} verifies", pk_bit);

        // A bit of the message.
        let mut mb = m.to_b256();
        mb.0[m_bit / 8] ^= 1 << (m_bit % 8);
        let rejected = match Digest::from_b256(&mb) {
            None => true,
            Some(bad) => pk.verify(&bad, &sig).is_err(),
        };
        prop_assert!(rejected, "flipped message bit {} verifies", m_bit);
    }

    #[test]
    fn s_at_or_above_order_is_rejected(seed in any::<[u8; 32]>(), m in any::<[u64; 4]>()) {
        let m = digest_from(m);
        let sig = SecretKey::from_seed(&seed).sign(&m);
        // s + n < 2^320 is the same residue, as 40 bytes: it must not parse.
        let s = sig.s.to_limbs();
        let mut v = [0u64; 5];
        let mut carry = 0u128;
        for i in 0..5 {
            let t = s[i] as u128 + ORDER[i] as u128 + carry;
            v[i] = t as u64;
            carry = t >> 64;
        }
        prop_assert_eq!(carry, 0);
        let mut b = sig.to_bytes();
        for (i, l) in v.iter().enumerate() {
            b[40 + 8 * i..48 + 8 * i].copy_from_slice(&l.to_le_bytes());
        }
        prop_assert_eq!(Signature::from_bytes(&b), Err(EcError::NonCanonicalScalar));
        prop_assert_eq!(Scalar::from_limbs(v), None);
    }
}

#[test]
fn wrong_key_and_neutral_key() {
    let m = digest_from([1, 2, 3, 4]);
    let sig = SecretKey::from_seed(b"alice").sign(&m);
    let bob = SecretKey::from_seed(b"bob").public_key();
    assert_eq!(bob.verify(&m, &sig), Err(EcError::BadSignature));
    assert_eq!(
        PublicKey::from_encoding(&GFp5::ZERO),
        Err(EcError::NeutralKey)
    );
    assert_eq!(
        PublicKey::from_encoding(&gf(BAD_W[0])),
        Err(EcError::InvalidPoint)
    );
    assert_eq!(
        SecretKey::from_scalar(Scalar::ZERO),
        Err(EcError::ZeroSecretKey)
    );
}

/// This crate's own known answer (a regression vector for circuits and other
/// implementations, docs/spec.md "EcGFp5 Schnorr signatures"), re-derived with the reference.
#[test]
fn schnorr_known_answer() {
    let sk = SecretKey::from_seed(b"multiprover/ecgfp5-schnorr/kat");
    let pk = sk.public_key();
    let m = digest_from([1, 2, 3, 4]);
    let sig = sk.sign(&m);
    let e = schnorr::challenge(&sig.r, &pk.encoding(), &m);
    assert_eq!(
        hex::encode(sk.to_le_bytes()),
        "7f58b6672fe13a7f3eaf1579757efa097ab7c18094f588789f1e6a0f411efcb4ab5e613c2b130a34"
    );
    assert_eq!(
        pk.encoding().to_u64s(),
        [
            15450047094969008891,
            10268454375520454480,
            16310884984014194420,
            7316752052049740261,
            12902030300954299139
        ]
    );
    assert_eq!(
        sig.r.to_u64s(),
        [
            4635607813505489836,
            18107043153970253604,
            1732242553401976901,
            4861134519573447156,
            3836384662321242191
        ]
    );
    assert_eq!(
        hex::encode(sig.s.to_le_bytes()),
        "abf69277dbeb5bf040615fbc233668cef225cb6fb1a27debcde37a64d33b3b28d6d3361ed63f2a30"
    );
    assert_eq!(
        hex::encode(e.to_le_bytes()),
        "9e78ad5ac939b0a472dee0435dbf79ac0250ba56fc64ca44f90e9ff11a6ec7e91824d3669b5cad1a"
    );
    // The same relations with the slow reference: pk = x G and s G - e pk = R.
    let g = ref_decode(GFp5::from_fp(Fp::new(4))).unwrap();
    let q = ref_mul(g, &sk.scalar());
    assert_eq!(ref_encode(q), pk.encoding());
    let sg = ref_mul(g, &sig.s);
    let eq = ref_mul(q, &(-e));
    assert_eq!(ref_encode(ref_add(sg, eq)), sig.r);
}

/// Every single-bit flip of one signature (all 640 bits of `R ‖ s`), its key (320 bits) and
/// its message (256 bits) is rejected.
#[test]
fn every_flipped_bit_fails() {
    let m = digest_from([11, 22, 33, 44]);
    let sk = SecretKey::from_seed(b"every bit");
    let pk = sk.public_key();
    let sig = sk.sign(&m);
    assert_eq!(pk.verify(&m, &sig), Ok(()));
    for bit in 0..640 {
        let mut b = sig.to_bytes();
        b[bit / 8] ^= 1 << (bit % 8);
        if let Ok(bad) = Signature::from_bytes(&b) {
            assert!(pk.verify(&m, &bad).is_err(), "signature bit {bit}");
        }
    }
    for bit in 0..320 {
        let mut b = pk.encoding().to_le_bytes();
        b[bit / 8] ^= 1 << (bit % 8);
        if let Ok(bad) = PublicKey::from_le_bytes(&b) {
            assert!(bad.verify(&m, &sig).is_err(), "key bit {bit}");
        }
    }
    for bit in 0..256 {
        let mut b = m.to_b256();
        b.0[bit / 8] ^= 1 << (bit % 8);
        if let Some(bad) = Digest::from_b256(&b) {
            assert!(pk.verify(&bad, &sig).is_err(), "message bit {bit}");
        }
    }
}
