//! Styled text as the page prints it: one printable character a column, each with its
//! emphasis, so wrapping and splitting can cut anywhere and keep the styles.

use crate::encoding::printable;
use crate::page::Run;
use fountain_text::inline::{self, Inline, Style};
use std::ops::Range;

/// Tabs in action line up on four columns, the common editor setting.
const TAB: usize = 4;

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Styled {
    chars: Vec<char>,
    styles: Vec<Style>,
}

impl Styled {
    /// The text of Fountain `markup` with its emphasis; inline notes and boneyard are left
    /// out (with one of the spaces around them, so no double space remains).
    pub(crate) fn from_markup(markup: &str) -> Self {
        let mut styled = Styled::default();
        let mut after_hidden = false;
        for run in inline::runs(markup) {
            match run {
                Inline::Text { text, style } => {
                    let text = match after_hidden && styled.ends_with_space() {
                        true => text.strip_prefix(' ').unwrap_or(&text).to_string(),
                        false => text,
                    };
                    styled.push_str(&text, style);
                    after_hidden = false;
                }
                Inline::Note(_) | Inline::Boneyard(_) => after_hidden = true,
            }
        }
        styled
    }

    /// Unstyled text (what the renderer adds: `(MORE)`, `(CONT'D)`, numbers).
    pub(crate) fn plain(text: &str) -> Self {
        let mut styled = Styled::default();
        styled.push_str(text, Style::default());
        styled
    }

    fn push_str(&mut self, text: &str, style: Style) {
        for c in text.chars() {
            if c == '\t' {
                let column = self.column();
                for _ in 0..TAB - column % TAB {
                    self.push(' ', style);
                }
                continue;
            }
            if c == '\n' {
                self.push('\n', style);
                continue;
            }
            printable(c, &mut |p| self.push(p, style));
        }
    }

    fn push(&mut self, c: char, style: Style) {
        self.chars.push(c);
        self.styles.push(style);
    }

    /// The column after the last character of the current line.
    fn column(&self) -> usize {
        self.chars.iter().rev().take_while(|c| **c != '\n').count()
    }

    fn ends_with_space(&self) -> bool {
        self.chars.last() == Some(&' ')
    }

    pub(crate) fn append(&mut self, other: &Styled) {
        self.chars.extend_from_slice(&other.chars);
        self.styles.extend_from_slice(&other.styles);
    }

    /// Every character in italics too (lyrics).
    pub(crate) fn italic(mut self) -> Self {
        for style in &mut self.styles {
            style.italic = true;
        }
        self
    }

    pub(crate) fn chars(&self) -> &[char] {
        &self.chars
    }

    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    pub(crate) fn slice(&self, range: Range<usize>) -> Styled {
        Styled {
            chars: self.chars[range.clone()].to_vec(),
            styles: self.styles[range].to_vec(),
        }
    }

    /// Without leading spaces and line breaks (what follows a split between sentences).
    pub(crate) fn trim_start(&self) -> Styled {
        let start = self
            .chars
            .iter()
            .position(|c| !matches!(c, ' ' | '\n'))
            .unwrap_or(self.len());
        self.slice(start..self.len())
    }

    /// Upper-case letters, for matching (`CONT'D`).
    pub(crate) fn to_upper_string(&self) -> String {
        self.chars.iter().flat_map(|c| c.to_uppercase()).collect()
    }

    /// The characters of `range` as runs of one style each.
    pub(crate) fn runs(&self, range: Range<usize>) -> Vec<Run> {
        let mut runs: Vec<Run> = Vec::new();
        for index in range {
            let (c, style) = (self.chars[index], self.styles[index]);
            match runs.last_mut() {
                Some(run) if run.style == style => run.text.push(c),
                _ => runs.push(Run {
                    text: c.to_string(),
                    style,
                }),
            }
        }
        runs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_and_boneyard_leave_no_trace_and_emphasis_stays() {
        let styled = Styled::from_markup("Anna *waits* [[a note]] alone.");
        let text: String = styled.chars().iter().collect();
        assert_eq!(text, "Anna waits alone.");
        let runs = styled.runs(0..styled.len());
        assert_eq!(runs[1].text, "waits");
        assert!(runs[1].style.italic);
    }

    #[test]
    fn tabs_become_spaces_to_the_next_stop() {
        let styled = Styled::from_markup("\tIndented\n12\tx");
        let text: String = styled.chars().iter().collect();
        assert_eq!(text, "    Indented\n12  x");
    }
}
