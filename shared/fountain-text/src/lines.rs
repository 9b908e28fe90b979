//! Source lines and their grouping into paragraphs (runs of lines between blank lines) and
//! boneyards that occupy whole lines. Everything after this works on whole paragraphs.

use crate::error::ParseError;
use crate::model::{Content, Element, LineSpan};

const BONEYARD_OPEN: &str = "/*";
const BONEYARD_CLOSE: &str = "*/";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SourceLine<'a> {
    /// 1-based.
    pub number: usize,
    /// Without its line ending.
    pub text: &'a str,
}

impl SourceLine<'_> {
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// Fountain's intentional blank line inside action or dialogue is a line of two
    /// spaces; we accept any two or more whitespace characters, as editors vary.
    fn could_be_kept_blank(&self) -> bool {
        self.is_blank() && self.text.chars().count() >= 2
    }
}

pub(crate) enum Block<'a> {
    Paragraph(Vec<SourceLine<'a>>),
    Boneyard(Element),
}

/// Splits on `\n`, dropping a `\r` before it (files written on Windows) and a leading
/// byte-order mark.
pub(crate) fn source_lines(source: &str) -> Vec<SourceLine<'_>> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    if source.is_empty() {
        return Vec::new();
    }
    let source = source.strip_suffix('\n').unwrap_or(source);
    source
        .split('\n')
        .enumerate()
        .map(|(index, text)| SourceLine {
            number: index + 1,
            text: text.strip_suffix('\r').unwrap_or(text),
        })
        .collect()
}

/// Groups lines into blocks. A boneyard that starts a line and ends one is a block of its
/// own wherever it sits (it also ends the paragraph before it, as a blank line would); one
/// that shares a line with text stays in that paragraph's text and keeps the paragraph
/// open across blank lines until it closes.
pub(crate) fn blocks<'a>(lines: &[SourceLine<'a>]) -> Result<Vec<Block<'a>>, ParseError> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<SourceLine<'a>> = Vec::new();
    let mut open_boneyard_line: Option<usize> = None;
    let mut index = 0;
    while let Some(line) = lines.get(index) {
        if open_boneyard_line.is_none() {
            if let Some((boneyard, last_index)) = whole_line_boneyard(lines, index)? {
                flush(&mut paragraph, &mut blocks);
                blocks.push(Block::Boneyard(boneyard));
                index = last_index + 1;
                continue;
            }
            if line.is_blank() {
                index = blank_run(lines, index, &mut paragraph, &mut blocks);
                continue;
            }
        }
        paragraph.push(*line);
        open_boneyard_line = boneyard_open_after(line.text, open_boneyard_line.is_some())
            .then(|| open_boneyard_line.unwrap_or(line.number));
        index += 1;
    }
    if let Some(line) = open_boneyard_line {
        return Err(ParseError::UnterminatedBoneyard { line });
    }
    flush(&mut paragraph, &mut blocks);
    Ok(blocks)
}

fn flush<'a>(paragraph: &mut Vec<SourceLine<'a>>, blocks: &mut Vec<Block<'a>>) {
    // A kept blank line only counts between two lines of text.
    while paragraph.last().is_some_and(SourceLine::is_blank) {
        paragraph.pop();
    }
    if !paragraph.is_empty() {
        blocks.push(Block::Paragraph(std::mem::take(paragraph)));
    }
}

/// Handles the blank line at `index` and the whitespace lines after it, returning the index
/// after them. Lines of two or more whitespace characters stay in the paragraph when it has
/// begun and text follows them directly; otherwise they end it. Whole runs are decided at
/// once so that a long run costs one pass.
fn blank_run<'a>(
    lines: &[SourceLine<'a>],
    index: usize,
    paragraph: &mut Vec<SourceLine<'a>>,
    blocks: &mut Vec<Block<'a>>,
) -> usize {
    let run_end = index
        + lines[index..]
            .iter()
            .take_while(|line| line.could_be_kept_blank())
            .count();
    let text_follows = lines.get(run_end).is_some_and(|next| !next.is_blank());
    if run_end > index && text_follows && !paragraph.is_empty() {
        paragraph.extend_from_slice(&lines[index..run_end]);
    } else {
        flush(paragraph, blocks);
    }
    run_end.max(index + 1)
}

/// Whether a boneyard is still open at the end of this line, given whether one was open
/// at its start. Boneyards do not nest: the first `*/` closes.
fn boneyard_open_after(text: &str, mut open: bool) -> bool {
    let mut rest = text;
    loop {
        let marker = if open { BONEYARD_CLOSE } else { BONEYARD_OPEN };
        match rest.find(marker) {
            Some(at) => {
                open = !open;
                rest = &rest[at + marker.len()..];
            }
            None => return open,
        }
    }
}

/// A boneyard whose `/*` starts line `index` (after indentation) and whose `*/` ends a
/// line, with the index of that last line.
fn whole_line_boneyard(
    lines: &[SourceLine<'_>],
    index: usize,
) -> Result<Option<(Element, usize)>, ParseError> {
    let Some(first) = lines.get(index) else {
        return Ok(None);
    };
    let Some(after_open) = first.text.trim_start().strip_prefix(BONEYARD_OPEN) else {
        return Ok(None);
    };
    let mut inside = Vec::new();
    let mut candidate = after_open;
    for (offset, line) in lines[index..].iter().enumerate() {
        if offset > 0 {
            candidate = line.text;
        }
        if let Some(at) = candidate.find(BONEYARD_CLOSE) {
            if !candidate[at + BONEYARD_CLOSE.len()..].trim().is_empty() {
                return Ok(None);
            }
            inside.push(&candidate[..at]);
            let content = Content::Boneyard {
                text: inside.join("\n").trim().to_string(),
            };
            let last = index + offset;
            let span = LineSpan::new(first.number, line.number);
            return Ok(Some((Element { content, span }, last)));
        }
        inside.push(candidate);
    }
    Err(ParseError::UnterminatedBoneyard { line: first.number })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(source: &str) -> Vec<Vec<usize>> {
        let lines = source_lines(source);
        blocks(&lines)
            .unwrap()
            .into_iter()
            .map(|block| match block {
                Block::Paragraph(lines) => lines.iter().map(|line| line.number).collect(),
                Block::Boneyard(element) => vec![0, element.span.start, element.span.end],
            })
            .collect()
    }

    #[test]
    fn windows_line_endings_and_a_byte_order_mark_are_not_text() {
        let lines = source_lines("\u{feff}A\r\nB\r\n");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, "A");
        assert_eq!(lines[1].text, "B");
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        assert_eq!(paragraphs("a\nb\n\n\nc\n"), vec![vec![1, 2], vec![5]]);
    }

    #[test]
    fn two_spaces_keep_a_blank_line_inside_a_paragraph_but_not_at_its_ends() {
        assert_eq!(
            paragraphs("a\n  \nb\n  \n\nc"),
            vec![vec![1, 2, 3], vec![6]]
        );
        assert_eq!(paragraphs("  \na"), vec![vec![2]]);
    }

    #[test]
    fn a_long_run_of_whitespace_lines_is_read_in_one_pass() {
        let run = vec!["  "; 200_000].join("\n");
        let kept = paragraphs(&format!("a\n{run}\nb"));
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].len(), 200_002);
        assert_eq!(
            paragraphs(&format!("a\n{run}\n\nb")),
            vec![vec![1], vec![200_003]]
        );
    }

    #[test]
    fn a_boneyard_on_whole_lines_is_its_own_block_and_ends_the_paragraph() {
        assert_eq!(
            paragraphs("a\n/*\nx\n\ny\n*/\nb"),
            vec![vec![1], vec![0, 2, 6], vec![7]]
        );
    }

    #[test]
    fn an_inline_boneyard_keeps_its_paragraph_open_across_blank_lines() {
        assert_eq!(
            paragraphs("a /* x\n\ny */ b\n\nc"),
            vec![vec![1, 2, 3], vec![5]]
        );
    }

    #[test]
    fn an_unclosed_boneyard_is_an_error_at_its_opening_line() {
        let lines = source_lines("a\n\n/* never\nclosed");
        assert!(matches!(
            blocks(&lines),
            Err(ParseError::UnterminatedBoneyard { line: 3 })
        ));
        let lines = source_lines("a /* never\n\nclosed");
        assert!(matches!(
            blocks(&lines),
            Err(ParseError::UnterminatedBoneyard { line: 1 })
        ));
    }
}
