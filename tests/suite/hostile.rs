//! Hostile and huge input: every case either builds or fails with a clear error, in
//! bounded time and memory. Each runs the `shale` binary as a subprocess under an
//! address-space limit and a timeout, and prints its time and peak RSS (see them with
//! `cargo test --test suite hostile -- --nocapture`).
//!
//! The sizes keep the debug build at seconds a case; `SHALE_HOSTILE_FULL=1` runs the
//! full sizes of issue #6 (a 100 MB page, a million headings...), best with a release
//! binary: `SHALE_HOSTILE_FULL=1 SHALE_BIN=target/release/shale cargo test --test suite hostile
//! -- --nocapture --test-threads=1` (`SHALE_BIN` names the binary to run).

#[path = "hostile/gen.rs"]
mod gen;

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gen::Files;

/// Whether to run the full sizes.
fn full() -> bool {
    std::env::var("SHALE_HOSTILE_FULL").is_ok_and(|v| v == "1")
}

/// `ci` normally, `full` under `SHALE_HOSTILE_FULL=1`.
fn size(ci: usize, full_size: usize) -> usize {
    if full() {
        full_size
    } else {
        ci
    }
}

/// How a run ended.
struct Outcome {
    code: Option<i32>,
    signal: Option<i32>,
    timed_out: bool,
    stderr: String,
    secs: f64,
    rss_mb: f64,
}

/// Runs `shale ARGS` in `dir` with at most `mem_mb` of address space, killed after
/// `timeout`; peak RSS from the kernel's accounting of the child (`wait4`).
fn run(dir: &Path, args: &[&str], timeout: Duration, mem_mb: u64) -> Outcome {
    let bin = std::env::var_os("SHALE_BIN")
        .map(std::path::PathBuf::from)
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_shale").into());
    let mut cmd = Command::new(bin);
    cmd.current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("RUST_BACKTRACE", "1");
    let limit = mem_mb << 20;
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let r = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &r) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let start = Instant::now();
    // Reaped by `wait4` below, which also gives its peak RSS.
    #[allow(clippy::zombie_processes)]
    let mut child = cmd.spawn().expect("running shale");
    let pid = child.id() as libc::pid_t;
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = r.read_to_end(&mut s);
            String::from_utf8_lossy(&s).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let mut timed_out = false;
    let (status, rusage) = loop {
        let mut status = 0;
        // SAFETY: plain syscall on our own child with valid out-pointers.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        let flags = if timed_out { 0 } else { libc::WNOHANG };
        let r = unsafe { libc::wait4(pid, &mut status, flags, &mut ru) };
        if r == pid {
            break (status, ru);
        }
        assert!(r == 0, "wait4: {}", std::io::Error::last_os_error());
        if start.elapsed() > timeout {
            let _ = child.kill();
            timed_out = true;
            continue;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let secs = start.elapsed().as_secs_f64();
    let _ = out.join();
    let (code, signal) = if libc::WIFEXITED(status) {
        (Some(libc::WEXITSTATUS(status)), None)
    } else {
        (None, Some(libc::WTERMSIG(status)))
    };
    Outcome {
        code,
        signal,
        timed_out,
        stderr: err.join().unwrap(),
        secs,
        rss_mb: rusage.ru_maxrss as f64 / 1024.0,
    }
}

/// Writes `files` into a fresh project folder; returns it and the bytes written. The
/// files are dropped here: the child inherits the test's resident size at `fork` as its
/// peak RSS floor (Linux carries it over `exec`), so the test holds little then.
fn project(files: Files) -> (tempfile::TempDir, usize) {
    let d = tempfile::tempdir().unwrap();
    let mut bytes = 0;
    for (path, body) in files {
        let p = d.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, &body).unwrap();
        bytes += body.len();
    }
    (d, bytes)
}

/// What a case must do.
enum Expect<'a> {
    /// Build, with stderr containing each of these (warnings).
    Builds(&'a [&'a str]),
    /// Fail with status 1 and this in the message.
    Fails(&'a str),
}

/// Builds `files` and checks the outcome, the time and the peak memory.
fn case(name: &str, files: Files, expect: Expect, max_secs: u64, max_rss_mb: u64) -> Outcome {
    let (d, input) = project(files);
    check(name, d.path(), input, expect, max_secs, max_rss_mb)
}

fn check(
    name: &str,
    dir: &Path,
    input: usize,
    expect: Expect,
    max_secs: u64,
    max_rss_mb: u64,
) -> Outcome {
    let limit = Duration::from_secs(if full() { max_secs * 4 } else { max_secs });
    // The address-space limit is looser than the RSS bound: threads and the allocator
    // reserve address space they never touch.
    let o = run(dir, &["build", "-q"], limit, max_rss_mb.max(256) * 3 + 1024);
    let what = match (&expect, o.code) {
        (_, _) if o.timed_out => "TIMED OUT".to_string(),
        (_, Some(0)) => "builds".to_string(),
        (_, Some(c)) => format!(
            "fails ({c}): {}",
            o.stderr
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(120)
                .collect::<String>()
        ),
        (_, None) => format!("killed by signal {:?}", o.signal),
    };
    eprintln!(
        "hostile {name:<22} input {:>9.1} KB  {:>6.2} s  peak RSS {:>7.1} MB  {what}",
        input as f64 / 1024.0,
        o.secs,
        o.rss_mb
    );
    assert!(!o.timed_out, "{name}: no result within {limit:?}");
    assert!(
        !o.stderr.contains("panicked") && !o.stderr.contains("stack backtrace"),
        "{name}: a panic reached the user:\n{}",
        o.stderr
    );
    assert!(
        o.code.is_some(),
        "{name}: killed by signal {:?} (out of memory or stack?):\n{}",
        o.signal,
        o.stderr
    );
    match expect {
        Expect::Builds(warnings) => {
            assert_eq!(o.code, Some(0), "{name} must build:\n{}", o.stderr);
            for w in warnings {
                assert!(o.stderr.contains(w), "{name}: no «{w}» in:\n{}", o.stderr);
            }
            assert!(
                dir.join("build/index.html").is_file(),
                "{name}: no index.html"
            );
        }
        Expect::Fails(text) => {
            assert_eq!(o.code, Some(1), "{name} must fail:\n{}", o.stderr);
            assert!(
                o.stderr.starts_with("error: ") && o.stderr.contains(text),
                "{name}: no «{text}» in:\n{}",
                o.stderr
            );
            assert!(
                o.stderr.len() < 2000,
                "{name}: the message is too long to read:\n{}",
                o.stderr
            );
        }
    }
    assert!(
        o.rss_mb <= max_rss_mb as f64,
        "{name}: peak RSS {:.0} MB is over {max_rss_mb} MB",
        o.rss_mb
    );
    o
}

fn page_of(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("build/index.html")).unwrap()
}

#[test]
fn huge_page() {
    let mb = size(12, 100);
    case(
        "huge page",
        gen::big_page(mb << 20),
        Expect::Builds(&[]),
        60,
        if full() { 2500 } else { 600 },
    );
}

#[test]
fn one_huge_line() {
    let mb = size(10, 10);
    let (d, input) = project(gen::long_line(mb << 20));
    check("10 MB line", d.path(), input, Expect::Builds(&[]), 20, 700);
    assert!(page_of(d.path()).contains("<em>em</em>"));
}

/// The warning for content past redcarpet's nesting limit, which Slate drops too.
const TOO_DEEP: &str = "is nested more than 16 levels deep (each list, blockquote, emphasis, link and table counts) and is not shown, as in Slate; nest it less to show it";

#[test]
fn deep_blockquotes() {
    let (d, input) = project(gen::deep_blockquotes(50_000));
    check(
        "50k nested quotes",
        d.path(),
        input,
        Expect::Builds(&[&format!("source/index.html.md:3: this text {TOO_DEEP}")]),
        10,
        300,
    );
    let html = page_of(d.path());
    // The blank line between the two quotes does not end the outer one: one nest of 17
    // levels, as redcarpet writes it, the text inside not shown.
    assert_eq!(html.matches("<blockquote>").count(), 17);
    assert!(!html.contains("deep"));
}

#[test]
fn deep_lists() {
    // A nest built by indentation costs the square of its depth in bytes: 2,000
    // levels are 4 MB of spaces. On one line, `- - - x` is one item whose text is
    // `- - x` (redcarpet reads the rest of an item's first line as text).
    let (d, input) = project(gen::deep_lists(50_000, size(1_000, 3_000)));
    check(
        "50k nested lists",
        d.path(),
        input,
        Expect::Builds(&[TOO_DEEP]),
        20,
        400,
    );
    assert!(page_of(d.path()).contains(&format!("<li>{}x</li>", "- ".repeat(49_999))));
}

#[test]
fn list_staircase_stays_linear() {
    // 3,000 lines of `- ` × i: one list of 3,000 items, item i's text `- ` × (i - 1).
    let (d, input) = project(gen::list_staircase(3_000));
    check(
        "list staircase",
        d.path(),
        input,
        Expect::Builds(&[]),
        20,
        400,
    );
    let html = page_of(d.path());
    assert!(html.len() < 30 << 20, "output {} bytes", html.len());
    assert!(html.contains(&format!("<li>{}x</li>", "- ".repeat(2_999))));
}

#[test]
fn many_headings() {
    let n = size(100_000, 1_000_000);
    let (d, input) = project(gen::headings(n));
    check(
        "distinct headings",
        d.path(),
        input,
        Expect::Builds(&[]),
        30,
        if full() { 1500 } else { 400 },
    );
    let html = page_of(d.path());
    assert!(html.contains(&format!("<h1 id='heading-{}'>", n - 1)));
    assert!(html.contains(&format!("href=\"#heading-{}\"", n - 1)));
}

#[test]
fn many_same_headings() {
    let n = size(50_000, 500_000);
    let (d, input) = project(gen::same_headings(n));
    check(
        "repeated headings",
        d.path(),
        input,
        Expect::Builds(&[]),
        30,
        if full() { 1500 } else { 400 },
    );
    let html = page_of(d.path());
    assert!(html.contains(&format!("<h2 id='same-{n}'>")));
}

#[test]
fn thousands_of_includes() {
    case(
        "5,000 includes",
        gen::many_includes(5_000),
        Expect::Builds(&[]),
        20,
        300,
    );
    case(
        "one include 5,000 times",
        gen::repeated_include(5_000),
        Expect::Builds(&["heading id `same` is already used on this page"]),
        20,
        300,
    );
}

#[test]
fn a_page_including_itself() {
    let (d, input) = project(gen::self_include());
    check(
        "page includes itself",
        d.path(),
        input,
        Expect::Builds(&[]),
        10,
        200,
    );
    let html = std::fs::read_to_string(d.path().join("build/includes/self.html")).unwrap();
    assert_eq!(
        html.matches(">Self</h1>").count(),
        2,
        "once as the page, once included"
    );
}

#[test]
fn symlink_loops_and_links_out_of_the_source() {
    use std::os::unix::fs::symlink;
    let (d, _) = project(vec![
        ("source/index.html.md".into(), b"# Home\n\n![p](../../etc/passwd) ![q](/etc/passwd) ![r](secret.txt) [s](../outside.txt)\n".to_vec()),
        ("outside.txt".into(), b"SECRET OUTSIDE".to_vec()),
        ("source/a/b/page.html.md".into(), b"# Nested\n".to_vec()),
    ]);
    let s = d.path().join("source");
    symlink(&s, s.join("loop")).unwrap();
    symlink("..", s.join("a/b/up")).unwrap();
    symlink("../../a", s.join("a/b/again")).unwrap();
    symlink("/etc", s.join("etc")).unwrap();
    symlink("/etc/passwd", s.join("images-passwd")).unwrap();
    symlink(d.path().join("outside.txt"), s.join("secret.txt")).unwrap();
    symlink("missing-target", s.join("dangling")).unwrap();
    check(
        "symlink loops",
        d.path(),
        200,
        Expect::Builds(&[
            "warning: source/index.html.md:3: image `../../etc/passwd` points to a file that is not in the source folder",
            "warning: source/index.html.md:3: image `/etc/passwd` points to a file that is not in the source folder",
            "warning: source/index.html.md:3: image `secret.txt` points to a file that is not in the source folder",
            "warning: source/dangling: a symbolic link to a file that does not exist; skipped",
            "warning: source/etc: a symbolic link to outside the source folder; skipped",
            "warning: source/secret.txt: a symbolic link to outside the source folder; skipped",
        ]),
        10,
        200,
    );
    let b = d.path().join("build");
    for f in ["index.html", "a/b/page.html"] {
        assert!(b.join(f).is_file(), "{f}");
    }
    // Nothing outside the source folder is read or copied.
    for e in walkdir::WalkDir::new(&b).into_iter().flatten() {
        assert!(!e.path_is_symlink(), "{}", e.path().display());
        if e.file_type().is_file() {
            let body = std::fs::read(e.path()).unwrap();
            let text = String::from_utf8_lossy(&body);
            assert!(
                !text.contains("root:x:0:0") && !text.contains("SECRET OUTSIDE"),
                "{} holds data from outside the source folder",
                e.path().display()
            );
        }
    }
    for f in ["etc", "images-passwd", "secret.txt", "loop", "dangling"] {
        assert!(!b.join(f).exists(), "{f} must not be copied");
    }
}

#[test]
fn binary_files_named_md() {
    case(
        "binary page",
        gen::binary("page", 1 << 20),
        Expect::Fails("source/index.html.md:1: not valid UTF-8 (byte offset"),
        10,
        200,
    );
    case(
        "binary include",
        gen::binary("include", 1 << 20),
        Expect::Fails("source/includes/_blob.md:1: not valid UTF-8 (byte offset"),
        10,
        200,
    );
    case(
        "binary .md elsewhere",
        gen::binary("other", 1 << 20),
        Expect::Builds(&[]),
        10,
        200,
    );
}

#[test]
fn deeply_nested_raw_html() {
    let (d, input) = project(gen::deep_html(size(50_000, 50_000)));
    check(
        "50k nested raw HTML",
        d.path(),
        input,
        Expect::Builds(&[]),
        20,
        300,
    );
    assert!(page_of(d.path()).contains("<h2 id=\"deep\">Deep</h2>"));
}

#[test]
fn pathological_inlines() {
    case(
        "pathological inlines",
        gen::pathological_inlines(size(20_000, 100_000)),
        Expect::Builds(&[]),
        30,
        400,
    );
}

#[test]
fn yaml_bombs() {
    case(
        "YAML billion laughs",
        gen::yaml_bomb("aliases"),
        Expect::Fails("source/index.html.md"),
        10,
        300,
    );
    case(
        "YAML 50k nested lists",
        gen::yaml_bomb("deep"),
        Expect::Fails(
            "front matter is not valid YAML: `[` and `{` nest more than 100 levels deep here",
        ),
        10,
        300,
    );
}

#[test]
fn big_code_blocks() {
    case(
        "big code blocks",
        gen::big_code(size(5_000, 100_000), size(100_000, 1_000_000)),
        Expect::Builds(&[]),
        40,
        400,
    );
}

/// Grammars that rescan the line (JavaScript's) stay linear: each regex search is
/// bounded (a 138 KB base64 line once took minutes).
#[test]
fn long_lines_in_javascript() {
    case(
        "long JavaScript lines",
        gen::long_js_lines(size(100_000, 1_000_000)),
        Expect::Builds(&[]),
        20,
        400,
    );
}

#[test]
fn erb_pages() {
    let n = size(2_000, 20_000);
    let (d, input) = project(gen::erb_page(n));
    check(
        &format!("ERB: {n} sections"),
        d.path(),
        input,
        Expect::Builds(&["heading id `same` is already used on this page"]),
        30,
        400,
    );
    let html = page_of(d.path());
    assert_eq!(html.matches("alt=\"Shot ").count(), n, "every image_tag");
    assert_eq!(
        html.matches("</a> Hello</p>").count(),
        n,
        "every link_to and t(:hello)"
    );
    case(
        "ERB: nesting 100,000 deep",
        gen::erb_hostile("nesting", 100_000),
        Expect::Fails("expressions nest more than 64 deep"),
        10,
        200,
    );
    case(
        "t(): 50,000 unclosed tags",
        gen::erb_hostile("unclosed", size(50_000, 200_000)),
        Expect::Builds(&[]),
        30,
        400,
    );
}
