//! A client configured from environment variables: the one place their
//! names and rules live (`Client::from_env`, and through it the C ABI's
//! `cmpay_client_from_env` and every binding's `fromEnv`).
//!
//! | variable | meaning |
//! |---|---|
//! | `CMPAY_MERCHANT_ID` | the merchant's id (required) |
//! | `CMPAY_SIGN_KEY` or `CMPAY_SIGN_KEY_FILE` | MD5: the signKey, or a file holding it |
//! | `CMPAY_RSA_PRIVATE_KEY_FILE` (or `CMPAY_PRIVATE_KEY_FILE`) | RSA: the merchant's private key (PEM or DER) |
//! | `CMPAY_RSA_PUBLIC_KEY_FILE` (or `CMPAY_GATEWAY_KEY_FILE`) | RSA: the gateway's public key or certificate |
//! | `CMPAY_ENDPOINT` | the gateway URL (default the live one) |
//! | `CMPAY_CHARSET` | `00`/`GBK`, `01`/`GB2312`, `02`/`UTF-8` |
//! | `CMPAY_CONNECT_TIMEOUT_MS`, `CMPAY_TIMEOUT_MS` | whole milliseconds, 1 to 120000 |
//! | `CMPAY_PROXY` | an HTTP(S) proxy URL |
//! | `CMPAY_EXTRA_CA_FILE` | extra trusted CA certificates (PEM) |
//! | `CMPAY_ALLOW_HTTP` | `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`: a plain http endpoint (a test gateway) |
//!
//! Exactly one way of signing: the MD5 key (one of its two variables) or
//! both RSA files. A variable set to the empty string counts as not set.
//! A key file may end in one newline (`\n` or `\r\n`) and begin with a UTF-8
//! BOM, which are removed; any other whitespace in a signKey file is refused,
//! naming the variable and the file. Every bad value is an error naming its
//! variable; no error quotes a key.

use crate::charset::Charset;
use crate::client::{Client, ClientConfig, MAX_TIMEOUT};
use crate::error::{Error, Result};
use crate::merchant::Merchant;
use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

/// The variables read, in the order of the table above.
pub const VARIABLES: &[&str] = &[
    "CMPAY_MERCHANT_ID",
    "CMPAY_SIGN_KEY",
    "CMPAY_SIGN_KEY_FILE",
    "CMPAY_RSA_PRIVATE_KEY_FILE",
    "CMPAY_PRIVATE_KEY_FILE",
    "CMPAY_RSA_PUBLIC_KEY_FILE",
    "CMPAY_GATEWAY_KEY_FILE",
    "CMPAY_ENDPOINT",
    "CMPAY_CHARSET",
    "CMPAY_CONNECT_TIMEOUT_MS",
    "CMPAY_TIMEOUT_MS",
    "CMPAY_PROXY",
    "CMPAY_EXTRA_CA_FILE",
    "CMPAY_ALLOW_HTTP",
];

/// A client from the variables `lookup` gives (`std::env::var_os` for the
/// process's own), on top of `base` (its logger, and the settings no
/// variable gives, are kept). See the module's table for the names and
/// rules.
pub fn client_from(
    base: ClientConfig,
    lookup: impl Fn(&str) -> Option<OsString>,
) -> Result<Client> {
    let vars = Vars(&lookup);
    let merchant = merchant_from(&vars)?;
    let config = config_from(base, &vars)?;
    Client::new(merchant, config).map_err(|e| blame_client_error(e, &vars))
}

struct Vars<'a>(&'a dyn Fn(&str) -> Option<OsString>);

impl Vars<'_> {
    /// The value of a variable; None when unset or empty.
    fn get(&self, name: &str) -> Result<Option<String>> {
        match (self.0)(name) {
            None => Ok(None),
            Some(v) if v.is_empty() => Ok(None),
            Some(v) => v
                .into_string()
                .map(Some)
                .map_err(|_| Error::InvalidArgument(format!("{name} is not valid UTF-8"))),
        }
    }

    /// One setting with two accepted names (the second is the examples'
    /// older spelling): both set is an error.
    fn either(&self, name: &str, alias: &str) -> Result<Option<(&'static str, String)>> {
        let name: &'static str = VARIABLES
            .iter()
            .find(|v| **v == name)
            .copied()
            .unwrap_or("");
        let alias: &'static str = VARIABLES
            .iter()
            .find(|v| **v == alias)
            .copied()
            .unwrap_or("");
        match (self.get(name)?, self.get(alias)?) {
            (Some(_), Some(_)) => Err(Error::InvalidArgument(format!(
                "{name} and {alias} are both set: they name the same file; set one"
            ))),
            (Some(v), None) => Ok(Some((name, v))),
            (None, Some(v)) => Ok(Some((alias, v))),
            (None, None) => Ok(None),
        }
    }
}

fn merchant_from(vars: &Vars<'_>) -> Result<Merchant> {
    let id = vars.get("CMPAY_MERCHANT_ID")?.ok_or_else(|| {
        Error::InvalidArgument(
            "CMPAY_MERCHANT_ID is not set (the merchant's id at the gateway)".into(),
        )
    })?;
    let key = vars.get("CMPAY_SIGN_KEY")?;
    let key_file = vars.get("CMPAY_SIGN_KEY_FILE")?;
    let private = vars.either("CMPAY_RSA_PRIVATE_KEY_FILE", "CMPAY_PRIVATE_KEY_FILE")?;
    let public = vars.either("CMPAY_RSA_PUBLIC_KEY_FILE", "CMPAY_GATEWAY_KEY_FILE")?;
    let md5 = key.is_some() || key_file.is_some();
    let rsa = private.is_some() || public.is_some();
    let merchant = |e: Error, var: &str| prefix(e, var);
    match (md5, rsa) {
        (true, true) => Err(Error::InvalidArgument(
            "both an MD5 signKey (CMPAY_SIGN_KEY or CMPAY_SIGN_KEY_FILE) and RSA key files (CMPAY_RSA_PRIVATE_KEY_FILE, CMPAY_RSA_PUBLIC_KEY_FILE) are set: set one way of signing".into(),
        )),
        (false, false) => Err(Error::InvalidArgument(
            "no key is set: CMPAY_SIGN_KEY or CMPAY_SIGN_KEY_FILE (MD5), or CMPAY_RSA_PRIVATE_KEY_FILE and CMPAY_RSA_PUBLIC_KEY_FILE (RSA)".into(),
        )),
        (true, false) => {
            let (var, key) = match (key, key_file) {
                (Some(_), Some(_)) => {
                    return Err(Error::InvalidArgument(
                        "CMPAY_SIGN_KEY and CMPAY_SIGN_KEY_FILE are both set: set one".into(),
                    ));
                }
                (Some(k), None) => ("CMPAY_SIGN_KEY", k),
                (None, Some(path)) => ("CMPAY_SIGN_KEY_FILE", sign_key_file(&path)?),
                (None, None) => unreachable!("md5 is set"),
            };
            Merchant::md5(&id, &key).map_err(|e| merchant(e, var))
        }
        (false, true) => {
            let (Some((pvar, ppath)), Some((gvar, gpath))) = (private, public) else {
                return Err(Error::InvalidArgument(
                    "RSA needs both CMPAY_RSA_PRIVATE_KEY_FILE (the merchant's private key) and CMPAY_RSA_PUBLIC_KEY_FILE (the gateway's public key or certificate)".into(),
                ));
            };
            let pkey = read_key_file(pvar, &ppath)?;
            let gkey = read_key_file(gvar, &gpath)?;
            // Which of the two keys failed: each is loaded alone first.
            crate::keys::load_private_key(&pkey).map_err(|e| merchant(e, pvar))?;
            crate::keys::load_public_key(&gkey, false).map_err(|e| merchant(e, gvar))?;
            Merchant::rsa(&id, &pkey, &gkey).map_err(|e| prefix(e, "CMPAY_MERCHANT_ID"))
        }
    }
    .map_err(|e| match e {
        // The merchant id is checked by Merchant::new: say which variable.
        Error::Field { field, reason, .. } if field == "merchantId" => {
            Error::InvalidArgument(format!("CMPAY_MERCHANT_ID: {reason}"))
        }
        other => other,
    })
}

/// An error whose text starts with the variable it came from.
fn prefix(e: Error, var: &str) -> Error {
    match e {
        Error::Key(m) => Error::Key(format!("{var}: {m}")),
        Error::InvalidArgument(m) => Error::InvalidArgument(format!("{var}: {m}")),
        Error::Tls(m) => Error::Tls(format!("{var}: {m}")),
        other => other,
    }
}

/// A key file's bytes, without a leading UTF-8 BOM or one trailing newline
/// (`\n` or `\r\n`).
fn read_key_file(var: &str, path: &str) -> Result<Vec<u8>> {
    let bytes = std::fs::read(Path::new(path))
        .map_err(|e| Error::Key(format!("{var}: cannot read {path:?}: {e}")))?;
    let mut b: &[u8] = &bytes;
    b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    b = b
        .strip_suffix(b"\r\n")
        .or_else(|| b.strip_suffix(b"\n"))
        .unwrap_or(b);
    Ok(b.to_vec())
}

/// The signKey in a file: one trailing newline and a BOM removed; any other
/// whitespace refused (naming the variable and the file, never the key).
fn sign_key_file(path: &str) -> Result<String> {
    let var = "CMPAY_SIGN_KEY_FILE";
    let bytes = read_key_file(var, path)?;
    let key = String::from_utf8(bytes)
        .map_err(|_| Error::Key(format!("{var}: {path:?} is not UTF-8 text")))?;
    if key.is_empty() {
        return Err(Error::Key(format!("{var}: {path:?} is empty")));
    }
    if let Some(c) = key.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::Key(format!(
            "{var}: {path:?} holds whitespace ({}) besides one final newline: the file must hold the 64-character signKey alone",
            c.escape_default()
        )));
    }
    Ok(key)
}

fn config_from(mut config: ClientConfig, vars: &Vars<'_>) -> Result<ClientConfig> {
    if let Some(endpoint) = vars.get("CMPAY_ENDPOINT")? {
        config.endpoint = endpoint;
    }
    if let Some(charset) = vars.get("CMPAY_CHARSET")? {
        config.charset = match charset.to_ascii_uppercase().as_str() {
            "00" | "GBK" => Charset::Gbk,
            "01" | "GB2312" => Charset::Gb2312,
            "02" | "UTF-8" | "UTF8" => Charset::Utf8,
            _ => {
                return Err(Error::InvalidArgument(format!(
                    "CMPAY_CHARSET {charset:?} is not 00 (GBK), 01 (GB2312) or 02 (UTF-8)"
                )));
            }
        };
    }
    for (var, slot) in [
        ("CMPAY_CONNECT_TIMEOUT_MS", &mut config.connect_timeout),
        ("CMPAY_TIMEOUT_MS", &mut config.timeout),
    ] {
        if let Some(value) = vars.get(var)? {
            *slot = millis(var, &value)?;
        }
    }
    if let Some(proxy) = vars.get("CMPAY_PROXY")? {
        config.proxy = Some(proxy);
    }
    if let Some(path) = vars.get("CMPAY_EXTRA_CA_FILE")? {
        let pem = std::fs::read(Path::new(&path))
            .map_err(|e| Error::Tls(format!("CMPAY_EXTRA_CA_FILE: cannot read {path:?}: {e}")))?;
        config.extra_ca_pem.push(pem);
    }
    if let Some(value) = vars.get("CMPAY_ALLOW_HTTP")? {
        config.allow_http = match value.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => true,
            "0" | "false" | "no" | "off" => false,
            _ => {
                return Err(Error::InvalidArgument(format!(
                    "CMPAY_ALLOW_HTTP {value:?} is neither 1/true/yes/on nor 0/false/no/off"
                )));
            }
        };
    }
    Ok(config)
}

fn millis(var: &str, value: &str) -> Result<Duration> {
    let max = MAX_TIMEOUT.as_millis();
    match value.parse::<u64>() {
        Ok(ms) if ms > 0 && u128::from(ms) <= max => Ok(Duration::from_millis(ms)),
        _ => Err(Error::InvalidArgument(format!(
            "{var} {value:?} is not a whole number of milliseconds from 1 to {max}"
        ))),
    }
}

/// `Client::new`'s errors name the setting (endpoint, proxy, extra CA):
/// here they name the variable that gave it.
fn blame_client_error(e: Error, vars: &Vars<'_>) -> Error {
    let text = match &e {
        Error::InvalidArgument(m) | Error::Tls(m) => m.clone(),
        _ => return e,
    };
    let var = if text.starts_with("extra CA") {
        "CMPAY_EXTRA_CA_FILE"
    } else if text.starts_with("proxy") {
        "CMPAY_PROXY"
    } else if text.starts_with("endpoint") && vars.get("CMPAY_ENDPOINT").ok().flatten().is_some() {
        if text.contains("allow_http") {
            return Error::InvalidArgument(format!(
                "CMPAY_ENDPOINT: {text} (set CMPAY_ALLOW_HTTP=1 for a test gateway on plain http)"
            ));
        }
        "CMPAY_ENDPOINT"
    } else {
        return e;
    };
    prefix(e, var)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn from(vars: &[(&str, &str)]) -> Result<Client> {
        let map: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        client_from(ClientConfig::default(), |name| map.get(name).cloned())
    }

    fn err(vars: &[(&str, &str)]) -> String {
        let e = from(vars).expect_err("an error").to_string();
        assert!(!e.contains(KEY), "the key in an error: {e}");
        e
    }

    struct TempFile(std::path::PathBuf);

    impl TempFile {
        fn new(name: &str, bytes: &[u8]) -> TempFile {
            let dir = std::env::temp_dir().join(format!("cmpay-env-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            TempFile(path)
        }

        fn path(&self) -> &str {
            self.0.to_str().unwrap()
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    const ID: (&str, &str) = ("CMPAY_MERCHANT_ID", "888009941120001");

    #[test]
    fn md5_from_the_key_and_every_setting() {
        let c = from(&[
            ID,
            ("CMPAY_SIGN_KEY", KEY),
            ("CMPAY_ENDPOINT", "http://127.0.0.1:1/ips/cmpayService"),
            ("CMPAY_CHARSET", "utf-8"),
            ("CMPAY_CONNECT_TIMEOUT_MS", "1500"),
            ("CMPAY_TIMEOUT_MS", "120000"),
            ("CMPAY_PROXY", "http://proxy.internal:3128"),
            ("CMPAY_ALLOW_HTTP", "1"),
        ])
        .unwrap();
        let cfg = c.config();
        assert_eq!(c.merchant().merchant_id(), "888009941120001");
        assert_eq!(cfg.endpoint, "http://127.0.0.1:1/ips/cmpayService");
        assert_eq!(cfg.charset, Charset::Utf8);
        assert_eq!(cfg.connect_timeout, Duration::from_millis(1500));
        assert_eq!(cfg.timeout, MAX_TIMEOUT);
        assert_eq!(cfg.proxy.as_deref(), Some("http://proxy.internal:3128"));
        assert!(cfg.allow_http);
        // Defaults, and empty values count as unset.
        let d = from(&[
            ID,
            ("CMPAY_SIGN_KEY", KEY),
            ("CMPAY_PROXY", ""),
            ("CMPAY_ENDPOINT", ""),
        ])
        .unwrap();
        assert_eq!(d.config(), &ClientConfig::default());
        for (value, charset) in [
            ("00", Charset::Gbk),
            ("GBK", Charset::Gbk),
            ("01", Charset::Gb2312),
            ("gb2312", Charset::Gb2312),
            ("02", Charset::Utf8),
            ("UTF8", Charset::Utf8),
        ] {
            let c = from(&[ID, ("CMPAY_SIGN_KEY", KEY), ("CMPAY_CHARSET", value)]).unwrap();
            assert_eq!(c.config().charset, charset, "{value}");
        }
    }

    #[test]
    fn the_base_configuration_is_kept() {
        let base = ClientConfig {
            timeout: Duration::from_secs(7),
            ..ClientConfig::default()
        };
        let c = client_from(base, |n| match n {
            "CMPAY_MERCHANT_ID" => Some("888009941120001".into()),
            "CMPAY_SIGN_KEY" => Some(KEY.into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.config().timeout, Duration::from_secs(7));
    }

    #[test]
    fn sign_key_files_lose_one_newline_and_a_bom() {
        for (name, bytes) in [
            ("plain", KEY.to_string()),
            ("lf", format!("{KEY}\n")),
            ("crlf", format!("{KEY}\r\n")),
            ("bom", format!("\u{feff}{KEY}\r\n")),
        ] {
            let f = TempFile::new(name, bytes.as_bytes());
            let c = from(&[ID, ("CMPAY_SIGN_KEY_FILE", f.path())]).unwrap();
            let direct = Merchant::md5("888009941120001", KEY).unwrap();
            let p: crate::Params = [("requestId", "r1"), ("orderId", "1")]
                .into_iter()
                .collect();
            let kind = crate::MessageKind::QueryRequest;
            assert_eq!(
                c.merchant().sign_request(kind, &p).unwrap().hmac,
                direct.sign_request(kind, &p).unwrap().hmac,
                "{name}"
            );
        }
        for (name, bytes) in [
            ("two-newlines", format!("{KEY}\n\n")),
            ("space", format!("{KEY} \n")),
            ("leading", format!(" {KEY}")),
            ("tab", format!("{}\t{}", &KEY[..10], &KEY[10..])),
            ("cr", format!("{KEY}\r")),
        ] {
            let f = TempFile::new(name, bytes.as_bytes());
            let e = err(&[ID, ("CMPAY_SIGN_KEY_FILE", f.path())]);
            assert!(
                e.contains("CMPAY_SIGN_KEY_FILE") && e.contains(f.path()),
                "{name}: {e}"
            );
            assert!(e.contains("whitespace"), "{name}: {e}");
        }
        let empty = TempFile::new("empty", b"\n");
        assert!(err(&[ID, ("CMPAY_SIGN_KEY_FILE", empty.path())]).contains("is empty"));
        let e = err(&[ID, ("CMPAY_SIGN_KEY_FILE", "/nonexistent/cmpay/key")]);
        assert!(
            e.contains("CMPAY_SIGN_KEY_FILE: cannot read \"/nonexistent/cmpay/key\""),
            "{e}"
        );
        let short = TempFile::new("short", b"abc\n");
        let e = err(&[ID, ("CMPAY_SIGN_KEY_FILE", short.path())]);
        assert!(
            e.contains("CMPAY_SIGN_KEY_FILE: signKey is 3 characters"),
            "{e}"
        );
    }

    #[test]
    fn rsa_from_two_files_under_either_name() {
        let keys = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/test-keys");
        let private = std::fs::read(keys.join("merchant_private_pkcs8.pem")).unwrap();
        let public = std::fs::read(keys.join("platform_public.pem")).unwrap();
        let mut crlf_bom = b"\xEF\xBB\xBF".to_vec();
        crlf_bom.extend(
            String::from_utf8(private.clone())
                .unwrap()
                .replace('\n', "\r\n")
                .into_bytes(),
        );
        let p = TempFile::new("private.pem", &crlf_bom);
        let g = TempFile::new("public.pem", &public);
        for (pv, gv) in [
            ("CMPAY_RSA_PRIVATE_KEY_FILE", "CMPAY_RSA_PUBLIC_KEY_FILE"),
            ("CMPAY_PRIVATE_KEY_FILE", "CMPAY_GATEWAY_KEY_FILE"),
        ] {
            let c = from(&[ID, (pv, p.path()), (gv, g.path())]).unwrap();
            assert_eq!(c.merchant().verifier().sign_type(), "RSA");
        }
        let e = err(&[ID, ("CMPAY_RSA_PRIVATE_KEY_FILE", p.path())]);
        assert!(e.contains("RSA needs both"), "{e}");
        let e = err(&[
            ID,
            ("CMPAY_RSA_PRIVATE_KEY_FILE", p.path()),
            ("CMPAY_PRIVATE_KEY_FILE", p.path()),
            ("CMPAY_RSA_PUBLIC_KEY_FILE", g.path()),
        ]);
        assert!(e.contains("both set"), "{e}");
        // The wrong file in each place: the error names the variable.
        let e = err(&[
            ID,
            ("CMPAY_RSA_PRIVATE_KEY_FILE", g.path()),
            ("CMPAY_RSA_PUBLIC_KEY_FILE", g.path()),
        ]);
        assert!(e.starts_with("key: CMPAY_RSA_PRIVATE_KEY_FILE: "), "{e}");
        let junk = TempFile::new("junk.pem", b"not a key");
        let e = err(&[
            ID,
            ("CMPAY_RSA_PRIVATE_KEY_FILE", p.path()),
            ("CMPAY_RSA_PUBLIC_KEY_FILE", junk.path()),
        ]);
        assert!(e.starts_with("key: CMPAY_RSA_PUBLIC_KEY_FILE: "), "{e}");
        let e = err(&[
            ID,
            ("CMPAY_SIGN_KEY", KEY),
            ("CMPAY_RSA_PRIVATE_KEY_FILE", p.path()),
            ("CMPAY_RSA_PUBLIC_KEY_FILE", g.path()),
        ]);
        assert!(e.contains("set one way of signing"), "{e}");
    }

    #[test]
    fn every_bad_value_names_its_variable() {
        let md5 = |extra: (&'static str, &'static str)| err(&[ID, ("CMPAY_SIGN_KEY", KEY), extra]);
        assert!(err(&[("CMPAY_SIGN_KEY", KEY)]).contains("CMPAY_MERCHANT_ID is not set"));
        assert!(err(&[ID]).contains("no key is set"));
        let long = "8".repeat(100);
        let e = err(&[("CMPAY_MERCHANT_ID", &long), ("CMPAY_SIGN_KEY", KEY)]);
        assert!(e.contains("CMPAY_MERCHANT_ID: "), "{e}");
        let e = err(&[ID, ("CMPAY_SIGN_KEY", "short")]);
        assert!(e.contains("CMPAY_SIGN_KEY: signKey is 5 characters"), "{e}");
        let e = err(&[ID, ("CMPAY_SIGN_KEY", &format!("{KEY}\n"))]);
        assert!(
            e.contains("CMPAY_SIGN_KEY: signKey has leading or trailing whitespace"),
            "{e}"
        );
        let f = TempFile::new("both", KEY.as_bytes());
        assert!(
            err(&[
                ID,
                ("CMPAY_SIGN_KEY", KEY),
                ("CMPAY_SIGN_KEY_FILE", f.path())
            ])
            .contains("both set")
        );
        for (var, value) in [
            ("CMPAY_CHARSET", "03"),
            ("CMPAY_CONNECT_TIMEOUT_MS", "0"),
            ("CMPAY_TIMEOUT_MS", "-1"),
            ("CMPAY_TIMEOUT_MS", "120001"),
            ("CMPAY_TIMEOUT_MS", "5s"),
            ("CMPAY_ALLOW_HTTP", "maybe"),
            ("CMPAY_ENDPOINT", "ftp://x"),
            ("CMPAY_ENDPOINT", "http://127.0.0.1:1/x"),
            ("CMPAY_PROXY", "not a url at all ::"),
            ("CMPAY_EXTRA_CA_FILE", "/nonexistent/ca.pem"),
        ] {
            let e = md5((var, value));
            assert!(e.contains(var), "{var}={value}: {e}");
        }
        assert!(md5(("CMPAY_ENDPOINT", "http://127.0.0.1:1/x")).contains("CMPAY_ALLOW_HTTP=1"));
        let junk = TempFile::new("ca.pem", b"not a pem");
        let e = err(&[
            ID,
            ("CMPAY_SIGN_KEY", KEY),
            ("CMPAY_EXTRA_CA_FILE", junk.path()),
        ]);
        assert!(e.starts_with("tls: CMPAY_EXTRA_CA_FILE: "), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_value_that_is_not_utf8_names_its_variable() {
        use std::os::unix::ffi::OsStringExt;
        let e = client_from(ClientConfig::default(), |n| match n {
            "CMPAY_MERCHANT_ID" => Some(OsString::from_vec(vec![0xff])),
            _ => None,
        })
        .err()
        .unwrap()
        .to_string();
        assert!(e.contains("CMPAY_MERCHANT_ID is not valid UTF-8"), "{e}");
    }
}
