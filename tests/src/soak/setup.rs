//! The soak's set-up through the API: accounts, the imported feature everybody writes on,
//! each writer's own small script, and what the clients know of them (sections, elements,
//! characters).

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use super::api::{Account, Api, Body, Result, must};

/// The feature: about 120 pages.
pub const ELEMENTS: usize = 3_000;

/// A generated feature-length screenplay as Fountain text (the same every run), and its
/// number of scenes.
pub fn screenplay() -> (String, usize) {
    let screenplay = fountain_text::generate::screenplay(29, ELEMENTS);
    let scenes = screenplay
        .elements
        .iter()
        .filter(|e| matches!(e.content, fountain_text::Content::SceneHeading { .. }))
        .count();
    (fountain_text::write(&screenplay), scenes)
}

/// An element the clients may edit and move: one the set-up found, never deleted.
#[derive(Clone)]
pub struct Elem {
    pub id: String,
    pub kind: String,
}

#[derive(Clone)]
pub struct Section {
    pub id: String,
    pub elements: Vec<Elem>,
}

/// A script as the clients know it. Elements move only within their section, so this
/// stays true while they work.
#[derive(Clone)]
pub struct Script {
    pub id: String,
    pub sections: Vec<Section>,
    pub characters: Vec<String>,
    /// Sections with at least 8 elements that every client works on (contention).
    pub hot: Vec<usize>,
    /// Sections of 3 to 15 elements, for reorders.
    pub small: Vec<usize>,
}

impl Script {
    fn new(id: String, sections: Vec<Section>, characters: Vec<String>) -> Self {
        let with = |low: usize, high: usize| -> Vec<usize> {
            sections
                .iter()
                .enumerate()
                .filter(|(_, s)| (low..=high).contains(&s.elements.len()))
                .map(|(i, _)| i)
                .collect()
        };
        let busy = with(8, usize::MAX);
        // Six sections spread over the script.
        let hot = (0..6.min(busy.len()))
            .map(|i| busy[i * busy.len() / 6.min(busy.len())])
            .collect();
        let small = with(3, 15);
        Self {
            id: id.clone(),
            hot,
            small,
            sections,
            characters,
        }
    }
}

/// Imports the feature as `owner`; the script and how long the import took.
pub async fn import(api: &Api, owner: &Account, text: String) -> Result<(Value, Duration)> {
    let started = Instant::now();
    let reply = api
        .send(
            "import",
            Method::POST,
            "/scripts/import?title=Soak%20feature&comment=soak",
            Some(&owner.token()),
            &[],
            Body::Fountain(text),
        )
        .await;
    let took = started.elapsed();
    must(&reply, 201)?;
    Ok((reply.body, took))
}

/// Every page of a list.
async fn all_items(
    api: &Api,
    account: &Account,
    op: &'static str,
    path: &str,
) -> Result<Vec<Value>> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = match &cursor {
            Some(cursor) => format!("{path}?limit=100&cursor={}", encode(cursor)),
            None => format!("{path}?limit=100"),
        };
        let reply = api
            .send(
                op,
                Method::GET,
                &page,
                Some(&account.token()),
                &[],
                Body::Empty,
            )
            .await;
        must(&reply, 200)?;
        items.extend(reply.body["items"].as_array().cloned().unwrap_or_default());
        match reply.body["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return Ok(items),
        }
    }
}

/// Reads a script's sections, their elements and its characters.
pub async fn read_script(api: &Api, account: &Account, script_id: &str) -> Result<Script> {
    let base = format!("/scripts/{script_id}");
    let mut sections = Vec::new();
    for section in all_items(api, account, "setup_list", &format!("{base}/sections")).await? {
        let id = section["sectionId"].as_str().unwrap_or_default().to_owned();
        let elements = all_items(
            api,
            account,
            "setup_list",
            &format!("{base}/sections/{id}/elements"),
        )
        .await?
        .iter()
        .map(|e| Elem {
            id: e["elementId"].as_str().unwrap_or_default().to_owned(),
            kind: e["kind"].as_str().unwrap_or_default().to_owned(),
        })
        .collect();
        sections.push(Section { id, elements });
    }
    let characters = all_items(api, account, "setup_list", &format!("{base}/characters"))
        .await?
        .iter()
        .filter_map(|c| c["characterId"].as_str().map(str::to_owned))
        .collect();
    Ok(Script::new(script_id.to_owned(), sections, characters))
}

/// `owner` invites `writer` to the script as an editor, and `writer` accepts.
pub async fn join(api: &Api, owner: &Account, writer: &Account, script_id: &str) -> Result<()> {
    let invitation = api
        .send(
            "setup_invite",
            Method::POST,
            &format!("/scripts/{script_id}/invitations"),
            Some(&owner.token()),
            &[],
            Body::Json(json!({ "email": writer.email, "role": "editor" })),
        )
        .await;
    must(&invitation, 201)?;
    // Each writer is invited once per soak: the first invitation email is this one.
    let token = api.email(&writer.email, "You are invited", 1).await?;
    let accepted = api
        .send(
            "setup_invite",
            Method::POST,
            "/invitations/accept",
            Some(&writer.token()),
            &[],
            Body::Json(json!({ "token": token })),
        )
        .await;
    must(&accepted, 200)
}

/// A new, empty script of `account`'s: its id.
pub async fn script(api: &Api, account: &Account, title: &str) -> Result<String> {
    let reply = api
        .send(
            "setup_create",
            Method::POST,
            "/scripts",
            Some(&account.token()),
            &[],
            Body::Json(json!({ "title": title })),
        )
        .await;
    must(&reply, 201)?;
    reply.str("scriptId")
}

/// A new script of `writer`'s: `scenes` scenes of `lines` elements each (action and
/// dialogue of two characters).
pub async fn small_script(
    api: &Api,
    writer: &Account,
    title: &str,
    scenes: usize,
    lines: usize,
) -> Result<Script> {
    let token = writer.token();
    let post = |op: &'static str, path: String, body: Value| {
        let token = token.clone();
        async move {
            let reply = api
                .send(op, Method::POST, &path, Some(&token), &[], Body::Json(body))
                .await;
            must(&reply, 201)?;
            Ok::<_, super::api::Error>(reply)
        }
    };
    let script = post("setup_create", "/scripts".into(), json!({ "title": title }))
        .await?
        .str("scriptId")?;
    let mut characters = Vec::new();
    for name in ["ROSA", "THEO"] {
        let reply = post(
            "setup_create",
            format!("/scripts/{script}/characters"),
            json!({ "name": name }),
        )
        .await?;
        characters.push(reply.str("characterId")?);
    }
    let mut sections = Vec::new();
    for scene in 0..scenes {
        let section = post(
            "setup_create",
            format!("/scripts/{script}/sections"),
            json!({ "level": "scene", "title": format!("INT. STUDIO {} - DAY", scene + 1) }),
        )
        .await?
        .str("sectionId")?;
        let mut elements = Vec::new();
        for line in 0..lines {
            let body = if line % 3 == 1 {
                json!({ "kind": "dialogue", "text": format!("Line {line} of scene {scene}."),
                        "characterId": characters[line % 2] })
            } else {
                json!({ "kind": "action", "text": format!("Beat {line} of scene {scene}.") })
            };
            let reply = post(
                "setup_create",
                format!("/scripts/{script}/sections/{section}/elements"),
                body,
            )
            .await?;
            elements.push(Elem {
                id: reply.str("elementId")?,
                kind: reply.str("kind")?,
            });
        }
        sections.push(Section {
            id: section,
            elements,
        });
    }
    Ok(Script::new(script, sections, characters))
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
