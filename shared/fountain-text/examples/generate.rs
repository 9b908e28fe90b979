//! Prints a generated screenplay as Fountain:
//! `cargo run -p fountain-text --example generate -- 3000 [seed] > /tmp/feature.fountain`

use std::process::ExitCode;

const DEFAULT_SEED: u64 = 2025;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let elements = args.next().map(|arg| arg.parse::<usize>());
    let seed = args.next().map(|arg| arg.parse::<u64>());
    match (elements, seed) {
        (Some(Ok(elements)), None) => print(elements, DEFAULT_SEED),
        (Some(Ok(elements)), Some(Ok(seed))) => print(elements, seed),
        _ => {
            eprintln!("usage: generate <elements> [seed]");
            ExitCode::FAILURE
        }
    }
}

fn print(elements: usize, seed: u64) -> ExitCode {
    let screenplay = fountain_text::generate::screenplay(seed, elements);
    print!("{}", fountain_text::write(&screenplay));
    ExitCode::SUCCESS
}
