//! Administrators without a shared secret: the deployment's FirstAdminEmail becomes admin
//! when it verifies its address (once), and administrators grant and revoke the role with
//! `PUT /admin/users/{userId}/roles`, audited with RolesChanged; the user's older tokens
//! stop working, so the next ones carry the new roles.
#![allow(clippy::unwrap_used)]

use fountain_e2e::{Account, Harness, Reply};
use fountain_local::StackOptions;
use reqwest::Method;
use serde_json::{Value, json};

async fn set_roles(h: &Harness, admin: &Account, user_id: &str, body: Value) -> Reply {
    Harness::send(
        h.http
            .put(h.url(&format!("/admin/users/{user_id}/roles")))
            .bearer_auth(&admin.token)
            .header("x-correlation-id", format!("roles-{user_id}"))
            .json(&body),
    )
    .await
}

#[tokio::test]
async fn the_first_admin_is_the_configured_address_and_admins_grant_and_revoke_the_role() {
    let mut options = StackOptions::for_test("roles");
    options
        .env_overrides
        .insert("FIRST_ADMIN_EMAIL".into(), "Boss@Example.org".into());
    let h = Harness::start_with(options).await;

    // Registered but unverified: no admin yet.
    let boss = h.account("boss@example.org").await;
    assert_eq!(
        h.call(&boss, Method::GET, "/config", None).await.status,
        403
    );
    let mail = h.email("boss@example.org", "Verify", 1).await;
    let verified = h
        .post_public(
            "/auth/verify-email",
            json!({ "token": fountain_e2e::token_in(&mail) }),
        )
        .await;
    assert_eq!(verified.status, 200, "{:?}", verified.body);
    assert_eq!(verified.body["roles"], json!(["admin"]));
    let boss = h.sign_in("boss@example.org").await;
    assert_eq!(
        h.call(&boss, Method::GET, "/config", None).await.status,
        200
    );
    let granted = h
        .wait_for_events(&format!("aggregateId={}", boss.user_id), &["RolesChanged"])
        .await;
    let granted = granted
        .iter()
        .find(|e| e["type"] == "RolesChanged")
        .unwrap();
    assert_eq!(granted["data"]["grantedBy"], "first-admin");

    // Anyone else who verifies is no administrator.
    let writer = h.verified_account("writer@example.org").await;
    let writer = h.sign_in(&writer.email).await;
    assert_eq!(
        h.call(&writer, Method::GET, "/config", None).await.status,
        403
    );
    assert_eq!(
        set_roles(&h, &writer, &writer.user_id, json!({ "roles": ["admin"] }))
            .await
            .status,
        403,
        "only an administrator grants"
    );

    // The boss grants it: the writer's older token stops working, a new one carries it.
    let bad = set_roles(&h, &boss, &writer.user_id, json!({ "roles": ["root"] })).await;
    assert_eq!(bad.status, 422, "{:?}", bad.body);
    assert_eq!(bad.body["errors"][0]["field"], "roles");
    assert_eq!(
        set_roles(
            &h,
            &boss,
            "01JCX6USR0000000000000NONE",
            json!({ "roles": ["admin"] })
        )
        .await
        .status,
        404
    );
    let grant = set_roles(
        &h,
        &boss,
        &writer.user_id,
        json!({ "roles": ["admin", "admin"], "comment": "co-founder" }),
    )
    .await;
    assert_eq!(grant.status, 200, "{:?}", grant.body);
    assert_eq!(grant.body["roles"], json!(["admin"]));
    assert_eq!(h.call(&writer, Method::GET, "/me", None).await.status, 401);
    let writer = h.sign_in("writer@example.org").await;
    assert_eq!(
        h.call(&writer, Method::GET, "/config", None).await.status,
        200
    );
    let audit = h
        .wait_for_events(
            &format!("correlationId=roles-{}", writer.user_id),
            &["RolesChanged"],
        )
        .await;
    assert_eq!(audit[0]["actor"], boss.user_id.as_str());
    assert_eq!(audit[0]["data"]["previousRoles"], json!([]));
    assert_eq!(audit[0]["data"]["comment"], "co-founder");

    // Nobody takes their own admin role; another administrator can.
    let own = set_roles(&h, &boss, &boss.user_id, json!({ "roles": [] })).await;
    assert_eq!(own.status, 409, "{:?}", own.body);
    let revoked = set_roles(&h, &writer, &boss.user_id, json!({ "roles": [] })).await;
    assert_eq!(revoked.status, 200, "{:?}", revoked.body);
    assert_eq!(
        h.call(&boss, Method::GET, "/config", None).await.status,
        401
    );
    let boss = h.sign_in("boss@example.org").await;
    assert_eq!(
        h.call(&boss, Method::GET, "/config", None).await.status,
        403
    );
    let me = h.call(&boss, Method::GET, "/me", None).await;
    assert_eq!(me.body["roles"], json!([]));
}
