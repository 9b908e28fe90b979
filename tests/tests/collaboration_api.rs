//! Invitations and members: the owner invites by email, the invitee accepts once, the owner
//! revokes or removes; a failure after the invitation was consumed is compensated.
#![allow(clippy::unwrap_used)]

use fountain_e2e::Harness;
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
    let accept = invited.body["acceptUrl"].as_str().unwrap().to_owned();
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
    assert_eq!(
        h.call(&stranger, Method::POST, &accept, None).await.status,
        403
    );

    let accepted = h.call(&editor, Method::POST, &accept, None).await;
    assert_eq!(accepted.status, 200, "{:?}", accepted.body);
    assert_eq!(accepted.body["role"], "editor");
    assert_eq!(
        h.call(&editor, Method::POST, &accept, None).await.status,
        409,
        "single use"
    );
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
        !events.iter().any(|e| e.to_string().contains(
            accept
                .trim_start_matches("/invitations/")
                .trim_end_matches("/accept")
        )),
        "no token in events"
    );
}

#[tokio::test]
async fn a_revoked_invitation_cannot_be_accepted() {
    let h = Harness::start("revoke").await;
    let owner = h.account("o@example.org").await;
    let viewer = h.account("v@example.org").await;
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
    let invited = h
        .call(
            &owner,
            Method::POST,
            &format!("/scripts/{script}/invitations"),
            Some(json!({ "email": "v@example.org", "role": "viewer" })),
        )
        .await;
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
    assert_eq!(
        h.call(
            &viewer,
            Method::POST,
            invited.body["acceptUrl"].as_str().unwrap(),
            None
        )
        .await
        .status,
        409
    );
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
    let member = h.account("sm@example.org").await;
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
    let second = h
        .call(
            &owner,
            Method::POST,
            &format!("/scripts/{script}/invitations"),
            Some(json!({ "email": "sm@example.org", "role": "editor" })),
        )
        .await;
    let accepted = Harness::send(
        h.http
            .post(h.url(second.body["acceptUrl"].as_str().unwrap()))
            .bearer_auth(&member.token)
            .header("x-correlation-id", "saga-fails"),
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
    let retried = h
        .call(
            &member,
            Method::POST,
            second.body["acceptUrl"].as_str().unwrap(),
            None,
        )
        .await;
    assert_eq!(retried.status, 200);
    assert_eq!(retried.body["role"], "editor");
}
