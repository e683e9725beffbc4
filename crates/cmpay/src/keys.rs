//! RSA key loading: PEM or DER, PKCS#1 or PKCS#8, X.509 certificate, or the
//! hex of DER (as merchantCert/serverCert carry it). Keys under 2048 bits are
//! refused for signing; a 1024-bit gateway key is accepted only when the
//! caller opts in, because legacy gateways used them.

use crate::error::{Error, Result};
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use rsa::{PrivateKey, PublicKey};
use x509_cert::der::{Decode, DecodePem, Encode};
use zeroize::Zeroizing;

const MIN_BITS: u32 = 2048;
const LEGACY_MIN_BITS: u32 = 1024;

/// The modulus' size in bits, counted (a 2041-bit modulus is not 2048 bits
/// because it fills 256 bytes).
fn bits(key: &impl PublicKeyParts) -> u32 {
    key.n().as_ref().bit_width()
}

/// Loads a merchant (or simulator gateway) private key; refuses < 2048 bits.
pub fn load_private_key(input: &[u8]) -> Result<PrivateKey> {
    let key = match pem_text(input) {
        Some(text) => PrivateKey::from_pkcs8_pem(text)
            .or_else(|_| PrivateKey::from_pkcs1_pem(text))
            .map_err(|e| {
                Error::Key(format!(
                    "PEM private key not readable as PKCS#8 or PKCS#1: {e}"
                ))
            })?,
        None => {
            let der = der_bytes(input)?;
            PrivateKey::from_pkcs8_der(&der)
                .or_else(|_| PrivateKey::from_pkcs1_der(&der))
                .map_err(|e| {
                    Error::Key(format!(
                        "DER private key not readable as PKCS#8 or PKCS#1: {e}"
                    ))
                })?
        }
    };
    if bits(&key) < MIN_BITS {
        return Err(Error::Key(format!(
            "private key of {} bits refused: at least {MIN_BITS} bits are required",
            bits(&key)
        )));
    }
    Ok(key)
}

/// Loads a public key (SPKI, PKCS#1 or inside an X.509 certificate).
pub fn load_public_key(input: &[u8], allow_legacy_1024: bool) -> Result<PublicKey> {
    let key = match pem_text(input) {
        Some(text) if text.contains("BEGIN CERTIFICATE") => {
            let cert = x509_cert::Certificate::from_pem(text.as_bytes())
                .map_err(|e| Error::Key(format!("certificate not readable: {e}")))?;
            public_from_cert(&cert)?
        }
        Some(text) => PublicKey::from_public_key_pem(text)
            .or_else(|_| PublicKey::from_pkcs1_pem(text))
            .map_err(|e| {
                Error::Key(format!(
                    "PEM public key not readable as SPKI or PKCS#1: {e}"
                ))
            })?,
        None => {
            let der = der_bytes(input)?;
            match PublicKey::from_public_key_der(&der).or_else(|_| PublicKey::from_pkcs1_der(&der))
            {
                Ok(k) => k,
                Err(_) => {
                    let cert = x509_cert::Certificate::from_der(&der).map_err(|_| {
                        Error::Key(
                            "DER public key not readable as SPKI, PKCS#1 or an X.509 certificate"
                                .into(),
                        )
                    })?;
                    public_from_cert(&cert)?
                }
            }
        }
    };
    let min = if allow_legacy_1024 {
        LEGACY_MIN_BITS
    } else {
        MIN_BITS
    };
    if bits(&key) < min {
        return Err(Error::Key(format!(
            "public key of {} bits refused: at least {min} bits are required",
            bits(&key)
        )));
    }
    Ok(key)
}

/// The default merchantCert: hex of the DER SubjectPublicKeyInfo.
pub fn spki_hex(key: &PublicKey) -> Result<String> {
    let der = key
        .to_public_key_der()
        .map_err(|e| Error::Key(format!("cannot encode public key: {e}")))?;
    Ok(hex::encode(der.as_bytes()))
}

fn public_from_cert(cert: &x509_cert::Certificate) -> Result<PublicKey> {
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|e| Error::Key(format!("certificate's key not encodable: {e}")))?;
    PublicKey::from_public_key_der(&spki)
        .map_err(|e| Error::Key(format!("certificate does not hold an RSA key: {e}")))
}

fn pem_text(input: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(input).ok()?;
    text.contains("-----BEGIN ").then_some(text.trim())
}

/// Binary DER as is, or DER written as hex (whitespace ignored). Every copy
/// of the key's bytes made here is wiped when dropped.
fn der_bytes(input: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let compact: Zeroizing<Vec<u8>> = Zeroizing::new(
        input
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect(),
    );
    if compact.is_empty() {
        return Err(Error::Key("key is empty".into()));
    }
    if compact.iter().all(u8::is_ascii_hexdigit) {
        return hex::decode(&compact[..])
            .map(Zeroizing::new)
            .map_err(|e| Error::Key(format!("hex key not decodable: {e}")));
    }
    Ok(Zeroizing::new(input.to_vec()))
}
