//! The release build (scripts/release): a static Linux binary and a Windows
//! .exe that admins download instead of installing Rust.
//!
//! By default only a bounded slice runs: the native binary's help and errors
//! carry no terminal escapes when piped, and, when the mingw toolchain is
//! installed, the CLI type-checks for Windows (the `cfg(windows)` code and
//! ring's C cross build). The full run is ignored by default and also needs
//! RELEASE_TESTS=1: it builds both release binaries with scripts/release and
//! runs them, the Linux one natively, the .exe under wine, each against the
//! debug build's answer; and it links the .exe twice to check that the same
//! source gives the same bytes.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_imap-doctor");
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const WINDOWS: &str = "x86_64-pc-windows-gnu";

/// scripts/release empties release/ first: one run at a time.
static RELEASE_DIR: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// `scripts/release` with `args`, without what `cargo test` sets for a test
/// (CARGO_PKG_*, CARGO_MANIFEST_DIR, …): those would make the inner build
/// differ from the script run by hand and relink both binaries each time.
fn release_script(args: &[&str]) -> Command {
    let mut c = Command::new(Path::new(ROOT).join("scripts/release"));
    c.args(args).current_dir(ROOT);
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("CARGO_") && k != "CARGO_HOME" && k != "CARGO_TARGET_DIR" {
            c.env_remove(&*k);
        }
    }
    c
}

fn full_run() -> bool {
    std::env::var("RELEASE_TESTS").is_ok_and(|v| v == "1")
}

fn on_path(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn rust_target_installed(target: &str) -> bool {
    Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l == target)
        })
}

/// Runs `cmd` to completion, killing it after `limit` (a wedged wine or a
/// cargo waiting on a lock must fail the test, not hang it).
fn run_bounded(mut cmd: Command, limit: Duration) -> Output {
    let what = format!("{cmd:?}");
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(r) => r.unwrap_or_else(|e| panic!("{what}: {e}")),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &id.to_string()]).status();
            panic!("{what} took longer than {limit:?}");
        }
    }
}

fn fixture() -> PathBuf {
    Path::new(ROOT).join("tests/fixtures/missing-intermediate.txt")
}

const AT: &str = "2026-11-26T00:00:00Z";

#[test]
fn piped_help_and_errors_carry_no_terminal_escapes() {
    for args in [&["--help"][..], &["analyze", "--no-such-flag"][..]] {
        let mut c = Command::new(BIN);
        // Neither asked for nor against colour: the pipe alone must turn it off.
        c.args(args)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE");
        let o = run_bounded(c, Duration::from_secs(30));
        let all = [o.stdout, o.stderr].concat();
        assert!(!all.is_empty());
        assert!(
            !all.contains(&0x1b),
            "{args:?}: {}",
            String::from_utf8_lossy(&all)
        );
    }
}

/// The cheap guard of the Windows build: `cargo check` for the Windows
/// target, which compiles ring's C with mingw and type-checks the
/// `cfg(windows)` console code. Skipped (saying so) without the toolchain;
/// `RELEASE_TOOLCHAINS=1 scripts/setup` installs it.
#[test]
fn the_cli_type_checks_for_windows() {
    if !on_path("x86_64-w64-mingw32-gcc") || !rust_target_installed(WINDOWS) {
        eprintln!(
            "release: SKIPPED the Windows type check: no mingw toolchain or rust target \
             {WINDOWS} (RELEASE_TOOLCHAINS=1 scripts/setup installs them)"
        );
        return;
    }
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    // The release profile: `cargo test` may still hold the debug build's lock.
    c.args([
        "check",
        "--quiet",
        "--release",
        "--locked",
        "-p",
        "imap-doctor",
        "--target",
        WINDOWS,
    ])
    .current_dir(ROOT)
    .env("CC_x86_64_pc_windows_gnu", "x86_64-w64-mingw32-gcc")
    .env("AR_x86_64_pc_windows_gnu", "x86_64-w64-mingw32-ar");
    let t = Instant::now();
    let o = run_bounded(c, Duration::from_secs(1500));
    assert!(
        o.status.success(),
        "cargo check --target {WINDOWS}:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    eprintln!("release: Windows type check in {:?}", t.elapsed());
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

#[test]
#[ignore = "builds the release binaries (minutes): RELEASE_TESTS=1 cargo test -p imap-doctor --test cli release:: -- --ignored"]
fn release_binaries_answer_like_the_debug_build() {
    if !full_run() {
        eprintln!(
            "release: SKIPPED building and running the release binaries (set RELEASE_TESTS=1)"
        );
        return;
    }
    let _one = RELEASE_DIR.lock().unwrap_or_else(|e| e.into_inner());
    let c = release_script(&["--no-page"]);
    let t = Instant::now();
    let o = run_bounded(c, Duration::from_secs(3600));
    assert!(
        o.status.success(),
        "scripts/release --no-page:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    eprintln!("release: built in {:?}", t.elapsed());
    let dir = Path::new(ROOT).join("release");
    let linux = dir.join("imap-doctor-x86_64-linux");
    let exe = dir.join("imap-doctor-x86_64-windows.exe");

    // The debug build's answer is the reference.
    let fix = fixture();
    let fix = fix.to_str().unwrap();
    let args = ["analyze", fix, "--at", AT, "--json"];
    let mut c = Command::new(BIN);
    c.args(args);
    let reference = run_bounded(c, Duration::from_secs(60));
    assert_eq!(reference.status.code(), Some(1));
    let reference_json = json(&reference);
    assert_eq!(reference_json["verdict"], "missing-intermediate");
    let mut c = Command::new(BIN);
    c.args(["analyze", fix, "--at", AT]);
    let reference_text = run_bounded(c, Duration::from_secs(60));
    let reference_text = String::from_utf8(reference_text.stdout).unwrap();
    assert!(
        !reference_text.is_ascii(),
        "the report should hold the typography the Windows path converts"
    );

    // Linux: static, runs, same answer.
    let file = run_bounded(
        {
            let mut c = Command::new("file");
            c.arg(&linux);
            c
        },
        Duration::from_secs(30),
    );
    let file = String::from_utf8_lossy(&file.stdout);
    assert!(
        file.contains("statically linked") || file.contains("static-pie linked"),
        "{file}"
    );
    let mut c = Command::new(&linux);
    c.arg("--version");
    let v = run_bounded(c, Duration::from_secs(30));
    assert_eq!(
        String::from_utf8_lossy(&v.stdout).trim(),
        concat!("imap-doctor ", env!("CARGO_PKG_VERSION"))
    );
    let mut c = Command::new(&linux);
    c.args(args);
    let o = run_bounded(c, Duration::from_secs(60));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o), reference_json);

    // Windows, under wine in a throwaway prefix.
    let wine = ["wine64", "wine"]
        .into_iter()
        .find(|w| on_path(w))
        .expect("wine (RELEASE_TESTS=1 scripts/setup installs it)");
    let prefix = std::env::temp_dir().join(format!("imap-doctor-wine-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&prefix);
    std::fs::create_dir_all(&prefix).unwrap();
    // A wine prefix is about 700 MB: removed even when an assertion fails.
    let _cleanup = RemoveOnDrop(prefix.clone());
    let wine_env = |c: &mut Command| {
        c.env("WINEPREFIX", &prefix)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=");
    };
    // The first start creates the prefix; allow for it.
    let mut c = Command::new(wine);
    c.args(["cmd", "/c", "exit"]);
    wine_env(&mut c);
    run_bounded(c, Duration::from_secs(300));
    let exe = with_process_prng(&exe, &prefix);
    let wine_cmd = |args: &[&str]| {
        let mut c = Command::new(wine);
        c.arg(&exe).args(args);
        wine_env(&mut c);
        c
    };
    let v = run_bounded(wine_cmd(&["--version"]), Duration::from_secs(120));
    assert_eq!(
        String::from_utf8_lossy(&v.stdout).trim(),
        concat!("imap-doctor ", env!("CARGO_PKG_VERSION")),
        "{}",
        String::from_utf8_lossy(&v.stderr)
    );
    // A Windows path (wine maps Z: to /).
    let win_path = format!("Z:{}", fix.replace('/', "\\"));
    let o = run_bounded(
        wine_cmd(&["analyze", &win_path, "--at", AT, "--json"]),
        Duration::from_secs(120),
    );
    assert_eq!(o.status.code(), Some(1));
    let w = json(&o);
    // The input's name is not in the report, so the whole report must match.
    assert_eq!(w, reference_json);
    let e = run_bounded(
        wine_cmd(&["analyze", "--no-such-flag"]),
        Duration::from_secs(120),
    );
    assert_eq!(e.status.code(), Some(2));
    assert!(!e.stderr.is_empty() && !e.stderr.contains(&0x1b));

    // Without a console (wine started from pipes) the report stays UTF-8.
    let o = run_bounded(
        wine_cmd(&["analyze", &win_path, "--at", AT]),
        Duration::from_secs(120),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&o.stdout), reference_text);

    // Redirected from a console, as `imap-doctor … > report.txt` in cmd.exe:
    // the console's code page is 437 under wine, so the report is ASCII and
    // the JSON is the same value in ASCII. script(1) gives wine a terminal.
    if on_path("script") {
        let dir = prefix.join("out");
        std::fs::create_dir_all(&dir).unwrap();
        for (name, extra) in [("report.txt", &[][..]), ("report.json", &["--json"][..])] {
            let line = format!(
                "{wine} '{}' analyze '{win_path}' --at {AT} {} > '{}'",
                exe.display(),
                extra.join(" "),
                dir.join(name).display()
            );
            let mut c = Command::new("script");
            c.args(["-qec", &line, "/dev/null"]);
            wine_env(&mut c);
            let o = run_bounded(c, Duration::from_secs(120));
            assert_eq!(o.status.code(), Some(1), "{line}");
        }
        let text = std::fs::read_to_string(dir.join("report.txt")).unwrap();
        assert!(text.is_ascii(), "{text}");
        assert_eq!(text.lines().count(), reference_text.lines().count());
        assert_eq!(
            text.matches("->").count(),
            reference_text.matches("->").count() + reference_text.matches('→').count()
        );
        let j = std::fs::read_to_string(dir.join("report.json")).unwrap();
        assert!(j.is_ascii() && j.contains("\\u2192"));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&j).unwrap(), w);
    } else {
        eprintln!("release: SKIPPED the redirected-console check (no script(1))");
    }
}

struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Rust's standard library draws randomness from `ProcessPrng` in
/// bcryptprimitives.dll (Windows 10 and Server 2016 on have it). Wine before
/// 9 lacks it; then the .exe runs from a directory beside a stand-in built
/// with mingw on RtlGenRandom. Only the test harness uses it: Windows ships the DLL.
fn with_process_prng(exe: &Path, prefix: &Path) -> PathBuf {
    if prefix
        .join("drive_c/windows/system32/bcryptprimitives.dll")
        .exists()
    {
        return exe.to_path_buf();
    }
    eprintln!("release: this wine has no bcryptprimitives.dll; using a ProcessPrng stand-in");
    let dir = prefix.join("app");
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("prng.c");
    std::fs::write(
        &src,
        "#include <windows.h>\n\
         BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);\n\
         __declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {\n\
           while (len > 0) {\n\
             ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;\n\
             if (!SystemFunction036(data, n)) return FALSE;\n\
             data += n; len -= n;\n\
           }\n\
           return TRUE;\n\
         }\n",
    )
    .unwrap();
    let mut c = Command::new("x86_64-w64-mingw32-gcc");
    c.args(["-shared", "-O2", "-o"])
        .arg(dir.join("bcryptprimitives.dll"))
        .arg(&src)
        .arg("-ladvapi32");
    let o = run_bounded(c, Duration::from_secs(120));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let copy = dir.join(exe.file_name().unwrap());
    std::fs::copy(exe, &copy).unwrap();
    copy
}

#[test]
#[ignore = "links the release .exe twice (minutes): RELEASE_TESTS=1 cargo test -p imap-doctor --test cli release:: -- --ignored"]
fn the_windows_exe_is_the_same_bytes_when_linked_again() {
    if !full_run() {
        eprintln!("release: SKIPPED the reproducible .exe check (set RELEASE_TESTS=1)");
        return;
    }
    let _one = RELEASE_DIR.lock().unwrap_or_else(|e| e.into_inner());
    let exe = Path::new(ROOT).join("release/imap-doctor-x86_64-windows.exe");
    let build = || {
        let o = run_bounded(release_script(&["--exe-only"]), Duration::from_secs(3600));
        assert!(
            o.status.success(),
            "scripts/release --exe-only:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let mut c = Command::new("sha256sum");
        c.arg(&exe);
        let sum = run_bounded(c, Duration::from_secs(60));
        String::from_utf8_lossy(&sum.stdout)
            .split_whitespace()
            .next()
            .unwrap()
            .to_string()
    };
    let first = build();
    // Seconds later, with the binary crate's source touched so that cargo
    // compiles and links it again: a link timestamp would differ now.
    std::thread::sleep(Duration::from_secs(2));
    let main = Path::new(ROOT).join("crates/cli/src/main.rs");
    let mut c = Command::new("touch");
    c.arg(&main);
    assert!(run_bounded(c, Duration::from_secs(10)).status.success());
    let second = build();
    assert_eq!(first, second, "two links of the same source differ");
    // The reason they agree: no link time in the PE header.
    let mut c = Command::new("x86_64-w64-mingw32-objdump");
    c.arg("-p").arg(&exe);
    let header =
        String::from_utf8_lossy(&run_bounded(c, Duration::from_secs(60)).stdout).into_owned();
    let stamp = header
        .lines()
        .find(|l| l.starts_with("Time/Date"))
        .unwrap_or_default()
        .to_string();
    assert!(stamp.contains("1970"), "{stamp}");
}
