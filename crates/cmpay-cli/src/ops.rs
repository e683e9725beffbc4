//! `cmpay query`, `cmpay refund` and `cmpay reconcile`: operations against
//! the gateway configured from the `CMPAY_*` variables (`Client::from_env`).
//! Nothing here prints a signKey, a private key or an hmac: the answer's
//! fields are printed by name, and `hmac`/`serverCert` are never among them.

use crate::{CmdResult, Failure};
use cmpay::{Client, Error};
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::time::{Duration, Instant};

const QUERY_HELP: &str = "\
usage: cmpay query ORDER_ID [--csv | --json]

Asks the gateway configured by the CMPAY_* variables (CMPAY_MERCHANT_ID,
CMPAY_SIGN_KEY or CMPAY_SIGN_KEY_FILE or the RSA files, CMPAY_ENDPOINT, ...)
for the order's state and prints its answer: returnCode, message, status,
amount (fen), payNo, dates. Human-readable by default; --csv prints a header
and one row, --json one object.

Exit status: 0 answered; 1 gateway error (its returnCode and message) or
transport error; 2 usage error or a configuration that cannot be read.
";

const REFUND_HELP: &str = "\
usage: cmpay refund ORDER_ID AMOUNT_FEN [--yes]

Refunds AMOUNT_FEN (a whole number of fen, not zero) of a paid order through
the gateway configured by the CMPAY_* variables, and prints its answer.
Asks for confirmation first, reading one line from stdin: anything but y or
yes aborts and sends nothing. --yes skips the question.

Exit status: 0 refunded; 1 aborted, gateway error or transport error;
2 usage error or a configuration that cannot be read.
";

const RECONCILE_HELP: &str = "\
usage: cmpay reconcile ORDERS.csv [--out ANSWERS.csv] [--rate N]

Reads a CSV file whose header has an orderId column (other columns are
kept), queries each order through the gateway configured by the CMPAY_*
variables, at most N queries a second (default 5), and writes CSV to
ANSWERS.csv or stdout: the input columns, then the gateway's answer
(returnCode, message, status, amount, payNo, payDate, orderDate, payType,
fee) and an error column, one row per order. An order whose query fails
gets its error in that column and the run goes on. Progress goes to stderr:
a counter on a terminal, otherwise one `n/total` line per order.

Exit status: 0 every order answered; 1 at least one failed; 2 usage error,
an unreadable file or a configuration that cannot be read.
";

/// The answer's fields printed, in this order (never hmac or serverCert).
const ANSWER_FIELDS: &[&str] = &[
    "returnCode",
    "message",
    "orderId",
    "status",
    "amount",
    "payNo",
    "payDate",
    "orderDate",
    "payType",
    "fee",
    "mobile",
    "bankAbbr",
    "amtItem",
];

/// The answer's fields a reconcile row carries (orderId is the input's).
const RECONCILE_FIELDS: &[&str] = &[
    "returnCode",
    "message",
    "status",
    "amount",
    "payNo",
    "payDate",
    "orderDate",
    "payType",
    "fee",
];

fn client() -> Result<Client, Failure> {
    Client::from_env().map_err(|e| Failure::Usage(format!("configuration: {e}")))
}

/// What failed, in words that say whether the gateway answered.
fn describe(e: &Error) -> String {
    match e {
        Error::Gateway {
            return_code,
            message,
            ..
        } => {
            let meaning = cmpay::codes::return_code(return_code)
                .map(|rc| format!(" ({})", rc.english))
                .unwrap_or_default();
            format!("gateway error {return_code}{meaning}: {message}")
        }
        Error::Transport(_) | Error::Timeout(_) | Error::Tls(_) => {
            format!("transport error: {e}")
        }
        other => format!("error: {other}"),
    }
}

enum Format {
    Text,
    Csv,
    Json,
}

pub fn query(parser: &mut lexopt::Parser) -> CmdResult {
    use lexopt::prelude::*;
    let mut order_id: Option<String> = None;
    let mut format = Format::Text;
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => {
                say_raw!("{QUERY_HELP}");
                return Ok(());
            }
            Long(flag @ ("csv" | "json")) => {
                if !matches!(format, Format::Text) {
                    return Err(Failure::Usage("query: --csv and --json: choose one".into()));
                }
                format = if flag == "csv" {
                    Format::Csv
                } else {
                    Format::Json
                };
            }
            Value(v) if order_id.is_none() => order_id = Some(v.string()?),
            other => return Err(other.unexpected().into()),
        }
    }
    let order_id = order_id.ok_or_else(|| Failure::Usage("query: no ORDER_ID given".into()))?;
    if order_id.is_empty() {
        return Err(Failure::Usage("query: ORDER_ID is empty".into()));
    }
    let client = client()?;
    let answer = client
        .query_order(&order_id)
        .map_err(|e| Failure::Negative(Some(describe(&e))))?;
    let fields: Vec<(&str, &str)> = ANSWER_FIELDS
        .iter()
        .map(|&n| (n, answer.params.value(n)))
        .collect();
    match format {
        Format::Text => {
            for (n, v) in &fields {
                if *n == "status" && v.is_empty() {
                    say!("{n:<11} (empty: pending, not paid)");
                } else if !v.is_empty() {
                    say!("{n:<11} {v}");
                }
            }
            if answer.is_ambiguous() {
                say!(
                    "WARNING: the answer's signed source has other readings: confirm it before acting on it"
                );
            }
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let written = w
                .write_record(fields.iter().map(|(n, _)| n))
                .and_then(|()| w.write_record(fields.iter().map(|(_, v)| v)));
            let bytes = written
                .map_err(|e| e.to_string())
                .and_then(|()| w.into_inner().map_err(|e| e.to_string()))
                .map_err(|e| Failure::Negative(Some(format!("writing CSV: {e}"))))?;
            say_raw!("{}", String::from_utf8_lossy(&bytes));
        }
        Format::Json => {
            // Written pair by pair so the keys keep the order of the text and
            // CSV forms (a serde_json::Map would sort them).
            let members: Vec<String> = fields
                .iter()
                .map(|(n, v)| {
                    format!(
                        "{}:{}",
                        serde_json::Value::from(*n),
                        serde_json::Value::from(*v)
                    )
                })
                .collect();
            say!("{{{}}}", members.join(","));
        }
    }
    Ok(())
}

/// A whole, non-zero number of fen.
fn parse_fen(text: &str) -> Result<u64, Failure> {
    let bad = || {
        Failure::Usage(format!(
            "refund: AMOUNT_FEN {text:?} is not a whole number of fen above zero"
        ))
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match text.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(bad()),
    }
}

pub fn refund(parser: &mut lexopt::Parser) -> CmdResult {
    use lexopt::prelude::*;
    let mut positional: Vec<String> = Vec::new();
    let mut yes = false;
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => {
                say_raw!("{REFUND_HELP}");
                return Ok(());
            }
            Short('y') | Long("yes") => yes = true,
            Value(v) if positional.len() < 2 => positional.push(v.string()?),
            other => return Err(other.unexpected().into()),
        }
    }
    let [order_id, amount] = <[String; 2]>::try_from(positional)
        .map_err(|_| Failure::Usage("refund: give ORDER_ID and AMOUNT_FEN".into()))?;
    if order_id.is_empty() {
        return Err(Failure::Usage("refund: ORDER_ID is empty".into()));
    }
    let fen = parse_fen(&amount)?;
    let client = client()?;
    if !yes {
        {
            let mut err = std::io::stderr();
            let _ = write!(
                err,
                "refund {fen} fen ({} yuan) of order {order_id} as merchant {}? [y/N] ",
                cmpay::money::yuan(fen),
                client.merchant().merchant_id()
            );
            let _ = err.flush();
        }
        let mut line = String::new();
        let read = std::io::stdin().lock().read_line(&mut line);
        let answer = line.trim().to_ascii_lowercase();
        if read.is_err() || !(answer == "y" || answer == "yes") {
            return Err(Failure::Negative(Some(
                "refund aborted: not confirmed, nothing sent".into(),
            )));
        }
    }
    let answer = client
        .refund(&order_id, fen)
        .map_err(|e| Failure::Negative(Some(describe(&e))))?;
    for n in ["returnCode", "message", "orderId", "amount", "payNo"] {
        let v = answer.params.value(n);
        if !v.is_empty() {
            say!("{n:<11} {v}");
        }
    }
    Ok(())
}

pub fn reconcile(parser: &mut lexopt::Parser) -> CmdResult {
    use lexopt::prelude::*;
    let mut input: Option<std::path::PathBuf> = None;
    let mut out: Option<std::path::PathBuf> = None;
    let mut rate: u32 = 5;
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => {
                say_raw!("{RECONCILE_HELP}");
                return Ok(());
            }
            Long("out") => out = Some(parser.value()?.into()),
            Long("rate") => {
                let text = parser.value()?.string()?;
                rate = match text.parse::<u32>() {
                    Ok(n) if (1..=1000).contains(&n) => n,
                    _ => {
                        return Err(Failure::Usage(format!(
                            "reconcile: --rate {text:?} is not a whole number from 1 to 1000"
                        )));
                    }
                };
            }
            Value(v) if input.is_none() => input = Some(v.into()),
            other => return Err(other.unexpected().into()),
        }
    }
    let input = input.ok_or_else(|| Failure::Usage("reconcile: no ORDERS.csv given".into()))?;
    let unreadable = |e: csv::Error| Failure::Usage(format!("reconcile: {}: {e}", input.display()));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(&input)
        .map_err(unreadable)?;
    let header = reader.headers().map_err(unreadable)?.clone();
    let id_column = header
        .iter()
        .position(|h| h.trim() == "orderId")
        .ok_or_else(|| {
            Failure::Usage(format!(
                "reconcile: {}: the header has no orderId column",
                input.display()
            ))
        })?;
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .map_err(unreadable)?;
    let client = client()?;

    // The answer's columns; one the input already has is prefixed.
    let mut out_header: Vec<String> = header.iter().map(str::to_string).collect();
    for name in RECONCILE_FIELDS.iter().chain(&["error"]) {
        let name = if header.iter().any(|h| h == *name) {
            format!("gateway_{name}")
        } else {
            (*name).to_string()
        };
        out_header.push(name);
    }
    // Rows are written (and flushed) as they are answered: an interrupted run
    // keeps what it has. The output file is created only once the input and
    // the configuration have been read.
    let sink: Box<dyn std::io::Write> =
        match &out {
            Some(path) => Box::new(std::fs::File::create(path).map_err(|e| {
                Failure::Usage(format!("reconcile: writing {}: {e}", path.display()))
            })?),
            None => Box::new(std::io::stdout()),
        };
    let mut writer = csv::Writer::from_writer(sink);
    let write_failed = |e: csv::Error| Failure::Negative(Some(format!("writing CSV: {e}")));
    writer.write_record(&out_header).map_err(write_failed)?;

    let interval = Duration::from_secs(1) / rate;
    let started = Instant::now();
    let total = rows.len();
    let terminal = std::io::stderr().is_terminal();
    let mut failed = 0usize;
    for (i, row) in rows.iter().enumerate() {
        if let Some(wait) = (started + interval * i as u32).checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        let order_id = row.get(id_column).unwrap_or("").trim();
        let mut record: Vec<String> = row.iter().map(str::to_string).collect();
        let answer = if order_id.is_empty() {
            Err("error: the row has no orderId".to_string())
        } else {
            client.query_order(order_id).map_err(|e| {
                let text = describe(&e);
                // A gateway error still fills returnCode and message.
                if let Error::Gateway {
                    return_code,
                    message,
                    ..
                } = &e
                {
                    record.push(return_code.clone());
                    record.push(message.clone());
                }
                text
            })
        };
        match answer {
            Ok(a) => {
                record.extend(
                    RECONCILE_FIELDS
                        .iter()
                        .map(|n| a.params.value(n).to_string()),
                );
                record.push(if a.is_ambiguous() {
                    failed += 1;
                    "ambiguous answer: its signed source has other readings".to_string()
                } else {
                    String::new()
                });
            }
            Err(text) => {
                failed += 1;
                record.resize(out_header.len() - 1, String::new());
                record.push(text);
            }
        }
        writer.write_record(&record).map_err(write_failed)?;
        writer
            .flush()
            .map_err(|e| Failure::Negative(Some(format!("writing CSV: {e}"))))?;
        if terminal {
            let mut err = std::io::stderr();
            let _ = write!(err, "\rreconcile: {}/{total}", i + 1);
            let _ = err.flush();
        } else {
            esay!("{}/{total}", i + 1);
        }
    }
    if terminal && total > 0 {
        esay!("");
    }
    if failed > 0 {
        return Err(Failure::Negative(Some(format!(
            "reconcile: {failed} of {total} orders not answered"
        ))));
    }
    Ok(())
}
