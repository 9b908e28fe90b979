//! The title page, laid out as afterwriting does: the title centered 3.5 in from the top
//! (about a third down), two blank lines, the credit, a blank line, the author(s), four
//! blank lines and the source, each centered line by line; at the foot, the contact and
//! copyright at the left margin and the draft date at the right one, their last lines on
//! the last line of the body. Other keys are not printed.

use crate::layout::BODY_WIDTH;
use crate::page::{LineKind, Page};
use crate::rows::{Align, Rows, flow};
use crate::text::Styled;
use fountain_text::TitleEntry;

/// 3.5 in from the paper's top is 2.5 in, 15 lines, under the top margin.
const TITLE_ROW: usize = 15;

/// The title page, if any entry it prints has a value.
pub(crate) fn layout(entries: &[TitleEntry], per_page: usize) -> Option<Page> {
    let value = |keys: &[&str]| -> Option<Styled> {
        let values: Vec<&str> = entries
            .iter()
            .filter(|entry| keys.iter().any(|key| entry.key.eq_ignore_ascii_case(key)))
            .map(|entry| entry.value.as_str())
            .filter(|value| !value.trim().is_empty())
            .collect();
        (!values.is_empty()).then(|| Styled::from_markup(&values.join("\n")))
    };
    let centered = [
        (value(&["title"]), 2),
        (value(&["credit"]), 1),
        (value(&["author", "authors"]), 4),
        (value(&["source"]), 0),
    ];
    let left = vec![value(&["contact"]), value(&["copyright"])];
    let right = vec![value(&["draft date", "date"])];
    let printed = centered.iter().any(|(text, _)| text.is_some())
        || left.iter().chain(&right).any(Option::is_some);
    if !printed {
        return None;
    }

    let mut top = Rows {
        lines: Vec::new(),
        height: TITLE_ROW,
    };
    for (text, after) in centered {
        if let Some(text) = text {
            top.stack(flow(&text, BODY_WIDTH, Align::Center, LineKind::TitlePage));
        }
        top.height += after;
    }
    let mut lines = top.lines;
    for (texts, align) in [(left, Align::Left(0.0)), (right, Align::Right)] {
        let mut foot = Rows::default();
        for text in texts.into_iter().flatten() {
            foot.stack(flow(&text, BODY_WIDTH / 2, align, LineKind::TitlePage));
        }
        let first_row = per_page.saturating_sub(foot.height);
        lines.extend(foot.lines.into_iter().map(|mut line| {
            line.row += first_row;
            line
        }));
    }
    lines.sort_by_key(|line| line.row);
    Some(Page {
        number: None,
        lines,
    })
}
