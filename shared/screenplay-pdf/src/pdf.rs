//! Laid-out pages as a PDF: the four base-14 Courier faces in WinAnsiEncoding (readers
//! have them, so nothing is embedded), a compressed content stream a page.

use crate::Paper;
use crate::encoding::bytes;
use crate::layout::{
    CHAR_WIDTH, FONT_SIZE, LEFT_MARGIN, LINE_HEIGHT, NUMBER_TOP, TOP_MARGIN, right_aligned,
};
use crate::page::{Page, Run, Style};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// Regular, bold, italic, bold italic: resource names and PostScript names.
const FONTS: [(&[u8], &[u8]); 4] = [
    (b"F1", b"Courier"),
    (b"F2", b"Courier-Bold"),
    (b"F3", b"Courier-Oblique"),
    (b"F4", b"Courier-BoldOblique"),
];
/// From the top of a line's 12 pt to its baseline: Courier's ascent (7.5 pt) centered
/// with its descent in the line.
const BASELINE: f32 = 9.0;
/// Under the baseline, and as thick as Courier's own underline.
const UNDERLINE_DROP: f32 = 1.5;
const UNDERLINE_WIDTH: f32 = 0.6;
/// zlib's default: most of the gain for little time.
const COMPRESSION: u8 = 6;

const CATALOG: Ref = Ref::new(1);
const PAGE_TREE: Ref = Ref::new(2);
const INFO: Ref = Ref::new(3);
const FIRST_FONT: i32 = 4;
const FIRST_PAGE: i32 = FIRST_FONT + FONTS.len() as i32;

/// The PDF of `pages` (the title page first, if any); `title` goes in its metadata.
pub(crate) fn write(pages: &[Page], paper: Paper, title: &str, compress: bool) -> Vec<u8> {
    let (width, height) = paper.size();
    let mut pdf = Pdf::new();
    let page_ids: Vec<(Ref, Ref)> = (0..pages.len() as i32)
        .map(|index| {
            let id = FIRST_PAGE + 2 * index;
            (Ref::new(id), Ref::new(id + 1))
        })
        .collect();
    pdf.catalog(CATALOG).pages(PAGE_TREE);
    pdf.pages(PAGE_TREE)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(pages.len() as i32);
    let mut info = pdf.document_info(INFO);
    if !title.is_empty() {
        info.title(TextStr(title));
    }
    info.creator(TextStr("FountainAI"));
    info.finish();
    for (index, (_, base_font)) in FONTS.iter().enumerate() {
        pdf.type1_font(Ref::new(FIRST_FONT + index as i32))
            .base_font(Name(base_font))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for (page, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut writer = pdf.page(*page_id);
        writer
            .media_box(Rect::new(0.0, 0.0, width, height))
            .parent(PAGE_TREE)
            .contents(*content_id);
        let mut resources = writer.resources();
        let mut fonts = resources.fonts();
        for (index, (name, _)) in FONTS.iter().enumerate() {
            fonts.pair(Name(name), Ref::new(FIRST_FONT + index as i32));
        }
        fonts.finish();
        resources.finish();
        writer.finish();
        let content = content(page, height);
        if compress {
            let packed = miniz_oxide::deflate::compress_to_vec_zlib(&content, COMPRESSION);
            pdf.stream(*content_id, &packed).filter(Filter::FlateDecode);
        } else {
            pdf.stream(*content_id, &content);
        }
    }
    pdf.finish()
}

/// The drawing of one page: its lines, its number, then the underlines.
fn content(page: &Page, page_height: f32) -> Vec<u8> {
    let mut text = Text {
        content: Content::new(),
        font: None,
        underlines: Vec::new(),
    };
    text.content.begin_text();
    for line in &page.lines {
        let baseline = page_height - TOP_MARGIN - line.row as f32 * LINE_HEIGHT - BASELINE;
        text.runs(&line.runs, line.column, baseline);
    }
    if let Some(label) = page.number_label() {
        let run = Run {
            style: Style::default(),
            text: label,
        };
        let column = right_aligned(run.text.len());
        text.runs(&[run], column, page_height - NUMBER_TOP - BASELINE);
    }
    text.content.end_text();
    if !text.underlines.is_empty() {
        text.content.set_line_width(UNDERLINE_WIDTH);
        for (start, end, y) in &text.underlines {
            text.content.move_to(*start, *y).line_to(*end, *y);
        }
        text.content.stroke();
    }
    text.content.finish().into_vec()
}

struct Text {
    content: Content,
    /// The font in use, so it is set only when the style changes.
    font: Option<usize>,
    /// (from x, to x, y) of each underlined run.
    underlines: Vec<(f32, f32, f32)>,
}

impl Text {
    fn runs(&mut self, runs: &[Run], column: f32, baseline: f32) {
        let mut x = LEFT_MARGIN + column * CHAR_WIDTH;
        for run in runs {
            let font = font(run.style);
            if self.font != Some(font) {
                self.content.set_font(Name(FONTS[font].0), FONT_SIZE);
                self.font = Some(font);
            }
            let width = run.text.chars().count() as f32 * CHAR_WIDTH;
            self.content
                .set_text_matrix([1.0, 0.0, 0.0, 1.0, x, baseline])
                .show(Str(&bytes(&run.text)));
            if run.style.underline {
                let y = baseline - UNDERLINE_DROP;
                self.underlines.push((x, x + width, y));
            }
            x += width;
        }
    }
}

fn font(style: Style) -> usize {
    match (style.bold, style.italic) {
        (false, false) => 0,
        (true, false) => 1,
        (false, true) => 2,
        (true, true) => 3,
    }
}
