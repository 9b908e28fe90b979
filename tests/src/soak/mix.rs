//! What a writer does, over and over until the time is up: a weighted mix of edits, moves,
//! reorders, creates and deletes, reads of the story and of pages of elements, characters
//! and working sessions, on the shared feature (contention with the other writers) and on
//! their own small script (none), plus a generation job about once a minute across all of
//! them. 409 and 412 count as conflicts only on the shared script and only when a re-read
//! shows that somebody else changed the element or the section's order meanwhile.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use super::api::{Account, Api, Body, Reply, Rng};
use super::background::generate;
use super::setup::{Elem, Script, Section};

/// The operations a writer picks from, with their weights.
#[derive(Clone, Copy)]
enum Action {
    Edit,
    ReadPage,
    Move,
    CreateDelete,
    Reorder,
    ReadStory,
    CreateCharacter,
    UpdateCharacter,
    Session,
}

const MIX: [(Action, usize); 9] = [
    (Action::Edit, 30),
    (Action::ReadPage, 12),
    (Action::Move, 10),
    (Action::CreateDelete, 8),
    (Action::Reorder, 5),
    (Action::ReadStory, 3),
    (Action::CreateCharacter, 4),
    (Action::UpdateCharacter, 4),
    (Action::Session, 4),
];

/// The request operations in the order the report shows them.
pub const OPS: [&str; 18] = [
    "element_get",
    "element_patch",
    "elements_page",
    "element_move",
    "element_create",
    "element_delete",
    "elements_reorder",
    "story",
    "character_create",
    "character_patch",
    "character_grow",
    "session_start",
    "context_add",
    "session_end",
    "generation_create",
    "generation_poll",
    "auth_refresh",
    "verify_read",
];

const LINES: [&str; 8] = [
    "Anna wipes the counter, slowly, as if it could answer back.",
    "The kettle screams. Nobody moves.",
    "I said I would come back. I didn't say when.",
    "Rain against the window -- harder now.",
    "You kept the key. Of course you kept the key.",
    "Brick counts the money twice and pockets none of it.",
    "We have ten minutes. Maybe less.",
    "The old man laughs until he coughs.",
];

/// What every writer shares.
pub struct Shared {
    pub api: Arc<Api>,
    pub feature: Arc<Script>,
    pub deadline: Instant,
    /// When the next generation job is due (one about every `generation_every`).
    pub next_generation: Mutex<Instant>,
    pub generation_every: Duration,
}

/// A character of the writer's, with its last revision.
struct Character {
    path: String,
    revision: u64,
}

pub struct Writer {
    pub index: usize,
    pub account: Arc<Account>,
    pub own: Arc<Script>,
    rng: Rng,
    counter: u64,
    characters: Vec<Character>,
}

impl Writer {
    pub fn new(index: usize, account: Arc<Account>, own: Arc<Script>) -> Self {
        Self {
            index,
            account,
            own,
            rng: Rng::new(0x50a4 + index as u64),
            counter: 0,
            characters: Vec::new(),
        }
    }

    /// Works until the deadline; returns the generation jobs it started, to be awaited.
    pub async fn run(mut self, shared: Arc<Shared>) -> Vec<tokio::task::JoinHandle<()>> {
        let total: usize = MIX.iter().map(|(_, w)| w).sum();
        let mut jobs = Vec::new();
        while Instant::now() < shared.deadline {
            shared.api.keep_fresh(&self.account).await;
            if self.generation_due(&shared) {
                let api = shared.api.clone();
                let account = self.account.clone();
                let script = shared.feature.id.clone();
                let n = self.next();
                let key = format!("soak-{}-{n}", self.index);
                let deadline = shared.deadline;
                jobs.push(tokio::spawn(async move {
                    generate(&api, &account, &script, &key, deadline).await;
                }));
            }
            // One in five actions on the writer's own script: no contention there.
            let on_shared = !self.rng.chance(20);
            let mut roll = self.rng.below(total);
            let mut action = Action::Edit;
            for (candidate, weight) in MIX {
                if roll < weight {
                    action = candidate;
                    break;
                }
                roll -= weight;
            }
            self.act(&shared, action, on_shared).await;
        }
        jobs
    }

    fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    fn generation_due(&self, shared: &Shared) -> bool {
        let mut next = shared
            .next_generation
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if Instant::now() < *next {
            return false;
        }
        *next += shared.generation_every;
        true
    }

    async fn act(&mut self, shared: &Shared, action: Action, on_shared: bool) {
        let script = if on_shared {
            shared.feature.clone()
        } else {
            self.own.clone()
        };
        let api = &shared.api;
        match action {
            Action::Edit => self.edit(api, &script, on_shared).await,
            Action::ReadPage => {
                let section = self.section(&script).clone();
                page(api, &self.account, &script, &section, 50).await;
            }
            Action::Move => self.move_element(api, &script, on_shared).await,
            Action::CreateDelete => self.create_delete(api, &script, on_shared).await,
            Action::Reorder => self.reorder(api, &script, on_shared).await,
            Action::ReadStory => {
                let path = format!("/scripts/{}/story", script.id);
                let account = &self.account.clone();
                api.call("story", account, Method::GET, &path, Body::Empty, &[200])
                    .await;
            }
            Action::CreateCharacter => self.create_character(api, &script).await,
            Action::UpdateCharacter => self.update_character(api, &script).await,
            Action::Session => self.session(api, &script).await,
        }
    }

    /// A busy section most of the time (where the writers meet), any other now and then.
    fn section<'a>(&mut self, script: &'a Script) -> &'a Section {
        if !script.hot.is_empty() && self.rng.chance(70) {
            let hot = script.hot[self.rng.below(script.hot.len())];
            return &script.sections[hot];
        }
        for _ in 0..20 {
            if let Some(section) = self.rng.pick(&script.sections)
                && section.elements.len() >= 2
            {
                return section;
            }
        }
        &script.sections[script.hot.first().copied().unwrap_or(0)]
    }

    fn line(&mut self) -> String {
        let n = self.next();
        let line = LINES[self.rng.below(LINES.len())];
        format!("{line} (w{} take {n})", self.index)
    }

    /// GET an element for its ETag, PATCH its text with If-Match.
    async fn edit(&mut self, api: &Api, script: &Script, on_shared: bool) {
        let section = self.section(script).clone();
        let texts: Vec<&Elem> = section
            .elements
            .iter()
            .filter(|e| e.kind == "action" || e.kind == "dialogue")
            .collect();
        let Some(element) = self.rng.pick(&texts).map(|e| (*e).clone()) else {
            return;
        };
        let path = format!("/scripts/{}/elements/{}", script.id, element.id);
        let account = &self.account.clone();
        let Some(read) = api
            .call(
                "element_get",
                account,
                Method::GET,
                &path,
                Body::Empty,
                &[200],
            )
            .await
        else {
            return;
        };
        let (Some(etag), Some(seen)) = (read.etag.clone(), read.revision()) else {
            api.stats.unexpected(
                "element_get",
                read.status,
                format!("no ETag: {}", read.described),
            );
            return;
        };
        let body = json!({ "text": self.line() });
        let account = &self.account.clone();
        let reply = api
            .send(
                "element_patch",
                Method::PATCH,
                &path,
                Some(&account.token()),
                &[("if-match", etag)],
                Body::Json(body),
            )
            .await;
        if reply.status == 412 && on_shared {
            // Genuine when the element has a newer revision than the one we read.
            let again = api
                .call(
                    "verify_read",
                    account,
                    Method::GET,
                    &path,
                    Body::Empty,
                    &[200],
                )
                .await;
            if again
                .and_then(|r| r.revision())
                .is_some_and(|now| now > seen)
            {
                api.stats.conflict("element_patch", 412);
                return;
            }
        }
        api.check("element_patch", &reply, &[200]);
    }

    /// Moves an element of a section before or after another, or to a position.
    async fn move_element(&mut self, api: &Api, script: &Script, on_shared: bool) {
        let section = self.section(script).clone();
        if section.elements.len() < 2 {
            return;
        }
        let Some(seen) = page(api, &self.account, script, &section, 100).await else {
            return;
        };
        let moved = self.rng.below(section.elements.len());
        let mut anchor = self.rng.below(section.elements.len() - 1);
        if anchor >= moved {
            anchor += 1;
        }
        let anchor = section.elements[anchor].id.clone();
        let body = match self.rng.below(3) {
            0 => json!({ "before": anchor }),
            1 => json!({ "after": anchor }),
            _ => json!({ "position": 1 + self.rng.below(section.elements.len()) }),
        };
        let path = format!(
            "/scripts/{}/elements/{}/move",
            script.id, section.elements[moved].id
        );
        let reply = api
            .send(
                "element_move",
                Method::POST,
                &path,
                Some(&self.account.token()),
                &[],
                Body::Json(body),
            )
            .await;
        self.judge(
            api,
            "element_move",
            &reply,
            &[200],
            on_shared,
            script,
            &section,
            seen,
        )
        .await;
    }

    /// Adds a line to a section after a look at it, and deletes it again.
    async fn create_delete(&mut self, api: &Api, script: &Script, on_shared: bool) {
        let section = self.section(script).clone();
        let Some(seen) = page(api, &self.account, script, &section, 50).await else {
            return;
        };
        let mut body = json!({ "kind": "action", "text": self.line() });
        if let Some(after) = self.rng.pick(&section.elements)
            && self.rng.chance(70)
        {
            body["after"] = json!(after.id);
        }
        let path = format!("/scripts/{}/sections/{}/elements", script.id, section.id);
        let account = &self.account.clone();
        let created = api
            .send(
                "element_create",
                Method::POST,
                &path,
                Some(&account.token()),
                &[],
                Body::Json(body),
            )
            .await;
        let created_ok = self
            .judge(
                api,
                "element_create",
                &created,
                &[201],
                on_shared,
                script,
                &section,
                seen,
            )
            .await;
        let Some(id) = created_ok
            .then(|| created.body["elementId"].as_str().map(str::to_owned))
            .flatten()
        else {
            return;
        };
        // Our create made the order one revision newer; a conflict needs somebody else's.
        let mut seen = seen + 1;
        let path = format!("/scripts/{}/elements/{id}", script.id);
        for _ in 0..5 {
            let reply = api
                .send(
                    "element_delete",
                    Method::DELETE,
                    &path,
                    Some(&self.account.token()),
                    &[],
                    Body::Empty,
                )
                .await;
            if reply.status != 409 || !on_shared {
                api.check("element_delete", &reply, &[204]);
                return;
            }
            match verify_order(api, &self.account, script, &section, seen).await {
                Some(now) => {
                    api.stats.conflict("element_delete", 409);
                    seen = now;
                }
                None => {
                    api.check("element_delete", &reply, &[204]);
                    return;
                }
            }
        }
    }

    /// Moves one element of a small section to another place with a reorder (If-Match:
    /// the order revision of the page just read).
    async fn reorder(&mut self, api: &Api, script: &Script, on_shared: bool) {
        let Some(&small) = self.rng.pick(&script.small) else {
            return;
        };
        let section = script.sections[small].clone();
        let list = format!(
            "/scripts/{}/sections/{}/elements?limit=100",
            script.id, section.id
        );
        let account = &self.account.clone();
        let Some(read) = api
            .call(
                "elements_page",
                account,
                Method::GET,
                &list,
                Body::Empty,
                &[200],
            )
            .await
        else {
            return;
        };
        let (Some(etag), Some(seen)) = (read.etag.clone(), read.revision()) else {
            api.stats.unexpected(
                "elements_page",
                read.status,
                format!("no ETag: {}", read.described),
            );
            return;
        };
        let Some(element) = self.rng.pick(&section.elements).cloned() else {
            return;
        };
        let position = 1 + self.rng.below(section.elements.len());
        let body =
            json!({ "moves": [{ "id": element.id, "position": position }], "comment": "soak" });
        let path = format!(
            "/scripts/{}/sections/{}/elements/reorder",
            script.id, section.id
        );
        let reply = api
            .send(
                "elements_reorder",
                Method::POST,
                &path,
                Some(&account.token()),
                &[("if-match", etag)],
                Body::Json(body),
            )
            .await;
        self.judge(
            api,
            "elements_reorder",
            &reply,
            &[200],
            on_shared,
            script,
            &section,
            seen,
        )
        .await;
    }

    /// Checks a change of a section's order: a 409 or 412 on the shared script is a
    /// conflict when the order is newer than `seen` now. Whether it succeeded.
    #[allow(clippy::too_many_arguments)]
    async fn judge(
        &self,
        api: &Api,
        op: &'static str,
        reply: &Reply,
        expected: &[u16],
        on_shared: bool,
        script: &Script,
        section: &Section,
        seen: u64,
    ) -> bool {
        if on_shared
            && matches!(reply.status, 409 | 412)
            && verify_order(api, &self.account, script, section, seen)
                .await
                .is_some()
        {
            api.stats.conflict(op, reply.status);
            return false;
        }
        api.check(op, reply, expected)
    }

    async fn create_character(&mut self, api: &Api, script: &Script) {
        let n = self.next();
        let body = json!({
            "name": format!("W{} EXTRA {n}", self.index),
            "description": "a face in the crowd who wants a line",
        });
        let path = format!("/scripts/{}/characters", script.id);
        let account = &self.account.clone();
        let Some(reply) = api
            .call(
                "character_create",
                account,
                Method::POST,
                &path,
                Body::Json(body),
                &[201],
            )
            .await
        else {
            return;
        };
        if let (Some(id), Some(revision)) = (reply.body["characterId"].as_str(), reply.revision()) {
            self.characters.push(Character {
                path: format!("{path}/{id}"),
                revision,
            });
        }
    }

    /// Renames one of the writer's characters or changes its description.
    async fn update_character(&mut self, api: &Api, script: &Script) {
        if self.characters.is_empty() {
            return self.create_character(api, script).await;
        }
        let i = self.rng.below(self.characters.len());
        let n = self.next();
        let body = if self.rng.chance(30) {
            json!({ "name": format!("W{} PERSON {n}", self.index) })
        } else {
            json!({ "description": format!("rewritten, take {n}") })
        };
        let character = &self.characters[i];
        let reply = api
            .call_with(
                "character_patch",
                &self.account,
                Method::PATCH,
                &character.path,
                &[("if-match", format!("\"{}\"", character.revision))],
                Body::Json(body),
                &[200],
            )
            .await;
        if let Some(revision) = reply.and_then(|r| r.revision()) {
            self.characters[i].revision = revision;
        }
    }

    /// A working session on the script: started, one to three context entries, ended.
    async fn session(&mut self, api: &Api, script: &Script) {
        let account = &self.account.clone();
        let body = json!({ "scriptId": script.id, "title": "soak session" });
        let Some(started) = api
            .call(
                "session_start",
                account,
                Method::POST,
                "/sessions",
                Body::Json(body),
                &[201],
            )
            .await
        else {
            return;
        };
        let Ok(session) = started.str("sessionId") else {
            api.stats
                .unexpected("session_start", started.status, started.described);
            return;
        };
        let entries = 1 + self.rng.below(3);
        for entry in 0..entries {
            let mut body = json!({ "key": format!("note {entry}"), "value": self.line() });
            if let Some(character) = self.rng.pick(&script.characters)
                && self.rng.chance(50)
            {
                body["characterId"] = json!(character);
            }
            let path = format!("/sessions/{session}/context");
            api.call(
                "context_add",
                &self.account,
                Method::POST,
                &path,
                Body::Json(body),
                &[201],
            )
            .await;
        }
        let path = format!("/sessions/{session}/end");
        let body = json!({ "comment": "done for now" });
        api.call(
            "session_end",
            &self.account,
            Method::POST,
            &path,
            Body::Json(body),
            &[200],
        )
        .await;
    }
}

/// Reads a page of a section's elements; the section's order revision.
async fn page(
    api: &Api,
    account: &Account,
    script: &Script,
    section: &Section,
    limit: usize,
) -> Option<u64> {
    let path = format!(
        "/scripts/{}/sections/{}/elements?limit={limit}",
        script.id, section.id
    );
    let reply = api
        .call(
            "elements_page",
            account,
            Method::GET,
            &path,
            Body::Empty,
            &[200],
        )
        .await?;
    let revision = reply.revision();
    if revision.is_none() {
        api.stats.unexpected(
            "elements_page",
            reply.status,
            format!("no ETag: {}", reply.described),
        );
    }
    revision
}

/// The section's order revision when it is newer than `seen` (somebody changed the order
/// meanwhile).
async fn verify_order(
    api: &Api,
    account: &Account,
    script: &Script,
    section: &Section,
    seen: u64,
) -> Option<u64> {
    let path = format!(
        "/scripts/{}/sections/{}/elements?limit=1",
        script.id, section.id
    );
    let reply = api
        .call(
            "verify_read",
            account,
            Method::GET,
            &path,
            Body::Empty,
            &[200],
        )
        .await?;
    reply.revision().filter(|now| *now > seen)
}
