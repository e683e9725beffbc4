//! `cmpay codes [CODE]`: the gateway's return codes (protocol.md appendix B).

use crate::{CmdResult, Failure};
use cmpay::codes::{RETURN_CODES, ReturnCode, SIMULATOR_CODES, return_code};

const HELP: &str = "\
usage: cmpay codes [CODE]

Without CODE, prints the gateway's return-code table: the payment document's
spelling, the query/refund documents' spelling (where it differs), the
Chinese text and its English meaning, then the simulator's own codes (not in
the documents: MCG99999 for a field that breaks the document's format where
appendix B has no code). With CODE (either spelling, any case),
prints that one code's line.

Exit status: 0 printed; 1 unknown code; 2 usage error.
";

pub fn run(parser: &mut lexopt::Parser) -> CmdResult {
    use lexopt::prelude::*;
    let mut code: Option<String> = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => {
                say_raw!("{HELP}");
                return Ok(());
            }
            Value(v) if code.is_none() => code = Some(v.string()?),
            other => return Err(other.unexpected().into()),
        }
    }
    match code {
        None => {
            say!("{:<9} {:<9} meaning", "code", "also");
            for rc in RETURN_CODES {
                say!("{}", line(rc));
            }
            for rc in SIMULATOR_CODES {
                say!("{}", line(rc));
            }
            Ok(())
        }
        Some(code) => {
            let wanted = code.trim().to_ascii_uppercase();
            match return_code(&wanted) {
                Some(rc) => {
                    say!("{}", line(rc));
                    Ok(())
                }
                None => Err(Failure::Negative(Some(format!(
                    "unknown return code {code:?}; `cmpay codes` lists the known ones"
                )))),
            }
        }
    }
}

fn line(rc: &ReturnCode) -> String {
    format!(
        "{:<9} {:<9} {} — {}",
        rc.code,
        rc.alt.unwrap_or("-"),
        rc.chinese,
        rc.english
    )
}
