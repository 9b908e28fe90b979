//! Fountain 1.1 screenplay text (<https://fountain.io/syntax>): [`parse`] reads it into a
//! [`Screenplay`] whose elements carry their source lines, [`write()`] writes a screenplay
//! back as canonical Fountain, [`generate::screenplay`] makes a realistic one of any size
//! and [`inline`] reads the emphasis, notes and boneyard kept inside texts.
//!
//! ```
//! let screenplay = fountain_text::parse("INT. HOUSE - DAY #1#\n\nADAM (V.O.)\n(quietly)\nHello.\n")?;
//! assert_eq!(screenplay.elements.len(), 2);
//! assert_eq!(screenplay.elements[1].span.start, 3);
//! let again = fountain_text::parse(&fountain_text::write(&screenplay))?;
//! assert_eq!(again.without_spans(), screenplay.without_spans());
//! # Ok::<(), fountain_text::ParseError>(())
//! ```
//!
//! # How the text is read
//! - Lines end in `\n` or `\r\n`; a leading byte-order mark is ignored.
//! - The title page is the first paragraph when every line is `Key: value` or an indented
//!   continuation and some value is not empty (so `FADE IN:` on line 1 stays a script).
//! - The body is cut into paragraphs at blank lines; a line of two or more spaces between
//!   two lines of text is a blank line kept inside the paragraph (an empty line of the
//!   element's text). Extra blank lines between paragraphs carry no meaning and are not
//!   kept.
//! - A paragraph's first line decides what it is, in this order: `!` action, `===` page
//!   break, `#` section, `=` synopsis, a `[[note]]` alone on its lines, `.` or INT/EXT/EST/
//!   I/E scene heading (with `#1A#` scene number), `> centered <` lines, `>` transition, an
//!   upper-case line ending in `TO:`, lyrics (every line `~`), a character cue followed by
//!   at least one line (dialogue: parentheticals and speech; `^` marks the dual one), and
//!   otherwise action. The one-line kinds do not need the blank line after them that
//!   Fountain 1.1 asks for: `# Act 1` directly above `= synopsis`, or a heading directly
//!   above its action, reads as both elements, as their writer meant.
//! - A boneyard (`/* */`) that occupies whole lines is an element and also ends the
//!   paragraph before it, like a blank line; one that shares a line with text stays in that
//!   text. Inline notes, emphasis and escapes stay in their text too.
//! - Indentation is kept in action (tabs as tabs) and ignored elsewhere; trailing
//!   whitespace is dropped everywhere (it only matters in `CUT TO:  `, which stays action).
//!
//! # What is an error
//! Only a boneyard that never closes ([`ParseError::UnterminatedBoneyard`] at its `/*`
//! line): every other reading keeps the rest of the script, but it would hide everything
//! after it. A note is different: Fountain ends a note with its paragraph, so a `[[`
//! without `]]` before the next blank line is plain text, as other Fountain tools show it.
//!
//! # Writing
//! [`write()`] emits each element the plain way unless the parser would read that as
//! something else, and then forces it (`!` action, `@` cue, `.` heading, `>` transition),
//! so `parse(write(s))` equals `s` apart from line spans for every screenplay `parse`
//! returns. Content built in code must keep to what Fountain can carry: texts without
//! leading or trailing blank lines or whitespace (action lines may be indented); a heading
//! starting with a letter or digit unless it is an INT/EXT one; a character name that does
//! not end in `)` or `^`; speech lines that are not wholly parenthesized; no adjacent
//! speech parts; no `]]` in a note, no `*/` in a boneyard, no line that is a whole
//! boneyard and no unclosed `/*` in other texts; title keys as described above with at
//! least one non-empty value.

mod error;
pub mod generate;
pub mod inline;
mod lines;
mod model;
mod paragraph;
mod recognize;
mod title_page;
mod writer;

pub use error::ParseError;
pub use model::{Content, Dialogue, DialoguePart, Element, LineSpan, Screenplay, TitleEntry};
pub use writer::write;

/// Reads a Fountain document.
pub fn parse(source: &str) -> Result<Screenplay, ParseError> {
    let lines = lines::source_lines(source);
    let (title_page, title_lines) = title_page::read(&lines);
    let elements = body(&lines[title_lines..])?;
    Ok(Screenplay {
        title_page,
        elements,
    })
}

/// Reads text that cannot hold a title page: what follows the first block of a document.
pub(crate) fn parse_body(source: &str) -> Result<Screenplay, ParseError> {
    let lines = lines::source_lines(source);
    Ok(Screenplay {
        title_page: Vec::new(),
        elements: body(&lines)?,
    })
}

fn body(lines: &[lines::SourceLine<'_>]) -> Result<Vec<Element>, ParseError> {
    let mut elements = Vec::new();
    for block in lines::blocks(lines)? {
        match block {
            lines::Block::Paragraph(paragraph) => paragraph::read(&paragraph, &mut elements),
            lines::Block::Boneyard(boneyard) => elements.push(boneyard),
        }
    }
    Ok(elements)
}
