//! A Shopify store connected through a Dev Dashboard app (client credentials grant): refused
//! credentials are a clear error; the token is granted, kept in the keychain with its expiry, and
//! renewed before it ends, so syncs keep working without the merchant.

mod common;

use dropdock_core::ErrorCode;
use dropdock_sandbox::SandboxConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dev_dashboard_app_connects_and_its_token_is_renewed_before_it_ends() {
    let (sandbox, dd, _demo, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 60, restore_rate: 100_000.0, ..SandboxConfig::default() }).await;
    let shop = sandbox.shop();
    let (client_id, client_secret) = shop.app_credentials();

    let refused = dd.connect_shopify_app("My shop", &sandbox.shopify_url(), &client_id, "wrong").await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Auth);
    assert!(refused.to_string().contains("reconnect"), "{refused}");
    assert_eq!(shop.grants(), 0);

    // Tokens that last 6 minutes: with 5 minutes' margin, each is renewed a minute after it came.
    shop.set_grant_lifetime(chrono::Duration::minutes(6));
    let store = dd.connect_shopify_app("My shop", &sandbox.shopify_url(), &client_id, &client_secret).await.unwrap();
    assert_eq!(shop.grants(), 1);
    let kept = dd.secrets().get(&dropdock_core::secrets::store_token_key(store.id)).unwrap().unwrap();
    let kept: serde_json::Value = serde_json::from_str(&kept).unwrap();
    assert_eq!(kept["client_id"], client_id.as_str());
    let first_token = kept["access_token"].as_str().unwrap().to_owned();
    assert!(first_token.starts_with("shpat_"));

    // Syncing with a token still fresh uses it.
    shop.set_grant_lifetime(chrono::Duration::seconds(86_399));
    let run = dd.sync(store.id, 60).await.unwrap();
    assert_eq!(run.additions, 60, "{}", run.line);
    assert_eq!(shop.grants(), 1, "a fresh token is reused");

    // A token within 5 minutes of its end is renewed before the next call, and kept.
    let mut near_end = kept.clone();
    near_end["expires_at"] = (chrono::Utc::now() + chrono::Duration::minutes(2)).to_rfc3339().into();
    dd.secrets().set(&dropdock_core::secrets::store_token_key(store.id), &near_end.to_string()).unwrap();
    dd.test_store_connection(store.id).await.unwrap();
    assert_eq!(shop.grants(), 2);
    let renewed: serde_json::Value =
        serde_json::from_str(&dd.secrets().get(&dropdock_core::secrets::store_token_key(store.id)).unwrap().unwrap())
            .unwrap();
    assert_ne!(renewed["access_token"], first_token.as_str());
    let ends = chrono::DateTime::parse_from_rfc3339(renewed["expires_at"].as_str().unwrap()).unwrap();
    assert!(ends > chrono::Utc::now() + chrono::Duration::hours(23));

    // A token revoked early (the app reinstalled): one new grant, and the call goes through.
    let mut revoked = renewed.clone();
    revoked["access_token"] = "shpat_revoked".into();
    dd.secrets().set(&dropdock_core::secrets::store_token_key(store.id), &revoked.to_string()).unwrap();
    dd.test_store_connection(store.id).await.unwrap();
    assert_eq!(shop.grants(), 3);
}
