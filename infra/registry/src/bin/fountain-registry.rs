//! Writes every file generated from the registry (each function's Lambda main,
//! docs/openapi.json) and removes mains no entry generates.

use std::process::ExitCode;

use fountain_registry::generated::{files, repository_root, stray_mains};

fn main() -> ExitCode {
    match write_all() {
        Ok(changed) => {
            println!("{changed} generated files written");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("fountain-registry: {error}");
            ExitCode::FAILURE
        }
    }
}

fn write_all() -> Result<usize, Box<dyn std::error::Error>> {
    let root = repository_root();
    let mut changed = 0;
    for file in files()? {
        let path = root.join(&file.path);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(file.text.as_str()) {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, &file.text)?;
            println!("wrote {}", file.path.display());
            changed += 1;
        }
    }
    for stray in stray_mains()? {
        std::fs::remove_file(root.join(&stray))?;
        println!("removed {}", stray.display());
        changed += 1;
    }
    Ok(changed)
}
