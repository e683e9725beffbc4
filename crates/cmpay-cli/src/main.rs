//! `cmpay`: tools around the CMPay (和包) merchant protocol.
//!
//! sign, verify, explain and codes work on one message at a time (the
//! interface is used from outside the project: keep it exactly); sandbox and
//! demo run the local gateway simulator; query, refund and reconcile talk to
//! the gateway the CMPAY_* variables configure. Exit codes: 0 success, 1 a
//! negative answer (invalid signature, mismatch, unknown code, failed demo, a
//! gateway or transport error), 2 a usage error or input that cannot be read.

// Output that never panics: a closed pipe (`cmpay codes | head -1`) must not
// turn into a panic message, so write errors on stdout and stderr are ignored.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}
macro_rules! say_raw {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}
macro_rules! esay {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

mod args;
mod codes_cmd;
mod demo;
mod explain;
mod html;
mod inspect;
mod keyopt;
mod ops;
mod sandbox_cmd;
mod sign_verify;

use std::process::ExitCode;

pub const USAGE: &str = "\
cmpay — tools for the CMPay (和包) merchant protocol

usage:
  cmpay sign    (--key KEY | --key-file FILE | --rsa-private PEM) --kind KIND   < params
  cmpay verify  (--key KEY | --key-file FILE | --rsa-public PEM)  --kind KIND   < body
  cmpay explain (--key KEY | --key-file FILE | --rsa-public PEM)  --kind KIND   < body
  cmpay codes [CODE]
  cmpay sandbox [--port N] [--https] [--merchant ID:KEY]... [--time-factor F]
                [--rsa-merchant ID:PEM]... [--ca-out FILE]
  cmpay sandbox --print-test-keys
  cmpay demo [--rsa] [--https] [--charset 00|01|02]
  cmpay query ORDER_ID [--csv | --json]
  cmpay refund ORDER_ID AMOUNT_FEN [--yes]
  cmpay reconcile ORDERS.csv [--out ANSWERS.csv] [--rate N]

query, refund and reconcile talk to the gateway configured by the CMPAY_*
variables (CMPAY_MERCHANT_ID, CMPAY_SIGN_KEY, CMPAY_ENDPOINT, ...).

KIND: order-request, order-response, notify, query-request, query-response,
      refund-request, refund-response

Run `cmpay COMMAND --help` for details. Exit codes: 0 success; 1 invalid
signature / mismatch / unknown code / failed demo / gateway or transport
error / refund not confirmed; 2 usage error or unreadable input, key or
CMPAY_* configuration; 3 (verify) verified but ambiguous: other readings of the signed
source change its meaning.
";

/// How a command ended, when not with success.
#[derive(Debug)]
pub enum Failure {
    /// Exit 1: the command ran and its answer is negative; the message has
    /// already been printed where it belongs, or is printed to stderr.
    Negative(Option<String>),
    /// Exit 2: wrong arguments, or input / keys that cannot be read.
    Usage(String),
    /// Exit 3: the message verified but its signed source has other
    /// readings (printed already): confirm it with the gateway.
    Ambiguous,
}

pub type CmdResult = Result<(), Failure>;

impl From<lexopt::Error> for Failure {
    fn from(e: lexopt::Error) -> Failure {
        Failure::Usage(e.to_string())
    }
}

fn main() -> ExitCode {
    let mut parser = lexopt::Parser::from_env();
    let result = run(&mut parser);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Negative(message)) => {
            if let Some(m) = message {
                esay!("cmpay: {m}");
            }
            ExitCode::from(1)
        }
        Err(Failure::Ambiguous) => ExitCode::from(3),
        Err(Failure::Usage(message)) => {
            esay!("cmpay: {message}");
            esay!("Run `cmpay --help` for usage.");
            ExitCode::from(2)
        }
    }
}

fn run(parser: &mut lexopt::Parser) -> CmdResult {
    use lexopt::prelude::*;
    let command = match parser.next()? {
        Some(Value(v)) => v.string()?,
        Some(Short('h') | Long("help")) => {
            say_raw!("{USAGE}");
            return Ok(());
        }
        Some(Short('V') | Long("version")) => {
            say!("cmpay {}", cmpay::VERSION);
            return Ok(());
        }
        Some(other) => return Err(other.unexpected().into()),
        None => {
            return Err(Failure::Usage(
                "no command given (sign, verify, explain, codes, sandbox, demo, query, refund, reconcile)".into(),
            ));
        }
    };
    match command.as_str() {
        "sign" => sign_verify::sign(parser),
        "verify" => sign_verify::verify(parser),
        "explain" => explain::run(parser),
        "codes" => codes_cmd::run(parser),
        "sandbox" => sandbox_cmd::run(parser),
        "demo" => demo::run(parser),
        "query" => ops::query(parser),
        "refund" => ops::refund(parser),
        "reconcile" => ops::reconcile(parser),
        "help" => {
            say_raw!("{USAGE}");
            Ok(())
        }
        other => Err(Failure::Usage(format!(
            "unknown command {other:?} (expected sign, verify, explain, codes, sandbox, demo, query, refund or reconcile)"
        ))),
    }
}
