//! The files generated from the registry, with the text each must hold.

use std::path::PathBuf;

use fountain_runtime::function::Function;

use crate::{CONTEXTS, Context};

/// A file the registry writes: its path from the repository root and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub text: String,
}

/// The repository's root, where the paths of [`GeneratedFile`] start.
pub fn repository_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Every generated file.
pub fn files() -> Result<Vec<GeneratedFile>, serde_json::Error> {
    let mut files: Vec<GeneratedFile> = CONTEXTS
        .iter()
        .flat_map(|context| context.functions.iter().map(move |f| main_of(context, f)))
        .collect();
    files.push(GeneratedFile {
        path: PathBuf::from("docs/openapi.json"),
        text: crate::openapi::json()? + "\n",
    });
    files.push(GeneratedFile {
        path: PathBuf::from("docs/asyncapi.json"),
        text: fountain_events::asyncapi::render(),
    });
    // The README is edited by hand around its generated tables.
    let readme = std::fs::read_to_string(repository_root().join("README.md")).unwrap_or_default();
    if let Some(text) = crate::readme::regenerate(&readme) {
        files.push(GeneratedFile {
            path: PathBuf::from("README.md"),
            text,
        });
    }
    Ok(files)
}

/// The Lambda main of `function`: one line naming its context's list; the entry is chosen by
/// the binary's name at compile time.
fn main_of(context: &Context, function: &Function) -> GeneratedFile {
    GeneratedFile {
        path: PathBuf::from(format!(
            "functions/{}/src/bin/{}.rs",
            context.dir, function.name
        )),
        text: format!(
            "//! Lambda function `{}`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.\n\nfountain_runtime::lambda_main!({}::FUNCTIONS);\n",
            function.name, context.krate
        ),
    }
}

/// The main files in `functions/*/src/bin` that no registry entry generates.
pub fn stray_mains() -> std::io::Result<Vec<PathBuf>> {
    let expected: Vec<PathBuf> = CONTEXTS
        .iter()
        .flat_map(|context| {
            context
                .functions
                .iter()
                .map(move |f| main_of(context, f).path)
        })
        .collect();
    let mut stray = Vec::new();
    for context in std::fs::read_dir(repository_root().join("functions"))? {
        let context = context?.path();
        let Ok(bins) = std::fs::read_dir(context.join("src/bin")) else {
            continue;
        };
        for bin in bins {
            let path = bin?.path();
            let relative = path
                .strip_prefix(repository_root())
                .map(PathBuf::from)
                .unwrap_or(path.clone());
            if !expected.contains(&relative) {
                stray.push(relative);
            }
        }
    }
    Ok(stray)
}
