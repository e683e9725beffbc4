//! The fuzz targets on a stable toolchain (cargo-fuzz needs nightly): each
//! target of fuzz/targets.rs (the same functions the cargo-fuzz targets
//! call) gets its seed corpus (fuzz/corpus/<target>/), every committed
//! crashing input (fuzz/regressions/<target>/), then inputs mutated from the
//! corpus by a seeded generator: bit flips, byte edits, splices and tokens of
//! the protocol's syntax.
//!
//! `cargo test` runs a short round (CMPAY_FUZZ_ITERS, default 300 inputs a
//! target); `make test-fuzz` runs each target for up to CMPAY_FUZZ_SECONDS
//! (a bounded time, not an assertion). A panic names the target, the seed
//! and the input (hex): commit it under fuzz/regressions/<target>/.

#[path = "../../../fuzz/targets.rs"]
mod targets;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Tokens of the wire syntax a mutation may insert.
const TOKENS: &[&[u8]] = &[
    b"&",
    b"=",
    b"%",
    b"%25",
    b"%00",
    b"%FF",
    b"+",
    b"#",
    b"\0",
    b"<hi:$$>",
    b"<hi:=>",
    b"hmac=",
    b"orderId=",
    b"status=SUCCESS",
    b"amount=",
    b"CNY_AMT=",
    b"-----BEGIN ",
    b"\r\n",
    b"\xff",
    b"\xe5\x92\x8c",
    b"0",
    b"9999999999",
    b"order%2549d=",
];

/// xorshift64*: deterministic for a seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut data = corpus[rng.below(corpus.len())].clone();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 if !data.is_empty() => {
                let end = (at + 1 + rng.below(8)).min(data.len());
                data.drain(at.min(end)..end);
            }
            2 => data.insert(at, rng.next() as u8),
            3 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, t.iter().copied());
            }
            4 => {
                // Splice a piece of another input.
                let other = &corpus[rng.below(corpus.len())];
                let from = rng.below(other.len());
                let to = (from + rng.below(64)).min(other.len());
                data.splice(at..at, other[from..to].iter().copied());
            }
            _ => {
                // Duplicate a piece (repeated names, long values).
                let from = rng.below(data.len());
                let to = (from + rng.below(32)).min(data.len());
                let piece = data[from..to].to_vec();
                data.splice(at..at, piece);
            }
        }
    }
    data.truncate(70 * 1024);
    data
}

fn files(dir: &Path) -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn run(name: &str, target: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let seeds = files(&root.join("corpus").join(name));
    assert!(!seeds.is_empty(), "no seed corpus for {name}");
    let regressions = files(&root.join("regressions").join(name));
    for input in seeds.iter().chain(&regressions) {
        target(input);
    }
    let iters = env_num("CMPAY_FUZZ_ITERS", 300);
    let budget = Duration::from_secs(env_num("CMPAY_FUZZ_SECONDS", 3600));
    let seed = env_num("CMPAY_FUZZ_SEED", 0x9E37_79B9_7F4A_7C15) ^ name.len() as u64;
    let mut rng = Rng(seed | 1);
    let mut corpus = seeds.clone();
    corpus.extend(regressions.iter().cloned());
    let start = Instant::now();
    let mut done = 0u64;
    while done < iters && start.elapsed() < budget {
        let input = mutate(&mut rng, &corpus);
        let outcome = std::panic::catch_unwind(|| target(&input));
        if outcome.is_err() {
            panic!(
                "fuzz target {name} panicked (seed {seed:#x}, input {done}); commit this input under fuzz/regressions/{name}/: {}",
                hex(&input)
            );
        }
        // Keep some mutants as material for later ones.
        if done.is_multiple_of(16) && corpus.len() < 512 {
            corpus.push(input);
        }
        done += 1;
    }
    eprintln!(
        "fuzz {name}: {} seeds, {} regressions, {done} mutated inputs in {:.1} s",
        seeds.len(),
        regressions.len(),
        start.elapsed().as_secs_f64()
    );
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn fuzz_every_target() {
    for (name, target) in targets::ALL {
        run(name, *target);
    }
}

/// The runner itself finds what it must: a target that panics on one byte
/// sequence reachable by mutation is caught (and named), not missed.
#[test]
fn the_runner_catches_a_panicking_target() {
    fn fragile(data: &[u8]) {
        assert!(!data.windows(2).any(|w| w == b"%%"), "found it");
    }
    let caught = std::panic::catch_unwind(|| {
        let mut rng = Rng(7);
        let corpus = vec![b"a=%41&b=2".to_vec()];
        for _ in 0..20_000 {
            fragile(&mutate(&mut rng, &corpus));
        }
    });
    assert!(caught.is_err(), "20,000 mutants never made \"%%\"");
}
