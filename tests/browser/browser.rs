//! A WebDriver server (chromedriver, geckodriver or WebKitWebDriver) and the
//! browser it drives, through fantoccini over plain HTTP. Which engine, and
//! everything in which the engines differ, comes from [`crate::engine`].
//!
//! * The driver runs as a child process in its own process group, on a free
//!   loopback port. It is ready when `GET /status` says `"ready": true`.
//! * Every [`Browser`] gets a brand-new, empty profile (WebKitGTK's automation
//!   sessions are ephemeral), so cookies and the CORS preflight cache never
//!   leak between tests or runs.
//! * Every wait has a timeout, and every failure to start is an `Err` whose text
//!   names the engine, says what failed and ends with the driver's log, so a
//!   machine without a working browser fails the suite loudly instead of
//!   skipping it.
//! * Clean-up happens in `Drop`, so a panicking test still kills the driver,
//!   every browser process of its profile or process group, and removes the
//!   profile.

use std::fmt::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::Value;

use crate::engine::{DriverArgs, Engine};

/// How long the driver may take to answer `/status` with `ready: true`.
const DRIVER_READY_TIMEOUT: Duration = Duration::from_secs(20);
/// Upper bound for any single WebDriver command (navigation, script, close),
/// longer than the session's own script and page-load timeouts, so that the
/// driver reports those first.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// A free loopback port: bind `127.0.0.1:0`, read the port, release it.
///
/// Only the driver's ports are chosen this way (they must be passed on its
/// command line); the test servers keep the listener they bound.
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

/// The driver process, and through the profile path and its process group, the
/// browser processes it started. Everything is killed on drop.
struct DriverProcess {
    child: Child,
    /// Text found in the command line of the browser processes of this driver:
    /// the path of its private profile directory.
    profile_marker: String,
}

impl DriverProcess {
    /// SIGKILLs the browser processes of our profile and the driver's process
    /// group, then reaps the driver.
    fn kill_all(&mut self) {
        let mut targets = pids_with_cmdline_containing(&self.profile_marker);
        // A browser may leave the driver's process group; the group (the driver
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

/// A browser session with a fresh profile.
pub struct Browser {
    client: Client,
    engine: &'static Engine,
    // Held for their `Drop` only. Field order matters: the processes die
    // before their profile directory is removed.
    _driver: DriverProcess,
    _workdir: TempDir,
}

impl Browser {
    /// Starts a session of the engine that `BROWSER_ENGINE` names, with its
    /// binaries (see [`Engine::browser_bin`] and [`Engine::driver_bin`]).
    pub async fn start() -> Result<Self, String> {
        let engine = Engine::current();
        Self::start_with(&engine.browser_bin(), &engine.driver_bin()).await
    }

    /// Starts the driver `driver` and a session of the browser `browser`, of
    /// the engine that `BROWSER_ENGINE` names.
    pub async fn start_with(browser: &str, driver: &str) -> Result<Self, String> {
        Self::start_engine(Engine::current(), browser, driver).await
    }

    /// Starts the driver `driver` and a session of the browser `browser`, both
    /// of `engine`.
    pub async fn start_engine(
        engine: &'static Engine,
        browser: &str,
        driver: &str,
    ) -> Result<Self, String> {
        let name = engine.name;
        let driver_name = engine.driver_name;
        for (what, path, var) in [
            (name, browser, engine.browser_env),
            (driver_name, driver, engine.driver_env),
        ] {
            if !Path::new(path).is_file() {
                return Err(format!(
                    "{what} not found at {path}: install it (`{}`, as .ci/browser.sh does) \
                     or point ${var} at it",
                    engine.install
                ));
            }
        }
        if let Some(problem) = engine.display_problem(std::env::var_os("DISPLAY").as_deref()) {
            return Err(problem);
        }

        let workdir = TempDir::new()?;
        let profile = workdir.0.join("profile");
        std::fs::create_dir(&profile).map_err(|e| format!("cannot create profile dir: {e}"))?;
        let log_path = workdir.0.join("driver.log");
        let stderr_path = workdir.0.join("driver.stderr");
        let logs = [log_path.clone(), stderr_path.clone()];
        let stderr = std::fs::File::create(&stderr_path)
            .map_err(|e| format!("cannot create {}: {e}", stderr_path.display()))?;

        let port = free_port()?;
        let args = (engine.driver_args)(&DriverArgs {
            port,
            spare_port: free_port()?,
            log: &log_path,
        });
        let child = Command::new(driver)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(
                stderr
                    .try_clone()
                    .map_err(|e| format!("cannot share the driver's log file: {e}"))?,
            )
            .stderr(stderr)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot spawn {driver_name} {driver}: {e}"))?;
        let mut process = DriverProcess {
            child,
            profile_marker: profile.display().to_string(),
        };

        let deadline = Instant::now() + DRIVER_READY_TIMEOUT;
        loop {
            if let Ok(Some(status)) = process.child.try_wait() {
                return Err(format!(
                    "{driver_name} {driver} exited before it was ready ({status}); log:\n{}",
                    log_tail(&logs)
                ));
            }
            if driver_ready(port).await {
                break;
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{driver_name} {driver} not ready on 127.0.0.1:{port} after \
                     {DRIVER_READY_TIMEOUT:?}; log:\n{}",
                    log_tail(&logs)
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(engine.session_capabilities(browser, &profile));
        let url = format!("http://127.0.0.1:{port}");
        let session_timeout = engine.session_timeout;
        let client = match tokio::time::timeout(session_timeout, builder.connect(&url)).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => {
                return Err(format!(
                    "{driver_name} could not start {name} ({browser}): {e}\n{driver_name} log:\n{}",
                    log_tail(&logs)
                ));
            }
            Err(_) => {
                return Err(format!(
                    "no WebDriver session with {name} ({browser}) after {session_timeout:?}: \
                     did the browser die at start? {driver_name} log:\n{}",
                    log_tail(&logs)
                ));
            }
        };
        Ok(Self {
            client,
            engine,
            _driver: process,
            _workdir: workdir,
        })
    }

    /// The engine of this session.
    pub fn engine(&self) -> &'static Engine {
        self.engine
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

    /// Ends the session (the driver then quits the browser); dropping `self` then
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

/// Whether the driver on `port` answers `GET /status` with `"ready": true`,
/// within 2 s. A raw HTTP/1.1 request over a socket: no client is needed for
/// one line of JSON.
async fn driver_ready(port: u16) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let attempt = async {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .ok()?;
        stream
            // geckodriver refuses a `Host` without the port (`500 Invalid Host header`).
            .write_all(
                format!(
                    "GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
                )
                .as_bytes(),
            )
            .await
            .ok()?;
        // A driver may keep the connection open despite `Connection: close`:
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

/// The last 25 lines of each of the driver's logs that exist, indented, for
/// error messages.
fn log_tail(paths: &[PathBuf]) -> String {
    let mut out = String::new();
    for path in paths {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let lines: Vec<&str> = text.lines().collect();
        let _ = writeln!(out, "  {}:", path.display());
        for line in &lines[lines.len().saturating_sub(25)..] {
            let _ = writeln!(out, "  | {line}");
        }
    }
    out
}
