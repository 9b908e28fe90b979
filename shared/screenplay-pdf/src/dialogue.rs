//! A speech (cue, parentheticals, lines) and where it may be split across pages: between
//! sentences of its lines, or between a line and the parenthetical after it, never after
//! the cue or a parenthetical. The part on the first page ends with `(MORE)` at the cue's
//! indent; the rest starts with `NAME (CONT'D)`.

use crate::layout::Indents;
use crate::page::{Line, LineKind};
use crate::rows::{Align, Rows, flow};
use crate::text::Styled;
use crate::wrap::wrap;
use fountain_text::{Dialogue, DialoguePart};

const MORE: &str = "(MORE)";
const CONTINUED: &str = "CONT'D";

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Speech {
    /// The name with its extensions, as the cue prints it.
    cue: Styled,
    parts: Vec<Part>,
    indents: Indents,
    /// The rest of a speech begun on an earlier page: its cue says `(CONT'D)`.
    continued: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Parenthetical(Styled),
    Lines(Styled),
}

impl Speech {
    pub(crate) fn new(dialogue: &Dialogue, indents: Indents) -> Self {
        let mut cue = dialogue.character.clone();
        for extension in &dialogue.extensions {
            cue.push_str(&format!(" ({extension})"));
        }
        let parts = dialogue
            .parts
            .iter()
            .map(|part| match part {
                DialoguePart::Parenthetical(text) => Part::Parenthetical(Styled::from_markup(text)),
                DialoguePart::Speech(text) => Part::Lines(Styled::from_markup(text)),
            })
            .collect();
        Speech {
            cue: Styled::from_markup(&cue),
            parts,
            indents,
            continued: false,
        }
    }

    fn cue(&self) -> Styled {
        let mut cue = self.cue.clone();
        if self.continued && !cue.to_upper_string().contains(CONTINUED) {
            cue.append(&Styled::plain(&format!(" ({CONTINUED})")));
        }
        cue
    }

    pub(crate) fn rows(&self) -> Rows {
        let indents = &self.indents;
        let mut rows = flow(
            &self.cue(),
            indents.cue_width,
            Align::Left(indents.cue),
            LineKind::Character,
        );
        for part in &self.parts {
            rows.stack(match part {
                Part::Parenthetical(text) => flow(
                    text,
                    indents.parenthetical_width,
                    Align::Left(indents.parenthetical),
                    LineKind::Parenthetical,
                ),
                Part::Lines(text) => flow(
                    text,
                    indents.speech_width,
                    Align::Left(indents.speech),
                    LineKind::Dialogue,
                ),
            });
        }
        rows
    }

    /// The fewest rows this speech can put on a page: the whole of it, or its first
    /// sentence(s) up to the first place it may be split, with `(MORE)`.
    pub(crate) fn opening(&self) -> usize {
        let whole = self.rows().height;
        self.breaks(false)
            .into_iter()
            .find_map(|at| self.split_at(at))
            .map_or(whole, |(first, _)| first.height.min(whole))
    }

    /// The most of this speech that fits in `room` rows with `(MORE)` under it, and the
    /// rest to continue on the next page. Only between sentences, unless `anywhere` (a
    /// speech longer than a page may then break at the end of any line).
    pub(crate) fn split(&self, room: usize, anywhere: bool) -> Option<(Rows, Speech)> {
        // A line holds at most a line's width of characters, so a break further into its
        // part than the room's characters cannot fit and is not tried: a huge speech
        // costs a page's worth of wrapping per page, not its whole length per break.
        let reach = room.saturating_mul(self.indents.speech_width.max(1));
        let breaks: Vec<(usize, usize)> = self
            .breaks(anywhere)
            .into_iter()
            .filter(|(_, offset)| *offset <= reach)
            .collect();
        // The rows up to a break grow with it, so the last that fits is found by halving.
        let fitting = breaks.partition_point(|at| self.head(*at).rows().height < room);
        breaks[..fitting]
            .iter()
            .rev()
            .find_map(|at| self.split_at(*at))
    }

    /// (part, character offset) where the speech may break, in order.
    fn breaks(&self, anywhere: bool) -> Vec<(usize, usize)> {
        let mut breaks = Vec::new();
        for (index, part) in self.parts.iter().enumerate() {
            let Part::Lines(text) = part else { continue };
            let mut offsets = sentence_ends(text.chars());
            if anywhere {
                offsets.extend(
                    wrap(text.chars(), self.indents.speech_width)
                        .into_iter()
                        .map(|line| line.end),
                );
            }
            offsets.push(text.len());
            offsets.sort_unstable();
            offsets.dedup();
            breaks.extend(offsets.into_iter().map(|offset| (index, offset)));
        }
        breaks
    }

    /// The speech up to `(part, offset)`.
    fn head(&self, (part, offset): (usize, usize)) -> Speech {
        let mut parts = self.parts[..part.min(self.parts.len())].to_vec();
        if let Some(Part::Lines(text)) = self.parts.get(part) {
            parts.push(Part::Lines(text.slice(0..offset.min(text.len()))));
        }
        self.with_parts(parts, self.continued)
    }

    /// This speech's cue with other parts (without copying its own).
    fn with_parts(&self, parts: Vec<Part>, continued: bool) -> Speech {
        Speech {
            cue: self.cue.clone(),
            parts,
            indents: self.indents,
            continued,
        }
    }

    /// The rows up to `(part, offset)` with `(MORE)`, and the rest; `None` when either
    /// side would hold no speech.
    fn split_at(&self, (part, offset): (usize, usize)) -> Option<(Rows, Speech)> {
        let Some(Part::Lines(text)) = self.parts.get(part) else {
            return None;
        };
        let head = text.slice(0..offset);
        let tail = text.slice(offset..text.len()).trim_start();
        if head.chars().iter().all(|c| c.is_whitespace()) {
            return None;
        }
        let mut rest_parts = Vec::new();
        if !tail.is_empty() {
            rest_parts.push(Part::Lines(tail));
        }
        rest_parts.extend_from_slice(&self.parts[part + 1..]);
        if rest_parts.is_empty() {
            return None;
        }
        let mut rows = self.head((part, offset)).rows();
        let more = Styled::plain(MORE);
        rows.stack(Rows {
            lines: vec![Line {
                row: 0,
                column: self.indents.cue,
                kind: LineKind::More,
                runs: more.runs(0..more.len()),
            }],
            height: 1,
        });
        let rest = self.with_parts(rest_parts, true);
        Some((rows, rest))
    }
}

/// Offsets just after each sentence that more text follows: `.`, `?` or `!` (with any
/// closing quotes or brackets) then a space or line break, and then not a lower-case
/// letter (so `Dr. Bennet` may split, but `etc. and` and `wait... what` do not).
fn sentence_ends(chars: &[char]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        if !matches!(chars[index], '.' | '?' | '!') {
            index += 1;
            continue;
        }
        let mut end = index + 1;
        while end < chars.len() && matches!(chars[end], '.' | '?' | '!' | '"' | '\'' | ')' | ']') {
            end += 1;
        }
        let next_word = chars[end..].iter().position(|c| !matches!(c, ' ' | '\n'));
        let spaced = chars.get(end).is_some_and(|c| matches!(c, ' ' | '\n'));
        if spaced
            && let Some(at) = next_word
            && !chars[end + at].is_lowercase()
        {
            ends.push(end);
        }
        index = end;
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends(text: &str) -> Vec<usize> {
        sentence_ends(&text.chars().collect::<Vec<_>>())
    }

    #[test]
    fn sentences_end_at_stops_before_the_next_word_not_inside_words() {
        assert_eq!(ends("Go. Now! Why?\nBecause."), [3, 8, 13]);
        assert_eq!(ends("He said \"No.\" Then left."), [13]);
        assert_eq!(ends("Wait... what? 3.5 etc. and so"), [13]);
        assert_eq!(ends("One sentence."), Vec::<usize>::new());
    }
}
