//! The three browser engines the suite runs in, and every way in which driving
//! them differs, in one table: [`ENGINES`]. Nothing else in the suite names an
//! engine; a test whose assertion depends on the engine reads it from here.
//!
//! `BROWSER_ENGINE` chooses the engine of a run (`chromium`, `firefox` or
//! `webkit`; `chromium` when unset). Each engine's binaries can be overridden
//! by an environment variable of its own (see [`Engine::browser_env`] and
//! [`Engine::driver_env`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

/// The environment variable that chooses the engine.
pub const ENGINE_ENV: &str = "BROWSER_ENGINE";

/// The WebDriver script and page-load timeouts, in milliseconds.
pub const PAGE_TIMEOUT_MS: u64 = 15_000;

/// What the driver of a session is told when it starts.
pub struct DriverArgs<'a> {
    /// The port the driver listens on.
    pub port: u16,
    /// A second free port, for drivers that open a WebSocket of their own.
    pub spare_port: u16,
    /// Where a driver that writes its log to a file writes it.
    pub log: &'a Path,
}

/// One browser engine: how to find it, start it and read its answers.
pub struct Engine {
    /// The value of `BROWSER_ENGINE` that selects it.
    pub id: &'static str,
    /// Its name in messages (`Chromium`).
    pub name: &'static str,
    /// The environment variable that overrides the browser binary.
    pub browser_env: &'static str,
    /// The browser binary when [`Engine::browser_env`] is unset.
    pub default_browser: fn() -> String,
    /// The WebDriver server's name in messages (`chromedriver`).
    pub driver_name: &'static str,
    /// The environment variable that overrides the driver binary.
    pub driver_env: &'static str,
    /// The driver binary when [`Engine::driver_env`] is unset.
    pub default_driver: fn() -> String,
    /// The driver's command-line arguments.
    pub driver_args: fn(&DriverArgs) -> Vec<String>,
    /// The capabilities of a new session, given the browser binary and a
    /// fresh, empty directory for its profile.
    pub capabilities: fn(&str, &Path) -> Value,
    /// The message of the `TypeError` with which `fetch` rejects when CORS
    /// blocks a response.
    pub type_error: &'static str,
    /// How long the driver may take to launch the browser and open a session.
    /// Chromium's and Firefox's drivers report a browser that dies at start
    /// themselves, so theirs only bounds a slow start on a loaded machine;
    /// WebKitWebDriver never notices it, so this is how long it takes to say so.
    pub session_timeout: Duration,
    /// Whether the browser needs an X display even when the page is not shown
    /// (WebKitGTK has no headless mode: run it under `xvfb-run -a`).
    pub needs_display: bool,
    /// How to install the engine on Debian, for error messages.
    pub install: &'static str,
    /// What the engine does where engines differ, as measured by the tests
    /// of `differences.rs`.
    pub behaviour: Behaviour,
    /// The engine whose algorithm `static_cors::testing` follows for it: the
    /// model that every fetch of the suite is also run through.
    pub model: static_cors::testing::Engine,
}

/// What an engine does in the cases where engines are known or suspected to
/// differ. Each field is asserted by a test of `differences.rs`, in its engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Behaviour {
    /// A credentialed request passes a preflight answered
    /// `Access-Control-Allow-Methods: *` (the standard: no, `*` is a method
    /// name there).
    pub star_methods_with_credentials: bool,
    /// A credentialed request passes a preflight answered
    /// `Access-Control-Allow-Headers: *` (the standard: no).
    pub star_headers_with_credentials: bool,
    /// `Authorization` passes a preflight answered
    /// `Access-Control-Allow-Headers: *` (the standard: no; Chromium, Firefox
    /// and WebKit all still let it pass).
    pub authorization_under_star: bool,
    /// `Range: bytes=0-` is safelisted: no preflight (the standard: yes).
    pub range_safelisted: bool,
    /// `Sec-Fetch-Site` is sent to a plain-`http` non-loopback host, which is
    /// not potentially trustworthy (the standard: no).
    pub fetch_metadata_to_untrustworthy: bool,
    /// What a page on a non-loopback address gets when it calls loopback.
    pub local_network: LocalNetwork,
    /// Request headers of one name given twice are joined with `, ` before
    /// the safelist's 128-byte limit applies, so two `accept` values of 100
    /// bytes are preflighted (the standard: no, each entry is checked alone).
    pub joins_repeated_headers: bool,
    /// Safelisted request header values over 1024 bytes together are
    /// preflighted: nine `accept` values of 120 bytes (the standard: yes).
    pub limits_safelisted_total: bool,
    /// The preflight cache keeps an entry per method, so a preflight for
    /// `DELETE` leaves a cached `PUT` of the same URL in place (the standard:
    /// yes); otherwise one result per URL, which the next preflight replaces.
    pub caches_per_method: bool,
}

/// What an engine does with a request from a page on a non-loopback address
/// to loopback (Private, now Local, Network Access).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalNetwork {
    /// Sent as any other request: no preflight, no permission.
    Unrestricted,
    /// Refused before anything is sent: the fetch rejects with the engine's
    /// `TypeError` (no permission can be granted in an automated session).
    Refused,
    /// Held for a permission prompt that no one answers: nothing is sent, and
    /// the fetch neither completes nor fails until the page gives up.
    AwaitsPermission,
}

/// What the Fetch standard prescribes for each case of [`Behaviour`]. Local
/// Network Access is a draft outside Fetch, which asks the user for a
/// permission: [`LocalNetwork::AwaitsPermission`] in an automated session.
pub const STANDARD: Behaviour = Behaviour {
    star_methods_with_credentials: false,
    star_headers_with_credentials: false,
    authorization_under_star: false,
    range_safelisted: true,
    fetch_metadata_to_untrustworthy: false,
    local_network: LocalNetwork::AwaitsPermission,
    joins_repeated_headers: false,
    limits_safelisted_total: true,
    caches_per_method: true,
};

/// Chromium, Firefox and WebKit, as `BROWSER_ENGINE` names them.
pub static ENGINES: [Engine; 3] = [
    Engine {
        id: "chromium",
        name: "Chromium",
        browser_env: "CHROMIUM_BIN",
        default_browser: || "/usr/bin/chromium".into(),
        driver_name: "chromedriver",
        driver_env: "CHROMEDRIVER_BIN",
        default_driver: || "/usr/bin/chromedriver".into(),
        // `--log-path` and `--allowed-ips` exist in chromedriver only.
        driver_args: |a| {
            vec![
                format!("--port={}", a.port),
                format!("--log-path={}", a.log.display()),
                "--allowed-ips=127.0.0.1".into(),
            ]
        },
        // Headless, on the fresh profile, with the background traffic that
        // could disturb request counts turned off.
        capabilities: |binary, profile| {
            json!({
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": binary,
                    "args": [
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--disable-quic",
                        format!("--user-data-dir={}", profile.display()),
                    ],
                },
            })
        },
        type_error: "Failed to fetch",
        session_timeout: Duration::from_secs(90),
        needs_display: false,
        install: "apt-get install -y chromium chromium-driver",
        model: static_cors::testing::Engine::Chromium,
        behaviour: Behaviour {
            authorization_under_star: true,
            local_network: LocalNetwork::Refused,
            joins_repeated_headers: true,
            caches_per_method: false,
            ..STANDARD
        },
    },
    Engine {
        id: "firefox",
        name: "Firefox",
        browser_env: "FIREFOX_BIN",
        default_browser: || "/usr/bin/firefox-esr".into(),
        driver_name: "geckodriver",
        driver_env: "GECKODRIVER_BIN",
        default_driver: || find_in_path_or_cargo_bin("geckodriver"),
        // geckodriver's own WebSocket (WebDriver BiDi) port defaults to a
        // fixed 9222: give it a free one, so that runs never collide.
        driver_args: |a| {
            vec![
                "--host=127.0.0.1".into(),
                format!("--port={}", a.port),
                format!("--websocket-port={}", a.spare_port),
            ]
        },
        // `-profile` puts the profile's path on Firefox's command line, where
        // the clean-up finds its processes.
        capabilities: |binary, profile| {
            json!({
                "browserName": "firefox",
                "moz:firefoxOptions": {
                    "binary": binary,
                    "args": ["-headless", "-profile", profile.display().to_string()],
                },
            })
        },
        type_error: "NetworkError when attempting to fetch resource.",
        session_timeout: Duration::from_secs(90),
        needs_display: false,
        install: "apt-get install -y firefox-esr; cargo install geckodriver --version 0.37.1 --locked",
        model: static_cors::testing::Engine::Firefox,
        behaviour: Behaviour {
            authorization_under_star: true,
            local_network: LocalNetwork::AwaitsPermission,
            limits_safelisted_total: false,
            ..STANDARD
        },
    },
    Engine {
        id: "webkit",
        name: "WebKit",
        browser_env: "MINIBROWSER_BIN",
        default_browser: || {
            format!(
                "/usr/lib/{}-linux-gnu/webkit2gtk-4.1/MiniBrowser",
                std::env::consts::ARCH
            )
        },
        driver_name: "WebKitWebDriver",
        driver_env: "WEBKITWEBDRIVER_BIN",
        default_driver: || "/usr/bin/WebKitWebDriver".into(),
        driver_args: |a| vec![format!("--port={}", a.port), "--host=local".into()],
        // Automation sessions of WebKitGTK are ephemeral: no profile to give.
        capabilities: |binary, _profile| {
            json!({
                "browserName": "MiniBrowser",
                "webkitgtk:browserOptions": { "binary": binary, "args": ["--automation"] },
            })
        },
        type_error: "Load failed",
        session_timeout: Duration::from_secs(60),
        needs_display: true,
        install: "apt-get install -y webkit2gtk-driver xvfb xauth",
        model: static_cors::testing::Engine::WebKit,
        behaviour: Behaviour {
            authorization_under_star: true,
            local_network: LocalNetwork::Unrestricted,
            joins_repeated_headers: true,
            caches_per_method: false,
            ..STANDARD
        },
    },
];

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl Engine {
    /// The engine that `BROWSER_ENGINE` names (Chromium when unset).
    ///
    /// # Panics
    ///
    /// When `BROWSER_ENGINE` names no engine: a run must never quietly test
    /// another engine than the one asked for.
    pub fn current() -> &'static Engine {
        let id = std::env::var(ENGINE_ENV).unwrap_or_else(|_| "chromium".into());
        Self::by_id(&id).unwrap_or_else(|| {
            let known: Vec<&str> = ENGINES.iter().map(|e| e.id).collect();
            panic!("{ENGINE_ENV}={id:?} names no engine: expected one of {known:?}")
        })
    }

    /// The engine whose [`Engine::id`] is `id`.
    pub fn by_id(id: &str) -> Option<&'static Engine> {
        ENGINES.iter().find(|e| e.id == id)
    }

    /// The browser binary: `$<browser_env>`, else the default.
    pub fn browser_bin(&self) -> String {
        std::env::var(self.browser_env).unwrap_or_else(|_| (self.default_browser)())
    }

    /// The driver binary: `$<driver_env>`, else the default.
    pub fn driver_bin(&self) -> String {
        std::env::var(self.driver_env).unwrap_or_else(|_| (self.default_driver)())
    }

    /// The complete capabilities of a session: the engine's, with the
    /// timeouts that every engine shares.
    pub fn session_capabilities(
        &self,
        binary: &str,
        profile: &Path,
    ) -> serde_json::Map<String, Value> {
        let Value::Object(mut caps) = (self.capabilities)(binary, profile) else {
            unreachable!("every engine's capabilities are a JSON object")
        };
        caps.insert("pageLoadStrategy".into(), json!("normal"));
        caps.insert(
            "timeouts".into(),
            json!({ "script": PAGE_TIMEOUT_MS, "pageLoad": PAGE_TIMEOUT_MS, "implicit": 0 }),
        );
        caps
    }

    /// Why the engine cannot start with `display` as the value of `DISPLAY`,
    /// if it cannot: a WebKitGTK browser without a display never starts, and
    /// its driver waits for it forever instead of saying so.
    pub fn display_problem(&self, display: Option<&std::ffi::OsStr>) -> Option<String> {
        let missing = display.is_none_or(|d| d.is_empty());
        (self.needs_display && missing).then(|| {
            format!(
                "{} needs an X display and DISPLAY is not set: run the suite under \
                 `xvfb-run -a` (apt-get install -y xvfb xauth)",
                self.name
            )
        })
    }
}

/// `name` found in `PATH`, else in Cargo's `bin` directory (where `cargo
/// install` puts it), else `name` itself (which then fails to start, with a
/// message that names it).
fn find_in_path_or_cargo_bin(name: &str) -> String {
    let in_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .map(|dir| dir.join(name));
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    let in_cargo = cargo_home.map(|home| home.join("bin").join(name));
    in_path
        .chain(in_cargo)
        .find(|candidate| candidate.is_file())
        .map_or_else(|| name.to_owned(), |found| found.display().to_string())
}
