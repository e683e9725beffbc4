//! A received message of any kind judged whole: the one entry point above
//! the notification and the answers, for a caller that names the kind.

use crate::codes;
use crate::decode::{self, Decoding};
use crate::error::Result;
use crate::fields::MessageKind;
use crate::notify::Notification;
use crate::params::Params;
use crate::received;
use crate::sign::Verifier;

/// A received message of `kind` judged: a notification as
/// `Notification::parse` does (its own checks included), a request in its
/// own characterSet, an answer under the wire's decodings (protocol.md §8;
/// and, when it is a success, its fields' formats: `received`). Only the
/// message is judged, not the outcome: a correctly signed gateway error
/// answer is Ok. Returns the values and the decoding under which they
/// verified (None for a request, which is read in its characterSet).
pub fn verify_message(
    verifier: &Verifier,
    kind: MessageKind,
    body: &[u8],
) -> Result<(Params, Option<Decoding>)> {
    match kind {
        MessageKind::Notify => {
            let n = Notification::parse(verifier, body)?;
            Ok((n.params().clone(), Some(n.decoding())))
        }
        k if k.is_request() => Ok((decode::verify_received(verifier, k, body)?, None)),
        k => {
            let v = decode::verified(verifier, k, body)?;
            // A successful answer must have every field's format too
            // (`received`): its boundaries are pinned as a notification's.
            if codes::is_success(v.params.value("returnCode")) {
                received::check(k, &v.params)?;
            }
            Ok((v.params, Some(v.decoding)))
        }
    }
}
