//! Connecting an Etsy shop: OAuth 2.0 with PKCE through a loopback redirect, in the system
//! browser (developers.etsy.com "Authentication"; RFC 8252 "OAuth 2.0 for Native Apps").
//!
//! 1. [`Dropdock::begin_etsy_connect`] makes the PKCE pair and the state (the `oauth2` crate),
//!    starts a one-route server on `127.0.0.1:{port}` for `/etsy/callback`, and returns the
//!    authorize URL for the shell to open in the browser (the CLI prints it).
//! 2. The seller allows access on Etsy, which redirects the browser to the loopback address with
//!    `code` and `state`.
//! 3. [`Dropdock::finish_etsy_connect`] waits for that (with a timeout), checks the state, trades
//!    the code and verifier for tokens, finds the seller's shop (`getShopByOwnerUserId`, the user
//!    id being the access token's prefix), and keeps the store and its credentials; the refresh
//!    token is in the keychain from the first moment.
//!
//! Etsy only redirects to URIs registered with the app: the port is fixed
//! ([`ETSY_REDIRECT_PORT`]) so the merchant registers `http://localhost:{port}/etsy/callback`
//! once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse, TokenUrl,
};
use tokio::sync::oneshot;

use crate::context::Ctx;
use crate::error::{CoreError, Result};
use crate::orders::views::StoreView;
use crate::stores::etsy::{endpoints, oauth_http, token_error, EtsyCredentials};

/// The loopback port Etsy redirects to; register `http://localhost:45817/etsy/callback` with the
/// Etsy app.
pub const ETSY_REDIRECT_PORT: u16 = 45817;
/// The scopes Dropdock asks for: read receipts, and write them (tracking numbers); read
/// listings (the catalogue: `getListingsByShop` beyond active listings and `getListingInventory`
/// need `listings_r`).
pub const ETSY_SCOPES: [&str; 3] = ["transactions_r", "transactions_w", "listings_r"];

/// A connection waiting for the seller to allow access in the browser.
pub struct PendingEtsyConnect {
    /// Open this in the system browser.
    pub authorize_url: String,
    /// The embedded sandbox's demo shop: it follows the sandbox between launches.
    pub is_sandbox: bool,
    name: String,
    api: String,
    keystring: String,
    shared_secret: String,
    redirect: String,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
    callback: oneshot::Receiver<HashMap<String, String>>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for PendingEtsyConnect {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Step 1 (see the module doc). `api` is Etsy's API origin (`https://api.etsy.com`, or the
/// sandbox's); `port` the loopback port (0 for any free one, in tests).
/// Errors: empty keys, a bad URL, the port already taken.
pub async fn begin_etsy_connect(
    _ctx: &Ctx,
    name: &str,
    api: &str,
    keystring: &str,
    shared_secret: &str,
    port: u16,
) -> Result<PendingEtsyConnect> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CoreError::InvalidInput("name the shop".into()));
    }
    let (keystring, shared_secret) = (keystring.trim(), shared_secret.trim());
    if keystring.is_empty() || shared_secret.is_empty() {
        return Err(CoreError::InvalidInput("the Etsy app's keystring and shared secret are both needed".into()));
    }
    let api = crate::app::validate_base_url(api)?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| {
        CoreError::InvalidInput(format!(
            "cannot listen on 127.0.0.1:{port} for Etsy's answer ({e}); close what uses it"
        ))
    })?;
    let port = listener.local_addr().map_err(|e| CoreError::InvalidInput(e.to_string()))?.port();
    let redirect = format!("http://localhost:{port}/etsy/callback");
    let (authorize, token) = endpoints(&api);
    let client = oauth2::basic::BasicClient::new(ClientId::new(keystring.to_owned()))
        .set_auth_uri(AuthUrl::new(authorize).map_err(|e| CoreError::InvalidInput(e.to_string()))?)
        .set_token_uri(TokenUrl::new(token).map_err(|e| CoreError::InvalidInput(e.to_string()))?)
        .set_redirect_uri(RedirectUrl::new(redirect.clone()).map_err(|e| CoreError::InvalidInput(e.to_string()))?);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(ETSY_SCOPES.iter().map(|s| Scope::new((*s).to_owned())))
        .set_pkce_challenge(challenge)
        .url();
    let (sender, callback) = oneshot::channel();
    let sender = Arc::new(Mutex::new(Some(sender)));
    let app = axum::Router::new().route(
        "/etsy/callback",
        axum::routing::get(move |axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>| {
            let sender = sender.clone();
            async move {
                let denied = q.contains_key("error");
                if let Some(tx) = sender.lock().expect("callback lock").take() {
                    let _ = tx.send(q);
                }
                axum::response::Html(if denied {
                    "<h2>Dropdock was not given access.</h2><p>You can close this window.</p>"
                } else {
                    "<h2>Your Etsy shop is connected to Dropdock.</h2><p>You can close this window and go back to Dropdock.</p>"
                })
            }
        }),
    );
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(PendingEtsyConnect {
        authorize_url: url.to_string(),
        is_sandbox: false,
        name: name.to_owned(),
        api,
        keystring: keystring.to_owned(),
        shared_secret: shared_secret.to_owned(),
        redirect,
        state,
        verifier,
        callback,
        server,
    })
}

/// Step 3 (see the module doc): waits up to `timeout` for the browser to come back.
/// Errors: no answer in time, access refused, a state that does not match (another page's
/// answer), the code refused, no shop for the seller.
pub async fn finish_etsy_connect(ctx: &Ctx, mut pending: PendingEtsyConnect, timeout: Duration) -> Result<StoreView> {
    let answer = tokio::time::timeout(timeout, &mut pending.callback)
        .await
        .map_err(|_| {
            CoreError::InvalidInput("Etsy did not answer in time: connect again and allow access in the browser".into())
        })?
        .map_err(|_| CoreError::InvalidInput("the wait for Etsy's answer was cancelled".into()))?;
    if let Some(error) = answer.get("error") {
        return Err(CoreError::InvalidInput(format!("Etsy did not give access ({error})")));
    }
    if answer.get("state").map(String::as_str) != Some(pending.state.secret().as_str()) {
        return Err(CoreError::InvalidInput("Etsy's answer does not belong to this connection: connect again".into()));
    }
    let code = answer.get("code").cloned().unwrap_or_default();
    let (_, token_url) = endpoints(&pending.api);
    let client = oauth2::basic::BasicClient::new(ClientId::new(pending.keystring.clone()))
        .set_token_uri(TokenUrl::new(token_url).map_err(|e| CoreError::InvalidInput(e.to_string()))?)
        .set_redirect_uri(
            RedirectUrl::new(pending.redirect.clone()).map_err(|e| CoreError::InvalidInput(e.to_string()))?,
        )
        .set_auth_type(AuthType::RequestBody);
    let verifier = PkceCodeVerifier::new(pending.verifier.secret().clone());
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(&oauth_http())
        .await
        .map_err(|e| CoreError::Connector(token_error(&e)))?;
    let access = tokens.access_token().secret().clone();
    let refresh = tokens
        .refresh_token()
        .map(|r| r.secret().clone())
        .ok_or_else(|| CoreError::InvalidInput("Etsy gave no refresh token".into()))?;
    let user_id = access.split('.').next().unwrap_or_default().to_owned();
    let shop: serde_json::Value = ctx
        .http_client()
        .get(format!("{}/v3/application/users/{user_id}/shops", pending.api))
        .header("x-api-key", format!("{}:{}", pending.keystring, pending.shared_secret))
        .bearer_auth(&access)
        .send()
        .await
        .map_err(|e| CoreError::Connector(crate::stores::ConnectorError::from_transport("Etsy shop", &e)))?
        .json()
        .await
        .map_err(|_| CoreError::InvalidInput("Etsy did not say which shop is yours".into()))?;
    let shop_id = shop["shop_id"]
        .as_u64()
        .ok_or_else(|| CoreError::InvalidInput("no Etsy shop belongs to this account".into()))?;
    let credentials = EtsyCredentials {
        keystring: pending.keystring.clone(),
        shared_secret: pending.shared_secret.clone(),
        shop_id,
        access_token: access,
        refresh_token: refresh,
        expires_at: chrono::Utc::now()
            + chrono::Duration::from_std(tokens.expires_in().unwrap_or(Duration::from_secs(3600))).unwrap_or_default(),
    };
    let secret = serde_json::to_string(&credentials).expect("credentials serialise");
    let store = crate::stores::connect::keep_store_credentials(
        ctx,
        &pending.name,
        "etsy",
        &pending.api,
        &secret,
        pending.is_sandbox,
    )?;
    tracing::info!(shop_id, "Etsy shop connected");
    Ok(store)
}
