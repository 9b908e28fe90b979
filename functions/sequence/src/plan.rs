//! Planning order changes: which keys to write so the children end in the wanted order,
//! writing as few as possible. Pure functions over the current order; the caller writes the
//! plan in one transaction, conditioned on the parent's order revision.

use std::collections::{HashMap, HashSet};

use crate::keys::{OrderKey, spread, spread_between};

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
    rekeyed(current, writes)
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// What a change of order writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// New keys that keep the current order but open room where the change goes (usually
    /// none). Listed so that every prefix keeps the order: they may commit in several
    /// transactions before the change.
    pub rebalance: Vec<Write>,
    /// The change itself, planned over the rebalanced keys.
    pub writes: Vec<Write>,
}

impl Plan {
    fn change(writes: Vec<Write>) -> Self {
        Self {
            rebalance: Vec::new(),
            writes,
        }
    }

    /// Every write of the plan, once per child (a change overrides its rebalance), for
    /// committing in one transaction.
    pub fn merged(&self) -> Vec<Write> {
        let mut writes: Vec<Write> = self
            .rebalance
            .iter()
            .filter(|r| !self.writes.iter().any(|w| w.id == r.id))
            .cloned()
            .collect();
        writes.extend(self.writes.iter().cloned());
        writes
    }

    /// How many children get a new key.
    pub fn len(&self) -> usize {
        self.merged().len()
    }

    pub fn is_empty(&self) -> bool {
        self.rebalance.is_empty() && self.writes.is_empty()
    }
}

/// Fresh keys for the children around the gap between `current[first]` and `current[last]`
/// (inclusive), in the narrowest window that leaves room: the window doubles until its
/// outer neighbours are far enough apart. Ordered so that each write alone keeps the order:
/// keys moving down ascending, then keys moving up descending.
fn rebalance_around(current: &[(String, OrderKey)], first: usize, last: usize) -> Vec<Write> {
    let n = current.len();
    let mut reach = 1;
    let (start, keys) = loop {
        let start = first.saturating_sub(reach);
        let end = (last + 1 + reach).min(n);
        let low = start.checked_sub(1).map(|i| &current[i].1);
        let high = current.get(end).map(|(_, key)| key);
        if let Some(keys) = spread_between(low, high, end - start) {
            break (start, keys);
        }
        if start == 0 && end == n {
            // Cannot happen below 2^100 children: the whole range always has room.
            break (0, spread(n));
        }
        reach *= 2;
    };
    let window = current.iter().skip(start).zip(keys);
    let (down, up): (Vec<_>, Vec<_>) = window
        .filter(|((_, old), new)| old != new)
        .map(|((id, old), new)| {
            (
                old > &new,
                Write {
                    id: id.clone(),
                    key: new,
                },
            )
        })
        .partition(|(down, _)| *down);
    down.into_iter()
        .map(|(_, w)| w)
        .chain(up.into_iter().rev().map(|(_, w)| w))
        .collect()
}

/// `current` with `writes` applied (new children included), sorted by key.
fn rekeyed(current: &[(String, OrderKey)], writes: &[Write]) -> Vec<(String, OrderKey)> {
    let mut keys: HashMap<&str, &OrderKey> =
        current.iter().map(|(id, key)| (id.as_str(), key)).collect();
    for write in writes {
        keys.insert(write.id.as_str(), &write.key);
    }
    let mut order: Vec<(&OrderKey, &str)> = keys.into_iter().map(|(id, key)| (key, id)).collect();
    order.sort_unstable();
    order
        .into_iter()
        .map(|(key, id)| (id.to_owned(), key.clone()))
        .collect()
}

/// Puts `id` between `low` and `high` (ids of `current`, or the ends): one write, after a
/// rebalance of the neighbourhood when the gap is used up.
fn place(current: &[(String, OrderKey)], id: &str, low: Option<&str>, high: Option<&str>) -> Plan {
    let index = |wanted: &str| current.iter().position(|(id, _)| id == wanted);
    let key = |i: Option<usize>| i.map(|i| &current[i].1);
    let (low, high) = (low.and_then(index), high.and_then(index));
    if let Some(key) = OrderKey::between(key(low), key(high)) {
        return Plan::change(vec![Write {
            id: id.to_owned(),
            key,
        }]);
    }
    let first = low.or(high).unwrap_or(0);
    let last = high.or(low).unwrap_or(0);
    let rebalance = rebalance_around(current, first, last);
    let rebalanced = rekeyed(current, &rebalance);
    let index = |wanted: Option<usize>| {
        wanted.and_then(|i| rebalanced.iter().position(|(x, _)| *x == current[i].0))
    };
    let key = |i: Option<usize>| i.map(|i| &rebalanced[i].1);
    let writes = match OrderKey::between(key(index(low)), key(index(high))) {
        Some(key) => vec![Write {
            id: id.to_owned(),
            key,
        }],
        // Unreachable: the rebalanced gap is at least 256 units of a 15-digit key wide.
        None => {
            let mut order: Vec<&str> = rebalanced
                .iter()
                .map(|(x, _)| x.as_str())
                .filter(|x| *x != id)
                .collect();
            let at = index(low).map_or(0, |i| i + 1).min(order.len());
            order.insert(at, id);
            order
                .iter()
                .zip(spread(order.len()))
                .map(|(id, key)| Write {
                    id: (*id).to_owned(),
                    key,
                })
                .collect()
        }
    };
    Plan { rebalance, writes }
}

/// The ids on either side of `index` in `order`.
fn neighbours<'a>(order: &[&'a str], index: usize) -> (Option<&'a str>, Option<&'a str>) {
    (
        index.checked_sub(1).and_then(|i| order.get(i)).copied(),
        order.get(index).copied(),
    )
}

/// A new child `id` placed among `current` (sorted by key).
pub fn plan_insert(
    current: &[(String, OrderKey)],
    id: &str,
    at: &Placement,
) -> Result<Plan, SequenceError> {
    if current.iter().any(|(existing, _)| existing == id) {
        return Err(SequenceError::AlreadyPresent(id.to_owned()));
    }
    let order: Vec<&str> = current.iter().map(|(id, _)| id.as_str()).collect();
    let index = index_of(&order, at, id)?;
    let (low, high) = neighbours(&order, index);
    Ok(place(current, id, low, high))
}

/// `id` moved to `to`: one write (none when it is there already), after a rebalance of the
/// neighbourhood when the gap is used up.
pub fn plan_move(
    current: &[(String, OrderKey)],
    id: &str,
    to: &Placement,
) -> Result<Plan, SequenceError> {
    let from = current
        .iter()
        .position(|(x, _)| x == id)
        .ok_or_else(|| SequenceError::UnknownId(id.to_owned()))?;
    let order: Vec<&str> = current
        .iter()
        .map(|(id, _)| id.as_str())
        .filter(|x| *x != id)
        .collect();
    let index = index_of(&order, to, id)?;
    if index == from {
        return Ok(Plan::default());
    }
    let (low, high) = neighbours(&order, index);
    Ok(place(current, id, low, high))
}

/// The order after applying `moves` one after the other, then the minimal plan to it.
pub fn plan_moves(current: &[(String, OrderKey)], moves: &[Move]) -> Result<Plan, SequenceError> {
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
/// only the others (n minus that length) are written, each run of them spread between its
/// kept neighbours. A run with no room takes in its neighbours until it has some.
pub fn plan_reorder(
    current: &[(String, OrderKey)],
    new_order: &[String],
) -> Result<Plan, SequenceError> {
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
    let mut kept = vec![false; new_order.len()];
    for i in longest_increasing(&ranks) {
        kept[i] = true;
    }
    'plan: loop {
        let mut writes = Vec::new();
        let mut start = 0;
        let boundaries = (0..new_order.len()).filter(|i| kept[*i]);
        for boundary in boundaries.chain(std::iter::once(new_order.len())) {
            if boundary > start {
                let low = start.checked_sub(1).map(|i| &current[ranks[i]].1);
                let high = (boundary < new_order.len()).then(|| &current[ranks[boundary]].1);
                let Some(keys) = spread_between(low, high, boundary - start) else {
                    // Widen the run by its kept neighbours and plan again.
                    if let Some(i) = start.checked_sub(1) {
                        kept[i] = false;
                    }
                    if let Some(k) = kept.get_mut(boundary) {
                        *k = false;
                    }
                    continue 'plan;
                };
                writes.extend(
                    new_order[start..boundary]
                        .iter()
                        .zip(keys)
                        .map(|(id, key)| Write {
                            id: id.clone(),
                            key,
                        }),
                );
            }
            start = boundary + 1;
        }
        let writes = writes
            .into_iter()
            .filter(|w| current[rank[w.id.as_str()]].1 != w.key)
            .collect();
        return Ok(Plan::change(writes));
    }
}

/// Indexes into `values` of one longest strictly increasing subsequence (O(n log n)).
pub fn longest_increasing(values: &[usize]) -> Vec<usize> {
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
    use crate::keys::SPREAD_MAX_BYTES as SPREAD_MAX;

    fn children(n: usize) -> Vec<(String, OrderKey)> {
        (0..n).map(|i| format!("c{i:05}")).zip(spread(n)).collect()
    }

    #[test]
    fn moving_one_child_of_ten_thousand_writes_one_key() {
        let current = children(10_000);
        for (id, to, at) in [
            ("c05000", Placement::Position(1), 0),
            ("c00001", Placement::After("c09998".into()), 9998),
            ("c09999", Placement::Before("c00003".into()), 3),
            ("c00000", Placement::Last, 9999),
        ] {
            let plan = plan_move(&current, id, &to).unwrap();
            assert!(plan.rebalance.is_empty());
            assert_eq!(plan.writes.len(), 1);
            assert_eq!(apply(&current, &plan.writes)[at], id);
        }
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
        let plan = plan_reorder(&current, &order).unwrap();
        assert_eq!(
            plan.len(),
            99,
            "n minus the longest kept subsequence (100 - 1)"
        );
        assert_eq!(apply(&current, &plan.merged()), order);
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

    /// `n` children whose keys were squeezed into one gap by inserting again and again in
    /// front of the same child, inside a parent of `around` evenly spread children.
    fn squeezed(around: usize, n: usize) -> Vec<(String, OrderKey)> {
        let mut current = children(around);
        let (low, mut high) = (current[0].1.clone(), current[1].1.clone());
        for i in 0..n {
            let Some(key) = OrderKey::between(Some(&low), Some(&high)) else {
                break;
            };
            high = key.clone();
            current.push((format!("s{i:05}"), key));
        }
        current.sort_by(|a, b| a.1.cmp(&b.1));
        current
    }

    #[test]
    fn a_used_up_gap_rebalances_only_its_neighbourhood() {
        let current = squeezed(1000, 10_000);
        let low = current[0].0.clone();
        let high = current[1].0.clone();
        assert!(OrderKey::between(Some(&current[0].1), Some(&current[1].1)).is_none());
        let plan = plan_insert(&current, "new", &Placement::After(low.clone())).unwrap();
        assert!(!plan.rebalance.is_empty(), "the gap needs room");
        assert!(
            plan.rebalance.len() < current.len() / 2,
            "only a window is rebalanced ({} of {})",
            plan.rebalance.len(),
            current.len()
        );
        let order = apply(&current, &plan.merged());
        let at = order.iter().position(|id| *id == "new").unwrap();
        assert_eq!(
            (order[at - 1].as_str(), order[at + 1].as_str()),
            (low.as_str(), high.as_str())
        );
        assert_eq!(order.len(), current.len() + 1);
        let moved = plan_move(&current, "c00500", &Placement::After(low)).unwrap();
        assert_eq!(apply(&current, &moved.merged())[1], "c00500");
    }

    #[test]
    fn every_prefix_of_a_rebalance_keeps_the_order() {
        // 200 children packed at the deepest digit, between short-keyed neighbours: no
        // window short of all of them has room, so the rebalance spans transactions.
        let mut current: Vec<(String, OrderKey)> = (1..=200)
            .map(|i| {
                let key = format!("{}{i:02x}", "01".repeat(crate::keys::MAX_KEY_BYTES - 1));
                (format!("p{i:03}"), OrderKey::parse(&key).unwrap())
            })
            .collect();
        for (id, key) in [("first", "0080"), ("next", "02"), ("last", "03")] {
            current.push((id.to_owned(), OrderKey::parse(key).unwrap()));
        }
        current.sort_by(|a, b| a.1.cmp(&b.1));
        let before: Vec<String> = current.iter().map(|(id, _)| id.clone()).collect();
        let plan = plan_insert(&current, "new", &Placement::After("p100".into())).unwrap();
        assert!(plan.rebalance.len() > 95, "larger than one transaction");
        for end in 0..=plan.rebalance.len() {
            assert_eq!(
                apply(&current, &plan.rebalance[..end]),
                before,
                "after {end} writes"
            );
        }
        let order = apply(&current, &plan.merged());
        assert_eq!(
            order[order.iter().position(|id| id == "p100").unwrap() + 1],
            "new"
        );
        assert!(
            plan.merged()
                .iter()
                .all(|w| w.key.as_str().len() <= 2 * SPREAD_MAX)
        );
    }

    #[test]
    fn the_longest_increasing_subsequence_is_found() {
        assert_eq!(longest_increasing(&[3, 0, 1, 4, 2, 5]).len(), 4);
        assert_eq!(longest_increasing(&[5, 4, 3, 2, 1]).len(), 1);
        assert!(longest_increasing(&[]).is_empty());
    }
}
