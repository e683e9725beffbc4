//! Options shared by sign, verify and explain, and reading standard input.

use crate::Failure;
use crate::keyopt::KeySource;
use cmpay::MessageKind;
use std::io::Read;
use zeroize::Zeroizing;

/// The most standard input a command reads; a larger input is refused
/// (the gateway's own limit for a body is 64 KiB).
pub const MAX_INPUT: u64 = 1024 * 1024;

pub struct MessageArgs {
    pub kind: MessageKind,
    pub key: KeySource,
    pub allow_legacy_1024: bool,
}

/// Which key options a command takes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Sign,
    Verify,
}

/// Parses `--kind KIND` and one key option. Returns None after printing
/// `help` for `--help`.
pub fn parse(
    parser: &mut lexopt::Parser,
    side: Side,
    help: &str,
) -> Result<Option<MessageArgs>, Failure> {
    use lexopt::prelude::*;
    let mut kind = None;
    let mut key: Option<KeySource> = None;
    let mut allow_legacy_1024 = false;
    let set_key = |key_opt: &mut Option<KeySource>, k: KeySource| {
        if key_opt.is_some() {
            return Err(Failure::Usage(
                "give exactly one of --key, --key-file, --rsa-private, --rsa-public".into(),
            ));
        }
        *key_opt = Some(k);
        Ok(())
    };
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => {
                say_raw!("{help}");
                return Ok(None);
            }
            Long("kind") => {
                let name = parser.value()?.string()?;
                kind = Some(
                    MessageKind::from_name(&name)
                        .map_err(|e| Failure::Usage(format!("--kind: {e}")))?,
                );
            }
            Long("key") => {
                let text = Zeroizing::new(parser.value()?.string()?);
                set_key(&mut key, KeySource::Md5Text(text))?;
            }
            Long("key-file") => set_key(&mut key, KeySource::Md5File(parser.value()?.into()))?,
            Long("rsa-private") if side == Side::Sign => {
                set_key(&mut key, KeySource::RsaPrivate(parser.value()?.into()))?
            }
            Long("rsa-public") if side == Side::Verify => {
                set_key(&mut key, KeySource::RsaPublic(parser.value()?.into()))?
            }
            Long("allow-1024") if side == Side::Verify => allow_legacy_1024 = true,
            Long("rsa-public") => {
                return Err(Failure::Usage(
                    "sign takes --rsa-private (the merchant's private key), not --rsa-public"
                        .into(),
                ));
            }
            Long("rsa-private") => return Err(Failure::Usage(
                "verify and explain take --rsa-public (the signer's public key), not --rsa-private"
                    .into(),
            )),
            other => return Err(other.unexpected().into()),
        }
    }
    let kind = kind.ok_or_else(|| {
        let names: Vec<&str> = MessageKind::ALL.iter().map(|k| k.name()).collect();
        Failure::Usage(format!("missing --kind KIND ({})", names.join(", ")))
    })?;
    let key = key.ok_or_else(|| {
        Failure::Usage(match side {
            Side::Sign => {
                "missing key: give --key KEY, --key-file FILE or --rsa-private PEM".into()
            }
            Side::Verify => {
                "missing key: give --key KEY, --key-file FILE or --rsa-public PEM".into()
            }
        })
    })?;
    Ok(Some(MessageArgs {
        kind,
        key,
        allow_legacy_1024,
    }))
}

/// All of standard input, up to `MAX_INPUT` bytes.
pub fn read_stdin() -> Result<Vec<u8>, Failure> {
    let mut input = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_INPUT + 1)
        .read_to_end(&mut input)
        .map_err(|e| Failure::Usage(format!("cannot read standard input: {e}")))?;
    if input.len() as u64 > MAX_INPUT {
        return Err(Failure::Usage(format!(
            "standard input is larger than {MAX_INPUT} bytes"
        )));
    }
    Ok(input)
}
