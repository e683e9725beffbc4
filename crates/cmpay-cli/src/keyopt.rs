//! The key options of sign, verify and explain, and loading what they name.

use crate::Failure;
use cmpay::sign::{Md5Key, Signer, Verifier, hmac_md5};
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

/// A loaded verification key, with the checks explain makes on sources that
/// are not UTF-8 text.
pub struct VerifyKey {
    pub verifier: Verifier,
    /// The MD5 signKey as given (None for RSA): explain recomputes the hmac
    /// the ways other signers get it wrong, which the core never does.
    md5_sign_key: Option<Zeroizing<String>>,
}

/// How an MD5 hmac is computed: the protocol's way, or one of the mistakes
/// other implementations make (for diagnosis only; verification accepts
/// `Standard` alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Md5Variant {
    /// hex(HMAC-MD5(signKey, hex(HMAC-MD5("", source)))), protocol.md 4.2.
    Standard,
    /// The inner digest in upper-case hex before the outer HMAC.
    UpperInnerHex,
    /// One HMAC-MD5 with the signKey; the inner empty-key HMAC left out.
    SingleHmac,
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
        return Ok(VerifyKey {
            verifier: Verifier::Md5(md5_key(&text)?),
            md5_sign_key: Some(text),
        });
    }
    match source {
        KeySource::RsaPublic(path) => {
            let pem = read_file(path, "public key")?;
            let key = cmpay::keys::load_public_key(&pem, allow_legacy_1024).map_err(|e| Failure::Usage(format!("--rsa-public {}: {e}", path.display())))?;
            Ok(VerifyKey { verifier: Verifier::rsa(key), md5_sign_key: None })
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
        matches!(self.verifier, Verifier::Md5(_))
    }

    /// The MD5 hmac of arbitrary source bytes as `variant` computes it
    /// (None for RSA).
    pub fn md5_of(&self, source: &[u8], variant: Md5Variant) -> Option<String> {
        let key = self.md5_sign_key.as_ref()?.as_bytes();
        let inner = Zeroizing::new(hex::encode(hmac_md5(b"", source)));
        Some(hex::encode(match variant {
            Md5Variant::Standard => hmac_md5(key, inner.as_bytes()),
            Md5Variant::UpperInnerHex => hmac_md5(key, inner.to_ascii_uppercase().as_bytes()),
            Md5Variant::SingleHmac => hmac_md5(key, source),
        }))
    }

    /// Whether `hmac` signs `source` (arbitrary bytes, not necessarily UTF-8).
    pub fn matches(&self, source: &[u8], hmac: &str) -> bool {
        self.verifier.verify_bytes(source, hmac).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "k3y-for-tests-k3y-for-tests-k3y-for-tests-k3y-for-tests-k3y-for-";

    #[test]
    fn md5_variants_are_the_documented_constructions() {
        let key = verify_key(&KeySource::Md5Text(Zeroizing::new(KEY.into())), false)
            .unwrap_or_else(|_| panic!("the test key loads"));
        let source = "abc\u{548c}".as_bytes();
        let inner = hex::encode(hmac_md5(b"", source));
        let outer = |text: &[u8]| Some(hex::encode(hmac_md5(KEY.as_bytes(), text)));
        assert_eq!(
            key.md5_of(source, Md5Variant::Standard),
            outer(inner.as_bytes())
        );
        assert_eq!(
            key.md5_of(source, Md5Variant::UpperInnerHex),
            outer(inner.to_uppercase().as_bytes())
        );
        assert_eq!(key.md5_of(source, Md5Variant::SingleHmac), outer(source));
        let standard = key.md5_of(source, Md5Variant::Standard).unwrap_or_default();
        assert!(key.matches(source, &standard));
    }
}
