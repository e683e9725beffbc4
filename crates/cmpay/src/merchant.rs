//! The merchant's configuration and the building and signing of requests.

use crate::charset::Charset;
use crate::error::{Error, Result};
use crate::fields::MessageKind;
use crate::form;
use crate::html::AutoSubmit;
use crate::keys;
use crate::params::Params;
use crate::sign::{self, Md5Key, Signer, Verifier};
use crate::validate;

/// A merchant at the gateway: its id, how it signs, and how it verifies
/// what the gateway sends (its signKey, or the pinned gateway public key).
#[derive(Clone, Debug)]
pub struct Merchant {
    merchant_id: String,
    signer: Signer,
    verifier: Verifier,
    merchant_cert: Option<String>,
}

/// A request ready to POST: its fields in wire order, the hmac and the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedRequest {
    /// Which request this is.
    pub kind: MessageKind,
    /// Every field in table order, then merchantCert (RSA) and hmac.
    pub params: Params,
    /// The signature source: the values joined in table order.
    pub source: String,
    /// The signature, lowercase hex.
    pub hmac: String,
    /// The charset the body is encoded in.
    pub charset: Charset,
    /// The form body, ASCII (percent-encoded in `charset`).
    pub body: String,
    /// The Content-Type header to send with the body.
    pub content_type: String,
}

impl SignedRequest {
    /// The request as a complete HTML page whose form the shopper's browser
    /// submits at once (POST) to `action`, the gateway's `cmpayService`: the
    /// way to send a GWDirectPay (bank gateway) order, which the gateway takes
    /// from the browser, not from the merchant's server (protocol.md §8).
    /// The form's accept-charset is the request's charset, so the browser
    /// encodes the values as characterSet says; a button covers browsers
    /// without JavaScript.
    pub fn html_form(&self, action: &str) -> Result<String> {
        let lower = action.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://"))
            || action.chars().any(|c| c.is_control() || c == ' ')
        {
            return Err(Error::InvalidArgument(format!(
                "form action {action:?} is not an http(s) URL"
            )));
        }
        Ok(AutoSubmit {
            method: "post",
            action,
            accept_charset: Some(self.charset.http_name()),
            note: "",
            button: "继续支付 Continue to payment",
        }
        .page(self.params.iter()))
    }
}

impl Merchant {
    /// A merchant signing with MD5 and its 64-character signKey.
    pub fn md5(merchant_id: &str, sign_key: &str) -> Result<Merchant> {
        let key = Md5Key::new(sign_key)?;
        Merchant::new(
            merchant_id,
            Signer::Md5(key.clone()),
            Verifier::Md5(key),
            None,
        )
    }

    /// A merchant signing with RSA: its private key, and the gateway's public
    /// key (or certificate) as configured, which is what every answer and
    /// notification is verified with.
    pub fn rsa(
        merchant_id: &str,
        merchant_private_key: &[u8],
        gateway_public_key: &[u8],
    ) -> Result<Merchant> {
        Merchant::rsa_with_options(merchant_id, merchant_private_key, gateway_public_key, false)
    }

    /// As `rsa`, optionally accepting a legacy 1024-bit gateway key.
    pub fn rsa_with_options(
        merchant_id: &str,
        merchant_private_key: &[u8],
        gateway_public_key: &[u8],
        allow_legacy_1024: bool,
    ) -> Result<Merchant> {
        let private = keys::load_private_key(merchant_private_key)?;
        let cert = keys::spki_hex(&private.to_public_key())?;
        let gateway = keys::load_public_key(gateway_public_key, allow_legacy_1024)?;
        Merchant::new(
            merchant_id,
            Signer::rsa(private),
            Verifier::rsa(gateway),
            Some(cert),
        )
    }

    /// From any signer and verifier (the simulator uses this).
    pub fn new(
        merchant_id: &str,
        signer: Signer,
        verifier: Verifier,
        merchant_cert: Option<String>,
    ) -> Result<Merchant> {
        let field = MessageKind::OrderRequest
            .field("merchantId")
            .expect("table has merchantId");
        validate::check(field, merchant_id)?;
        Ok(Merchant {
            merchant_id: merchant_id.to_string(),
            signer,
            verifier,
            merchant_cert,
        })
    }

    /// Replaces the merchantCert text sent with RSA requests.
    pub fn with_merchant_cert(mut self, text: &str) -> Merchant {
        self.merchant_cert = Some(text.to_string());
        self
    }

    /// The merchantId every request carries.
    pub fn merchant_id(&self) -> &str {
        &self.merchant_id
    }

    /// "MD5" or "RSA": the signType every request carries.
    pub fn sign_type(&self) -> &'static str {
        self.signer.sign_type()
    }

    /// What signs this merchant's requests.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    /// What verifies the gateway's answers and notifications.
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// Completes, validates and signs a request of `kind`. merchantId and
    /// signType come from the configuration; type, version, characterSet and
    /// currency take their defaults when left out. Unknown fields are refused.
    pub fn sign_request(&self, kind: MessageKind, params: &Params) -> Result<SignedRequest> {
        if !kind.is_request() {
            return Err(Error::InvalidArgument(format!(
                "{} is not a request; only order-request, query-request and refund-request are signed by a merchant",
                kind.name()
            )));
        }
        // One pass places each given value at its field's slot in the table.
        let table = kind.fields();
        let mut given: Vec<Option<&str>> = vec![None; table.len()];
        let mut hint = 0; // callers mostly give fields in table order
        for (name, value) in params.iter() {
            let i = (0..table.len())
                .map(|k| (hint + k) % table.len())
                .find(|&i| table[i].name == name)
                .ok_or_else(|| {
                    Error::InvalidArgument(format!("{name} is not a field of {}", kind.name()))
                })?;
            given[i] = Some(value);
            hint = i + 1;
        }
        let mut full = Params::new();
        for (field, given) in table.iter().zip(given) {
            let own = match field.name {
                "merchantId" => Some(self.merchant_id.as_str()),
                "signType" => Some(self.sign_type()),
                _ => None,
            };
            let value = match (own, given.filter(|v| !v.is_empty()), field.default) {
                (Some(own), Some(given), _) if given != own => {
                    return Err(Error::field(
                        field.name,
                        format!("is {given:?} but this merchant is configured with {own:?}"),
                        None,
                    ));
                }
                (Some(own), _, _) => own,
                (None, Some(given), _) => given,
                (None, None, Some(default)) => default,
                (None, None, None) => "",
            };
            validate::check(field, value)?;
            full.push(field.name, value);
        }
        validate::order_rules(kind, &full)?;
        let charset = match kind {
            MessageKind::OrderRequest => Charset::from_code(full.value("characterSet"))?,
            _ => Charset::Utf8, // OrderQuery and OrderRefund carry no characterSet
        };
        let source = sign::signature_source(kind, &full);
        if let Signer::Md5(_) = self.signer
            && let Some((as_kind, reading)) =
                crate::readings::as_received(&self.merchant_id, &source)
        {
            return Err(Error::ForgeableSource(format!(
                "the request's signature source also reads as a {} for this merchant ({reading}); its hmac would forge that message. Change the free-text fields (reserved1, reserved2, productName, ...) and sign again",
                as_kind.name()
            )));
        }
        let hmac = self.signer.sign_source(&source)?;
        let mut body = String::with_capacity(source.len() * 3 + 512);
        for (name, value) in full.iter() {
            form::push_pair(&mut body, charset, name, value)?;
        }
        if let Some(cert) = self
            .merchant_cert
            .as_deref()
            .filter(|_| matches!(self.signer, Signer::Rsa(_)))
        {
            full.push("merchantCert", cert);
            form::push_pair(&mut body, charset, "merchantCert", cert)?;
        }
        form::push_pair(&mut body, charset, "hmac", &hmac)?;
        full.push("hmac", &hmac);
        let content_type = format!(
            "application/x-www-form-urlencoded; charset={}",
            charset.http_name()
        );
        Ok(SignedRequest {
            kind,
            params: full,
            source,
            hmac,
            charset,
            body,
            content_type,
        })
    }
}
