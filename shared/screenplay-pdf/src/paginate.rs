//! Blocks onto pages: one blank line between blocks (none at the top of a page) and the
//! rules of where a page may end (see the crate documentation).

use crate::blocks::Block;
use crate::dialogue::Speech;
use crate::page::Page;
use crate::rows::Rows;

/// Fewest lines of split action on either page.
const KEEP: usize = 2;

pub(crate) fn pages(blocks: Vec<Block>, per_page: usize) -> Vec<Page> {
    let mut pager = Pager {
        per_page: per_page.max(2 * KEEP),
        pages: Vec::new(),
        current: Rows::default(),
    };
    let mut blocks = blocks.into_iter().peekable();
    while let Some(block) = blocks.next() {
        match block {
            Block::PageBreak => pager.new_page(),
            Block::Heading(rows) => {
                let following = blocks.peek().map_or(0, Block::opening);
                let gap = usize::from(following > 0);
                if rows.height + gap + following > pager.room() {
                    pager.new_page();
                }
                pager.place_lines(rows);
            }
            Block::Lines(rows) => pager.place_lines(rows),
            Block::Transition(rows) | Block::Dual(rows) => {
                if rows.height > pager.room() {
                    pager.new_page();
                }
                pager.place_lines(rows);
            }
            Block::Dialogue(speech) => pager.place_speech(speech),
        }
    }
    pager.finish()
}

struct Pager {
    per_page: usize,
    pages: Vec<Page>,
    current: Rows,
}

impl Pager {
    fn is_empty(&self) -> bool {
        self.current.height == 0
    }

    /// Rows left for the next block, after the blank line that separates it.
    fn room(&self) -> usize {
        match self.is_empty() {
            true => self.per_page,
            false => self.per_page.saturating_sub(self.current.height + 1),
        }
    }

    /// Puts `rows` under what the page holds; they must fit.
    fn place(&mut self, rows: Rows) {
        if !self.is_empty() {
            self.current.height += 1;
        }
        self.current.stack(rows);
    }

    /// Ends the page, unless it is empty (so a forced break on a fresh page, or at the
    /// start, makes no blank page).
    fn new_page(&mut self) {
        if self.is_empty() {
            return;
        }
        let rows = std::mem::take(&mut self.current);
        self.pages.push(Page {
            number: Some(self.pages.len() + 1),
            lines: rows.lines,
        });
    }

    /// Lines split where needed, at least [`KEEP`] on each page, else moved whole.
    fn place_lines(&mut self, mut rows: Rows) {
        loop {
            let room = self.room();
            if rows.height <= room {
                return self.place(rows);
            }
            let cut = room.min(rows.height.saturating_sub(KEEP));
            let cut = if cut >= KEEP {
                cut
            } else if self.is_empty() {
                // Taller than a page with no good cut: leave KEEP for the next page.
                room.min(rows.height.saturating_sub(KEEP)).max(1)
            } else {
                self.new_page();
                continue;
            };
            let (top, rest) = rows.split_at(cut);
            self.place(top);
            self.new_page();
            rows = rest;
        }
    }

    /// A speech whole, or split between sentences with `(MORE)` and `(CONT'D)`, or moved
    /// to the next page; one longer than a page breaks at any line.
    fn place_speech(&mut self, mut speech: Speech) {
        loop {
            let rows = speech.rows();
            let room = self.room();
            if rows.height <= room {
                return self.place(rows);
            }
            let fresh = self.is_empty();
            match speech.split(room, false) {
                Some((top, rest)) => {
                    self.place(top);
                    self.new_page();
                    speech = rest;
                }
                None if fresh => match speech.split(room, true) {
                    Some((top, rest)) => {
                        self.place(top);
                        self.new_page();
                        speech = rest;
                    }
                    // Nothing to split (a wall of parentheticals): cut it like action.
                    None => return self.place_lines(rows),
                },
                None => self.new_page(),
            }
        }
    }

    /// The pages; one blank page when nothing is printed (sections and notes only), as
    /// a PDF without pages is one that readers refuse.
    fn finish(mut self) -> Vec<Page> {
        self.new_page();
        if self.pages.is_empty() {
            self.pages.push(Page {
                number: Some(1),
                lines: Vec::new(),
            });
        }
        self.pages
    }
}
