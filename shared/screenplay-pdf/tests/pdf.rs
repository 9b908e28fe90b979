//! The PDF itself: its pages' text read back from the content streams, its title page,
//! page numbers, and every conformance fixture rendering.

#![allow(clippy::expect_used)] // helpers outside #[test] functions

mod common;

use common::{in_order, page_lines, streams};
use fountain_pdf::{Options, Paper, RenderError, render};
use fountain_text::{Content, DialoguePart, inline::plain_text};
use std::path::{Path, PathBuf};

fn readable() -> Options {
    Options {
        compress: false,
        ..Options::default()
    }
}

#[test]
fn the_text_holds_every_heading_cue_and_line_of_dialogue_in_order() {
    let screenplay = fountain_text::generate::screenplay(3, 600);
    let rendered = render(&screenplay, &readable()).expect("rendered");
    let pages = page_lines(&rendered.pdf);
    let read: Vec<String> = pages.iter().flatten().cloned().collect();
    let words: Vec<&str> = read.iter().flat_map(|l| l.split_whitespace()).collect();

    let mut wanted = Vec::new();
    for element in &screenplay.elements {
        match &element.content {
            Content::SceneHeading { text, .. } => wanted.push(plain_text(text)),
            // The second of dual dialogue shares rows with the first: its words are
            // read interleaved with them, so only the first is followed in order.
            Content::Dialogue(dialogue) if !dialogue.dual => {
                wanted.push(dialogue.character.clone());
                for part in &dialogue.parts {
                    if let DialoguePart::Speech(text) = part {
                        wanted.push(plain_text(text));
                    }
                }
            }
            _ => {}
        }
    }
    let wanted_words: Vec<&str> = wanted.iter().flat_map(|w| w.split_whitespace()).collect();
    assert!(wanted_words.len() > 1000);
    in_order(words, wanted_words).expect("in order");
}

#[test]
fn a_split_speech_reads_more_and_contd() {
    let speech: Vec<String> = (1..=20)
        .map(|n| format!("This is sentence number {n} of mine."))
        .collect();
    let filler: Vec<String> = (1..=40).map(|n| format!("Filler {n}.")).collect();
    let source = format!("{}\n\nANNA\n{}", filler.join("\n"), speech.join(" "));
    let screenplay = fountain_text::parse(&source).expect("parsed");
    let pages = page_lines(&render(&screenplay, &readable()).expect("rendered").pdf);
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].last().map(String::as_str), Some("(MORE)"));
    // The page number comes first on page 2 (it is written last, but read by position
    // it is the page's top line): either way both lines are there.
    assert!(pages[1].contains(&"2.".to_string()));
    assert!(pages[1].contains(&"ANNA (CONT'D)".to_string()));
}

#[test]
fn pages_carry_numbers_from_the_second_and_the_title_page_none() {
    let source = "Title: The Kitchen\nAuthor: A. Writer\nDraft date: 1 May\n\nOne.\n\n===\n\nTwo.\n\n===\n\nThree.";
    let screenplay = fountain_text::parse(source).expect("parsed");
    let rendered = render(&screenplay, &readable()).expect("rendered");
    assert_eq!((rendered.pages, rendered.title_page), (3, true));
    let pages = page_lines(&rendered.pdf);
    assert_eq!(pages.len(), 4);
    assert_eq!(pages[0], ["The Kitchen", "A. Writer", "1 May"]);
    assert_eq!(pages[1], ["One."]);
    assert_eq!(pages[2], ["Two.", "2."]);
    assert_eq!(pages[3], ["Three.", "3."]);
    assert_eq!(count_pages(&rendered.pdf), 4);
}

#[test]
fn no_title_page_without_entries() {
    let screenplay = fountain_text::parse("INT. HOUSE - DAY\n\nAnna.").expect("parsed");
    let rendered = render(&screenplay, &readable()).expect("rendered");
    assert!(!rendered.title_page);
    assert_eq!(page_lines(&rendered.pdf), [["INT. HOUSE - DAY", "Anna."]]);
}

#[test]
fn the_title_page_centers_the_title_and_puts_contact_and_date_at_the_foot() {
    let screenplay = fountain_text::generate::screenplay(1, 10);
    let page = fountain_pdf::title_page(&screenplay, &Options::default()).expect("a title page");
    let title = &page.lines[0];
    assert_eq!(
        (title.row, title.text()),
        (15, "THE LONG KITCHEN".to_string())
    );
    assert_eq!(title.column, 22.0);
    let bottom: Vec<(usize, String)> = page
        .lines
        .iter()
        .filter(|line| line.row >= 50)
        .map(|line| (line.row, line.text()))
        .collect();
    assert_eq!(
        bottom,
        [
            (52, "A. Writer".to_string()),
            (53, "12 Harbour Road".to_string()),
            (54, "a.writer@example.org".to_string()),
            (54, "1 May 2025".to_string()),
        ]
    );
}

#[test]
fn compressed_and_plain_pdfs_say_the_same() {
    let screenplay = fountain_text::generate::screenplay(5, 200);
    let compressed = render(&screenplay, &Options::default()).expect("rendered");
    let plain = render(&screenplay, &readable()).expect("rendered");
    assert!(compressed.pdf.len() < plain.pdf.len());
    assert_eq!(page_lines(&compressed.pdf), page_lines(&plain.pdf));
    assert_eq!(streams(&compressed.pdf).len(), compressed.pages + 1);
}

#[test]
fn a4_holds_more_lines_so_fewer_pages() {
    let screenplay = fountain_text::generate::screenplay(9, 1500);
    let a4 = Options {
        paper: Paper::A4,
        ..Options::default()
    };
    let letter = render(&screenplay, &Options::default()).expect("letter");
    let a4 = render(&screenplay, &a4).expect("a4");
    assert!(a4.pages < letter.pages, "{} < {}", a4.pages, letter.pages);
    assert!(contains(&a4.pdf, b"/MediaBox [0 0 595.276 841.89]"));
}

#[test]
fn characters_outside_winansi_print_sensibly() {
    let screenplay =
        fountain_text::parse("\u{201C}Caf\u{00E9}\u{201D} \u{2014} it\u{2019}s \u{4E2D}\u{2026}")
            .expect("parsed");
    let pages = page_lines(&render(&screenplay, &readable()).expect("rendered").pdf);
    assert_eq!(pages, [["\"Café\" -- it's ?..."]]);
}

#[test]
fn a_script_over_the_limit_is_refused() {
    let screenplay = fountain_text::generate::screenplay(2, 600);
    let options = Options {
        max_pages: Some(5),
        ..Options::default()
    };
    match render(&screenplay, &options) {
        Err(RenderError::TooLong { pages, limit: 5 }) => assert!(pages > 5),
        other => panic!("expected TooLong, got {other:?}"),
    }
}

#[test]
fn every_fixture_renders() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fountain-text/tests/fixtures");
    let mut files = Vec::new();
    fountain_files(&root, &mut files);
    files.sort();
    assert!(files.len() >= 30, "{} fixtures", files.len());
    for file in &files {
        let source = std::fs::read_to_string(file).expect("readable");
        let name = file.strip_prefix(&root).unwrap_or(file).display();
        let Ok(screenplay) = fountain_text::parse(&source) else {
            eprintln!("{name}: not a screenplay the parser accepts, skipped");
            continue;
        };
        let rendered = render(&screenplay, &Options::default()).expect("rendered");
        let title = usize::from(rendered.title_page);
        assert!(rendered.pdf.starts_with(b"%PDF-1.7"));
        assert!(rendered.pdf.ends_with(b"%%EOF"));
        assert_eq!(count_pages(&rendered.pdf), rendered.pages + title, "{name}");
        eprintln!("{name}: {} pages (+{title} title page)", rendered.pages);
    }
}

fn fountain_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            fountain_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "fountain") {
            files.push(path);
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The page tree's `/Count`.
fn count_pages(pdf: &[u8]) -> usize {
    let at = pdf
        .windows(7)
        .position(|w| w == b"/Count ")
        .expect("a page tree");
    let digits: String = pdf[at + 7..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .map(|b| char::from(*b))
        .collect();
    digits.parse().expect("a number")
}

#[test]
fn odd_input_renders_within_the_page() {
    let word = "A".repeat(5_000);
    let parentheticals = "(beat)\n".repeat(200);
    let speech = "word ".repeat(3_000);
    let cases = [
        String::new(),
        "Title: Only a title page".to_string(),
        "===\n\n===".to_string(),
        format!("{word}\n\nANNA\n{word}"),
        format!("ANNA\n{parentheticals}Hello."),
        format!("ANNA\n{speech}"),
        format!("INT. {word}"),
        "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\tdeep".to_string(),
        format!("BRICK\n{speech}\n\nSTEEL ^\nNo."),
    ];
    for source in &cases {
        let screenplay = fountain_text::parse(source).expect("parsed");
        let rendered = render(&screenplay, &Options::default()).expect("rendered");
        assert_eq!(
            count_pages(&rendered.pdf),
            rendered.pages + usize::from(rendered.title_page)
        );
        for page in fountain_pdf::paginate(&screenplay, &Options::default()) {
            for line in &page.lines {
                assert!(line.row < 55, "{:.40}: row {}", source, line.row);
                assert!(line.column + line.width() as f32 <= 66.0, "{:.40}", source);
            }
        }
    }
}
