//! Random sequences of inserts, moves, deletes and batch reorders keep the key order equal
//! to a plain in-memory list, and each single move writes one key unless it rebalances.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use fountain_sequence::{
    Move, OrderKey, Placement, Write, plan_insert, plan_move, plan_moves, plan_reorder,
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
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => any::<usize>().prop_map(Op::Insert),
        3 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Move(a, b)),
        2 => (any::<usize>(), any::<usize>(), any::<bool>()).prop_map(|(a, b, after)| Op::MoveRelative(a, b, after)),
        1 => any::<usize>().prop_map(Op::Delete),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Reverse(a, b)),
        1 => prop::collection::vec((any::<usize>(), any::<usize>()), 1..5).prop_map(Op::Batch),
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

    fn apply(&mut self, writes: Vec<Write>) -> usize {
        let count = writes.len();
        for write in writes {
            self.keys.insert(write.id, write.key);
        }
        count
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn key_order_always_equals_the_model(ops in prop::collection::vec(op(), 1..120)) {
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
                    let writes = plan_insert(&current, &id, &Placement::Position(position)).unwrap();
                    let written = parent.apply(writes);
                    prop_assert!(written == 1 || written == n + 1);
                    model.insert(position - 1, id);
                }
                Op::Move(from, to) if n > 0 => {
                    let id = model[from % n].clone();
                    let position = to % n + 1;
                    let written = parent.apply(plan_move(&current, &id, &Placement::Position(position)).unwrap());
                    prop_assert!(written <= 1 || written == n);
                    model.retain(|x| *x != id);
                    model.insert(position - 1, id);
                }
                Op::MoveRelative(a, b, after) if n > 1 => {
                    let id = model[a % n].clone();
                    let anchor = model[b % n].clone();
                    if id == anchor { continue; }
                    let placement = if after { Placement::After(anchor.clone()) } else { Placement::Before(anchor.clone()) };
                    parent.apply(plan_move(&current, &id, &placement).unwrap());
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
                    let written = parent.apply(plan_reorder(&current, &model).unwrap());
                    let run = hi - lo + 1;
                    prop_assert!(written == run - 1 || (run == 1 && written == 0) || written == n);
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
                    parent.apply(plan_moves(&current, &moves).unwrap());
                }
                _ => {}
            }
            let ordered: Vec<String> = parent.ordered().into_iter().map(|(id, _)| id).collect();
            prop_assert_eq!(&ordered, &model);
        }
    }
}
