//! `cmpay sign` and `cmpay verify`.

use crate::args::{self, Side};
use crate::{CmdResult, Failure, keyopt};
use cmpay::body;
use cmpay::{MessageKind, sign};

const SIGN_HELP: &str = "\
usage: cmpay sign (--key KEY | --key-file FILE | --rsa-private PEM) --kind KIND < params

Reads one message's parameters on standard input as a UTF-8 form body
(name=value&name=value, values percent-encoded as UTF-8, `+` for space) and
prints its hmac on one line (lowercase hex).

The parameters are signed exactly as given: the signature source is the
values of KIND's signed fields, in the table's order, joined with no
separator (an absent or empty field adds nothing), hashed as UTF-8. Nothing
is filled in or checked as `Merchant::sign_request` would (no default type,
version, characterSet or currency; merchantId and signType are taken from the
input). Missing required request fields only draw a warning on stderr.
hmac, merchantCert and serverCert in the input are ignored; any other name
that is not a field of KIND is an error (a misspelt name would otherwise be
left out of the signature silently).

  --kind KIND          order-request, order-response, notify, query-request,
                       query-response, refund-request, refund-response
  --key KEY            the MD5 signKey (visible to other users in `ps`:
                       prefer --key-file)
  --key-file FILE      a file holding the MD5 signKey (one trailing newline
                       is ignored)
  --rsa-private PEM    the merchant's RSA private key (PEM or DER, PKCS#8 or
                       PKCS#1, at least 2048 bits): SHA1withRSA signature

Exit status: 0 printed the hmac; 2 usage error, unreadable key or input.

example:
  printf 'merchantId=888009941120001&requestId=R1&signType=MD5&type=OrderQuery&version=2.0.0&orderId=O1' \\
    | cmpay sign --key-file signkey.txt --kind query-request
";

const VERIFY_HELP: &str = "\
usage: cmpay verify (--key KEY | --key-file FILE | --rsa-public PEM) --kind KIND < body

Reads a received body on standard input exactly as it arrived on the wire
(raw bytes, percent-encoded in whatever charset) and checks its hmac. Prints
`valid` and exits 0, or prints `invalid: <reason>` and exits 1.

A request (order-request, query-request, refund-request) is read as the
gateway reads it: values percent-decoded once (raw values pass unchanged),
in the request's own characterSet (00 GBK, 01 GB2312, 02 UTF-8). A
notification or answer is verified as the library does (protocol.md §8):
values decoded once as UTF-8, twice as UTF-8, once as GB18030, twice as
GB18030, the first under which the hmac holds (stderr says which when it
was not the first); for notify the type must be PageNotify or OfflineNotify. Only the signature is judged: a gateway error answer whose
signature holds is valid (its returnCode is noted on stderr).

  --kind KIND          order-request, order-response, notify, query-request,
                       query-response, refund-request, refund-response
  --key KEY            the MD5 signKey (prefer --key-file)
  --key-file FILE      a file holding the MD5 signKey
  --rsa-public PEM     the signer's RSA public key or X.509 certificate (for
                       gateway messages: the gateway's key you configured;
                       serverCert in a message is never used)
  --allow-1024         accept a legacy 1024-bit RSA public key

A notification or query answer that verifies is then searched for other
readings of its signed source (the values are joined with no separator, so
a boundary can move): when another reading passes every rule and names
another orderId, amount, payNo, returnCode, status or type (merchantId kept),
it prints `ambiguous`, then each other reading on a line of its own
(`also reads as: merchantId=... payNo=... ...`), and exits 3: the bytes
cannot say which was meant, so confirm it with the gateway (an OrderQuery)
before acting on it.

Exit status: 0 valid; 1 invalid; 2 usage error, unreadable key or input;
3 valid but ambiguous.
Use `cmpay explain` to see why a body does not verify.
";

pub fn sign(parser: &mut lexopt::Parser) -> CmdResult {
    let Some(a) = args::parse(parser, Side::Sign, SIGN_HELP)? else {
        return Ok(());
    };
    let signer = keyopt::signer(&a.key)?;
    let input = args::read_stdin()?;
    let params =
        body::parse_utf8(&input).map_err(|e| Failure::Usage(format!("standard input: {e}")))?;
    if a.kind.is_request() {
        for field in a.kind.fields() {
            if !field.may_be_empty && params.value(field.name).is_empty() {
                esay!(
                    "cmpay: warning: {} is empty or absent; the gateway requires it",
                    field.name
                );
            }
        }
    }
    let given = params.value("signType");
    if !given.is_empty() && given != signer.sign_type() {
        esay!(
            "cmpay: warning: signType is {given:?} but the key is {}",
            signer.sign_type()
        );
    }
    let hmac = signer
        .sign_exact(a.kind, &params)
        .map_err(|e| Failure::Usage(format!("standard input: {e}")))?;
    say!("{hmac}");
    Ok(())
}

pub fn verify(parser: &mut lexopt::Parser) -> CmdResult {
    let Some(a) = args::parse(parser, Side::Verify, VERIFY_HELP)? else {
        return Ok(());
    };
    let key = keyopt::verify_key(&a.key, a.allow_legacy_1024)?;
    let body = args::read_stdin()?;
    match check(&key.verifier, a.kind, &body) {
        Ok((notes, others)) => {
            say!(
                "{}",
                if others.is_ambiguous() {
                    "ambiguous"
                } else {
                    "valid"
                }
            );
            for other in &others.others {
                say!("also reads as: {other}");
            }
            if others.gave_up {
                say!("also reads in more ways than the search counts");
            }
            for note in notes {
                esay!("cmpay: note: {note}");
            }
            if others.is_ambiguous() {
                return Err(Failure::Ambiguous);
            }
            Ok(())
        }
        Err(reason) => {
            say!("invalid: {reason}");
            Err(Failure::Negative(None))
        }
    }
}

/// Verifies a received body; Ok carries notes for stderr and the other
/// readings of a notification or query answer, Err the reason.
fn check(
    verifier: &sign::Verifier,
    kind: MessageKind,
    body: &[u8],
) -> Result<(Vec<String>, cmpay::Ambiguity), String> {
    let mut notes = Vec::new();
    let (params, decoding) = cmpay::verify_message(verifier, kind, body).map_err(|e| {
        // A request the gateway cannot read as signed gets its IPS0008
        // (protocol.md §8.9), as from the simulator.
        match e {
            cmpay::Error::Parse(_) if kind.is_request() => {
                format!("{e} (the gateway answers IPS0008; `cmpay explain` shows more)")
            }
            e => e.to_string(),
        }
    })?;
    let others = match kind {
        MessageKind::Notify | MessageKind::QueryResponse
            if cmpay::codes::is_success(params.value("returnCode"))
                || kind == MessageKind::Notify =>
        {
            let values: Vec<&str> = kind.fields().iter().map(|f| params.value(f.name)).collect();
            cmpay::readings::of_received(kind, &values)
        }
        _ => cmpay::Ambiguity::default(),
    };
    if let Some(d) = decoding.filter(|d| *d != cmpay::Decoding::Utf8Once) {
        notes.push(format!(
            "the hmac held with the values read as {} (protocol.md §8)",
            d.name()
        ));
    }
    let code = params.value("returnCode");
    if !code.is_empty() && !cmpay::codes::is_success(code) {
        let meaning = cmpay::codes::return_code(code)
            .map(|c| c.english)
            .unwrap_or("unknown code");
        notes.push(format!(
            "returnCode {code} ({meaning}): a gateway error answer, correctly signed"
        ));
    }
    Ok((notes, others))
}
