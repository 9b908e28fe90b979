//! Random sequences of inserts, moves, deletes and batch reorders keep the key order equal
//! to a plain in-memory list, and each single move writes one key unless it rebalances.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use fountain_sequence::{
    Move, OrderKey, Placement, Plan, plan_insert, plan_move, plan_moves, plan_reorder,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Insert(usize),
    Move(usize, usize),
    MoveRelative(usize, usize, bool),
    Delete(usize),
    Reverse(usize, usize),
    Batch(Vec<(usize, usize)>),
    /// Many inserts right after the same child: uses its gap up.
    Crowd(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => any::<usize>().prop_map(Op::Insert),
        3 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Move(a, b)),
        2 => (any::<usize>(), any::<usize>(), any::<bool>()).prop_map(|(a, b, after)| Op::MoveRelative(a, b, after)),
        1 => any::<usize>().prop_map(Op::Delete),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Reverse(a, b)),
        1 => prop::collection::vec((any::<usize>(), any::<usize>()), 1..5).prop_map(Op::Batch),
        1 => (any::<usize>(), 350..450usize).prop_map(|(at, n)| Op::Crowd(at, n)),
    ]
}

struct Parent {
    keys: HashMap<String, OrderKey>,
    next: usize,
}

impl Parent {
    fn ordered(&self) -> Vec<(String, OrderKey)> {
        let mut children: Vec<(String, OrderKey)> = self
            .keys
            .iter()
            .map(|(id, key)| (id.clone(), key.clone()))
            .collect();
        children.sort_by(|a, b| a.1.cmp(&b.1));
        children
    }

    fn ids(&self) -> Vec<String> {
        self.ordered().into_iter().map(|(id, _)| id).collect()
    }

    /// Applies a plan as the store commits it: the rebalance write by write (each must keep
    /// the order), then the change. Returns how many keys the change itself wrote, or None
    /// when the plan rebalanced.
    fn apply(&mut self, plan: Plan) -> Result<Option<usize>, TestCaseError> {
        if plan.rebalance.is_empty() {
            let written = plan.writes.len();
            for write in plan.writes {
                self.keys.insert(write.id, write.key);
            }
            return Ok(Some(written));
        }
        // Each write keeps the order when the key stays between its neighbours' keys.
        let before = self.ids();
        let position: HashMap<&str, usize> = before
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        for write in &plan.rebalance {
            let i = position[write.id.as_str()];
            let neighbour =
                |j: Option<usize>| j.and_then(|j| before.get(j)).map(|id| &self.keys[id]);
            if let Some(low) = neighbour(i.checked_sub(1)) {
                prop_assert!(*low < write.key, "a rebalance write changed the order");
            }
            if let Some(high) = neighbour(Some(i + 1)) {
                prop_assert!(write.key < *high, "a rebalance write changed the order");
            }
            self.keys.insert(write.id.clone(), write.key.clone());
        }
        prop_assert_eq!(&self.ids(), &before);
        for write in &plan.writes {
            self.keys.insert(write.id.clone(), write.key.clone());
        }
        Ok(None)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    #[test]
    fn key_order_always_equals_the_model(ops in prop::collection::vec(op(), 1..80)) {
        let mut parent = Parent { keys: HashMap::new(), next: 0 };
        let mut model: Vec<String> = Vec::new();
        for op in ops {
            let current = parent.ordered();
            let n = model.len();
            match op {
                Op::Insert(at) => {
                    let id = format!("i{}", parent.next);
                    parent.next += 1;
                    let position = at % (n + 1) + 1;
                    let written = parent.apply(plan_insert(&current, &id, &Placement::Position(position)).unwrap())?;
                    prop_assert!(matches!(written, Some(1) | None));
                    model.insert(position - 1, id);
                }
                Op::Move(from, to) if n > 0 => {
                    let id = model[from % n].clone();
                    let position = to % n + 1;
                    let written = parent.apply(plan_move(&current, &id, &Placement::Position(position)).unwrap())?;
                    prop_assert!(matches!(written, Some(0 | 1) | None));
                    model.retain(|x| *x != id);
                    model.insert(position - 1, id);
                }
                Op::MoveRelative(a, b, after) if n > 1 => {
                    let id = model[a % n].clone();
                    let anchor = model[b % n].clone();
                    if id == anchor { continue; }
                    let placement = if after { Placement::After(anchor.clone()) } else { Placement::Before(anchor.clone()) };
                    parent.apply(plan_move(&current, &id, &placement).unwrap())?;
                    model.retain(|x| *x != id);
                    let index = model.iter().position(|x| *x == anchor).unwrap() + usize::from(after);
                    model.insert(index, id);
                }
                Op::Delete(at) if n > 0 => {
                    let id = model.remove(at % n);
                    parent.keys.remove(&id);
                }
                Op::Reverse(a, b) if n > 0 => {
                    let (lo, hi) = ((a % n).min(b % n), (a % n).max(b % n));
                    model[lo..=hi].reverse();
                    let plan = plan_reorder(&current, &model).unwrap();
                    prop_assert!(plan.rebalance.is_empty());
                    let written = plan.writes.len();
                    parent.apply(plan)?;
                    // Only a run without room takes in more than the reversed children.
                    let run = hi - lo + 1;
                    prop_assert!(written >= run - 1 && written <= n);
                }
                Op::Batch(moves) if n > 0 => {
                    let moves: Vec<Move> = moves.iter().map(|(from, to)| Move {
                        id: model[from % n].clone(),
                        to: Placement::Position(to % n + 1),
                    }).collect();
                    for mv in &moves {
                        let Placement::Position(position) = mv.to else { unreachable!() };
                        model.retain(|x| *x != mv.id);
                        model.insert(position - 1, mv.id.clone());
                    }
                    parent.apply(plan_moves(&current, &moves).unwrap())?;
                }
                Op::Crowd(at, count) if n > 0 => {
                    let anchor = model[at % n].clone();
                    let mut current = current;
                    let mut index = model.iter().position(|x| *x == anchor).unwrap() + 1;
                    for _ in 0..count {
                        let id = format!("i{}", parent.next);
                        parent.next += 1;
                        let plan = plan_insert(&current, &id, &Placement::After(anchor.clone())).unwrap();
                        let key = plan.writes[0].key.clone();
                        if parent.apply(plan)?.is_some() {
                            // No rebalance: the new child's key goes right after the anchor.
                            let at = current.partition_point(|(_, k)| *k < key);
                            current.insert(at, (id.clone(), key));
                        } else {
                            current = parent.ordered();
                        }
                        model.insert(index, id);
                        index = model.iter().position(|x| *x == anchor).unwrap() + 1;
                    }
                    let longest = parent.keys.values().map(|k| k.as_str().len()).max().unwrap_or(0);
                    prop_assert!(longest <= 2 * fountain_sequence::MAX_KEY_BYTES);
                }
                _ => {}
            }
            let ordered: Vec<String> = parent.ordered().into_iter().map(|(id, _)| id).collect();
            prop_assert_eq!(&ordered, &model);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Writers that read the same gap at the same moment (the race of co-writers inserting
    /// at one spot) each get a key inside it, no two the same.
    #[test]
    fn salted_keys_of_one_gap_are_distinct_and_inside(
        bounds in prop::collection::vec(prop::collection::vec(1u8..=255, 1..12), 2),
        open_low in any::<bool>(),
        open_high in any::<bool>(),
        salts in prop::collection::hash_set(any::<[u8; 3]>(), 2..9),
    ) {
        let mut keys: Vec<OrderKey> = bounds.iter().filter_map(|digits| {
            OrderKey::parse(&digits.iter().map(|d| format!("{d:02x}")).collect::<String>())
        }).collect();
        keys.sort();
        keys.dedup();
        prop_assume!(keys.len() == 2);
        let low = (!open_low).then(|| keys[0].clone());
        let high = (!open_high).then(|| keys[1].clone());
        let mut placed: Vec<OrderKey> = Vec::new();
        for salt in &salts {
            // Salts differing only in the low bit of the last digit make the same key.
            let Some(key) = OrderKey::between_unique(low.as_ref(), high.as_ref(), *salt) else {
                return Ok(());
            };
            prop_assert!(low.as_ref().is_none_or(|low| *low < key), "{key:?} not above {low:?}");
            prop_assert!(high.as_ref().is_none_or(|high| key < *high), "{key:?} not below {high:?}");
            placed.push(key);
        }
        let distinct_salts: std::collections::HashSet<[u8; 3]> =
            salts.iter().map(|s| [s[0], s[1], s[2] | 1]).collect();
        placed.sort();
        placed.dedup();
        prop_assert_eq!(placed.len(), distinct_salts.len());
    }
}
