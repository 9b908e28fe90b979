//! Word wrap in character columns (Courier is monospaced, so columns are widths).

use std::ops::Range;

/// The ranges of `chars` that make its lines at `width` columns: a line break always
/// ends a line; otherwise a line ends at the last space that lets it fit (the spaces at a
/// break are dropped), and a word longer than the width is cut at the width.
pub(crate) fn wrap(chars: &[char], width: usize) -> Vec<Range<usize>> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut start = 0;
    loop {
        let end = chars[start..]
            .iter()
            .position(|c| *c == '\n')
            .map_or(chars.len(), |at| start + at);
        wrap_line(chars, start..end, width, &mut lines);
        if end == chars.len() {
            return lines;
        }
        start = end + 1;
    }
}

fn wrap_line(chars: &[char], line: Range<usize>, width: usize, lines: &mut Vec<Range<usize>>) {
    let mut start = line.start;
    loop {
        if line.end - start <= width {
            lines.push(start..line.end);
            return;
        }
        // The last space at or before the column just past the width: a line may end
        // right before it.
        let space = chars[start + 1..=start + width]
            .iter()
            .rposition(|c| *c == ' ')
            .map(|at| start + 1 + at);
        let (end, next) = match space {
            Some(space) => {
                let mut end = space;
                while end > start && chars[end - 1] == ' ' {
                    end -= 1;
                }
                (end, space)
            }
            None => (start + width, start + width),
        };
        if end == start {
            // Only spaces before the break (deep indentation): cut the line instead.
            lines.push(start..start + width);
            start += width;
        } else {
            lines.push(start..end);
            start = next;
        }
        while start < line.end && chars[start] == ' ' {
            start += 1;
        }
        if start == line.end {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, width: usize) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        wrap(&chars, width)
            .into_iter()
            .map(|range| chars[range].iter().collect())
            .collect()
    }

    #[test]
    fn words_wrap_at_the_last_space_that_fits() {
        assert_eq!(
            lines("the quick brown fox jumps", 10),
            ["the quick", "brown fox", "jumps"]
        );
        assert_eq!(lines("exactly ten", 11), ["exactly ten"]);
        assert_eq!(lines("exactly ten", 7), ["exactly", "ten"]);
    }

    #[test]
    fn line_breaks_and_empty_lines_stay_and_long_words_are_cut() {
        assert_eq!(lines("a\n\nb", 10), ["a", "", "b"]);
        assert_eq!(lines("abcdefghijkl", 5), ["abcde", "fghij", "kl"]);
        assert_eq!(lines("", 5), [""]);
    }

    #[test]
    fn indentation_stays_on_the_first_line() {
        assert_eq!(lines("    one two three", 12), ["    one two", "three"]);
    }
}
