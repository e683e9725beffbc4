//! The signature source (protocol.md 4.1) and the two signers: MD5 (a double
//! HMAC-MD5, 4.2) and RSA (SHA1withRSA PKCS#1 v1.5, 4.3). Verification is in
//! constant time; the gateway's RSA key is always the configured one.

use crate::error::{Error, Result};
use crate::fields::{MessageKind, UNSIGNED};
use crate::params::Params;
use hmac::{Hmac, KeyInit, Mac};
use md5::Md5;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{Signer as _, Verifier as _};
use sha1::Sha1;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The values of `kind`'s fields in table order, joined with no separator.
pub fn signature_source(kind: MessageKind, params: &Params) -> String {
    let mut source = String::with_capacity(512);
    let mut hint = 0;
    for field in kind.fields() {
        if let Some((i, value)) = params.get_from(hint, field.name) {
            source.push_str(value);
            hint = i + 1;
        }
    }
    source
}

/// The length of every signKey the gateway issues.
pub const MD5_KEY_CHARS: usize = 64;

/// A signKey, held as the two HMAC-MD5 states keyed once at load (the empty
/// key for the inner hash, the signKey for the outer), so that signing does
/// not re-key; the states are wiped on drop.
#[derive(Clone)]
pub struct Md5Key {
    empty: Hmac<Md5>,
    keyed: Hmac<Md5>,
}

impl Md5Key {
    /// The key for MD5 signing from the merchant's signKey; empty is refused.
    pub fn new(sign_key: &str) -> Result<Md5Key> {
        if sign_key.is_empty() {
            return Err(Error::Key("signKey is empty".into()));
        }
        // Every issued key is 64 ASCII characters: checked byte by byte, as
        // `trim` and a char count would (an ASCII char is whitespace by the
        // same rule), without their Unicode code on a merchant's each start.
        let ascii = sign_key.is_ascii();
        let (first, last) = (
            sign_key.as_bytes()[0],
            sign_key.as_bytes()[sign_key.len() - 1],
        );
        let padded = if ascii {
            (first as char).is_whitespace() || (last as char).is_whitespace()
        } else {
            sign_key.trim() != sign_key
        };
        if padded {
            return Err(Error::Key(
                "signKey has leading or trailing whitespace (a newline from the key file?)".into(),
            ));
        }
        let chars = if ascii {
            sign_key.len()
        } else {
            sign_key.chars().count()
        };
        if chars != MD5_KEY_CHARS {
            return Err(Error::Key(format!(
                "signKey is {chars} characters long; the gateway issues signKeys of exactly {MD5_KEY_CHARS} (copied whole?)"
            )));
        }
        Ok(Md5Key {
            empty: hmac_state(b""),
            keyed: hmac_state(sign_key.as_bytes()),
        })
    }

    /// hmac = hex(HMAC-MD5(signKey, hex(HMAC-MD5("", source)))).
    pub fn sign(&self, source: &str) -> String {
        // Hex digits are ASCII.
        String::from_utf8(self.hex_standard(source.as_bytes()).to_vec()).unwrap_or_default()
    }

    /// The protocol's hmac as lower-case hex digits on the stack (what
    /// signing and verification compute).
    fn hex_standard(&self, source: &[u8]) -> [u8; 32] {
        self.outer_hex(&self.inner_hex(source)[..])
    }

    /// hex(HMAC-MD5("", source)), wiped on drop.
    fn inner_hex(&self, source: &[u8]) -> Zeroizing<[u8; 32]> {
        let mut inner = self.empty.clone();
        inner.update(source);
        let mut hex = Zeroizing::new([0u8; 32]);
        // 16 bytes always fit 32 hex digits.
        let _ = hex::encode_to_slice(inner.finalize().into_bytes(), &mut hex[..]);
        hex
    }

    /// hex(HMAC-MD5(signKey, text)).
    fn outer_hex(&self, text: &[u8]) -> [u8; 32] {
        let mut outer = self.keyed.clone();
        outer.update(text);
        let mut out = [0u8; 32];
        let _ = hex::encode_to_slice(outer.finalize().into_bytes(), &mut out);
        out
    }
}

impl std::fmt::Debug for Md5Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Md5Key(..)")
    }
}

fn hmac_state(key: &[u8]) -> Hmac<Md5> {
    // HMAC accepts keys of any length, so this cannot fail.
    <Hmac<Md5> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length")
}

/// One RFC 2104 HMAC-MD5.
pub fn hmac_md5(key: &[u8], message: &[u8]) -> [u8; 16] {
    let mut mac = hmac_state(key);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Signs outgoing messages.
// One per merchant, never in a collection: the MD5 variant keeps its
// precomputed HMAC states inline rather than behind another allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Signer {
    /// signType MD5: the double HMAC-MD5 of protocol.md section 4.2.
    Md5(Md5Key),
    /// signType RSA: RSA-SHA1 (PKCS#1 v1.5) with the merchant's private key.
    Rsa(Box<SigningKey<Sha1>>),
}

/// Verifies received messages.
#[allow(clippy::large_enum_variant)] // as Signer: one per merchant
#[derive(Clone, Debug)]
pub enum Verifier {
    /// signType MD5: the double HMAC-MD5 with the shared signKey.
    Md5(Md5Key),
    /// signType RSA: RSA-SHA1 (PKCS#1 v1.5) with the gateway's public key.
    Rsa(Box<VerifyingKey<Sha1>>),
}

impl Signer {
    /// An RSA signer from the merchant's private key.
    pub fn rsa(key: rsa::PrivateKey) -> Signer {
        Signer::Rsa(Box::new(SigningKey::new(key)))
    }

    /// "MD5" or "RSA".
    pub fn sign_type(&self) -> &'static str {
        match self {
            Signer::Md5(_) => "MD5",
            Signer::Rsa(_) => "RSA",
        }
    }

    /// The hmac of a signature source, lowercase hex.
    pub fn sign_source(&self, source: &str) -> Result<String> {
        match self {
            Signer::Md5(key) => Ok(key.sign(source)),
            Signer::Rsa(key) => {
                let sig: Signature = key
                    .try_sign(source.as_bytes())
                    .map_err(|e| Error::Key(format!("RSA signing failed: {e}")))?;
                Ok(hex::encode(Box::<[u8]>::from(sig)))
            }
        }
    }

    /// The hmac of a message of `kind`.
    pub fn sign(&self, kind: MessageKind, params: &Params) -> Result<String> {
        self.sign_source(&signature_source(kind, params))
    }

    /// The hmac over exactly the given fields of a message of any kind:
    /// nothing is filled in or validated. hmac, merchantCert and serverCert
    /// are ignored; any other name that is not a field of `kind` is refused,
    /// because a misspelt name would otherwise be left out of the signature
    /// silently.
    pub fn sign_exact(&self, kind: MessageKind, params: &Params) -> Result<String> {
        if let Some((name, _)) = params
            .iter()
            .find(|(name, _)| kind.field(name).is_none() && !UNSIGNED.contains(name))
        {
            return Err(Error::InvalidArgument(format!(
                "{name} is not a field of {} (signed fields: {})",
                kind.name(),
                kind.field_names()
            )));
        }
        self.sign(kind, params)
    }
}

impl Verifier {
    /// An RSA verifier from the gateway's public key.
    pub fn rsa(key: rsa::PublicKey) -> Verifier {
        Verifier::Rsa(Box::new(VerifyingKey::new(key)))
    }

    /// "MD5" or "RSA".
    pub fn sign_type(&self) -> &'static str {
        match self {
            Verifier::Md5(_) => "MD5",
            Verifier::Rsa(_) => "RSA",
        }
    }

    /// Checks `hmac` against a signature source. Upper-case hex is accepted.
    pub fn verify_source(&self, source: &str, hmac: &str) -> Result<()> {
        self.verify_bytes(source.as_bytes(), hmac)
    }

    /// As `verify_source`, for source bytes that need not be UTF-8 text
    /// (`cmpay explain` tries sources as other charsets would give them).
    pub fn verify_bytes(&self, source: &[u8], hmac: &str) -> Result<()> {
        let ok = match self {
            Verifier::Md5(key) => {
                let expected = key.hex_standard(source);
                // Any other length cannot match (and says nothing secret).
                let mut received = [0u8; 32];
                hmac.len() == received.len() && {
                    received.copy_from_slice(hmac.as_bytes());
                    received.make_ascii_lowercase();
                    bool::from(expected.ct_eq(&received))
                }
            }
            Verifier::Rsa(key) => {
                let bytes = hex::decode(hmac)
                    .map_err(|_| Error::SignatureMismatch("hmac is not hex".into()))?;
                let sig = Signature::try_from(bytes.as_slice())
                    .map_err(|_| Error::SignatureMismatch("hmac is not an RSA signature".into()))?;
                key.verify(source, &sig).is_ok()
            }
        };
        if ok {
            Ok(())
        } else {
            Err(Error::SignatureMismatch(format!(
                "hmac does not match ({} signature)",
                self.sign_type()
            )))
        }
    }

    /// Verifies a received message of `kind` by its `hmac` field.
    pub fn verify(&self, kind: MessageKind, params: &Params) -> Result<()> {
        let hmac = params.value("hmac");
        if hmac.is_empty() {
            return Err(Error::SignatureMismatch("message has no hmac".into()));
        }
        self.verify_source(&signature_source(kind, params), hmac)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_accepts_upper_case_and_rejects_other_hmacs() {
        let key = Md5Key::new(&"k".repeat(64)).unwrap();
        let v = Verifier::Md5(key.clone());
        let h = key.sign("abc");
        v.verify_source("abc", &h).unwrap();
        v.verify_source("abc", &h.to_uppercase()).unwrap();
        assert!(v.verify_source("abd", &h).is_err());
        assert!(v.verify_source("abc", "").is_err());
        assert!(v.verify_source("abc", &h[..31]).is_err());
        assert!(Md5Key::new("key\n").is_err());
        for bad in ["k".repeat(63), "k".repeat(65), "k".to_string()] {
            let e = Md5Key::new(&bad).unwrap_err().to_string();
            assert!(e.contains("exactly 64"), "{e}");
        }
    }
}
