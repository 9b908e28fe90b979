//! No crate of the workspace has a cycle between its top-level modules: a module that needs
//! another's type does not lend it one back. Read from the sources (`crate::module` paths
//! outside comments and test modules), so a new cycle fails here.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The code of a file without its comments and its `#[cfg(test)]` module.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first path segments after `crate::` in `code`, including those of `use crate::{a, b}`.
fn referenced(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = group.split('}').next().unwrap_or_default();
            for part in group.split(',') {
                let name = part.trim().split("::").next().unwrap_or_default();
                found.insert(name.trim().to_owned());
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found.retain(|name| !name.is_empty() && name != "self");
    found
}

/// The graph of a crate's top-level modules (`src/x.rs` and `src/x/...` are module `x`).
fn module_graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph = Graph::new();
    for file in files {
        let relative = file.strip_prefix(src).unwrap();
        let first = relative
            .iter()
            .next()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if first == "bin" || first == "lib.rs" || first == "main.rs" {
            continue;
        }
        let module = first.trim_end_matches(".rs").to_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        let edges = graph.entry(module.clone()).or_default();
        edges.extend(
            referenced(&code(&text))
                .into_iter()
                .filter(|m| *m != module),
        );
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for edges in graph.values_mut() {
        edges.retain(|m| modules.contains(m));
    }
    graph
}

/// Every module that can reach itself, with one path back.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for start in graph.keys() {
        let mut stack = vec![vec![start.clone()]];
        let mut seen = BTreeSet::new();
        while let Some(path) = stack.pop() {
            let last = path.last().unwrap();
            for next in &graph[last] {
                if next == start {
                    let mut cycle = path.clone();
                    cycle.push(start.clone());
                    found.push(cycle);
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push(longer);
                }
            }
        }
    }
    found
}

#[test]
fn the_detector_finds_a_cycle_through_a_third_module() {
    let graph: Graph = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(m, to)| (m.to_owned(), to.into_iter().map(str::to_owned).collect()))
    .collect();
    let found = cycles(&graph);
    assert!(found.contains(&vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    assert!(found.iter().all(|cycle| cycle[0] != "d"));
    assert_eq!(
        referenced(&code(
            "use crate::{x::Y, z};\n// crate::comment\nfn f() { crate::w::g() }"
        )),
        BTreeSet::from(["w".to_owned(), "x".to_owned(), "z".to_owned()])
    );
}

#[test]
fn no_crate_has_a_cycle_between_its_modules() {
    let root = workspace();
    let mut crates = Vec::new();
    for parent in ["shared", "functions", "infra"] {
        for entry in std::fs::read_dir(root.join(parent)).unwrap() {
            let src = entry.unwrap().path().join("src");
            if src.is_dir() {
                crates.push(src);
            }
        }
    }
    crates.push(root.join("tests").join("src"));
    assert!(crates.len() > 20, "only {} crates found", crates.len());
    let mut found = Vec::new();
    for src in crates {
        for cycle in cycles(&module_graph(&src)) {
            found.push(format!("{}: {}", src.display(), cycle.join(" -> ")));
        }
    }
    assert!(found.is_empty(), "module cycles:\n{}", found.join("\n"));
}
