//! `GET /scripts/{id}/pdf`: the screenplay as a PDF a strict reader accepts (`qpdf --check`),
//! whose text read back (`pdftotext -layout`) holds every scene heading, cue and first line
//! of dialogue of the script in order; its options and refusals.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

use fountain_e2e::Harness;
use fountain_text::{Content, DialoguePart};

/// Letters and digits only, lowercased, words one space apart: what survives Courier's
/// WinAnsi encoding, emphasis markup and line wrapping alike.
fn normalized(text: &str) -> String {
    let kept: String = fountain_text::inline::plain_text(text)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first few words of `text` (as many as fit in 24 characters, at least one): short
/// enough to stay on one printed line.
fn opening(text: &str) -> String {
    let mut words = Vec::new();
    let mut length = 0;
    for word in normalized(text).split(' ') {
        if !words.is_empty() && length + word.len() > 24 {
            break;
        }
        length += word.len() + 1;
        words.push(word.to_owned());
    }
    words.join(" ")
}

/// What must be read back, in order: each heading, cue and speech's opening words.
fn expected(text: &str) -> Vec<String> {
    let screenplay = fountain_text::parse(text).unwrap();
    let mut expected = Vec::new();
    for element in &screenplay.elements {
        match &element.content {
            Content::SceneHeading { text, .. } => expected.push(opening(text)),
            Content::Dialogue(dialogue) if !dialogue.dual => {
                expected.push(opening(&dialogue.character));
                for part in &dialogue.parts {
                    if let DialoguePart::Speech(speech) = part
                        && let Some(line) = speech.lines().find(|l| !normalized(l).is_empty())
                    {
                        expected.push(opening(line));
                    }
                }
            }
            _ => {}
        }
    }
    expected.retain(|e| !e.is_empty());
    expected
}

fn tool(name: &str, args: &[&str]) -> (bool, String) {
    let output = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is not installed (infra/test.sh installs it): {e}"));
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[tokio::test]
async fn the_pdf_opens_in_a_strict_reader_and_reads_back_the_whole_script_in_order() {
    let h = Harness::start("pdf_api").await;
    let text = fountain_text::write(&fountain_text::generate::screenplay(7, 400));
    let imported = h.import("alice", &text).await;
    assert_eq!(imported.status, 201, "{:?}", imported.body);
    let script = imported.body["scriptId"].as_str().unwrap().to_owned();
    // What the API exports is what is printed: the expectations come from it.
    let exported = h.get(&format!("/scripts/{script}/fountain"), "alice").await;
    let exported = exported.body.as_str().unwrap().to_owned();

    let response = h
        .http
        .get(h.url(&format!("/scripts/{script}/pdf")))
        .bearer_auth(Harness::token("alice"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"") && disposition.ends_with(".pdf\""),
        "{disposition}"
    );
    let pdf = response.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));

    let path: PathBuf = std::env::temp_dir().join(format!("fountain-{script}.pdf"));
    std::fs::write(&path, &pdf).unwrap();
    let file = path.to_str().unwrap();
    let (ok, report) = tool("qpdf", &["--check", file]);
    assert!(ok, "qpdf --check: {report}");
    let (ok, info) = tool("pdfinfo", &[file]);
    assert!(ok, "{info}");
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    let (ok, read_back) = tool("pdftotext", &["-layout", file, "-"]);
    assert!(ok, "{read_back}");
    let read_back = normalized(&read_back);
    let mut from = 0;
    let wanted = expected(&exported);
    assert!(
        wanted.len() > 100,
        "{} headings, cues and speeches",
        wanted.len()
    );
    for snippet in &wanted {
        let at = read_back[from..]
            .find(snippet.as_str())
            .unwrap_or_else(|| panic!("{snippet:?} not found in order after byte {from}"));
        from += at + snippet.len();
    }
    println!(
        "a 400-element script: {pages} pages (title page included), {} bytes",
        pdf.len()
    );

    // A4 holds more lines a page: no more pages than letter.
    let a4 = h
        .get(
            &format!("/scripts/{script}/pdf?paper=a4&sceneNumbers=false"),
            "alice",
        )
        .await;
    assert_eq!(a4.status, 200);
    std::fs::remove_file(&path).ok();
}

#[tokio::test]
async fn bad_options_strangers_and_unknown_scripts_are_refused() {
    let h = Harness::start("pdf_refusals").await;
    let imported = h
        .import("alice", "Title: Short\n\nINT. ROOM - DAY\n\nANNA\nHello.\n")
        .await;
    assert_eq!(imported.status, 201, "{:?}", imported.body);
    let script = imported.body["scriptId"].as_str().unwrap().to_owned();
    for query in ["paper=b5", "sceneNumbers=maybe"] {
        let refused = h
            .get(&format!("/scripts/{script}/pdf?{query}"), "alice")
            .await;
        assert_eq!(refused.status, 400, "{query}: {:?}", refused.body);
        assert_eq!(
            refused.header("content-type"),
            Some("application/problem+json")
        );
    }
    let stranger = h.get(&format!("/scripts/{script}/pdf"), "mallory").await;
    assert_eq!(stranger.status, 404);
    let unknown = h
        .get("/scripts/01JCX3ZK0M5V6Q7R8S9T0W1X2Y/pdf", "alice")
        .await;
    assert_eq!(unknown.status, 404);
}

/// The text `pdftotext` reads from `pdf`.
fn read_back(pdf: &[u8], name: &str) -> String {
    let path = std::env::temp_dir().join(format!("fountain-{name}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    let (ok, text) = tool("pdftotext", &[path.to_str().unwrap(), "-"]);
    std::fs::remove_file(&path).ok();
    assert!(ok, "{text}");
    text
}

async fn pdf_of(h: &Harness, path: &str) -> Vec<u8> {
    let response = h
        .http
        .get(h.url(path))
        .bearer_auth(Harness::token("alice"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn a_stored_version_renders_as_it_was() {
    let h = Harness::start("pdf_versions").await;
    let imported = h
        .import(
            "alice",
            "Title: Drafts\n\nINT. STUDY - NIGHT\n\nANNA\nThe first draft.\n",
        )
        .await;
    assert_eq!(imported.status, 201, "{:?}", imported.body);
    let script = imported.body["scriptId"].as_str().unwrap().to_owned();
    let version = h
        .post(
            &format!("/scripts/{script}/versions"),
            "alice",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(version.status, 201, "{:?}", version.body);
    let version = version.body["versionId"].as_str().unwrap().to_owned();
    let sections = h.get(&format!("/scripts/{script}/sections"), "alice").await;
    let section = sections.body["items"][0]["sectionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let added = h
        .post(
            &format!("/scripts/{script}/sections/{section}/elements"),
            "alice",
            serde_json::json!({ "kind": "action", "text": "A second draft burns." }),
        )
        .await;
    assert_eq!(added.status, 201, "{:?}", added.body);

    let now = read_back(&pdf_of(&h, &format!("/scripts/{script}/pdf")).await, "now");
    assert!(now.contains("A second draft burns."), "{now}");
    let then = read_back(
        &pdf_of(&h, &format!("/scripts/{script}/pdf?version={version}")).await,
        "then",
    );
    assert!(
        then.contains("The first draft.") && !then.contains("second draft"),
        "{then}"
    );

    for unknown in ["01JCX3ZK0M5V6Q7R8S9T0W1X2Y", "not-a-version"] {
        let missing = h
            .get(&format!("/scripts/{script}/pdf?version={unknown}"), "alice")
            .await;
        assert_eq!(missing.status, 404, "{unknown}: {:?}", missing.body);
    }
}
