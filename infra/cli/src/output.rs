//! How results are shown: tables for people, the API's JSON for programs (`--json`), only
//! ids with `--quiet`.

use std::io::{IsTerminal, Write};

use comfy_table::{ContentArrangement, Table, presets};
use serde_json::Value;

use crate::error::CliError;

#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
    pub quiet: bool,
}

impl Output {
    /// Prints `value` as JSON (pretty, one document).
    pub fn json(&self, value: &Value) -> Result<(), CliError> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| CliError::Local(format!("cannot encode the answer: {e}")))?;
        self.line(&text)
    }

    /// Prints `value` as one compact JSON line (streams: watch, events tail).
    pub fn json_line(&self, value: &Value) -> Result<(), CliError> {
        self.line(&value.to_string())
    }

    /// A line on stdout; a closed pipe (`| head`) is not an error worth a message.
    pub fn line(&self, text: &str) -> Result<(), CliError> {
        let mut stdout = std::io::stdout().lock();
        match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(CliError::Local(format!("cannot write to stdout: {e}"))),
        }
    }

    /// A note for the person at the terminal, on stderr (never with --quiet).
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// A table with `headers` and `rows`.
    pub fn table(&self, headers: &[&str], rows: Vec<Vec<String>>) -> Result<(), CliError> {
        let mut table = new_table();
        table.set_header(headers.iter().copied());
        for row in rows {
            table.add_row(row);
        }
        self.line(&table.to_string())
    }

    /// One record as a two-column table of `fields`.
    pub fn record(&self, fields: Vec<(&str, String)>) -> Result<(), CliError> {
        let mut table = new_table();
        for (name, value) in fields {
            table.add_row(vec![name.to_owned(), value]);
        }
        self.line(&table.to_string())
    }
}

fn new_table() -> Table {
    let mut table = Table::new();
    // Borders only where they read well: a terminal; plain columns in a pipe.
    if std::io::stdout().is_terminal() {
        table.load_preset(presets::UTF8_FULL_CONDENSED);
    } else {
        table.load_preset(presets::NOTHING);
    }
    // Wrapped to the terminal's width, when it has a sensible one (a pseudo-terminal may
    // report none, or zero columns).
    if table.width().is_some_and(|w| w >= 40) {
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
    table
}

/// A field of `value` as text: strings as they are, numbers and booleans written out,
/// absent or null as "-".
pub fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        None | Some(Value::Null) => "-".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) if items.is_empty() => "-".to_owned(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// An RFC 3339 time field of `value` in the local time zone, to the second.
pub fn time(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map_or_else(
            || text(value, key),
            |t| {
                t.with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string()
            },
        )
}

/// `bytes` for people: 812 B, 14.2 KiB, 3.1 MiB.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// The items of a page answer (`{"items": [...]}`).
pub fn items(page: &Value) -> Vec<Value> {
    page.get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(812), "812 B");
        assert_eq!(size(14_540), "14.2 KiB");
        assert_eq!(size(3 * 1024 * 1024 + 200_000), "3.2 MiB");
    }

    #[test]
    fn fields_read_well() {
        let value = serde_json::json!({ "a": "x", "n": 3, "roles": ["admin", "pro"], "z": null });
        assert_eq!(text(&value, "a"), "x");
        assert_eq!(text(&value, "n"), "3");
        assert_eq!(text(&value, "roles"), "admin, pro");
        assert_eq!(text(&value, "z"), "-");
        assert_eq!(text(&value, "missing"), "-");
    }
}
