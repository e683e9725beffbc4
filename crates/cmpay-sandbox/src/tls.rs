//! The simulator's HTTPS identity: a throwaway CA made at start, and a server
//! certificate for 127.0.0.1 and localhost signed by it. Clients trust the CA
//! (`Sandbox::ca_pem`); nothing is written to disk.

use cmpay::error::{Error, Result};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

pub(crate) struct TlsIdentity {
    pub ca_pem: String,
    pub server_config: Arc<rustls::ServerConfig>,
}

fn tls_err(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Tls(format!("sandbox {what}: {e}"))
}

pub(crate) fn generate() -> Result<TlsIdentity> {
    let ca_key = KeyPair::generate().map_err(|e| tls_err("CA key", e))?;
    let mut ca_params =
        CertificateParams::new(Vec::<String>::new()).map_err(|e| tls_err("CA params", e))?;
    let mut dn = DistinguishedName::new();
    dn.push(
        DnType::CommonName,
        "cmpay sandbox CA (throwaway, made at start)",
    );
    ca_params.distinguished_name = dn;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca_params
        .self_signed(&ca_key)
        .map_err(|e| tls_err("CA certificate", e))?;
    let ca_pem = ca_cert.pem();

    let leaf_key = KeyPair::generate().map_err(|e| tls_err("server key", e))?;
    let mut leaf_params = CertificateParams::new(vec!["localhost".to_string()])
        .map_err(|e| tls_err("server params", e))?;
    leaf_params
        .subject_alt_names
        .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "cmpay sandbox");
    leaf_params.distinguished_name = dn;
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_cert = leaf_params
        .signed_by(&leaf_key, &issuer)
        .map_err(|e| tls_err("server certificate", e))?;

    let chain = vec![leaf_cert.der().clone(), ca_cert.der().clone()];
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(rustls::pki_types::PrivatePkcs8KeyDer::from(
        leaf_key.serialize_der(),
    ));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server_config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_err("TLS versions", e))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| tls_err("certificate", e))?;
    Ok(TlsIdentity {
        ca_pem,
        server_config: Arc::new(server_config),
    })
}
