//! What the base-14 Courier can print: WinAnsiEncoding, one byte a character.
//!
//! Every character of the text is turned into characters of that set before wrapping, so
//! a line's width in characters is its width on the page. Typographic punctuation becomes
//! the typewriter's (smart quotes straight, an em dash `--`, an ellipsis `...`), as
//! screenplays are typed; spaces of other widths become a space; invisible and control
//! characters are dropped; anything else WinAnsi lacks becomes `?`.

/// Pushes what `c` prints as.
pub(crate) fn printable(c: char, out: &mut impl FnMut(char)) {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => out('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => out('"'),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' | '\u{00AD}' => out('-'),
        '\u{2014}' | '\u{2015}' => {
            out('-');
            out('-');
        }
        '\u{2026}' => {
            for _ in 0..3 {
                out('.');
            }
        }
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => out(' '),
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
        c if c.is_control() => {}
        c if winansi(c).is_some() => out(c),
        _ => out('?'),
    }
}

/// The WinAnsiEncoding byte of `c`, if it has one.
pub(crate) fn winansi(c: char) -> Option<u8> {
    let code = c as u32;
    match code {
        0x20..=0x7E | 0xA0..=0xFF => u8::try_from(code).ok(),
        _ => HIGH.iter().find(|(_, ch)| *ch == c).map(|(byte, _)| *byte),
    }
}

/// The bytes 0x80-0x9F that WinAnsi gives characters outside Latin-1.
const HIGH: [(u8, char); 27] = [
    (0x80, '\u{20AC}'),
    (0x82, '\u{201A}'),
    (0x83, '\u{0192}'),
    (0x84, '\u{201E}'),
    (0x85, '\u{2026}'),
    (0x86, '\u{2020}'),
    (0x87, '\u{2021}'),
    (0x88, '\u{02C6}'),
    (0x89, '\u{2030}'),
    (0x8A, '\u{0160}'),
    (0x8B, '\u{2039}'),
    (0x8C, '\u{0152}'),
    (0x8E, '\u{017D}'),
    (0x91, '\u{2018}'),
    (0x92, '\u{2019}'),
    (0x93, '\u{201C}'),
    (0x94, '\u{201D}'),
    (0x95, '\u{2022}'),
    (0x96, '\u{2013}'),
    (0x97, '\u{2014}'),
    (0x98, '\u{02DC}'),
    (0x99, '\u{2122}'),
    (0x9A, '\u{0161}'),
    (0x9B, '\u{203A}'),
    (0x9C, '\u{0153}'),
    (0x9E, '\u{017E}'),
    (0x9F, '\u{0178}'),
];

/// `text` as WinAnsi bytes; a character without one (never, after [`printable`]) is `?`.
pub(crate) fn bytes(text: &str) -> Vec<u8> {
    text.chars().map(|c| winansi(c).unwrap_or(b'?')).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            printable(c, &mut |p| out.push(p));
        }
        out
    }

    #[test]
    fn typographic_punctuation_becomes_the_typewriters() {
        assert_eq!(
            print("\u{201C}Don\u{2019}t\u{201D} \u{2014} wait\u{2026}"),
            "\"Don't\" -- wait..."
        );
    }

    #[test]
    fn latin_1_and_winansi_extras_stay_and_the_rest_is_a_question_mark() {
        assert_eq!(print("Café Œuvre €5 \u{4E2D}\u{0007}"), "Café Œuvre €5 ?");
        assert_eq!(bytes("é€"), vec![0xE9, 0x80]);
    }
}
