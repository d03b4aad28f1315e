//! No input makes the engine panic: random bytes, random mixes of the
//! fragments the parsers look for, and damaged copies of real inputs.
#![cfg(not(target_arch = "wasm32"))]

use imap_doctor_engine::{analyze, Input, Options};
use proptest::prelude::*;

const FULL: &str = include_str!("../../../../tests/fixtures/full-chain.txt");
const P7B: &[u8] = include_bytes!("../../../../tests/fixtures/pki/chain-der.p7b");

fn run(bytes: &[u8]) -> imap_doctor_engine::Report {
    let r = analyze(
        &[Input {
            name: "fuzz",
            bytes,
        }],
        &[Input {
            name: "trust",
            bytes,
        }],
        &Options {
            at: 1_900_000_000,
            host: Some("mail.example.test".into()),
            public_roots: false,
            ..Default::default()
        },
    );
    // Every report renders and serialises.
    let _ = r.to_text();
    let _ = r.to_markdown();
    serde_json::to_string(&r).unwrap();
    r
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("-----BEGIN CERTIFICATE-----\n".to_string()),
        Just("-----END CERTIFICATE-----\n".to_string()),
        Just("-----BEGIN PKCS7-----\n".to_string()),
        Just("-----END PKCS7-----\n".to_string()),
        Just("-----BEGIN RSA PRIVATE KEY-----\n".to_string()),
        Just("Certificate chain\n".to_string()),
        Just(" 0 s:C = US, O = \"A, B\", CN = x\n".to_string()),
        Just("   i:/C=US/CN=y\n".to_string()),
        Just("   a:PKEY: rsaEncryption, 2048 (bit)\n".to_string()),
        Just("---\n".to_string()),
        Just("depth=0 CN = x\nverify error:num=20:\n".to_string()),
        Just("Verify return code: 21 (x)\n".to_string()),
        Just("    Protocol  : TLSv1\n".to_string()),
        Just("New, TLSv1.2, Cipher is RC4-MD5\n".to_string()),
        Just("CONNECTED(00000003)\n".to_string()),
        Just("* OK ready\n".to_string()),
        Just("openssl s_client -connect [::1:99999\n".to_string()),
        "[A-Za-z0-9+/=]{0,120}\n",
        "[ -~]{0,80}\n",
        "> {0,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        run(&bytes);
    }

    #[test]
    fn fragment_soup(parts in proptest::collection::vec(fragment(), 0..40)) {
        run(parts.concat().as_bytes());
    }

    #[test]
    fn damaged_real_chain(pos in 0usize..FULL.len(), byte in any::<u8>(), cut in 0usize..FULL.len()) {
        let mut b = FULL.as_bytes().to_vec();
        b[pos] = byte;
        run(&b);
        run(&FULL.as_bytes()[..cut]);
    }

    #[test]
    fn damaged_der(pos in 0usize..P7B.len(), byte in any::<u8>()) {
        let mut b = P7B.to_vec();
        b[pos] = byte;
        run(&b);
    }
}
