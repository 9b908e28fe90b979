//! Reads one paragraph into elements. Its first line decides: one-line elements (page
//! break, section, synopsis, scene heading, transition, centered text, a note alone on its
//! lines) end where they end and the rest of the paragraph is read again as if a blank
//! line came first; action, lyrics and dialogue take the paragraph's remaining lines.
//!
//! That is more lenient than Fountain 1.1, which wants a blank line after a scene heading
//! or transition: `# Act 1` directly followed by `= Synopsis`, or a heading directly
//! followed by its action, read the way their writer meant.

use crate::lines::SourceLine;
use crate::model::{Content, Dialogue, DialoguePart, Element, LineSpan};
use crate::recognize;

const NOTE_OPEN: &str = "[[";
const NOTE_CLOSE: &str = "]]";

/// Appends the paragraph's elements to `out`.
pub(crate) fn read(lines: &[SourceLine<'_>], out: &mut Vec<Element>) {
    let mut index = 0;
    while index < lines.len() {
        // After a one-line element, the lines that follow start afresh.
        if lines[index].is_blank() {
            index += 1;
            continue;
        }
        let rest = &lines[index..];
        let (element, used) = read_first(rest);
        out.push(element);
        index += used;
    }
}

/// The element the first line of `lines` starts and how many lines it takes.
fn read_first(lines: &[SourceLine<'_>]) -> (Element, usize) {
    let first = lines[0];
    let trimmed = first.text.trim();
    let one_line = |content| (element(content, &lines[..1]), 1);

    if let Some(after_mark) = recognize::forced_action(first.text) {
        return (action(after_mark, lines), lines.len());
    }
    if recognize::page_break(trimmed) {
        return one_line(Content::PageBreak);
    }
    if let Some((depth, title)) = recognize::section(trimmed) {
        return one_line(Content::Section {
            depth,
            title: title.to_string(),
        });
    }
    if let Some(text) = recognize::synopsis(trimmed) {
        return one_line(Content::Synopsis {
            text: text.to_string(),
        });
    }
    if let Some((text, used)) = standalone_note(lines) {
        return (element(Content::Note { text }, &lines[..used]), used);
    }
    let heading = recognize::forced_scene_heading(trimmed)
        .or_else(|| recognize::natural_scene_heading(trimmed).then_some(trimmed));
    if let Some(heading) = heading {
        let (text, number) = recognize::scene_number(heading);
        return one_line(Content::SceneHeading {
            text: text.to_string(),
            scene_number: number.map(str::to_string),
        });
    }
    if recognize::centered(trimmed).is_some() {
        return centered(lines);
    }
    if let Some(text) = recognize::forced_transition(trimmed) {
        return one_line(Content::Transition {
            text: text.to_string(),
        });
    }
    if recognize::natural_transition(first.text) {
        return one_line(Content::Transition {
            text: trimmed.to_string(),
        });
    }
    if let Some(lyric) = lyrics(lines) {
        return (lyric, lines.len());
    }
    if lines.len() > 1
        && let Some(cue) = recognize::character_cue(trimmed)
    {
        return (dialogue(cue, lines), lines.len());
    }
    (action(first.text, lines), lines.len())
}

fn element(content: Content, lines: &[SourceLine<'_>]) -> Element {
    let start = lines.first().map_or(0, |line| line.number);
    let end = lines.last().map_or(start, |line| line.number);
    Element {
        content,
        span: LineSpan::new(start, end),
    }
}

/// Lines keep their indentation (tabs included) and lose trailing whitespace; the first
/// line is given separately because a forcing `!` has been taken off it.
fn action(first_line: &str, lines: &[SourceLine<'_>]) -> Element {
    let text = std::iter::once(first_line)
        .chain(lines[1..].iter().map(|line| line.text))
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    element(Content::Action { text }, lines)
}

/// Consecutive centered lines are one element.
fn centered(lines: &[SourceLine<'_>]) -> (Element, usize) {
    let texts: Vec<&str> = lines
        .iter()
        .map_while(|line| recognize::centered(line.text.trim()))
        .collect();
    let used = texts.len();
    let content = Content::Centered {
        text: texts.join("\n"),
    };
    (element(content, &lines[..used]), used)
}

/// Lyrics when every line is one; a paragraph that only starts with `~` is action.
fn lyrics(lines: &[SourceLine<'_>]) -> Option<Element> {
    let texts = lines
        .iter()
        .map(|line| recognize::lyric(line.text.trim_start()))
        .collect::<Option<Vec<_>>>()?;
    let content = Content::Lyric {
        text: texts.join("\n"),
    };
    Some(element(content, lines))
}

/// `[[...]]` starting the paragraph and ending a line (possibly a later one): the note's
/// text, trimmed, with each line's trailing whitespace removed, and the lines used.
fn standalone_note(lines: &[SourceLine<'_>]) -> Option<(String, usize)> {
    let after_open = lines[0].text.trim_start().strip_prefix(NOTE_OPEN)?;
    let mut inside = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let candidate = if index == 0 { after_open } else { line.text };
        if let Some(at) = candidate.find(NOTE_CLOSE) {
            if !candidate[at + NOTE_CLOSE.len()..].trim().is_empty() {
                return None;
            }
            inside.push(candidate[..at].trim_end());
            return Some((inside.join("\n").trim().to_string(), index + 1));
        }
        inside.push(candidate.trim_end());
    }
    None
}

fn dialogue(cue: recognize::Cue<'_>, lines: &[SourceLine<'_>]) -> Element {
    let mut parts: Vec<DialoguePart> = Vec::new();
    for line in &lines[1..] {
        let text = line.text.trim();
        if recognize::parenthetical(text) {
            parts.push(DialoguePart::Parenthetical(text.to_string()));
            continue;
        }
        match parts.last_mut() {
            Some(DialoguePart::Speech(speech)) => {
                speech.push('\n');
                speech.push_str(text);
            }
            _ => parts.push(DialoguePart::Speech(text.to_string())),
        }
    }
    let content = Content::Dialogue(Dialogue {
        character: cue.name.to_string(),
        extensions: cue.extensions.iter().map(|ext| ext.to_string()).collect(),
        dual: cue.dual,
        parts,
    });
    element(content, lines)
}
