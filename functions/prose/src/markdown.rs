//! Writers' words inside our Markdown: escaped so that a stray `*`, `#` or `1.` in a line of
//! dialogue stays a character and cannot open emphasis, a heading or a list, and with the
//! whitespace that Markdown gives meaning to (leading indentation, trailing double spaces,
//! blank lines) removed where it would change the document's structure.

/// Characters that have meaning anywhere in a line (emphasis, code, links, autolinks and raw
/// HTML, headings' closing sequences, GFM strikethrough and tables). A backslash before any
/// ASCII punctuation is a literal in CommonMark, so escaping more than needed is harmless.
const INLINE_SIGNIFICANT: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '#', '~', '|'];

/// One line of text, escaped. Also neutralises what only matters at the start of a line
/// (list bullets, setext underlines, ordered-list numbers), because callers cannot always
/// know whether the line will start one.
pub fn escape_line(line: &str) -> String {
    let line = line.trim();
    let mut out = String::with_capacity(line.len() + 8);
    if line.starts_with(['-', '+', '=']) {
        out.push('\\');
    }
    let number_end = line
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(line.len());
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let is_list_number_end = at == number_end && number_end > 0 && matches!(c, '.' | ')');
        let starts_entity = c == '&'
            && chars
                .peek()
                .is_some_and(|&(_, next)| next.is_ascii_alphanumeric() || next == '#');
        if INLINE_SIGNIFICANT.contains(&c) || is_list_number_end || starts_entity {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text that must stay on one line (a heading, a line of dialogue in quotes, an emphasised
/// span): whitespace runs, newlines included, become one space.
pub fn escape_inline(text: &str) -> String {
    escape_line(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Text that may span lines and paragraphs (action): each line escaped, blank lines kept
/// as paragraph breaks but never more than one in a row, none at either end.
pub fn escape_paragraphs(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut pending_break = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            pending_break = !out.is_empty();
            continue;
        }
        if pending_break {
            out.push(String::new());
            pending_break = false;
        }
        out.push(escape_line(line));
    }
    out.join("\n")
}

/// The non-empty lines of a text, each escaped, for callers that mark lines up one by one
/// (lyrics).
pub fn escaped_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(escape_line)
        .collect()
}

/// `*text*`, or nothing when there is nothing to emphasise (`**` alone would be stray markup).
pub fn emphasis(escaped: &str) -> Option<String> {
    (!escaped.is_empty()).then(|| format!("*{escaped}*"))
}

/// Ends a fragment as a sentence, so notes strung together read as prose.
pub fn as_sentence(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() || text.ends_with(['.', '!', '?', '…', ':', ';']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// The first letter upper case, so a context key like `mood` reads as `Mood`.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markup_is_escaped() {
        assert_eq!(
            escape_line("a *b* _c_ `d` [e](f) <g> h~~i~~ j|k # l"),
            r"a \*b\* \_c\_ \`d\` \[e\](f) \<g\> h\~\~i\~\~ j\|k \# l"
        );
        assert_eq!(escape_line(r"back\slash"), r"back\\slash");
    }

    #[test]
    fn block_starts_are_neutralised() {
        assert_eq!(escape_line("- not a list"), r"\- not a list");
        assert_eq!(escape_line("+ nor this"), r"\+ nor this");
        assert_eq!(escape_line("==="), r"\===");
        assert_eq!(escape_line("1. not ordered"), r"1\. not ordered");
        assert_eq!(escape_line("12) nor this"), r"12\) nor this");
        assert_eq!(escape_line("1999 was a year."), "1999 was a year.");
        assert_eq!(escape_line("> quote"), r"\> quote");
        assert_eq!(escape_line("    indented code"), "indented code");
    }

    #[test]
    fn only_entity_like_ampersands_are_escaped() {
        assert_eq!(escape_line("Tom & Jerry"), "Tom & Jerry");
        assert_eq!(escape_line("&copy; &#169;"), r"\&copy; \&\#169;");
    }

    #[test]
    fn paragraphs_keep_one_blank_line_between_them() {
        assert_eq!(
            escape_paragraphs("\n  first line\nsecond  \n\n\n\nthird\n\n"),
            "first line\nsecond\n\nthird"
        );
    }

    #[test]
    fn inline_text_is_one_line() {
        assert_eq!(escape_inline(" a\n\n b\tc "), "a b c");
    }
}
