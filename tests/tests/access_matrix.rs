//! Every endpoint of the API called as a stranger, a viewer, an editor, the owner and an
//! administrator, with the status each must get. Strangers always get 404, never a hint.
#![allow(clippy::unwrap_used)]

use fountain_e2e::{ADMIN, Account, Harness};
use reqwest::Method;
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Stranger,
    Viewer,
    Editor,
    Owner,
}

const EVERYONE: [Who; 4] = [Who::Stranger, Who::Viewer, Who::Editor, Who::Owner];

struct World {
    h: Harness,
    owner: Account,
    viewer: Account,
    editor: Account,
    stranger: Account,
    script: String,
}

impl World {
    fn account(&self, who: Who) -> &Account {
        match who {
            Who::Stranger => &self.stranger,
            Who::Viewer => &self.viewer,
            Who::Editor => &self.editor,
            Who::Owner => &self.owner,
        }
    }

    async fn call(
        &self,
        who: Who,
        method: Method,
        path: &str,
        body: Option<Value>,
        if_match: Option<&str>,
    ) -> u16 {
        let mut builder = self
            .h
            .http
            .request(method, self.h.url(path))
            .bearer_auth(&self.account(who).token);
        if let Some(body) = body {
            builder = builder.json(&body);
        }
        if let Some(etag) = if_match {
            builder = builder.header("if-match", etag);
        }
        Harness::send(builder).await.status
    }

    /// A fresh character to change or delete, created by the owner.
    async fn fresh_character(&self) -> String {
        let reply = self
            .h
            .call(
                &self.owner,
                Method::POST,
                &format!("/scripts/{}/characters", self.script),
                Some(json!({ "name": fountain_events::ids::new_id() })),
            )
            .await;
        reply.body["characterId"].as_str().unwrap().to_owned()
    }

    async fn fresh_invitation(&self) -> String {
        let reply = self
            .h
            .call(
                &self.owner,
                Method::POST,
                &format!("/scripts/{}/invitations", self.script),
                Some(json!({ "email": "later@example.org", "role": "viewer" })),
            )
            .await;
        reply.body["invitationId"].as_str().unwrap().to_owned()
    }
}

fn expect(who: Who, allowed_from: Who, success: u16) -> u16 {
    match who {
        Who::Stranger => 404,
        _ if (who as u8) >= (allowed_from as u8) => success,
        _ => 403,
    }
}

#[tokio::test]
async fn every_endpoint_answers_each_role_as_it_must() {
    let h = Harness::start("matrix").await;
    let owner = h.account("owner@matrix.org").await;
    let viewer = h.verified_account("viewer@matrix.org").await;
    let editor = h.verified_account("editor@matrix.org").await;
    let stranger = h.account("stranger@matrix.org").await;
    let script = h
        .call(
            &owner,
            Method::POST,
            "/scripts",
            Some(json!({ "title": "Matrix" })),
        )
        .await
        .body["scriptId"]
        .as_str()
        .unwrap()
        .to_owned();
    h.join(&owner, &viewer, &script, "viewer").await;
    h.join(&owner, &editor, &script, "editor").await;
    let character = h
        .call(
            &owner,
            Method::POST,
            &format!("/scripts/{script}/characters"),
            Some(json!({ "name": "ANNA" })),
        )
        .await
        .body["characterId"]
        .as_str()
        .unwrap()
        .to_owned();
    let w = World {
        h,
        owner,
        viewer,
        editor,
        stranger,
        script: script.clone(),
    };
    let s = format!("/scripts/{script}");
    let mut failures = Vec::new();
    let mut check = |what: String, who: Who, got: u16, want: u16| {
        if got != want {
            failures.push(format!("{what} as {who:?}: got {got}, want {want}"));
        }
    };

    for who in EVERYONE {
        check(
            format!("GET {s}"),
            who,
            w.call(who, Method::GET, &s, None, None).await,
            expect(who, Who::Viewer, 200),
        );
        check(
            format!("PATCH {s}"),
            who,
            w.call(
                who,
                Method::PATCH,
                &s,
                Some(json!({ "description": "d" })),
                Some("*"),
            )
            .await,
            expect(who, Who::Editor, 200),
        );
        check(
            format!("GET {s}/characters"),
            who,
            w.call(who, Method::GET, &format!("{s}/characters"), None, None)
                .await,
            expect(who, Who::Viewer, 200),
        );
        // Reading the script's story, its Fountain text and generating from it: any role.
        for (method, path, success) in [
            (Method::GET, format!("{s}/story"), 200),
            (Method::GET, format!("{s}/fountain"), 200),
            (Method::POST, format!("{s}/generations"), 202),
            (Method::GET, format!("{s}/generations"), 200),
        ] {
            check(
                format!("{method} {path}"),
                who,
                w.call(who, method.clone(), &path, None, None).await,
                expect(who, Who::Viewer, success),
            );
        }
        let name = json!({ "name": fountain_events::ids::new_id() });
        check(
            format!("POST {s}/characters"),
            who,
            w.call(
                who,
                Method::POST,
                &format!("{s}/characters"),
                Some(name),
                None,
            )
            .await,
            expect(who, Who::Editor, 201),
        );
        let c = format!("{s}/characters/{character}");
        check(
            format!("GET {c}"),
            who,
            w.call(who, Method::GET, &c, None, None).await,
            expect(who, Who::Viewer, 200),
        );
        check(
            format!("PATCH {c}"),
            who,
            w.call(
                who,
                Method::PATCH,
                &c,
                Some(json!({ "description": "d" })),
                Some("*"),
            )
            .await,
            expect(who, Who::Editor, 200),
        );
        let doomed = format!("{s}/characters/{}", w.fresh_character().await);
        check(
            "DELETE character".to_string(),
            who,
            w.call(who, Method::DELETE, &doomed, None, None).await,
            expect(who, Who::Editor, 204),
        );
        check(
            format!("GET {s}/members"),
            who,
            w.call(who, Method::GET, &format!("{s}/members"), None, None)
                .await,
            expect(who, Who::Viewer, 200),
        );
        check(
            format!("GET {s}/invitations"),
            who,
            w.call(who, Method::GET, &format!("{s}/invitations"), None, None)
                .await,
            expect(who, Who::Owner, 200),
        );
        let invite = json!({ "email": "someone@example.org", "role": "viewer" });
        check(
            format!("POST {s}/invitations"),
            who,
            w.call(
                who,
                Method::POST,
                &format!("{s}/invitations"),
                Some(invite),
                None,
            )
            .await,
            expect(who, Who::Owner, 201),
        );
        let invitation = format!("{s}/invitations/{}", w.fresh_invitation().await);
        check(
            "DELETE invitation".to_string(),
            who,
            w.call(who, Method::DELETE, &invitation, None, None).await,
            expect(who, Who::Owner, 204),
        );
        // Removing the viewer would change the matrix: remove the stranger's non-membership
        // instead for the owner (404 member), and check refusal for everyone else.
        let member = format!("{s}/members/{}", w.viewer.user_id);
        if who != Who::Owner {
            check(
                "DELETE member".to_string(),
                who,
                w.call(who, Method::DELETE, &member, None, None).await,
                expect(who, Who::Owner, 204),
            );
        }
        // Operations endpoints are for administrators only, whatever the script role.
        check(
            "GET /config".into(),
            who,
            w.call(who, Method::GET, "/config", None, None).await,
            403,
        );
        check(
            "GET /events".into(),
            who,
            w.call(
                who,
                Method::GET,
                &format!("/events?aggregateId={script}"),
                None,
                None,
            )
            .await,
            403,
        );
        // Everyone may read their own profile and list their own scripts.
        check(
            "GET /me".into(),
            who,
            w.call(who, Method::GET, "/me", None, None).await,
            200,
        );
        check(
            "GET /scripts".into(),
            who,
            w.call(who, Method::GET, "/scripts", None, None).await,
            200,
        );
    }
    // The owner's destructive calls last.
    let member = format!("{s}/members/{}", w.viewer.user_id);
    check(
        "DELETE member".into(),
        Who::Owner,
        w.call(Who::Owner, Method::DELETE, &member, None, None)
            .await,
        204,
    );
    check(
        format!("DELETE {s}"),
        Who::Viewer,
        w.call(Who::Viewer, Method::DELETE, &s, None, None).await,
        404,
    );
    check(
        format!("DELETE {s}"),
        Who::Editor,
        w.call(Who::Editor, Method::DELETE, &s, None, None).await,
        403,
    );
    check(
        format!("DELETE {s}"),
        Who::Stranger,
        w.call(Who::Stranger, Method::DELETE, &s, None, None).await,
        404,
    );
    check(
        format!("DELETE {s}"),
        Who::Owner,
        w.call(Who::Owner, Method::DELETE, &s, None, None).await,
        204,
    );
    assert!(failures.is_empty(), "{failures:#?}");

    // The administrator reaches the operations endpoints.
    assert_eq!(w.h.get("/config", ADMIN).await.status, 200);
    assert_eq!(
        w.h.get(&format!("/events?aggregateId={script}"), ADMIN)
            .await
            .status,
        200
    );
}
