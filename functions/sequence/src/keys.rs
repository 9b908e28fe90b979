//! Order keys: fractions in (0, 1) written as base-256 digits, hex-encoded so that strings
//! compare like the numbers. A key never ends in a zero digit, so each number has exactly
//! one key and string order is strict numeric order.
//!
//! Our own rather than the `fractional_index` crate: its `new_between` underflows on keys
//! sharing a zero digit (a panic in debug builds, a misordered key in release), and its
//! appends grow keys by a byte every 128 appends. Here appends and prepends grow keys with
//! the logarithm of their count, a key between two others halves the gap, and
//! [`spread_between`] lays out evenly spaced keys for (re)balancing.

use std::fmt::Write as _;

/// Keys longer than this are refused: the gap around them is rebalanced instead.
pub const MAX_KEY_BYTES: usize = 48;
/// Rebalanced keys are at most this long, leaving room for many inserts into each gap
/// (and keeping the arithmetic in a u128).
pub const SPREAD_MAX_BYTES: usize = 15;

/// A child's position among its siblings: compare as strings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrderKey(String);

impl OrderKey {
    /// A stored key, when it is well formed (non-empty lowercase hex, last digit non-zero).
    pub fn parse(text: &str) -> Option<Self> {
        let digits = decode(text)?;
        Self::from_digits(&digits)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn from_digits(digits: &[u8]) -> Option<Self> {
        if digits.is_empty() || digits.len() > MAX_KEY_BYTES || digits.last() == Some(&0) {
            return None;
        }
        let mut text = String::with_capacity(digits.len() * 2);
        for digit in digits {
            let _ = write!(text, "{digit:02x}");
        }
        Some(Self(text))
    }

    fn digits(&self) -> Vec<u8> {
        decode(&self.0).unwrap_or_default()
    }

    /// A key strictly between `before` and `after` (either may be open); `None` when they
    /// are not in order or the key would be longer than [`MAX_KEY_BYTES`].
    pub fn between(before: Option<&OrderKey>, after: Option<&OrderKey>) -> Option<OrderKey> {
        let digits = match (before, after) {
            (None, None) => vec![0x80],
            (Some(low), None) => after_key(&low.digits()),
            (None, Some(high)) => before_key(&high.digits()),
            (Some(low), Some(high)) => midpoint(&low.digits(), &high.digits())?,
        };
        Self::from_digits(trim(digits).as_slice())
    }

    /// A key strictly between `before` and `after` that concurrent writers placing into
    /// the same gap do not share: [`OrderKey::between`] (moved off `after`'s prefix) with
    /// `salt` appended. Each writer brings its own random salt, so two inserts read at the
    /// same moment still get distinct keys, both inside the gap.
    pub fn between_unique(
        before: Option<&OrderKey>,
        after: Option<&OrderKey>,
        salt: [u8; SALT_BYTES],
    ) -> Option<OrderKey> {
        let mut key = Self::between(before, after)?;
        // A prefix of `after` with digits appended may pass it; a key between that prefix
        // and `after` is never a prefix of `after` (see `midpoint`).
        if after.is_some_and(|high| high.0.starts_with(&key.0)) {
            key = Self::between(Some(&key), after)?;
        }
        let mut digits = key.digits();
        digits.extend_from_slice(&salt);
        if let Some(last) = digits.last_mut() {
            *last |= 1;
        }
        Self::from_digits(&digits)
    }
}

/// Digits [`OrderKey::between_unique`] appends: two writers into one gap share a key with
/// odds of one in 2^23.
pub const SALT_BYTES: usize = 3;

fn decode(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2)
        || !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn trim(mut digits: Vec<u8>) -> Vec<u8> {
    while digits.last() == Some(&0) {
        digits.pop();
    }
    digits
}

/// The first `width` digits, zero-padded.
fn truncated(digits: &[u8], width: usize) -> Vec<u8> {
    let mut out: Vec<u8> = digits.iter().copied().take(width).collect();
    out.resize(width, 0);
    out
}

/// A key after `low` leaving most of the space above it: the increment lands two digits
/// below the first non-0xff digit, so n appends make keys of about 2·log256(n) digits.
fn after_key(low: &[u8]) -> Vec<u8> {
    let leading = low.iter().take_while(|d| **d == 0xff).count();
    let place = 2 * leading + 1;
    let mut digits = truncated(low, place + 1);
    for i in (0..=place).rev() {
        let (sum, carry) = digits[i].overflowing_add(1);
        digits[i] = sum;
        if !carry {
            break;
        }
    }
    digits
}

/// The mirror of [`after_key`] below `high`.
fn before_key(high: &[u8]) -> Vec<u8> {
    let leading = high.iter().take_while(|d| **d == 0).count();
    let place = 2 * leading + 1;
    let mut digits = truncated(high, place + 1);
    if trim(digits.clone()).len() < high.len() {
        return digits; // dropping high's tail is already smaller
    }
    for i in (0..=place).rev() {
        let (difference, borrow) = digits[i].overflowing_sub(1);
        digits[i] = difference;
        if !borrow {
            break;
        }
    }
    digits
}

/// The shortest key about halfway between `low` < `high`.
fn midpoint(low: &[u8], high: &[u8]) -> Option<Vec<u8>> {
    let mut digits = Vec::new();
    let mut i = 0;
    loop {
        let l = low.get(i).copied().unwrap_or(0);
        let h = high.get(i).copied().unwrap_or(0);
        if i >= low.len() && i >= high.len() {
            return None; // equal
        }
        match h.checked_sub(l)? {
            0 => digits.push(l),
            1 => {
                // Keep low's digit, then go halfway between low's tail and the top.
                digits.push(l);
                let mut j = i + 1;
                loop {
                    let l = low.get(j).copied().unwrap_or(0);
                    if l == 0xff {
                        digits.push(l);
                        j += 1;
                    } else {
                        digits.push(((l as u16 + 256) / 2) as u8);
                        return Some(digits);
                    }
                }
            }
            gap => {
                digits.push(l + gap / 2);
                return Some(digits);
            }
        }
        i += 1;
    }
}

fn to_number(digits: &[u8]) -> u128 {
    digits.iter().fold(0u128, |n, d| (n << 8) | *d as u128)
}

/// `count` evenly spaced keys strictly between `low` and `high` (either may be open), at
/// most [`SPREAD_MAX_BYTES`] long and at least 256 units of their last digit apart, so each
/// gap takes several inserts before it grows a digit. `None` when the range is too narrow.
pub fn spread_between(
    low: Option<&OrderKey>,
    high: Option<&OrderKey>,
    count: usize,
) -> Option<Vec<OrderKey>> {
    if count == 0 {
        return Some(Vec::new());
    }
    let (low, high) = (low.map(OrderKey::digits), high.map(OrderKey::digits));
    for width in 1..=SPREAD_MAX_BYTES {
        // Truncation only moves the bounds inwards, so the keys stay strictly inside.
        let l = low
            .as_deref()
            .map_or(0, |d| to_number(&truncated(d, width)));
        let h = high
            .as_deref()
            .map_or(1u128 << (8 * width), |d| to_number(&truncated(d, width)));
        let step = h.checked_sub(l)? / (count as u128 + 1);
        if step < 256 {
            continue;
        }
        return (1..=count as u128)
            .map(|i| {
                let value = l + step * i;
                let digits: Vec<u8> = (0..width)
                    .rev()
                    .map(|shift| (value >> (8 * shift)) as u8)
                    .collect();
                OrderKey::from_digits(&trim(digits))
            })
            .collect();
    }
    None
}

/// `n` evenly spread keys: the keys of a freshly balanced parent.
pub fn spread(n: usize) -> Vec<OrderKey> {
    spread_between(None, None, n).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(hex: &str) -> OrderKey {
        OrderKey::parse(hex).unwrap()
    }

    #[test]
    fn keys_are_canonical() {
        assert!(OrderKey::parse("80").is_some());
        assert!(OrderKey::parse("8000").is_none(), "a trailing zero digit");
        assert!(OrderKey::parse("").is_none());
        assert!(OrderKey::parse("8G").is_none());
        assert!(OrderKey::parse("8").is_none());
        assert!(
            OrderKey::parse("AB").is_none(),
            "uppercase would sort differently"
        );
    }

    #[test]
    fn spread_keys_are_increasing_short_and_valid() {
        for n in [0, 1, 2, 255, 256, 10_000, 1_000_000] {
            let keys = spread(n);
            assert_eq!(keys.len(), n);
            assert!(keys.windows(2).all(|w| w[0] < w[1]), "n = {n}");
            assert!(keys.iter().all(|k| k.as_str().len() <= 10), "n = {n}");
        }
    }

    #[test]
    fn keys_sharing_zero_digits_have_keys_between_them() {
        // The case the fractional_index crate underflows on.
        let keys = spread(10_000);
        for pair in keys.windows(2).take(300) {
            let middle = OrderKey::between(Some(&pair[0]), Some(&pair[1])).unwrap();
            assert!(pair[0] < middle && middle < pair[1]);
        }
        let (low, high) = (key("0001"), key("0003"));
        let middle = OrderKey::between(Some(&low), Some(&high)).unwrap();
        assert_eq!(middle.as_str(), "0002");
    }

    #[test]
    fn between_is_strictly_between_and_gives_up_instead_of_growing_forever() {
        let keys = spread(2);
        assert!(OrderKey::between(Some(&keys[1]), Some(&keys[0])).is_none());
        assert!(OrderKey::between(Some(&keys[0]), Some(&keys[0])).is_none());
        let (low, mut high) = (keys[0].clone(), keys[1].clone());
        let mut inserts = 0;
        while let Some(key) = OrderKey::between(Some(&low), Some(&high)) {
            assert!(low < key && key < high);
            high = key;
            inserts += 1;
        }
        assert!(inserts > 300, "a gap takes many inserts ({inserts})");
    }

    #[test]
    fn appends_and_prepends_grow_keys_logarithmically() {
        let mut last = OrderKey::between(None, None).unwrap();
        let mut first = last.clone();
        for _ in 0..100_000 {
            let next = OrderKey::between(Some(&last), None).unwrap();
            assert!(next > last);
            last = next;
            let previous = OrderKey::between(None, Some(&first)).unwrap();
            assert!(previous < first);
            first = previous;
        }
        assert!(last.as_str().len() <= 8, "{}", last.as_str());
        assert!(first.as_str().len() <= 8, "{}", first.as_str());
    }

    #[test]
    fn spread_between_stays_inside_and_refuses_a_gap_too_narrow() {
        let (low, high) = (key("1201"), key("1202"));
        let keys = spread_between(Some(&low), Some(&high), 50).unwrap();
        assert!(low < keys[0] && keys[49] < high);
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        let deep = |tail: &str| key(&format!("{}{tail}", "00".repeat(20)));
        assert!(spread_between(Some(&deep("01")), Some(&deep("02")), 1).is_none());
    }
}
