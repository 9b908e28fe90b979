//! The optional title page: `Key: value` entries in the document's first paragraph, a
//! value continued on indented lines.
//!
//! The first paragraph is a title page only if every line is an entry or a continuation
//! and at least one value is not empty. The second condition keeps a script that opens
//! with `FADE IN:` or `CUT TO:` (a "key" with nothing after it) a script.

use crate::lines::SourceLine;
use crate::model::{LineSpan, TitleEntry};

/// The title page's entries and how many lines it takes (0 without a title page).
pub(crate) fn read(lines: &[SourceLine<'_>]) -> (Vec<TitleEntry>, usize) {
    let paragraph_len = lines
        .iter()
        .position(SourceLine::is_blank)
        .unwrap_or(lines.len());
    let paragraph = &lines[..paragraph_len];
    let mut entries: Vec<TitleEntry> = Vec::new();
    for line in paragraph {
        if let Some((key, value)) = entry_line(line.text) {
            entries.push(TitleEntry {
                key: key.to_string(),
                value: value.to_string(),
                span: LineSpan::line(line.number),
            });
            continue;
        }
        let is_continuation = line.text.starts_with([' ', '\t']);
        match entries.last_mut() {
            Some(entry) if is_continuation => {
                if !entry.value.is_empty() {
                    entry.value.push('\n');
                }
                entry.value.push_str(line.text.trim());
                entry.span.end = line.number;
            }
            _ => return (Vec::new(), 0),
        }
    }
    if entries.iter().all(|entry| entry.value.is_empty()) {
        return (Vec::new(), 0);
    }
    (entries, paragraph_len)
}

/// `Draft date: 1 May` gives ("Draft date", "1 May"). A key starts with a letter or digit
/// and holds only those, spaces, `-`, `_` and `.`.
pub(crate) fn entry_line(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let starts_well = key.chars().next().is_some_and(char::is_alphanumeric);
    let key_chars = key
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'));
    (starts_well && key_chars).then(|| (key.trim_end(), value.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::source_lines;

    #[test]
    fn entries_with_indented_continuations_end_at_the_first_blank_line() {
        let lines =
            source_lines("Title:\n    _**BRICK**_\n\t_**STEEL**_\nDraft date: 1 May\n\nAction.");
        let (entries, used) = read(&lines);
        assert_eq!(used, 4);
        assert_eq!(entries[0].key, "Title");
        assert_eq!(entries[0].value, "_**BRICK**_\n_**STEEL**_");
        assert_eq!(entries[0].span, LineSpan::new(1, 3));
        assert_eq!(entries[1].key, "Draft date");
        assert_eq!(entries[1].value, "1 May");
    }

    #[test]
    fn a_first_line_without_a_value_is_a_script_not_a_title_page() {
        for source in ["FADE IN:\n\nINT. HOUSE", "CUT TO:", "A man.\nTitle: x"] {
            assert_eq!(read(&source_lines(source)).1, 0, "{source}");
        }
    }
}
