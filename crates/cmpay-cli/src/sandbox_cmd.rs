//! `cmpay sandbox`: runs the gateway simulator until interrupted.

use crate::{CmdResult, Failure};
use cmpay_sandbox::{self, Sandbox, SandboxConfig, SandboxMerchant};

const HELP: &str = "\
usage: cmpay sandbox [--port N] [--https] [--merchant ID:KEY]... [--rsa-merchant ID:PEM_FILE]...
                     [--time-factor F] [--ca-out FILE]
                     [--page-notify post|get] [--notify-encoding utf8|utf8-twice|gbk]
                     [--shapes long-pay-no,fee-percent,merc-pay-tpy]
       cmpay sandbox --print-test-keys

Runs the local CMPay gateway simulator on 127.0.0.1 until interrupted
(Ctrl-C). It answers DirectPayConfirm, OrderQuery and OrderRefund at
/ips/cmpayService as the gateway does (its codes, signed answers), serves the
cashier page behind each payUrl, sends the browser back to callbackUrl with the
PageNotify (an auto-submitting POST form, as the live gateway does) and POSTs
OfflineNotify to notifyUrl on the gateway's schedule until the merchant
answers SUCCESS. It speaks the live gateway's dialect (protocol.md §8):
requests read in their characterSet, encoded or raw; message=SUCCESS; payUrl
and amtItem raw in answers; notifications in UTF-8. JSON views: /sandbox/orders, /sandbox/deliveries;
faults: POST /sandbox/faults; an overview at /.

Test API (docs/sandbox-test-api.md): POST /sandbox/pay, /sandbox/fail,
/sandbox/expire with orderId (and merchantId when two merchants use it) pay,
fail or expire an order as the cashier or time would; GET /sandbox/wait-notified
?orderId=..&timeoutMs=.. waits until its OfflineNotify is acknowledged;
/sandbox/notify is a notifyUrl that acknowledges everything. Errors are JSON
{\"error\":{\"code\":..,\"message\":..}}.

Two test merchants always exist: 888009941120001 (MD5, the test vectors'
signKey) and 888009941120002 (RSA, the sandbox's test key pair: its private
key, and the simulator's gateway public key, with --print-test-keys).

  --print-test-keys         print the test merchants and keys (made up, the
                            same as tests/data/test-keys/): the MD5 signKey, the
                            RSA merchant's private key (PKCS#8 PEM) and public
                            key, and the gateway public key that verifies the
                            simulator's answers; then exit
  --port N                  port to listen on (default 0: a free port)
  --https                   serve HTTPS with a certificate made at start; its CA
                            is printed (or written to --ca-out)
  --merchant ID:KEY         add (or replace) an MD5 merchant with this signKey
  --rsa-merchant ID:PEM     add (or replace) an RSA merchant with the public key
                            in file PEM
  --time-factor F           run the clock F times faster (notification resends,
                            order validity); default 1
  --ca-out FILE             with --https: write the CA certificate (PEM) to FILE
  --page-notify MODE        post (default): the page after paying submits the
                            PageNotify to callbackUrl as a POST form; get: a
                            302 redirect with the fields in the query string
  --notify-encoding ENC     utf8 (default): notifications UTF-8, percent-encoded
                            once; utf8-twice: Chinese fields encoded twice;
                            gbk: GBK. Also POST /sandbox/settings while running
  --shapes LIST             the other shapes of values the live gateway sends
                            (default: as in the captured 2016 traffic, an
                            18-digit payNo, fee 0, a WAP payUrl of 3 parts):
                            long-pay-no (24 digits), fee-percent (0.6% of the
                            amount, e.g. 0.74), merc-pay-tpy (a 4th WAP payUrl
                            part MERC_PAY_TPY); comma-separated

The first line printed is `listening on URL`. Exit status: 2 usage error or
the simulator cannot start.
";

/// The simulator's made-up test merchants and keys, as `--print-test-keys`
/// prints them.
fn test_keys() -> String {
    format!(
        "# The sandbox's test merchants (made up; tests/data/test-keys/ in the source tree)\n\
         # MD5 merchant {md5_id}, signKey:\n{md5_key}\n\n\
         # RSA merchant {rsa_id}: its private key (PKCS#8), what it signs with\n{private}\n\
         # RSA merchant {rsa_id}: its public key, what the simulator verifies with\n{public}\n\
         # the simulator's gateway public key, what the merchant verifies answers and notifications with\n{gateway}",
        md5_id = cmpay_sandbox::TEST_MD5_MERCHANT_ID,
        md5_key = cmpay_sandbox::TEST_MD5_SIGN_KEY,
        rsa_id = cmpay_sandbox::TEST_RSA_MERCHANT_ID,
        private = cmpay_sandbox::TEST_RSA_MERCHANT_PRIVATE_KEY_PEM.trim_end(),
        public = cmpay_sandbox::TEST_RSA_MERCHANT_PUBLIC_KEY_PEM.trim_end(),
        gateway = cmpay_sandbox::TEST_GATEWAY_PUBLIC_KEY_PEM,
    )
}

pub fn run(parser: &mut lexopt::Parser) -> CmdResult {
    use lexopt::prelude::*;
    let mut config = SandboxConfig::default();
    let mut ca_out: Option<std::path::PathBuf> = None;
    let add = |config: &mut SandboxConfig, m: SandboxMerchant| {
        config
            .merchants
            .retain(|old| old.merchant_id() != m.merchant_id());
        config.merchants.push(m);
    };
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => {
                say_raw!("{HELP}");
                return Ok(());
            }
            Long("print-test-keys") => {
                say_raw!("{}", test_keys());
                return Ok(());
            }
            Long("port") => {
                let text = parser.value()?.string()?;
                config.port = text.parse().map_err(|_| {
                    Failure::Usage(format!("--port: {text:?} is not a port number (0-65535)"))
                })?;
            }
            Long("https") => config.https = true,
            Long("time-factor") => {
                let text = parser.value()?.string()?;
                let f: f64 = text.parse().map_err(|_| {
                    Failure::Usage(format!("--time-factor: {text:?} is not a number"))
                })?;
                if !(f.is_finite() && f > 0.0) {
                    return Err(Failure::Usage(format!(
                        "--time-factor must be greater than 0, not {text}"
                    )));
                }
                config.time_factor = f;
            }
            Long("merchant") => {
                let text = parser.value()?.string()?;
                let (id, key) = split_id(&text, "--merchant ID:KEY")?;
                cmpay::sign::Md5Key::new(key)
                    .map_err(|e| Failure::Usage(format!("--merchant {id}: {e}")))?;
                add(
                    &mut config,
                    SandboxMerchant::Md5 {
                        merchant_id: id.to_string(),
                        sign_key: key.to_string(),
                    },
                );
            }
            Long("rsa-merchant") => {
                let text = parser.value()?.string()?;
                let (id, path) = split_id(&text, "--rsa-merchant ID:PEM_FILE")?;
                let pem = std::fs::read(path).map_err(|e| {
                    Failure::Usage(format!("--rsa-merchant {id}: cannot read {path}: {e}"))
                })?;
                cmpay::keys::load_public_key(&pem, false)
                    .map_err(|e| Failure::Usage(format!("--rsa-merchant {id}: {e}")))?;
                add(
                    &mut config,
                    SandboxMerchant::Rsa {
                        merchant_id: id.to_string(),
                        public_key_pem: pem,
                    },
                );
            }
            Long("ca-out") => ca_out = Some(parser.value()?.into()),
            Long("page-notify") => {
                let text = parser.value()?.string()?;
                config.page_notify =
                    cmpay_sandbox::PageNotifyMode::from_name(&text).ok_or_else(|| {
                        Failure::Usage(format!("--page-notify: {text:?} is neither post nor get"))
                    })?;
            }
            Long("notify-encoding") => {
                let text = parser.value()?.string()?;
                config.notify_encoding = cmpay_sandbox::NotifyEncoding::from_name(&text)
                    .ok_or_else(|| {
                        Failure::Usage(format!(
                            "--notify-encoding: {text:?} is not utf8, utf8-twice or gbk"
                        ))
                    })?;
            }
            Long("shapes") => {
                let text = parser.value()?.string()?;
                config.shapes = cmpay_sandbox::Shapes::from_list(&text).ok_or_else(|| {
                    Failure::Usage(format!(
                        "--shapes: {text:?} is not a comma-separated list of {}",
                        cmpay_sandbox::Shapes::NAMES.join(", ")
                    ))
                })?;
            }
            other => return Err(other.unexpected().into()),
        }
    }
    if ca_out.is_some() && !config.https {
        return Err(Failure::Usage("--ca-out needs --https".into()));
    }
    let sandbox = Sandbox::start(config.clone())
        .map_err(|e| Failure::Usage(format!("the simulator did not start: {e}")))?;
    let base = sandbox.base_url();
    say!("listening on {base}");
    say!("endpoint:   {}", sandbox.endpoint());
    say!(
        "overview:   {base}/   orders: {base}/sandbox/orders   deliveries: {base}/sandbox/deliveries"
    );
    say!(
        "time factor {}: the first OfflineNotify resend comes after {:.3} s",
        config.time_factor,
        60.0 / config.time_factor
    );
    for m in &config.merchants {
        match m {
            SandboxMerchant::Md5 {
                merchant_id,
                sign_key,
            } if sign_key == cmpay_sandbox::TEST_MD5_SIGN_KEY => {
                say!("merchant    {merchant_id}  MD5, signKey {sign_key} (test key)")
            }
            SandboxMerchant::Md5 { merchant_id, .. } => {
                say!("merchant    {merchant_id}  MD5, signKey as given")
            }
            SandboxMerchant::Rsa {
                merchant_id,
                public_key_pem,
            } if public_key_pem.as_slice()
                == cmpay_sandbox::TEST_RSA_MERCHANT_PUBLIC_KEY_PEM.as_bytes() =>
            {
                say!(
                    "merchant    {merchant_id}  RSA, the sandbox's test key pair (cmpay_sandbox::TEST_RSA_MERCHANT_PRIVATE_KEY_PEM)"
                )
            }
            SandboxMerchant::Rsa { merchant_id, .. } => {
                say!("merchant    {merchant_id}  RSA, public key as configured")
            }
        }
    }
    say!("gateway public key (RSA merchants pin it): {base}/sandbox/gateway-public-key.pem");
    if let Some(ca) = sandbox.ca_pem() {
        match &ca_out {
            Some(path) => {
                std::fs::write(path, &ca)
                    .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", path.display())))?;
                say!(
                    "CA certificate written to {} (trust it in the client: extra_ca_pem)",
                    path.display()
                );
            }
            None => say_raw!("CA certificate (trust it in the client: extra_ca_pem):\n{ca}"),
        }
    }
    say!("press Ctrl-C to stop");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}

fn split_id<'a>(text: &'a str, what: &str) -> Result<(&'a str, &'a str), Failure> {
    match text.split_once(':') {
        Some((id, rest)) if !id.is_empty() && !rest.is_empty() => Ok((id, rest)),
        _ => Err(Failure::Usage(format!("expected {what}, got {text:?}"))),
    }
}
