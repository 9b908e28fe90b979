//! Reading back what the PDF shows: the text of each page's content stream, a line a
//! text row, rebuilt from the `Tm` positions and `Tj` strings the renderer writes.

#![allow(dead_code)] // each test binary uses its own subset
#![allow(clippy::expect_used)] // test helpers: an unreadable PDF should fail the test

/// The content streams in file order (the renderer writes each page's after it, so this
/// is page order), inflated when compressed.
pub fn streams(pdf: &[u8]) -> Vec<Vec<u8>> {
    let mut streams = Vec::new();
    let mut rest = pdf;
    while let Some(start) = find(rest, b"stream\n") {
        let dictionary = &rest[..start];
        let body = &rest[start + 7..];
        let end = find(body, b"\nendstream").expect("a stream ends");
        let data = &body[..end];
        let compressed = find(dictionary, b"/FlateDecode").is_some_and(|at| {
            // The filter belongs to this stream's dictionary, after the previous object.
            find(&dictionary[at..], b"endobj").is_none()
        });
        streams.push(match compressed {
            true => miniz_oxide::inflate::decompress_to_vec_zlib(data).expect("zlib data"),
            false => data.to_vec(),
        });
        rest = &body[end + 10..];
    }
    streams
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Each page's lines of text, top to bottom; text on one row at separate places (dual
/// dialogue, scene numbers) is joined with a space.
pub fn page_lines(pdf: &[u8]) -> Vec<Vec<String>> {
    streams(pdf).iter().map(|stream| lines(stream)).collect()
}

fn lines(stream: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut numbers: Vec<f32> = Vec::new();
    let mut position: Option<(f32, f32)> = None;
    let mut next_x = f32::NAN;
    let mut last_y = f32::NAN;
    for token in tokens(stream) {
        match token {
            Token::Number(n) => numbers.push(n),
            Token::Operator(op) if op == "Tm" => {
                let at = numbers.len().saturating_sub(2);
                position = Some((numbers[at], numbers[at + 1]));
                numbers.clear();
            }
            Token::Text(text) => {
                let (x, y) = position.expect("Tm before Tj");
                let text: String = text.iter().map(|b| winansi_char(*b)).collect();
                if y != last_y || lines.is_empty() {
                    lines.push(String::new());
                } else if (x - next_x).abs() > 0.01 {
                    lines.last_mut().expect("a line").push(' ');
                }
                lines.last_mut().expect("a line").push_str(&text);
                next_x = x + text.chars().count() as f32 * 7.2;
                last_y = y;
            }
            Token::Operator(_) => numbers.clear(),
        }
    }
    lines
}

fn winansi_char(byte: u8) -> char {
    match byte {
        0x80 => '€',
        0x92 => '\u{2019}',
        _ => char::from(byte),
    }
}

enum Token {
    Number(f32),
    Text(Vec<u8>),
    Operator(String),
}

fn tokens(stream: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < stream.len() {
        let c = stream[i];
        match c {
            b' ' | b'\n' | b'\r' => i += 1,
            b'(' => {
                let mut text = Vec::new();
                let mut depth = 1;
                i += 1;
                while i < stream.len() {
                    let c = stream[i];
                    i += 1;
                    match c {
                        b'\\' => {
                            let escaped = stream[i];
                            i += 1;
                            if escaped.is_ascii_digit() {
                                let end = (i + 2).min(stream.len());
                                let digits = &stream[i - 1..end];
                                let len = digits.iter().take_while(|d| d.is_ascii_digit()).count();
                                let octal = std::str::from_utf8(&digits[..len]).expect("digits");
                                text.push(u8::from_str_radix(octal, 8).expect("octal"));
                                i += len - 1;
                            } else {
                                text.push(match escaped {
                                    b'n' => b'\n',
                                    b'r' => b'\r',
                                    b't' => b'\t',
                                    other => other,
                                });
                            }
                        }
                        b'(' => {
                            depth += 1;
                            text.push(c);
                        }
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                            text.push(c);
                        }
                        _ => text.push(c),
                    }
                }
                tokens.push(Token::Text(text));
            }
            b'<' => {
                let end = i + stream[i..].iter().position(|c| *c == b'>').expect(">");
                let hex = std::str::from_utf8(&stream[i + 1..end]).expect("hex");
                let bytes = (0..hex.len())
                    .step_by(2)
                    .map(|at| u8::from_str_radix(&hex[at..at + 2], 16).expect("hex byte"))
                    .collect();
                tokens.push(Token::Text(bytes));
                i = end + 1;
            }
            b'/' => {
                let end = i
                    + 1
                    + stream[i + 1..]
                        .iter()
                        .position(|c| matches!(c, b' ' | b'\n'))
                        .unwrap_or(stream.len() - i - 1);
                i = end;
            }
            _ => {
                let end = i + stream[i..]
                    .iter()
                    .position(|c| matches!(c, b' ' | b'\n' | b'(' | b'<' | b'/'))
                    .unwrap_or(stream.len() - i);
                let word = std::str::from_utf8(&stream[i..end]).expect("ascii");
                tokens.push(match word.parse::<f32>() {
                    Ok(n) => Token::Number(n),
                    Err(_) => Token::Operator(word.to_string()),
                });
                i = end;
            }
        }
    }
    tokens
}

/// Whether `wanted` appears in `words` in order (other words may come between).
pub fn in_order<'a>(
    words: impl IntoIterator<Item = &'a str>,
    wanted: impl IntoIterator<Item = &'a str>,
) -> Result<(), String> {
    let mut words = words.into_iter();
    for want in wanted {
        if !words.any(|word| word == want) {
            return Err(format!("{want:?} missing or out of order"));
        }
    }
    Ok(())
}
