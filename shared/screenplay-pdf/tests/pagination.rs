//! The pagination rules on screenplays built to put each case at a page's foot (letter:
//! 55 lines a page).

#![allow(clippy::expect_used)] // helpers outside #[test] functions

use fountain_pdf::{Line, LineKind, Options, Page, paginate};

fn laid_out(source: &str) -> Vec<Page> {
    let screenplay = fountain_text::parse(source).expect("a screenplay");
    paginate(&screenplay, &Options::default())
}

/// One action paragraph of `rows` lines: fills the page's first `rows` rows.
fn filler(rows: usize) -> String {
    (1..=rows)
        .map(|n| format!("Filler line {n}."))
        .collect::<Vec<_>>()
        .join("\n")
}

fn kinds(page: &Page) -> Vec<LineKind> {
    page.lines.iter().map(|line| line.kind).collect()
}

fn last(page: &Page) -> &Line {
    page.lines.last().expect("a line")
}

#[test]
fn elements_are_one_blank_line_apart_at_their_indents() {
    let pages = laid_out("INT. HOUSE - DAY\n\nAnna waits.\n\nANNA\n(quietly)\nHello.\n\nCUT TO:");
    let rows: Vec<(usize, f32, LineKind)> = pages[0]
        .lines
        .iter()
        .map(|line| (line.row, line.column, line.kind))
        .collect();
    assert_eq!(
        rows,
        [
            (0, 0.0, LineKind::SceneHeading),
            (2, 0.0, LineKind::Action),
            (4, 22.0, LineKind::Character),
            (5, 16.0, LineKind::Parenthetical),
            (6, 10.0, LineKind::Dialogue),
            (8, 53.0, LineKind::Transition),
        ]
    );
}

#[test]
fn a_long_speech_splits_between_sentences_with_more_and_contd() {
    let speech: Vec<String> = (1..=20)
        .map(|n| format!("This is sentence number {n} of mine."))
        .collect();
    let source = format!("{}\n\nANNA (V.O.)\n{}", filler(40), speech.join(" "));
    let pages = laid_out(&source);
    assert_eq!(pages.len(), 2);

    // Page 1: the cue on row 41, speech to the foot, (MORE) on the last row at the cue's
    // indent, the speech's last line there ending a sentence.
    let first = &pages[0];
    let more = last(first);
    assert_eq!(
        (more.kind, more.text(), more.column),
        (LineKind::More, "(MORE)".into(), 22.0)
    );
    assert!(more.row <= 54);
    let before_more = &first.lines[first.lines.len() - 2];
    assert_eq!(before_more.kind, LineKind::Dialogue);
    assert!(
        before_more.text().ends_with("mine."),
        "{}",
        before_more.text()
    );

    // Page 2: the cue with (CONT'D), then the rest from the next sentence.
    let second = &pages[1];
    assert_eq!(second.lines[0].text(), "ANNA (V.O.) (CONT'D)");
    assert_eq!(second.lines[0].row, 0);
    assert!(second.lines[1].text().starts_with("This is sentence"));

    // Nothing lost or doubled.
    let spoken: Vec<String> = pages
        .iter()
        .flat_map(|page| page.lines.iter())
        .filter(|line| line.kind == LineKind::Dialogue)
        .map(Line::text)
        .collect();
    assert_eq!(spoken.join(" "), speech.join(" "));
}

#[test]
fn a_speech_without_a_sentence_end_that_fits_moves_whole() {
    let source = format!(
        "{}\n\nANNA\n{}",
        filler(51),
        "one long sentence without any stop in it that runs on and on over lines"
    );
    let pages = laid_out(&source);
    assert_eq!(pages.len(), 2);
    assert_eq!(kinds(&pages[0]), [LineKind::Action; 51]);
    assert_eq!(pages[1].lines[0].text(), "ANNA");
}

#[test]
fn a_scene_heading_on_the_last_line_moves_with_what_follows() {
    // 53 rows of action, a blank line: the heading would be row 54, the last.
    let source = format!("{}\n\nINT. KITCHEN - NIGHT\n\nAnna cooks.", filler(53));
    let pages = laid_out(&source);
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].lines.len(), 53);
    assert_eq!(pages[1].lines[0].kind, LineKind::SceneHeading);
    assert_eq!(pages[1].lines[0].row, 0);
    assert_eq!(pages[1].lines[1].text(), "Anna cooks.");
}

#[test]
fn a_scene_heading_keeps_two_lines_of_action_under_it() {
    // Heading on row 52 would leave one row for the action after the blank line.
    let action = "Line one.\nLine two.\nLine three.\nLine four.";
    let source = format!("{}\n\nEXT. ROOF - DAY\n\n{action}", filler(51));
    let pages = laid_out(&source);
    assert_eq!(pages[1].lines[0].kind, LineKind::SceneHeading);

    // Two rows higher, it stays with two of the four lines, and the other two follow.
    let source = format!("{}\n\nEXT. ROOF - DAY\n\n{action}", filler(49));
    let pages = laid_out(&source);
    assert_eq!(last(&pages[0]).text(), "Line two.");
    assert_eq!(pages[1].lines[0].text(), "Line three.");
}

#[test]
fn action_splits_with_two_lines_on_each_side_or_moves() {
    // Three rows left: three of ten lines stay.
    let pages_split = laid_out(&format!("{}\n\n{}", filler(51), filler(10)));
    assert_eq!(pages_split[0].lines.len(), 51 + 3);
    assert_eq!(pages_split[1].lines.len(), 7);

    // Four rows left for a five-line paragraph: three stay so two go on.
    let pages_short = laid_out(&format!("{}\n\n{}", filler(50), filler(5)));
    assert_eq!(pages_short[0].lines.len(), 50 + 3);
    assert_eq!(pages_short[1].lines.len(), 2);

    // One row left: the paragraph moves.
    let pages_moved = laid_out(&format!("{}\n\n{}", filler(53), filler(3)));
    assert_eq!(pages_moved[0].lines.len(), 53);
    assert_eq!(pages_moved[1].lines.len(), 3);
}

#[test]
fn a_parenthetical_never_ends_a_page() {
    // Rows left for the speech: 4 (cue, parenthetical, line, parenthetical would fit,
    // but may not end the page): it splits after the line, before the parenthetical.
    let source = format!(
        "{}\n\nANNA\n(quietly)\nFirst line.\n(beat)\nSecond line. Third line.",
        filler(50)
    );
    let pages = laid_out(&source);
    let foot: Vec<String> = pages[0].texts().into_iter().skip(50).collect();
    assert_eq!(foot, ["ANNA", "(quietly)", "First line.", "(MORE)"]);
    assert_eq!(
        pages[1].texts(),
        ["ANNA (CONT'D)", "(beat)", "Second line. Third line."]
    );

    // Three rows left: cue, parenthetical and (MORE) hold no speech, so the speech moves.
    let source = format!(
        "{}\n\nANNA\n(quietly)\nHello there. Bye now, and never come back here.",
        filler(51)
    );
    let pages = laid_out(&source);
    assert_eq!(pages[0].lines.len(), 51);
    assert_eq!(pages[1].lines[0].text(), "ANNA");
}

#[test]
fn a_forced_page_break_starts_a_new_page_and_never_a_blank_one() {
    let pages = laid_out("===\n\nAction one.\n\n===\n\n===\n\nAction two.\n\n===");
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].texts(), ["Action one."]);
    assert_eq!(pages[1].texts(), ["Action two."]);
    assert_eq!(pages[1].lines[0].row, 0);
}

#[test]
fn dual_dialogue_stands_side_by_side() {
    let pages = laid_out("BRICK\nScrew retirement.\n\nSTEEL ^\nScrew it. Let's go.\n\nThey go.");
    let rows: Vec<(usize, f32, String)> = pages[0]
        .lines
        .iter()
        .map(|line| (line.row, line.column, line.text()))
        .collect();
    assert_eq!(
        rows,
        [
            (0, 11.0, "BRICK".to_string()),
            (0, 41.0, "STEEL".to_string()),
            (1, 5.0, "Screw retirement.".to_string()),
            (1, 35.0, "Screw it. Let's go.".to_string()),
            (3, 0.0, "They go.".to_string()),
        ]
    );
}

#[test]
fn scene_numbers_print_at_both_margins_when_asked() {
    let screenplay = fountain_text::parse("INT. HOUSE - DAY #12A#\n\nAnna.").expect("parsed");
    let with = paginate(&screenplay, &Options::default());
    let numbers: Vec<(f32, String)> = with[0]
        .lines
        .iter()
        .filter(|line| line.kind == LineKind::SceneNumber)
        .map(|line| (line.column, line.text()))
        .collect();
    assert_eq!(numbers, [(-7.0, "12A".into()), (61.0, "12A".into())]);
    let options = Options {
        scene_numbers: false,
        ..Options::default()
    };
    let without = paginate(&screenplay, &options);
    assert!(
        without[0]
            .lines
            .iter()
            .all(|l| l.kind != LineKind::SceneNumber)
    );
}

#[test]
fn pages_are_numbered_from_the_second() {
    let pages = laid_out(&format!("{}\n\n===\n\nTwo.\n\n===\n\nThree.", filler(3)));
    let labels: Vec<Option<String>> = pages.iter().map(Page::number_label).collect();
    assert_eq!(labels, [None, Some("2.".into()), Some("3.".into())]);
}

#[test]
fn what_is_not_printed_is_left_out() {
    let pages = laid_out(
        "# Act one\n\n= The synopsis.\n\n[[A note.]]\n\n/* Cut\nstuff */\n\nAnna [[inline]] waits.",
    );
    assert_eq!(pages[0].texts(), ["Anna waits."]);
}

#[test]
fn emphasis_and_lyrics_keep_their_styles() {
    let pages = laid_out("Anna **shouts** _now_.\n\n~La la la");
    let action = &pages[0].lines[0];
    assert!(action.runs[1].style.bold && action.runs[1].text == "shouts");
    assert!(action.runs[3].style.underline && action.runs[3].text == "now");
    let lyric = &pages[0].lines[1];
    assert_eq!((lyric.kind, lyric.column), (LineKind::Lyric, 10.0));
    assert!(lyric.runs.iter().all(|run| run.style.italic));
}

#[test]
fn no_page_of_a_feature_ends_with_a_heading_cue_or_parenthetical() {
    let screenplay = fountain_text::generate::screenplay(7, 3000);
    let pages = paginate(&screenplay, &Options::default());
    assert!(pages.len() > 60);
    for page in &pages {
        let kind = last(page).kind;
        if last(page).row < 50 {
            // A page ended by a forced break (the writer's, kept even after a heading).
            continue;
        }
        assert!(
            !matches!(
                kind,
                LineKind::SceneHeading | LineKind::Character | LineKind::Parenthetical
            ),
            "page {:?} ends with {kind:?}",
            page.number
        );
        assert!(page.lines.iter().all(|line| line.row < 55));
        if let Some(more) = page.lines.iter().position(|l| l.kind == LineKind::More) {
            assert_eq!(more, page.lines.len() - 1, "(MORE) is the page's last line");
        }
    }
}

#[test]
fn a_script_with_nothing_printed_is_one_blank_page() {
    let pages = laid_out("# Act one\n\n= Only a synopsis.");
    assert_eq!(pages.len(), 1);
    assert!(pages[0].lines.is_empty());
}
