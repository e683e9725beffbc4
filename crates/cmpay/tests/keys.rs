//! RSA key loading in every accepted form, and the refusals.

use cmpay::keys::{load_private_key, load_public_key, spki_hex};
use cmpay::{ErrorCode, Merchant};
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey};
use x509_cert::der::{DecodePem, Encode};

fn key_file(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../tests/data/test-keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn private_keys_in_every_form_are_the_same_key() {
    let pem8 = load_private_key(&key_file("merchant_private_pkcs8.pem")).unwrap();
    let pem1 = load_private_key(&key_file("merchant_private_pkcs1.pem")).unwrap();
    assert_eq!(pem8, pem1);
    let der8 = pem8.to_pkcs8_der().unwrap();
    let der1 = pem8.to_pkcs1_der().unwrap();
    assert_eq!(load_private_key(der8.as_bytes()).unwrap(), pem8);
    assert_eq!(load_private_key(der1.as_bytes()).unwrap(), pem8);
    assert_eq!(
        load_private_key(hex::encode(der8.as_bytes()).as_bytes()).unwrap(),
        pem8
    );
    assert_eq!(
        load_private_key(hex::encode_upper(der1.as_bytes()).as_bytes()).unwrap(),
        pem8
    );
}

#[test]
fn public_keys_in_every_form_are_the_same_key() {
    let spki_pem = load_public_key(&key_file("platform_public.pem"), false).unwrap();
    let from_cert = load_public_key(&key_file("platform_cert.pem"), false).unwrap();
    assert_eq!(spki_pem, from_cert);
    let pkcs1_pem = spki_pem.to_pkcs1_pem(Default::default()).unwrap();
    assert_eq!(
        load_public_key(pkcs1_pem.as_bytes(), false).unwrap(),
        spki_pem
    );
    let spki_der = spki_pem.to_public_key_der().unwrap();
    assert_eq!(
        load_public_key(spki_der.as_bytes(), false).unwrap(),
        spki_pem
    );
    assert_eq!(
        load_public_key(spki_hex(&spki_pem).unwrap().as_bytes(), false).unwrap(),
        spki_pem
    );
    // A certificate as DER, and as the hex a serverCert field would carry.
    let cert = x509_cert::Certificate::from_pem(key_file("platform_cert.pem")).unwrap();
    let cert_der = cert.to_der().unwrap();
    assert_eq!(load_public_key(&cert_der, false).unwrap(), spki_pem);
    assert_eq!(
        load_public_key(hex::encode(&cert_der).as_bytes(), false).unwrap(),
        spki_pem
    );
}

#[test]
fn short_keys_are_refused_and_garbage_is_a_key_error() {
    // A made-up 1024-bit key (tests/data/test-keys/legacy_1024_*).
    let private = key_file("legacy_1024_private_pkcs8.pem");
    let public = key_file("legacy_1024_public.pem");
    assert_eq!(
        load_private_key(&private).unwrap_err().code(),
        ErrorCode::Key
    );
    assert_eq!(
        load_public_key(&public, false).unwrap_err().code(),
        ErrorCode::Key
    );
    assert!(
        load_public_key(&public, true).is_ok(),
        "a legacy 1024-bit gateway key may be allowed explicitly"
    );
    // ...but never for the merchant's own signing key.
    let err = Merchant::rsa_with_options(
        "888009941120001",
        &private,
        &key_file("platform_public.pem"),
        true,
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Key);
    for garbage in [
        &b""[..],
        b"   ",
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
        b"abcdef",
        b"\x30\x03\x02\x01\x00",
    ] {
        assert_eq!(
            load_private_key(garbage).unwrap_err().code(),
            ErrorCode::Key
        );
        assert_eq!(
            load_public_key(garbage, true).unwrap_err().code(),
            ErrorCode::Key
        );
    }
    // A private key where the gateway's public key belongs is refused too.
    assert_eq!(
        load_public_key(&key_file("platform_private_pkcs8.pem"), false)
            .unwrap_err()
            .code(),
        ErrorCode::Key
    );
}

/// The size check counts the modulus' bits: a 2041-bit modulus fills 256
/// bytes like a 2048-bit one, and is refused.
#[test]
fn a_2041_bit_key_is_refused() {
    let mut n = vec![0xffu8; 256];
    n[0] = 0x01; // 8 * 255 + 1 = 2041 bits
    let key = rsa::PublicKey::new(
        rsa::BoxedUint::from_be_slice(&n, 2048).unwrap(),
        rsa::BoxedUint::from_be_slice(&[1, 0, 1], 2048).unwrap(),
    )
    .unwrap();
    let der = key.to_public_key_der().unwrap();
    let e = cmpay::keys::load_public_key(der.as_bytes(), false).unwrap_err();
    assert_eq!(e.code(), cmpay::ErrorCode::Key);
    assert!(e.to_string().contains("2041 bits"), "{e}");
    // With the legacy option it is above 1024 bits and loads.
    assert!(cmpay::keys::load_public_key(der.as_bytes(), true).is_ok());
}
