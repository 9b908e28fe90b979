//! Planning order changes: which keys to write so the children end in the wanted order,
//! writing as few as possible. Pure functions over the current order; the caller writes the
//! plan in one transaction, conditioned on the parent's order revision.

use std::collections::{HashMap, HashSet};

use crate::keys::{OrderKey, spread};

/// The new key of one child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    pub id: String,
    pub key: OrderKey,
}

/// Where a child goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    First,
    Last,
    /// A sequence number, 1-based, in the resulting order.
    Position(usize),
    Before(String),
    After(String),
}

/// One move of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub id: String,
    pub to: Placement,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SequenceError {
    #[error("{0} is not a child of this parent")]
    UnknownId(String),
    #[error("{0} is named twice")]
    DuplicateId(String),
    #[error("the new order names {named} of the {total} children; name each exactly once")]
    Incomplete { named: usize, total: usize },
    #[error("position {position} is outside 1..={max}")]
    PositionOutOfRange { position: usize, max: usize },
    #[error("{0} cannot be placed relative to itself")]
    RelativeToItself(String),
    #[error("{0} is a child of this parent already")]
    AlreadyPresent(String),
}

/// The index in `order` (which lacks the placed child) where `placement` puts a child.
fn index_of(order: &[&str], placement: &Placement, placed: &str) -> Result<usize, SequenceError> {
    let find = |id: &str| {
        if id == placed {
            return Err(SequenceError::RelativeToItself(id.to_owned()));
        }
        order
            .iter()
            .position(|x| *x == id)
            .ok_or_else(|| SequenceError::UnknownId(id.to_owned()))
    };
    match placement {
        Placement::First => Ok(0),
        Placement::Last => Ok(order.len()),
        Placement::Position(position) if (1..=order.len() + 1).contains(position) => {
            Ok(position - 1)
        }
        Placement::Position(position) => Err(SequenceError::PositionOutOfRange {
            position: *position,
            max: order.len() + 1,
        }),
        Placement::Before(id) => find(id),
        Placement::After(id) => find(id).map(|i| i + 1),
    }
}

/// The order of the children after `writes` (new children included), by id.
pub fn apply(current: &[(String, OrderKey)], writes: &[Write]) -> Vec<String> {
    let mut keys: HashMap<&str, &OrderKey> =
        current.iter().map(|(id, key)| (id.as_str(), key)).collect();
    for write in writes {
        keys.insert(write.id.as_str(), &write.key);
    }
    let mut order: Vec<(&OrderKey, &str)> = keys.into_iter().map(|(id, key)| (key, id)).collect();
    order.sort_unstable();
    order.into_iter().map(|(_, id)| id.to_owned()).collect()
}

/// Fresh, evenly spread keys for every child of `order`.
fn rebalance(order: &[&str]) -> Vec<Write> {
    order
        .iter()
        .zip(spread(order.len()))
        .map(|(id, key)| Write {
            id: (*id).to_owned(),
            key,
        })
        .collect()
}

/// Puts `id` at `index` of `others` (the other children, in order, with their keys): one
/// write, or a rebalance when the gap is used up.
fn place(others: &[(&str, &OrderKey)], id: &str, index: usize) -> Vec<Write> {
    let before = index
        .checked_sub(1)
        .and_then(|i| others.get(i))
        .map(|(_, key)| *key);
    let after = others.get(index).map(|(_, key)| *key);
    match OrderKey::between(before, after) {
        Some(key) => vec![Write {
            id: id.to_owned(),
            key,
        }],
        None => {
            let mut order: Vec<&str> = others.iter().map(|(id, _)| *id).collect();
            order.insert(index, id);
            rebalance(&order)
        }
    }
}

/// A new child `id` placed among `current` (sorted by key).
pub fn plan_insert(
    current: &[(String, OrderKey)],
    id: &str,
    at: &Placement,
) -> Result<Vec<Write>, SequenceError> {
    if current.iter().any(|(existing, _)| existing == id) {
        return Err(SequenceError::AlreadyPresent(id.to_owned()));
    }
    let others: Vec<(&str, &OrderKey)> =
        current.iter().map(|(id, key)| (id.as_str(), key)).collect();
    let order: Vec<&str> = others.iter().map(|(id, _)| *id).collect();
    let index = index_of(&order, at, id)?;
    Ok(place(&others, id, index))
}

/// `id` moved to `to`: one write (none when it is there already), or a rebalance.
pub fn plan_move(
    current: &[(String, OrderKey)],
    id: &str,
    to: &Placement,
) -> Result<Vec<Write>, SequenceError> {
    let from = current
        .iter()
        .position(|(x, _)| x == id)
        .ok_or_else(|| SequenceError::UnknownId(id.to_owned()))?;
    let others: Vec<(&str, &OrderKey)> = current
        .iter()
        .filter(|(x, _)| x != id)
        .map(|(id, key)| (id.as_str(), key))
        .collect();
    let order: Vec<&str> = others.iter().map(|(id, _)| *id).collect();
    let index = index_of(&order, to, id)?;
    if index == from {
        return Ok(Vec::new());
    }
    Ok(place(&others, id, index))
}

/// The order after applying `moves` one after the other, then the minimal plan to it.
pub fn plan_moves(
    current: &[(String, OrderKey)],
    moves: &[Move],
) -> Result<Vec<Write>, SequenceError> {
    let mut order: Vec<&str> = current.iter().map(|(id, _)| id.as_str()).collect();
    for mv in moves {
        let from = order
            .iter()
            .position(|x| *x == mv.id)
            .ok_or_else(|| SequenceError::UnknownId(mv.id.clone()))?;
        let id = order.remove(from);
        let index = index_of(&order, &mv.to, id)?;
        order.insert(index, id);
    }
    let order: Vec<String> = order.into_iter().map(str::to_owned).collect();
    plan_reorder(current, &order)
}

/// The writes that turn `current` (sorted by key) into `new_order`, which must name every
/// child exactly once. Children on a longest subsequence already in order keep their keys;
/// only the others (n minus that length) are written.
pub fn plan_reorder(
    current: &[(String, OrderKey)],
    new_order: &[String],
) -> Result<Vec<Write>, SequenceError> {
    let rank: HashMap<&str, usize> = current
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_str(), i))
        .collect();
    let mut seen = HashSet::with_capacity(new_order.len());
    let mut ranks = Vec::with_capacity(new_order.len());
    for id in new_order {
        let r = *rank
            .get(id.as_str())
            .ok_or_else(|| SequenceError::UnknownId(id.clone()))?;
        if !seen.insert(id.as_str()) {
            return Err(SequenceError::DuplicateId(id.clone()));
        }
        ranks.push(r);
    }
    if new_order.len() != current.len() {
        return Err(SequenceError::Incomplete {
            named: new_order.len(),
            total: current.len(),
        });
    }
    let kept = longest_increasing(&ranks);
    let mut writes = Vec::with_capacity(new_order.len() - kept.len());
    let mut start = 0;
    // Fill each run of moved children between two kept neighbours.
    for boundary in kept.iter().copied().chain(std::iter::once(new_order.len())) {
        if boundary > start {
            let low = start.checked_sub(1).map(|i| &current[ranks[i]].1);
            let high = (boundary < new_order.len()).then(|| &current[ranks[boundary]].1);
            match fill(low, high, boundary - start) {
                Some(keys) => writes.extend(new_order[start..boundary].iter().zip(keys).map(
                    |(id, key)| Write {
                        id: id.clone(),
                        key,
                    },
                )),
                None => {
                    return Ok(rebalance(
                        &new_order.iter().map(String::as_str).collect::<Vec<_>>(),
                    ));
                }
            }
        }
        start = boundary + 1;
    }
    Ok(writes)
}

/// `count` increasing keys strictly between `low` and `high`, by bisection so that keys grow
/// with the logarithm of the run, not its length.
fn fill(low: Option<&OrderKey>, high: Option<&OrderKey>, count: usize) -> Option<Vec<OrderKey>> {
    if count == 0 {
        return Some(Vec::new());
    }
    let middle = OrderKey::between(low, high)?;
    let left = (count - 1) / 2;
    let mut keys = fill(low, Some(&middle), left)?;
    keys.push(middle.clone());
    keys.extend(fill(Some(&middle), high, count - 1 - left)?);
    Some(keys)
}

/// Indexes into `values` of one longest strictly increasing subsequence (O(n log n)).
fn longest_increasing(values: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new(); // index of the smallest tail of each length
    let mut previous = vec![usize::MAX; values.len()];
    for (i, value) in values.iter().enumerate() {
        let length = tails.partition_point(|&t| values[t] < *value);
        if length > 0 {
            previous[i] = tails[length - 1];
        }
        if length == tails.len() {
            tails.push(i);
        } else {
            tails[length] = i;
        }
    }
    let mut result = Vec::with_capacity(tails.len());
    let mut cursor = tails.last().copied();
    while let Some(i) = cursor {
        result.push(i);
        cursor = (previous[i] != usize::MAX).then_some(previous[i]);
    }
    result.reverse();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn children(n: usize) -> Vec<(String, OrderKey)> {
        (0..n).map(|i| format!("c{i:05}")).zip(spread(n)).collect()
    }

    #[test]
    fn moving_one_child_of_ten_thousand_writes_one_key() {
        let current = children(10_000);
        let writes = plan_move(&current, "c05000", &Placement::Position(1)).unwrap();
        assert_eq!(writes.len(), 1);
        assert_eq!(apply(&current, &writes)[0], "c05000");
        let writes = plan_move(&current, "c00001", &Placement::After("c09998".into())).unwrap();
        assert_eq!(writes.len(), 1);
        assert_eq!(apply(&current, &writes)[9998], "c00001");
        assert!(
            plan_move(&current, "c00003", &Placement::Position(4))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn reversing_a_hundred_of_ten_thousand_writes_only_what_must_change() {
        let current = children(10_000);
        let mut order: Vec<String> = current.iter().map(|(id, _)| id.clone()).collect();
        order[4000..4100].reverse();
        let writes = plan_reorder(&current, &order).unwrap();
        assert_eq!(
            writes.len(),
            99,
            "n minus the longest kept subsequence (100 - 1)"
        );
        assert_eq!(apply(&current, &writes), order);
    }

    #[test]
    fn bad_reorders_are_refused_before_anything_is_planned() {
        let current = children(3);
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            plan_reorder(&current, &ids(&["c00000", "c00001", "nope"])),
            Err(SequenceError::UnknownId("nope".into()))
        );
        assert_eq!(
            plan_reorder(&current, &ids(&["c00000", "c00000", "c00001"])),
            Err(SequenceError::DuplicateId("c00000".into()))
        );
        assert_eq!(
            plan_reorder(&current, &ids(&["c00000"])),
            Err(SequenceError::Incomplete { named: 1, total: 3 })
        );
        assert_eq!(
            plan_move(&current, "c00000", &Placement::Position(9)),
            Err(SequenceError::PositionOutOfRange {
                position: 9,
                max: 3
            })
        );
        assert_eq!(
            plan_move(&current, "c00000", &Placement::Before("c00000".into())),
            Err(SequenceError::RelativeToItself("c00000".into()))
        );
        assert_eq!(
            plan_insert(&current, "c00001", &Placement::Last),
            Err(SequenceError::AlreadyPresent("c00001".into()))
        );
    }

    #[test]
    fn a_used_up_gap_rebalances_the_parent() {
        // Squeeze a gap until no key fits in it.
        let keys = spread(2);
        let (low, mut high) = (keys[0].clone(), keys[1].clone());
        while let Some(key) = OrderKey::between(Some(&low), Some(&high)) {
            high = key;
        }
        let current = vec![
            ("a".to_owned(), low),
            ("b".to_owned(), high),
            ("c".to_owned(), keys[1].clone()),
        ];
        let writes = plan_insert(&current, "new", &Placement::Position(2)).unwrap();
        assert_eq!(writes.len(), 4, "every child gets a fresh key");
        assert_eq!(apply(&current, &writes), ["a", "new", "b", "c"]);
        assert!(writes.iter().all(|w| w.key.as_str().len() <= 10));
        let moved = plan_move(&current, "c", &Placement::Position(2)).unwrap();
        assert_eq!(apply(&current, &moved), ["a", "c", "b"]);
    }

    #[test]
    fn the_longest_increasing_subsequence_is_found() {
        assert_eq!(longest_increasing(&[3, 0, 1, 4, 2, 5]).len(), 4);
        assert_eq!(longest_increasing(&[5, 4, 3, 2, 1]).len(), 1);
        assert!(longest_increasing(&[]).is_empty());
    }
}
