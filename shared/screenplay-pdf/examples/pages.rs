//! Renders Fountain files on US letter and prints each one's page count (the title page
//! not counted), for infra/bench-pdf.sh's comparison with afterwriting. `--feature N FILE` first writes a
//! generated screenplay of N elements to FILE.
//!
//! `cargo run --release -p fountain-pdf --example pages -- [--feature N FILE] FILE...`

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--feature") {
        let (Some(count), Some(path)) = (args.get(1), args.get(2)) else {
            eprintln!("--feature N FILE");
            return ExitCode::FAILURE;
        };
        let Ok(count) = count.parse::<usize>() else {
            eprintln!("--feature takes a number of elements, not {count}");
            return ExitCode::FAILURE;
        };
        let text = fountain_text::write(&fountain_text::generate::screenplay(1, count));
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
        args.drain(..3);
    }
    let mut failed = false;
    for path in &args {
        let rendered = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| fountain_text::parse(&text).map_err(|e| e.to_string()))
            .and_then(|screenplay| {
                fountain_pdf::render(&screenplay, &fountain_pdf::Options::default())
                    .map_err(|e| e.to_string())
            });
        match rendered {
            Ok(rendered) => println!("{path}\t{}", rendered.pages),
            Err(e) => {
                eprintln!("{path}: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
