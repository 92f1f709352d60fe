//! An API whose policy comes from configuration, can take a new tenant's
//! origin while it serves, and reports every denial to `tracing`.
//!
//! ```text
//! cargo run --example from_config --features serde,tracing
//! APP_ENV=production cargo run --example from_config --features serde,tracing
//! CORS_ORIGINS=https://a.example.com,https://b.example.com CORS_METHODS=GET,POST \
//!     cargo run --example from_config --features serde,tracing
//! ```
//!
//! - The policy is `[policies.<APP_ENV>]` of `examples/config/cors.toml`
//!   (`staging` by default), or, when `CORS_ORIGINS` is set, the `CORS_*`
//!   environment variables. A mistake stops the server with every problem and
//!   its key path.
//! - `POST /tenants` with an origin as its body adds it to the policy, without a
//!   restart; an invalid origin is refused with the reason, and the policy stays.
//! - Every denied request prints one `static_cors` event naming its reason.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use static_cors::{CorsLayer, DynamicPolicy, Policy, PolicyConfig};

/// The configuration as written, and where it comes from.
struct Loaded {
    table: toml::Table,
    source: String,
}

/// The `CORS_*` environment variables when `CORS_ORIGINS` is set, else the
/// file's policy for `APP_ENV`.
fn load() -> Result<Loaded, String> {
    if std::env::var_os("CORS_ORIGINS").is_some() {
        // Every value is a string: `PolicyConfig` reads a list from
        // comma-separated items, a flag from `true`, `max_age` from digits.
        let table = envy::prefixed("CORS_")
            .from_env::<toml::Table>()
            .map_err(|e| e.to_string())?;
        return Ok(Loaded {
            table,
            source: "the CORS_* environment variables".to_owned(),
        });
    }
    let env = std::env::var("APP_ENV").unwrap_or_else(|_| "staging".to_owned());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/config/cors.toml");
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut file: toml::Table = text.parse().map_err(|e| format!("{path}: {e}"))?;
    let table = file
        .get_mut("policies")
        .and_then(|p| p.as_table_mut())
        .and_then(|p| p.remove(&env))
        .and_then(|p| p.try_into().ok())
        .ok_or_else(|| format!("{path}: no [policies.{env}] table"))?;
    Ok(Loaded {
        table,
        source: format!("[policies.{env}] of examples/config/cors.toml"),
    })
}

/// A configuration table as a validated policy, or every problem.
fn policy_of(table: &toml::Table) -> Result<Policy, String> {
    let config: PolicyConfig = toml::Value::Table(table.clone())
        .try_into()
        .map_err(|e: toml::de::Error| e.to_string())?;
    Policy::try_from(config).map_err(|e| e.to_string())
}

/// The configuration serving now, and the policy built from it.
#[derive(Clone)]
struct Tenants {
    policy: DynamicPolicy,
    table: Arc<Mutex<toml::Table>>,
}

/// Adds a tenant's origin to the configuration: the whole policy is validated
/// again before it replaces the one serving.
async fn add_tenant(State(tenants): State<Tenants>, origin: String) -> (StatusCode, Json<Value>) {
    let mut table = tenants.table.lock().unwrap_or_else(|e| e.into_inner());
    let mut next = table.clone();
    let mut origins: Vec<toml::Value> = match next.remove("origins") {
        Some(toml::Value::Array(list)) => list,
        Some(toml::Value::String(list)) => list
            .split(',')
            .map(|o| toml::Value::String(o.trim().to_owned()))
            .collect(),
        _ => Vec::new(),
    };
    origins.push(toml::Value::String(origin.trim().to_owned()));
    next.insert("origins".to_owned(), toml::Value::Array(origins));
    let result =
        policy_of(&next).and_then(|p| tenants.policy.reconfigure(p).map_err(|e| e.to_string()));
    match result {
        Ok(()) => {
            *table = next;
            let origins: Vec<&str> = table["origins"]
                .as_array()
                .map(|list| list.iter().filter_map(toml::Value::as_str).collect())
                .unwrap_or_default();
            (StatusCode::OK, Json(json!({ "origins": origins })))
        }
        Err(error) => (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))),
    }
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_target(true)
        .without_time()
        .init();

    let loaded = match load() {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("cannot read the CORS policy: {e}");
            std::process::exit(1);
        }
    };
    let policy = match policy_of(&loaded.table) {
        Ok(policy) => policy,
        Err(error) => {
            eprintln!("{} holds an {error}", loaded.source);
            std::process::exit(1);
        }
    };
    let tenants = Tenants {
        policy: DynamicPolicy::new(policy),
        table: Arc::new(Mutex::new(loaded.table)),
    };

    let api = Router::new()
        .route(
            "/items",
            get(async || Json(json!(["a", "b"]))).post(async || StatusCode::CREATED),
        )
        .layer(CorsLayer::new(tenants.policy.clone()));
    // Mounted after the layer: an operator's endpoint, not for browsers.
    let app = api.route("/tenants", post(add_tenant)).with_state(tenants);

    let port = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3002);
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = tokio::net::TcpListener::bind(address).await.unwrap();
    println!(
        "serving http://{address} with the policy of {}",
        loaded.source
    );
    println!();
    println!("# a preflight asking for a header the policy does not allow: denied, and logged");
    println!(
        "curl -si -X OPTIONS http://{address}/items -H 'Origin: https://staging.example.com' \\\n    -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: x-trace'"
    );
    println!("# a new tenant, without a restart; then its origin is allowed");
    println!("curl -si -X POST http://{address}/tenants -d 'https://tenant.example.net'");
    println!("curl -si http://{address}/items -H 'Origin: https://tenant.example.net'");
    println!("# a mistake is refused, and the policy stays as it was");
    println!("curl -si -X POST http://{address}/tenants -d 'https://tenant.example.net/app'");
    axum::serve(listener, app).await.unwrap();
}
