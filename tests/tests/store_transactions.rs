//! Transactions report which labelled conditions failed, whatever their position, commit
//! nothing when refused, and merge a labelled update condition's placeholders with the
//! update's; against the emulator, through the real SDK.
#![allow(clippy::unwrap_used)]

use fountain_e2e::Harness;
use fountain_store::{Expression, Label, StoreError, Table, Transaction, n, s};

const TAKEN: Label = Label::new("taken");
const MISSING: Label = Label::new("missing");
const STALE: Label = Label::new("stale");

fn table(h: &Harness) -> Table {
    Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    )
}

fn item(pk: &str, sk: &str) -> fountain_store::Item {
    let mut item = Table::key(pk, sk);
    item.insert("counter".into(), n(1));
    item
}

async fn seed(table: &Table, item: fountain_store::Item) {
    Transaction::new()
        .put(item, None)
        .commit(table)
        .await
        .unwrap();
}

fn refused_labels(result: Result<(), StoreError>) -> Vec<Label> {
    match result {
        Err(StoreError::Refused { labels }) => labels,
        other => panic!("expected a refused transaction, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refusal_names_its_label_wherever_the_check_stands_and_writes_nothing() {
    let h = Harness::start("store-labels").await;
    let table = table(&h);
    let pk = "test-labels";
    seed(&table, item(pk, "existing")).await;

    let exists = || Expression::new("attribute_exists(pk)").labelled(MISSING);
    let absent = || Some(Expression::absent().labelled(TAKEN));

    // The same failing check first, then after two writes: the same label either way.
    let first = Transaction::new()
        .check(Table::key(pk, "nowhere"), exists())
        .put(item(pk, "a"), absent())
        .commit(&table)
        .await;
    let later = Transaction::new()
        .put(item(pk, "b"), absent())
        .put(item(pk, "c"), None)
        .check(Table::key(pk, "nowhere"), exists())
        .commit(&table)
        .await;
    assert_eq!(refused_labels(first), [MISSING]);
    assert_eq!(refused_labels(later), [MISSING]);
    for sk in ["a", "b", "c"] {
        assert!(
            table.get(pk, sk).await.unwrap().is_none(),
            "{sk} was written"
        );
    }

    seed(&table, item(pk, "other")).await;
    let taken = Transaction::new()
        .check(Table::key(pk, "other"), exists())
        .put(item(pk, "existing"), absent())
        .commit(&table)
        .await;
    let error = taken.unwrap_err();
    assert!(error.refused(TAKEN) && !error.refused(MISSING), "{error}");
    assert!(error.to_string().contains("taken"), "{error}");
}

#[tokio::test]
async fn a_labelled_update_condition_brings_its_own_placeholders() {
    let h = Harness::start("store-update-labels").await;
    let table = table(&h);
    let pk = "test-update";
    seed(&table, item(pk, "counter")).await;

    let bump = |from: i64| {
        Transaction::new().update(
            Table::key(pk, "counter"),
            Expression::new("SET #counter = :next")
                .name("#counter", "counter")
                .value(":next", n(from + 1)),
            Some(
                Expression::new("#counter = :seen AND attribute_not_exists(#flag)")
                    .name("#flag", "flag")
                    .value(":seen", n(from))
                    .labelled(STALE),
            ),
        )
    };
    assert_eq!(refused_labels(bump(7).commit(&table).await), [STALE]);
    bump(1).commit(&table).await.unwrap();
    let stored = table.get(pk, "counter").await.unwrap().unwrap();
    assert_eq!(stored["counter"], n(2));
    assert_eq!(stored["pk"], s(pk));
}
