//! What a single line says it is. Each function takes the line trimmed of surrounding
//! whitespace unless it says otherwise; the order in which they are tried is the
//! paragraph reader's business.

/// The words a scene heading starts with, each followed by a dot or a space (matched
/// without regard to case).
const SCENE_HEADING_STARTS: [&str; 7] = ["INT./EXT", "INT/EXT", "I./E", "I/E", "INT", "EXT", "EST"];

/// `===` or longer.
pub(crate) fn page_break(trimmed: &str) -> bool {
    trimmed.len() >= 3 && trimmed.bytes().all(|byte| byte == b'=')
}

/// `## Title` is depth 2, title "Title".
pub(crate) fn section(trimmed: &str) -> Option<(usize, &str)> {
    let title = trimmed.trim_start_matches('#');
    let depth = trimmed.len() - title.len();
    (depth > 0).then(|| (depth, title.trim()))
}

/// `= text`, where the line is not a page break.
pub(crate) fn synopsis(trimmed: &str) -> Option<&str> {
    if page_break(trimmed) {
        return None;
    }
    trimmed.strip_prefix('=').map(str::trim)
}

/// `.HEADING`: a single period followed by a letter or digit, so that action may start
/// with an ellipsis.
pub(crate) fn forced_scene_heading(trimmed: &str) -> Option<&str> {
    let rest = trimmed.strip_prefix('.')?;
    rest.chars()
        .next()
        .is_some_and(char::is_alphanumeric)
        .then_some(rest)
}

/// `INT. HOUSE`, `ext house`, `I/E. CAR`, `EST - CITY`...
pub(crate) fn natural_scene_heading(trimmed: &str) -> bool {
    SCENE_HEADING_STARTS.iter().any(|start| {
        trimmed
            .get(..start.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(start))
            && matches!(trimmed.as_bytes().get(start.len()), Some(b'.' | b' '))
    })
}

/// Splits `HEADING #1A#` into the heading and its scene number (letters, digits, dashes
/// and periods between two `#` at the end).
pub(crate) fn scene_number(heading: &str) -> (&str, Option<&str>) {
    let Some(without_close) = heading.strip_suffix('#') else {
        return (heading, None);
    };
    let Some(open) = without_close.rfind('#') else {
        return (heading, None);
    };
    let number = &without_close[open + 1..];
    let is_number = !number.is_empty()
        && number
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    if is_number {
        (without_close[..open].trim_end(), Some(number))
    } else {
        (heading, None)
    }
}

/// `> THE END <`, giving the text between the marks.
pub(crate) fn centered(trimmed: &str) -> Option<&str> {
    trimmed
        .strip_prefix('>')
        .and_then(|rest| rest.strip_suffix('<'))
        .map(str::trim)
}

/// `> FADE TO BLACK.` (a `>` line that is not centered).
pub(crate) fn forced_transition(trimmed: &str) -> Option<&str> {
    if centered(trimmed).is_some() {
        return None;
    }
    trimmed.strip_prefix('>').map(str::trim)
}

/// An upper-case line ending in `TO:`. Takes the line untrimmed: trailing whitespace is
/// the documented way of keeping such a line action ("CUT TO:  "). It starts with a
/// letter or digit, so a line starting with a mark (`@` cue, `~` lyric) stays that.
pub(crate) fn natural_transition(line: &str) -> bool {
    let text = line.trim_start();
    text.trim_end() == text
        && text.ends_with("TO:")
        && text.chars().next().is_some_and(char::is_alphanumeric)
        && !has_lowercase(text)
}

/// `~lyric`, giving the text after the tilde without trailing whitespace.
pub(crate) fn lyric(trimmed: &str) -> Option<&str> {
    trimmed.strip_prefix('~').map(str::trim_end)
}

/// `!` forces action; it must be the line's first character.
pub(crate) fn forced_action(line: &str) -> Option<&str> {
    line.strip_prefix('!')
}

/// A character cue: `NAME`, `NAME (V.O.) (CONT'D)`, `NAME ^` (dual), `@McName` (forced,
/// any case). Unforced, the name needs a letter and no lower-case letter; extensions may
/// be in any case ("HANS (on the radio)").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cue<'a> {
    pub name: &'a str,
    pub extensions: Vec<&'a str>,
    pub dual: bool,
}

pub(crate) fn character_cue(trimmed: &str) -> Option<Cue<'_>> {
    let (forced, body) = match trimmed.strip_prefix('@') {
        Some(rest) => (true, rest.trim()),
        None => (false, trimmed),
    };
    let (dual, mut body) = match body.strip_suffix('^') {
        Some(rest) => (true, rest.trim_end()),
        None => (false, body),
    };
    let mut extensions = Vec::new();
    while let Some(without_close) = body.strip_suffix(')') {
        let Some(open) = without_close.rfind('(') else {
            break;
        };
        extensions.push(&without_close[open + 1..]);
        body = without_close[..open].trim_end();
    }
    extensions.reverse();
    let name = body;
    let named = !name.is_empty();
    let looks_like_a_name = name.chars().any(char::is_alphabetic) && !has_lowercase(name);
    (named && (forced || looks_like_a_name)).then_some(Cue {
        name,
        extensions,
        dual,
    })
}

/// `(beat)`: a dialogue line wholly in parentheses.
pub(crate) fn parenthetical(trimmed: &str) -> bool {
    trimmed.starts_with('(') && trimmed.ends_with(')')
}

fn has_lowercase(text: &str) -> bool {
    text.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scene_headings_start_with_a_known_word_and_a_dot_or_space() {
        for heading in [
            "INT. HOUSE - DAY",
            "EXT HOUSE DAY",
            "INT./EXT. HOUSE",
            "I/E HOUSE",
            "I./E. HOUSE",
            "EST. CITY",
            "INT - HOUSE",
            "int. house - day",
        ] {
            assert!(natural_scene_heading(heading), "{heading}");
        }
        for not_heading in ["INTERCUT", "ESTABLISHING", "EXTRA", "INT", "... not"] {
            assert!(!natural_scene_heading(not_heading), "{not_heading}");
        }
    }

    #[test]
    fn a_single_period_before_a_letter_or_digit_forces_a_heading() {
        assert_eq!(forced_scene_heading(".KITCHEN"), Some("KITCHEN"));
        assert_eq!(forced_scene_heading(".38 special"), Some("38 special"));
        assert_eq!(forced_scene_heading("... not"), None);
        assert_eq!(forced_scene_heading(". spaced"), None);
    }

    #[test]
    fn scene_numbers_are_split_off_the_end() {
        assert_eq!(scene_number("INT. HOUSE #1A#"), ("INT. HOUSE", Some("1A")));
        assert_eq!(
            scene_number("INT. HOUSE #I-1-A#"),
            ("INT. HOUSE", Some("I-1-A"))
        );
        assert_eq!(scene_number("INT. HOUSE #1.#"), ("INT. HOUSE", Some("1.")));
        assert_eq!(scene_number("INT. HOUSE ##"), ("INT. HOUSE ##", None));
        assert_eq!(scene_number("INT. HOUSE #a b#"), ("INT. HOUSE #a b#", None));
    }

    #[test]
    fn transitions_are_upper_case_ending_in_to_without_trailing_space() {
        assert!(natural_transition("CUT TO:"));
        assert!(natural_transition("        CUT TO:"));
        assert!(!natural_transition("CUT TO:  "));
        assert!(!natural_transition("Cut to:"));
        assert_eq!(
            forced_transition("> Burn to White."),
            Some("Burn to White.")
        );
        assert_eq!(forced_transition("> THE END <"), None);
        assert_eq!(centered(">      Lots of Space\t\t<"), Some("Lots of Space"));
    }

    #[test]
    fn cues_split_name_extensions_and_dual_mark() {
        let cue = character_cue("EVE (V.O.) (CONT'D) ^").unwrap();
        assert_eq!(cue.name, "EVE");
        assert_eq!(cue.extensions, vec!["V.O.", "CONT'D"]);
        assert!(cue.dual);
        assert_eq!(
            character_cue("HANS (on the radio)").unwrap().extensions,
            vec!["on the radio"]
        );
        assert_eq!(character_cue("@McCLANE").unwrap().name, "McCLANE");
        assert_eq!(character_cue("R2D2").unwrap().name, "R2D2");
        assert!(character_cue("23 (O.S.)").is_none());
        assert!(character_cue("McCLANE").is_none());
        assert!(character_cue("(beat)").is_none());
    }

    #[test]
    fn sections_count_their_depth() {
        assert_eq!(section("### Level 3"), Some((3, "Level 3")));
        assert_eq!(section("#Act Two"), Some((1, "Act Two")));
        assert_eq!(section("# 5 "), Some((1, "5")));
        assert_eq!(synopsis("=THE FINAL ACT"), Some("THE FINAL ACT"));
        assert_eq!(synopsis("===="), None);
        assert!(page_break("==="));
        assert!(!page_break("=="));
    }
}
