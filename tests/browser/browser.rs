//! chromedriver and headless Chromium, driven through fantoccini over plain HTTP.
//!
//! * chromedriver runs as a child process in its own process group, on a free
//!   loopback port. It is ready when `GET /status` says `"ready": true`.
//! * Every [`Browser`] gets a brand-new, empty `--user-data-dir`, so cookies and
//!   the CORS preflight cache never leak between tests or runs.
//! * Every wait has a timeout, and every failure to start is an `Err` whose text
//!   says what failed and ends with chromedriver's log, so a machine without a
//!   working browser fails the suite loudly instead of skipping it.
//! * Clean-up happens in `Drop`, so a panicking test still kills chromedriver,
//!   every Chromium process of its profile, and removes the profile.

use std::fmt::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

/// Environment variable that overrides the Chromium binary.
pub const CHROMIUM_ENV: &str = "CHROMIUM_BIN";
/// Environment variable that overrides the chromedriver binary.
pub const CHROMEDRIVER_ENV: &str = "CHROMEDRIVER_BIN";

/// How long chromedriver may take to answer `/status` with `ready: true`.
const DRIVER_READY_TIMEOUT: Duration = Duration::from_secs(20);
/// How long chromedriver may take to launch Chromium and open a session.
const SESSION_TIMEOUT: Duration = Duration::from_secs(45);
/// Upper bound for any single WebDriver command (navigation, script, close).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
/// The WebDriver script and page-load timeouts, in milliseconds (shorter than
/// [`COMMAND_TIMEOUT`], so that chromedriver reports them first).
const PAGE_TIMEOUT_MS: u64 = 15_000;

/// The Chromium binary: `$CHROMIUM_BIN`, else `/usr/bin/chromium`.
pub fn chromium_bin() -> String {
    std::env::var(CHROMIUM_ENV).unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// The chromedriver binary: `$CHROMEDRIVER_BIN`, else `/usr/bin/chromedriver`.
pub fn chromedriver_bin() -> String {
    std::env::var(CHROMEDRIVER_ENV).unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}

/// A free loopback port: bind `127.0.0.1:0`, read the port, release it.
///
/// Only chromedriver's port is chosen this way (it must be passed on its command
/// line); the test servers keep the listener they bound.
fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("cannot bind 127.0.0.1:0 to find a free port: {e}"))
}

/// A fresh, empty directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<Self, String> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "static-cors-browser-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&path)
            .map_err(|e| format!("cannot create temp dir {}: {e}", path.display()))?;
        Ok(Self(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The chromedriver process, and through the profile path, the Chromium
/// processes it started. Everything is killed on drop.
struct DriverProcess {
    child: Child,
    /// Text found in the command line of every Chromium process of this driver:
    /// the path of its private profile directory.
    profile_marker: String,
}

impl DriverProcess {
    /// SIGKILLs the Chromium processes of our profile and chromedriver's process
    /// group, then reaps chromedriver.
    fn kill_all(&mut self) {
        let mut targets = pids_with_cmdline_containing(&self.profile_marker);
        // Chromium may leave chromedriver's process group; the group (chromedriver
        // is its leader) catches whatever did not.
        targets.push(format!("-{}", self.child.id()));
        let _ = Command::new("kill")
            .arg("-KILL")
            .arg("--")
            .args(&targets)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        self.kill_all();
    }
}

/// The pids (as text, for `kill`) of the processes whose command line contains
/// `needle`.
fn pids_with_cmdline_containing(needle: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            name.parse::<u32>().ok()?;
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            String::from_utf8_lossy(&cmdline)
                .contains(needle)
                .then_some(name)
        })
        .collect()
}

/// A headless Chromium session with a fresh profile.
pub struct Browser {
    client: Client,
    // Held for their `Drop` only. Field order matters: the processes die
    // before their profile directory is removed.
    _driver: DriverProcess,
    _workdir: TempDir,
}

impl Browser {
    /// Starts chromedriver and a Chromium session, with the binaries named by
    /// [`chromium_bin`] and [`chromedriver_bin`].
    pub async fn start() -> Result<Self, String> {
        Self::start_with(&chromium_bin(), &chromedriver_bin()).await
    }

    /// Starts chromedriver (`chromedriver`) and a session of `chromium`.
    pub async fn start_with(chromium: &str, chromedriver: &str) -> Result<Self, String> {
        for (what, path, var) in [
            ("Chromium", chromium, CHROMIUM_ENV),
            ("chromedriver", chromedriver, CHROMEDRIVER_ENV),
        ] {
            if !Path::new(path).exists() {
                return Err(format!(
                    "{what} not found at {path}: install it (`apt-get install -y chromium \
                     chromium-driver`, as .ci/browser.sh does) or point ${var} at it"
                ));
            }
        }

        let workdir = TempDir::new()?;
        let profile = workdir.0.join("profile");
        std::fs::create_dir(&profile).map_err(|e| format!("cannot create profile dir: {e}"))?;
        let log_path = workdir.0.join("chromedriver.log");

        let port = free_port()?;
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log_path.display()))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot spawn chromedriver {chromedriver}: {e}"))?;
        let mut driver = DriverProcess {
            child,
            profile_marker: profile.display().to_string(),
        };

        let deadline = Instant::now() + DRIVER_READY_TIMEOUT;
        loop {
            if let Ok(Some(status)) = driver.child.try_wait() {
                return Err(format!(
                    "chromedriver {chromedriver} exited before it was ready ({status}); log:\n{}",
                    log_tail(&log_path)
                ));
            }
            if driver_ready(port).await {
                break;
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "chromedriver {chromedriver} not ready on 127.0.0.1:{port} after \
                     {DRIVER_READY_TIMEOUT:?}; log:\n{}",
                    log_tail(&log_path)
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities(chromium, &profile));
        let url = format!("http://127.0.0.1:{port}");
        let client = match tokio::time::timeout(SESSION_TIMEOUT, builder.connect(&url)).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => {
                return Err(format!(
                    "chromedriver could not start Chromium ({chromium}): {e}\nchromedriver log:\n{}",
                    log_tail(&log_path)
                ));
            }
            Err(_) => {
                return Err(format!(
                    "no WebDriver session with Chromium ({chromium}) after {SESSION_TIMEOUT:?}; \
                     chromedriver log:\n{}",
                    log_tail(&log_path)
                ));
            }
        };
        Ok(Self {
            client,
            _driver: driver,
            _workdir: workdir,
        })
    }

    /// Navigates to `url` and waits for the page to load.
    pub async fn goto(&self, url: &str) -> Result<(), String> {
        timed(self.client.goto(url), &format!("navigating to {url}")).await
    }

    /// Runs a synchronous script and returns its result.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        timed(self.client.execute(script, args), "execute").await
    }

    /// Runs an asynchronous script: the last argument the script receives is the
    /// WebDriver callback, to be called with the (JSON) result.
    pub async fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        timed(self.client.execute_async(script, args), "execute_async").await
    }

    /// Ends the session (chromedriver then quits Chromium); dropping `self` then
    /// kills whatever is left.
    pub async fn shutdown(self) {
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.clone().close()).await;
    }
}

/// Awaits a WebDriver command for at most [`COMMAND_TIMEOUT`].
async fn timed<T, E: std::fmt::Display>(
    command: impl Future<Output = Result<T, E>>,
    what: &str,
) -> Result<T, String> {
    match tokio::time::timeout(COMMAND_TIMEOUT, command).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(format!("{what}: {e}")),
        Err(_) => Err(format!("{what}: no answer after {COMMAND_TIMEOUT:?}")),
    }
}

/// The session's capabilities: headless Chromium on a fresh profile, with the
/// background traffic that could disturb request counts turned off.
fn capabilities(chromium: &str, profile: &Path) -> serde_json::Map<String, Value> {
    let args = [
        "--headless".to_owned(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--no-first-run".into(),
        "--disable-quic".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let caps = json!({
        "browserName": "chrome",
        "pageLoadStrategy": "normal",
        "timeouts": { "script": PAGE_TIMEOUT_MS, "pageLoad": PAGE_TIMEOUT_MS, "implicit": 0 },
        "goog:chromeOptions": { "binary": chromium, "args": args },
    });
    match caps {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// Whether chromedriver on `port` answers `GET /status` with `"ready": true`,
/// within 2 s. A raw HTTP/1.1 request over a socket: no client is needed for
/// one line of JSON.
async fn driver_ready(port: u16) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let attempt = async {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .ok()?;
        stream
            .write_all(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .await
            .ok()?;
        // chromedriver may keep the connection open despite `Connection: close`:
        // stop as soon as the ready flag has arrived instead of waiting for EOF.
        let mut seen = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return Some(false);
            }
            seen.extend_from_slice(&chunk[..n]);
            let compact: String = String::from_utf8_lossy(&seen)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if compact.contains("\"ready\":true") {
                return Some(true);
            }
        }
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(2), attempt).await,
        Ok(Some(true))
    )
}

/// The last 25 lines of chromedriver's log, indented, for error messages.
fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| format!("<no log: {e}>"));
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for line in &lines[lines.len().saturating_sub(25)..] {
        let _ = writeln!(out, "  | {line}");
    }
    out
}
