//! Invitations and members: the owner invites by email, the invitee accepts once, the owner
//! revokes or removes; a failure after the invitation was consumed is compensated.
#![allow(clippy::unwrap_used)]

use fountain_e2e::{Harness, token_in};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn an_invitee_joins_with_the_invited_role_once() {
    let h = Harness::start("invite").await;
    let owner = h.account("owner@example.org").await;
    let editor = h.account("Editor@Example.org").await;
    let stranger = h.account("stranger@example.org").await;
    let script = h
        .call(
            &owner,
            Method::POST,
            "/scripts",
            Some(json!({ "title": "Shared" })),
        )
        .await
        .body["scriptId"]
        .as_str()
        .unwrap()
        .to_owned();
    let invitations = format!("/scripts/{script}/invitations");

    let invited = Harness::send(
        h.http
            .post(h.url(&invitations))
            .bearer_auth(&owner.token)
            .header("x-correlation-id", "invite-editor")
            .json(
                &json!({ "email": "editor@example.org", "role": "editor", "comment": "co-writer" }),
            ),
    )
    .await;
    assert_eq!(invited.status, 201, "{:?}", invited.body);
    assert_eq!(invited.body["status"], "pending");
    assert!(
        invited.body.get("token").is_none() && invited.body.get("acceptUrl").is_none(),
        "the token goes only to the invitee's inbox: {:?}",
        invited.body
    );
    let mail = h.email("editor@example.org", "You are invited", 1).await;
    assert_eq!(
        mail.subject.as_deref(),
        Some("You are invited to co-write \"Shared\"")
    );
    assert!(mail.text.as_deref().unwrap().contains("as an editor"));
    let token = token_in(&mail);
    assert_eq!(
        h.call(
            &owner,
            Method::POST,
            &invitations,
            Some(json!({ "email": "x@example.org", "role": "owner" }))
        )
        .await
        .status,
        422
    );

    // Before accepting, the invitee sees nothing; a stranger cannot use the token.
    assert_eq!(
        h.call(&editor, Method::GET, &format!("/scripts/{script}"), None)
            .await
            .status,
        404
    );
    assert_eq!(h.accept(&stranger, &token).await.status, 403);
    // Anyone could have registered the address: until its reader verifies it, no joining.
    let unverified = h.accept(&editor, &token).await;
    assert_eq!(unverified.status, 403, "{:?}", unverified.body);
    assert!(
        unverified.body["detail"]
            .as_str()
            .unwrap()
            .contains("verify your email")
    );
    let verification = h
        .email("Editor@Example.org", "Verify your email address", 1)
        .await;
    let verified = h
        .post_public(
            "/auth/verify-email",
            json!({ "token": token_in(&verification) }),
        )
        .await;
    assert_eq!(verified.status, 200, "{:?}", verified.body);

    let accepted = h.accept(&editor, &token).await;
    assert_eq!(accepted.status, 200, "{:?}", accepted.body);
    assert_eq!(accepted.body["role"], "editor");
    assert_eq!(h.accept(&editor, &token).await.status, 409, "single use");
    let unknown = h.accept(&editor, "not-a-token").await;
    assert_eq!(unknown.status, 404, "{:?}", unknown.body);
    assert_eq!(
        h.call(&editor, Method::GET, &format!("/scripts/{script}"), None)
            .await
            .status,
        200
    );
    let listed = h.call(&editor, Method::GET, "/scripts", None).await;
    assert_eq!(listed.body["items"][0]["scriptId"], script.as_str());

    let members = h
        .call(
            &editor,
            Method::GET,
            &format!("/scripts/{script}/members"),
            None,
        )
        .await;
    let mut roles: Vec<_> = members.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap().to_owned())
        .collect();
    roles.sort();
    assert_eq!(roles, ["editor", "owner"]);

    // The owner removes the editor, who then sees nothing again; the owner cannot be removed.
    assert_eq!(
        h.call(
            &owner,
            Method::DELETE,
            &format!("/scripts/{script}/members/{}", owner.user_id),
            None
        )
        .await
        .status,
        409
    );
    assert_eq!(
        h.call(
            &owner,
            Method::DELETE,
            &format!("/scripts/{script}/members/{}", editor.user_id),
            None
        )
        .await
        .status,
        204
    );
    assert_eq!(
        h.call(&editor, Method::GET, &format!("/scripts/{script}"), None)
            .await
            .status,
        404
    );

    let events = h
        .wait_for_events(
            &format!("aggregateId={script}"),
            &["CollaboratorInvited", "InvitationAccepted", "MemberRemoved"],
        )
        .await;
    let invited_event = events
        .iter()
        .find(|e| e["type"] == "CollaboratorInvited")
        .unwrap();
    assert_eq!(invited_event["correlationId"], "invite-editor");
    assert_eq!(invited_event["data"]["comment"], "co-writer");
    assert!(
        !events.iter().any(|e| e.to_string().contains(&token)),
        "no token in events"
    );
}

#[tokio::test]
async fn a_revoked_invitation_cannot_be_accepted() {
    let h = Harness::start("revoke").await;
    let owner = h.account("o@example.org").await;
    let viewer = h.verified_account("v@example.org").await;
    let script = h
        .call(
            &owner,
            Method::POST,
            "/scripts",
            Some(json!({ "title": "Closed" })),
        )
        .await
        .body["scriptId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (invited, token) = h.invite(&owner, "v@example.org", &script, "viewer").await;
    let id = invited.body["invitationId"].as_str().unwrap();
    let path = format!("/scripts/{script}/invitations/{id}");
    assert_eq!(
        h.call(&viewer, Method::DELETE, &path, None).await.status,
        404,
        "not a member yet"
    );
    assert_eq!(
        h.call(&owner, Method::DELETE, &path, None).await.status,
        204
    );
    assert_eq!(
        h.call(&owner, Method::DELETE, &path, None).await.status,
        409
    );
    assert_eq!(h.accept(&viewer, &token).await.status, 409);
    let listed = h
        .call(
            &owner,
            Method::GET,
            &format!("/scripts/{script}/invitations"),
            None,
        )
        .await;
    assert_eq!(listed.body["items"][0]["status"], "revoked");
    assert!(listed.body["items"][0].get("token").is_none());
    assert_eq!(
        h.call(&viewer, Method::GET, &format!("/scripts/{script}"), None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn when_the_membership_write_fails_after_the_invitation_was_consumed_nothing_half_done_remains()
 {
    let h = Harness::start("saga").await;
    let owner = h.account("so@example.org").await;
    let member = h.verified_account("sm@example.org").await;
    let script = h
        .call(
            &owner,
            Method::POST,
            "/scripts",
            Some(json!({ "title": "Saga" })),
        )
        .await
        .body["scriptId"]
        .as_str()
        .unwrap()
        .to_owned();
    h.join(&owner, &member, &script, "viewer").await;

    // A second invitation for someone who is a member already: step 1 consumes it, step 2
    // (the membership write) fails its condition, and the compensation must undo step 1.
    let (second, token) = h.invite(&owner, "sm@example.org", &script, "editor").await;
    let accepted = Harness::send(
        h.http
            .post(h.url("/invitations/accept"))
            .bearer_auth(&member.token)
            .header("x-correlation-id", "saga-fails")
            .json(&json!({ "token": token })),
    )
    .await;
    assert_eq!(accepted.status, 409, "{:?}", accepted.body);

    let listed = h
        .call(
            &owner,
            Method::GET,
            &format!("/scripts/{script}/invitations"),
            None,
        )
        .await;
    let invitation = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["invitationId"] == second.body["invitationId"])
        .unwrap();
    assert_eq!(
        invitation["status"], "pending",
        "the invitation was put back"
    );
    let members = h
        .call(
            &owner,
            Method::GET,
            &format!("/scripts/{script}/members"),
            None,
        )
        .await;
    let roles: Vec<_> = members.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["userId"] == member.user_id.as_str())
        .map(|m| m["role"].clone())
        .collect();
    assert_eq!(roles, [json!("viewer")], "the membership is unchanged");

    // And no InvitationAccepted was published for the failed attempt.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let events = h
        .get("/events?correlationId=saga-fails", fountain_e2e::ADMIN)
        .await;
    assert!(events.body["items"].as_array().unwrap().is_empty());

    // Once the member is removed, the same invitation works: it was not lost either.
    assert_eq!(
        h.call(
            &owner,
            Method::DELETE,
            &format!("/scripts/{script}/members/{}", member.user_id),
            None
        )
        .await
        .status,
        204
    );
    let retried = h.accept(&member, &token).await;
    assert_eq!(retried.status, 200);
    assert_eq!(retried.body["role"], "editor");
}
