//! The key options of sign, verify and explain, and loading what they name.

use crate::Failure;
use cmpay::sign::{Md5Key, Signer, Verifier, hmac_md5};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use sha1::Sha1;
use std::path::PathBuf;
use zeroize::Zeroizing;

/// Where the key comes from.
#[derive(Debug)]
pub enum KeySource {
    /// `--key KEY`: the MD5 signKey itself.
    Md5Text(Zeroizing<String>),
    /// `--key-file FILE`: the MD5 signKey in a file (one trailing newline dropped).
    Md5File(PathBuf),
    /// `--rsa-private PEM`: the merchant's private key (sign).
    RsaPrivate(PathBuf),
    /// `--rsa-public PEM`: the other side's public key or certificate (verify).
    RsaPublic(PathBuf),
}

/// A loaded verification key, with the MD5 key bytes kept so that explain
/// can try sources that are not UTF-8 text.
pub struct VerifyKey {
    pub verifier: Verifier,
    md5_key: Option<Zeroizing<String>>,
}

fn read_file(path: &PathBuf, what: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(path)
        .map_err(|e| Failure::Usage(format!("cannot read {what} {}: {e}", path.display())))
}

fn md5_text(source: &KeySource) -> Result<Option<Zeroizing<String>>, Failure> {
    match source {
        KeySource::Md5Text(text) => Ok(Some(text.clone())),
        KeySource::Md5File(path) => {
            let bytes = Zeroizing::new(read_file(path, "key file")?);
            let text = std::str::from_utf8(&bytes).map_err(|_| {
                Failure::Usage(format!("key file {} is not UTF-8 text", path.display()))
            })?;
            // A key file usually ends with one newline; nothing else is trimmed.
            let text = text
                .strip_suffix('\n')
                .map(|t| t.strip_suffix('\r').unwrap_or(t))
                .unwrap_or(text);
            Ok(Some(Zeroizing::new(text.to_string())))
        }
        _ => Ok(None),
    }
}

fn md5_key(text: &str) -> Result<Md5Key, Failure> {
    Md5Key::new(text).map_err(|e| Failure::Usage(format!("--key: {e}")))
}

pub fn signer(source: &KeySource) -> Result<Signer, Failure> {
    if let Some(text) = md5_text(source)? {
        return Ok(Signer::Md5(md5_key(&text)?));
    }
    match source {
        KeySource::RsaPrivate(path) => {
            let pem = Zeroizing::new(read_file(path, "private key")?);
            let key = cmpay::keys::load_private_key(&pem)
                .map_err(|e| Failure::Usage(format!("--rsa-private {}: {e}", path.display())))?;
            Ok(Signer::rsa(key))
        }
        KeySource::RsaPublic(_) => Err(Failure::Usage(
            "sign needs --key, --key-file or --rsa-private (a public key cannot sign)".into(),
        )),
        _ => unreachable_key(),
    }
}

pub fn verify_key(source: &KeySource, allow_legacy_1024: bool) -> Result<VerifyKey, Failure> {
    if let Some(text) = md5_text(source)? {
        let verifier = Verifier::Md5(md5_key(&text)?);
        return Ok(VerifyKey {
            verifier,
            md5_key: Some(text),
        });
    }
    match source {
        KeySource::RsaPublic(path) => {
            let pem = read_file(path, "public key")?;
            let key = cmpay::keys::load_public_key(&pem, allow_legacy_1024).map_err(|e| Failure::Usage(format!("--rsa-public {}: {e}", path.display())))?;
            Ok(VerifyKey { verifier: Verifier::rsa(key), md5_key: None })
        }
        KeySource::RsaPrivate(_) => Err(Failure::Usage("verify and explain need --key, --key-file or --rsa-public (the other side's public key)".into())),
        _ => unreachable_key(),
    }
}

fn unreachable_key<T>() -> Result<T, Failure> {
    Err(Failure::Usage("no key given".into()))
}

impl VerifyKey {
    pub fn is_md5(&self) -> bool {
        self.md5_key.is_some()
    }

    /// The MD5 hmac of arbitrary source bytes (None for RSA).
    pub fn md5_of(&self, source: &[u8], upper_inner: bool) -> Option<String> {
        let key = self.md5_key.as_ref()?;
        let mut inner = hex::encode(hmac_md5(b"", source));
        if upper_inner {
            inner.make_ascii_uppercase();
        }
        Some(hex::encode(hmac_md5(key.as_bytes(), inner.as_bytes())))
    }

    /// A single HMAC-MD5 with the signKey (the inner empty-key HMAC left out).
    pub fn md5_single(&self, source: &[u8]) -> Option<String> {
        let key = self.md5_key.as_ref()?;
        Some(hex::encode(hmac_md5(key.as_bytes(), source)))
    }

    /// Whether `hmac` signs `source` (arbitrary bytes, not necessarily UTF-8).
    pub fn matches(&self, source: &[u8], hmac: &str) -> bool {
        match &self.verifier {
            Verifier::Md5(_) => self
                .md5_of(source, false)
                .is_some_and(|h| h.eq_ignore_ascii_case(hmac)),
            Verifier::Rsa(key) => rsa_matches(key, source, hmac),
        }
    }
}

fn rsa_matches(key: &VerifyingKey<Sha1>, source: &[u8], hmac: &str) -> bool {
    use rsa::signature::Verifier as _;
    let Ok(bytes) = hex::decode(hmac) else {
        return false;
    };
    let Ok(sig) = Signature::try_from(bytes.as_slice()) else {
        return false;
    };
    key.verify(source, &sig).is_ok()
}
