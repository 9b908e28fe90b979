//! Import, export, import again gives the same script: the mapping both ways (Fountain to
//! stored items, items to a story, the story back to Fountain), without the network, over
//! generated screenplays of many sizes and seeds. The e2e test does the same through the
//! API for the conformance files and one 3,000-element feature.
#![allow(clippy::unwrap_used)]

use chrono::Utc;
use fountain_io::{content_items, plan, screenplay};
use fountain_scripts::Script;
use fountain_store::ItemCodec;
use proptest::prelude::*;

/// The Fountain a script imported from `text` exports.
fn imported_then_exported(text: &str) -> String {
    let now = Utc::now();
    let parsed = fountain_text::parse(text).unwrap();
    let plan = plan(&parsed, "S1", None, now).unwrap();
    let script = Script {
        script_id: "S1".into(),
        title: plan.title.clone(),
        author: plan.author.clone(),
        description: plan.description.clone(),
        owner_id: "u1".into(),
        revision: 1,
        created_at: now,
        updated_at: now,
        comment: None,
        restore_lock: None,
    };
    let mut items = content_items(&plan, "S1").unwrap();
    items.push(script.to_item().unwrap());
    let story = fountain_stories::assemble(items, 1).unwrap();
    fountain_text::write(&screenplay(&story))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_generated_screenplay_survives_import_export_import(seed in any::<u64>(), size in 1usize..400) {
        let generated = fountain_text::write(&fountain_text::generate::screenplay(seed, size));
        let once = imported_then_exported(&generated);
        let twice = imported_then_exported(&once);
        prop_assert_eq!(&once, &twice);
        // Nothing of the story is lost on the way: the same elements, read back.
        let first = fountain_text::parse(&generated).unwrap().without_spans();
        let exported = fountain_text::parse(&once).unwrap().without_spans();
        prop_assert_eq!(first.elements.len(), exported.elements.len());
    }
}
