use fractional_index::FractionalIndex;

/// Keys longer than this trigger a rebalance of their parent.
pub const MAX_KEY_CHARS: usize = 64;

/// A child's position among its siblings: compare as strings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrderKey(String);

impl OrderKey {
    pub fn parse(text: &str) -> Option<Self> {
        FractionalIndex::from_string(text)
            .ok()
            .map(|_| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn index(&self) -> Option<FractionalIndex> {
        FractionalIndex::from_string(&self.0).ok()
    }

    fn from_index(index: &FractionalIndex) -> Self {
        Self(index.to_string())
    }

    /// A key strictly between `before` and `after` (either may be open); `None` when they
    /// are not in order or the key would be longer than [`MAX_KEY_CHARS`].
    pub fn between(before: Option<&OrderKey>, after: Option<&OrderKey>) -> Option<OrderKey> {
        let before = match before {
            Some(key) => Some(key.index()?),
            None => None,
        };
        let after = match after {
            Some(key) => Some(key.index()?),
            None => None,
        };
        let key = Self::from_index(&FractionalIndex::new(before.as_ref(), after.as_ref())?);
        (key.0.len() <= MAX_KEY_CHARS).then_some(key)
    }
}

/// `n` keys in increasing order, evenly spread and all of one short length: the keys of a
/// freshly (re)balanced parent.
pub fn spread(n: usize) -> Vec<OrderKey> {
    // One byte more than n needs, so that every gap holds hundreds of inserts.
    let mut width = 1;
    while 256u128.pow(width) <= (n as u128 + 1) * 256 {
        width += 1;
    }
    let space = 256u128.pow(width);
    let step = space / (n as u128 + 1);
    (1..=n as u128)
        .map(|i| {
            let value = i * step;
            let mut bytes: Vec<u8> = (0..width)
                .rev()
                .map(|shift| (value >> (8 * shift)) as u8)
                .collect();
            bytes.push(0x80); // the terminator every fractional index ends with
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            OrderKey(hex)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_keys_are_increasing_short_and_valid() {
        for n in [0, 1, 2, 255, 256, 10_000] {
            let keys = spread(n);
            assert_eq!(keys.len(), n);
            assert!(keys.windows(2).all(|w| w[0] < w[1]), "n = {n}");
            assert!(keys.iter().all(|k| OrderKey::parse(k.as_str()).is_some()));
            assert!(keys.iter().all(|k| k.as_str().len() <= 10), "n = {n}");
        }
    }

    #[test]
    fn between_is_strictly_between_and_gives_up_instead_of_growing_forever() {
        let keys = spread(2);
        let middle = OrderKey::between(Some(&keys[0]), Some(&keys[1])).unwrap();
        assert!(keys[0] < middle && middle < keys[1]);
        assert!(OrderKey::between(Some(&keys[1]), Some(&keys[0])).is_none());
        assert!(OrderKey::between(None, None).is_some());
        // Inserting again and again into the same gap ends in a rebalance, not a huge key.
        let (low, mut high) = (keys[0].clone(), keys[1].clone());
        let mut inserts = 0;
        while let Some(key) = OrderKey::between(Some(&low), Some(&high)) {
            assert!(low < key && key < high);
            high = key;
            inserts += 1;
        }
        assert!(
            inserts > 100,
            "a gap holds many inserts before a rebalance ({inserts})"
        );
    }
}
