//! The inline markup kept inside element texts, read for renderers: `*italic*`,
//! `**bold**`, `***bold italic***`, `_underline_`, backslash escapes, `[[notes]]` and
//! `/* boneyard */`.
//!
//! Emphasis opens only where a closing mark of the same kind follows on the same line (a
//! lone `*` is a literal asterisk), and a line break ends any emphasis still open. A `[[`
//! or `/*` without its closing mark is literal text.

/// Which emphasis applies to a run of text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Text with escapes resolved; it may contain `\n`.
    Text { text: String, style: Style },
    /// The note's text without its brackets.
    Note(String),
    /// The boneyard's text without its marks.
    Boneyard(String),
}

/// Reads `markup` into runs: adjacent text of one style is one run.
pub fn runs(markup: &str) -> Vec<Inline> {
    let tokens = tokens(markup);
    let closes_later = closes_later(&tokens);
    let mut runs: Vec<Inline> = Vec::new();
    let mut style = Style::default();
    for (index, token) in tokens.iter().enumerate() {
        match token {
            Token::Literal(text) => push_text(&mut runs, text, style),
            Token::LineBreak => {
                style = Style::default();
                push_text(&mut runs, "\n", style);
            }
            Token::Note(text) => runs.push(Inline::Note(text.clone())),
            Token::Boneyard(text) => runs.push(Inline::Boneyard(text.clone())),
            Token::Mark(mark) => {
                if mark.is_open_in(style) {
                    mark.set(&mut style, false);
                } else if mark.is_closed_in(style) && closes_later[index] {
                    mark.set(&mut style, true);
                } else {
                    push_text(&mut runs, mark.spelling(), style);
                }
            }
        }
    }
    runs
}

/// The words without markup, notes or boneyard: what a reader of the page sees.
pub fn plain_text(markup: &str) -> String {
    runs(markup)
        .into_iter()
        .filter_map(|run| match run {
            Inline::Text { text, .. } => Some(text),
            Inline::Note(_) | Inline::Boneyard(_) => None,
        })
        .collect()
}

fn push_text(runs: &mut Vec<Inline>, text: &str, style: Style) {
    if let Some(Inline::Text {
        text: last,
        style: last_style,
    }) = runs.last_mut()
        && *last_style == style
    {
        last.push_str(text);
        return;
    }
    runs.push(Inline::Text {
        text: text.to_string(),
        style,
    });
}

/// For each token, whether it is a mark that the same mark follows later on its line; one
/// backward pass, so a line of many marks costs no more than their number.
fn closes_later(tokens: &[Token]) -> Vec<bool> {
    let mut later_on_line: Vec<Mark> = Vec::new();
    let mut closes = vec![false; tokens.len()];
    for (index, token) in tokens.iter().enumerate().rev() {
        match token {
            Token::LineBreak => later_on_line.clear(),
            Token::Mark(mark) => {
                closes[index] = later_on_line.contains(mark);
                if !closes[index] {
                    later_on_line.push(*mark);
                }
            }
            _ => {}
        }
    }
    closes
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Italic,
    Bold,
    BoldItalic,
    Underline,
}

impl Mark {
    fn spelling(self) -> &'static str {
        match self {
            Mark::Italic => "*",
            Mark::Bold => "**",
            Mark::BoldItalic => "***",
            Mark::Underline => "_",
        }
    }

    /// (bold, italic, underline) this mark switches.
    fn switches(self) -> (bool, bool, bool) {
        match self {
            Mark::Italic => (false, true, false),
            Mark::Bold => (true, false, false),
            Mark::BoldItalic => (true, true, false),
            Mark::Underline => (false, false, true),
        }
    }

    fn states(self, style: Style) -> Vec<bool> {
        let (bold, italic, underline) = self.switches();
        [
            (bold, style.bold),
            (italic, style.italic),
            (underline, style.underline),
        ]
        .into_iter()
        .filter_map(|(switched, on)| switched.then_some(on))
        .collect()
    }

    fn is_open_in(self, style: Style) -> bool {
        self.states(style).into_iter().all(|on| on)
    }

    fn is_closed_in(self, style: Style) -> bool {
        self.states(style).into_iter().all(|on| !on)
    }

    fn set(self, style: &mut Style, on: bool) {
        let (bold, italic, underline) = self.switches();
        if bold {
            style.bold = on;
        }
        if italic {
            style.italic = on;
        }
        if underline {
            style.underline = on;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(String),
    LineBreak,
    Mark(Mark),
    Note(String),
    Boneyard(String),
}

fn tokens(markup: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut literal = String::new();
    let mut rest = markup;
    while let Some(c) = rest.chars().next() {
        let (token, used) = match c {
            '\\' => match rest[1..].chars().next() {
                Some(escaped) if escaped.is_ascii_punctuation() => {
                    literal.push(escaped);
                    rest = &rest[1 + escaped.len_utf8()..];
                    continue;
                }
                _ => (None, 1),
            },
            '\n' => (Some(Token::LineBreak), 1),
            '*' => {
                let stars = rest.len() - rest.trim_start_matches('*').len();
                match stars {
                    1 => (Some(Token::Mark(Mark::Italic)), 1),
                    2 => (Some(Token::Mark(Mark::Bold)), 2),
                    3 => (Some(Token::Mark(Mark::BoldItalic)), 3),
                    _ => (None, stars),
                }
            }
            '_' => (Some(Token::Mark(Mark::Underline)), 1),
            '[' if rest.starts_with("[[") => enclosed(rest, "[[", "]]", Token::Note),
            '/' if rest.starts_with("/*") => enclosed(rest, "/*", "*/", Token::Boneyard),
            _ => (None, c.len_utf8()),
        };
        match token {
            Some(token) => {
                if !literal.is_empty() {
                    tokens.push(Token::Literal(std::mem::take(&mut literal)));
                }
                tokens.push(token);
            }
            None => literal.push_str(&rest[..used]),
        }
        rest = &rest[used..];
    }
    if !literal.is_empty() {
        tokens.push(Token::Literal(literal));
    }
    tokens
}

/// `open ... close` at the start of `rest` as a token, or the opening mark as literal
/// text when it never closes.
fn enclosed(
    rest: &str,
    open: &str,
    close: &str,
    token: fn(String) -> Token,
) -> (Option<Token>, usize) {
    match rest[open.len()..].find(close) {
        Some(at) => {
            let inside = &rest[open.len()..open.len() + at];
            (
                Some(token(inside.trim().to_string())),
                open.len() + at + close.len(),
            )
        }
        None => (None, open.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(text: &str, bold: bool, italic: bool, underline: bool) -> Inline {
        Inline::Text {
            text: text.to_string(),
            style: Style {
                bold,
                italic,
                underline,
            },
        }
    }

    #[test]
    fn stars_and_underscores_style_the_text_between_them() {
        assert_eq!(
            runs("a *i* **b** ***bi*** _u_"),
            vec![
                text("a ", false, false, false),
                text("i", false, true, false),
                text(" ", false, false, false),
                text("b", true, false, false),
                text(" ", false, false, false),
                text("bi", true, true, false),
                text(" ", false, false, false),
                text("u", false, false, true),
            ]
        );
    }

    #[test]
    fn emphasis_nests() {
        assert_eq!(runs("_**BRICK**_"), vec![text("BRICK", true, false, true)]);
        assert_eq!(
            runs("**bold *both* bold**"),
            vec![
                text("bold ", true, false, false),
                text("both", true, true, false),
                text(" bold", true, false, false),
            ]
        );
    }

    #[test]
    fn unmatched_marks_and_escapes_are_literal() {
        assert_eq!(
            plain_text("5 * 3 and \\*not\\* and a_b"),
            "5 * 3 and *not* and a_b"
        );
        assert_eq!(plain_text("*open\nclose*"), "*open\nclose*");
    }

    #[test]
    fn a_line_of_many_marks_is_read_in_one_pass() {
        let marks = "a * _ ".repeat(100_000);
        assert_eq!(plain_text(&marks).matches('a').count(), 100_000);
    }

    #[test]
    fn notes_and_boneyard_are_kept_apart_from_the_words() {
        assert_eq!(
            runs("Before [[a note]]after /* cut */."),
            vec![
                text("Before ", false, false, false),
                Inline::Note("a note".to_string()),
                text("after ", false, false, false),
                Inline::Boneyard("cut".to_string()),
                text(".", false, false, false),
            ]
        );
        assert_eq!(plain_text("This is not [[ a note"), "This is not [[ a note");
    }
}
