//! `shale serve`: the server started on a free port over a temporary copy of the
//! sample, spoken to with raw HTTP over TcpStream (so request paths go out exactly as
//! written): content types, HEAD, folders, the 404 page, paths that try to leave the
//! site; edits seen as reload events and new content; a broken page shown in an
//! overlay over the last good build and cleared by the fix; a busy port; many clients.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use shale::serve::{ServeOptions, Server, Startup};

/// How long a test waits for a rebuild to be announced (debug builds, a busy machine).
const PATIENCE: Duration = Duration::from_secs(15);

/// A project folder holding a copy of the sample in `source/`, plus `files`.
fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let from = crate::common::repo().join("source");
    for e in walkdir::WalkDir::new(&from)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let dest = d
            .path()
            .join("source")
            .join(e.path().strip_prefix(&from).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(e.path(), dest).unwrap();
    }
    for (path, body) in files {
        write(&d.path().join(path), body);
    }
    d
}

fn write(p: &Path, body: &[u8]) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, body).unwrap();
}

fn options(dir: &Path) -> ServeOptions {
    let mut o = ServeOptions::new(dir.join("source"));
    o.port = 0;
    o.quiet = true;
    o
}

fn start(dir: &Path) -> Server {
    Server::start(options(dir)).expect("starting the server")
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `METHOD target` as written and reads the whole response.
fn request(addr: SocketAddr, method: &str, target: &str) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    parse(&raw, method == "HEAD")
}

fn get(addr: SocketAddr, target: &str) -> Resp {
    request(addr, "GET", target)
}

fn parse(raw: &[u8], head: bool) -> Resp {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head_text = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head_text.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let body = raw[end + 4..].to_vec();
    let r = Resp {
        status,
        headers,
        body,
    };
    if !head {
        if let Some(n) = r.header("Content-Length") {
            assert_eq!(n.parse::<usize>().unwrap(), r.body.len(), "Content-Length");
        }
    }
    r
}

/// An open `/__shale/events` stream.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET /__shale/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut e = Events {
            reader: BufReader::new(s),
        };
        let mut status = String::new();
        e.read_line_until(&mut status, Instant::now() + PATIENCE);
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        loop {
            let mut l = String::new();
            e.read_line_until(&mut l, Instant::now() + PATIENCE);
            if l.to_ascii_lowercase().starts_with("content-type:") {
                assert!(l.contains("text/event-stream"), "{l}");
            }
            if l == "\r\n" {
                break;
            }
        }
        e
    }

    fn read_line_until(&mut self, line: &mut String, deadline: Instant) -> bool {
        loop {
            match self.reader.read_line(line) {
                Ok(0) => return false,
                Ok(_) if line.ends_with('\n') => return true,
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if Instant::now() > deadline {
                        return false;
                    }
                }
                Err(e) => panic!("reading events: {e}"),
            }
        }
    }

    /// The next event (name, data), or None when none comes before `deadline`.
    fn next_before(&mut self, deadline: Instant) -> Option<(String, String)> {
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut l = String::new();
            if !self.read_line_until(&mut l, deadline) {
                return None;
            }
            let l = l.trim_end_matches(['\r', '\n']);
            if l.is_empty() {
                if !name.is_empty() {
                    return Some((name, data));
                }
            } else if let Some(v) = l.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = l.strip_prefix("data: ") {
                data = v.to_string();
            }
        }
    }

    /// Waits for the event `name`, skipping others; panics after PATIENCE.
    fn expect(&mut self, name: &str) -> serde_json::Value {
        let deadline = Instant::now() + PATIENCE;
        while let Some((n, d)) = self.next_before(deadline) {
            if n == name {
                return serde_json::from_str(&d).unwrap();
            }
        }
        panic!("no `{name}` event within {PATIENCE:?}");
    }
}

fn build_id(page: &str) -> String {
    let at = page.find("data-build=\"").expect("the reload script") + 12;
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

#[test]
fn serves_pages_and_assets_with_their_types() {
    let png = b"\x89PNG\r\n\x1a\nfake png";
    let d = project(&[
        ("source/images/logo.png", png),
        ("source/images/photo.jpg", b"jpg"),
        ("source/images/anim.gif", b"gif"),
        ("source/images/pic.webp", b"webp"),
        (
            "source/images/icon.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        ),
        ("source/favicon.ico", b"ico"),
        ("source/fonts/slate.woff", b"woff"),
        ("source/fonts/slate.woff2", b"woff2"),
        ("source/data/list.json", b"[1]"),
        ("source/images/my logo.png", b"spaced"),
        ("source/images/\u{e9}t\u{e9}.png", b"accented"),
        ("source/v2/index.html.md", b"# Version two\n"),
    ]);
    let server = start(d.path());
    let a = server.addr();
    assert!(matches!(server.startup(), Startup::Built { pages: 2, .. }));

    let index = get(a, "/");
    assert_eq!(index.status, 200);
    assert_eq!(
        index.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    let html = index.text();
    assert!(html.contains("<title>API Reference</title>"));
    assert!(html.contains("<script src=\"/__shale/reload.js\" data-build="));
    assert!(
        html.trim_end().ends_with("</html>"),
        "the script goes inside the body"
    );
    assert_eq!(get(a, "/index.html").status, 200);
    assert_eq!(get(a, "/index.html?python#errors").status, 200);

    for (path, ctype, body) in [
        ("/stylesheets/screen.css", "text/css; charset=utf-8", None),
        (
            "/stylesheets/highlight.css",
            "text/css; charset=utf-8",
            None,
        ),
        (
            "/javascripts/shale.js",
            "text/javascript; charset=utf-8",
            None,
        ),
        ("/images/logo.png", "image/png", Some(&png[..])),
        ("/images/photo.jpg", "image/jpeg", Some(&b"jpg"[..])),
        ("/images/anim.gif", "image/gif", Some(&b"gif"[..])),
        ("/images/pic.webp", "image/webp", Some(&b"webp"[..])),
        ("/images/icon.svg", "image/svg+xml", None),
        ("/favicon.ico", "image/x-icon", Some(&b"ico"[..])),
        ("/fonts/slate.woff", "font/woff", Some(&b"woff"[..])),
        ("/fonts/slate.woff2", "font/woff2", Some(&b"woff2"[..])),
        ("/data/list.json", "application/json", Some(&b"[1]"[..])),
        ("/images/my%20logo.png", "image/png", Some(&b"spaced"[..])),
        (
            "/images/%C3%A9t%C3%A9.png",
            "image/png",
            Some(&b"accented"[..]),
        ),
        ("/__shale/reload.js", "text/javascript; charset=utf-8", None),
    ] {
        let r = get(a, path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("Content-Type"), Some(ctype), "{path}");
        assert_eq!(
            r.header("X-Content-Type-Options"),
            Some("nosniff"),
            "{path}"
        );
        if let Some(b) = body {
            assert_eq!(r.body, b, "{path}");
        }
        assert!(
            !r.text().contains("__shale/reload.js\" data-build"),
            "{path}: only HTML gets the script"
        );
    }

    // HEAD: the same head, no body.
    let h = request(a, "HEAD", "/");
    assert_eq!(h.status, 200);
    assert_eq!(h.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert_eq!(
        h.header("Content-Length")
            .unwrap()
            .parse::<usize>()
            .unwrap(),
        index.body.len()
    );
    assert!(h.body.is_empty());
    let h = request(a, "HEAD", "/images/logo.png");
    assert_eq!(h.header("Content-Length"), Some(&*png.len().to_string()));
    assert!(h.body.is_empty());

    // Folders: `/v2/` is `v2/index.html`, `/v2` redirects there, no listings.
    let v2 = get(a, "/v2/");
    assert_eq!(v2.status, 200);
    assert!(v2.text().contains("Version two"));
    let r = get(a, "/v2?x=1");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("Location"), Some("/v2/?x=1"));
    for listing in ["/images/", "/images", "/fonts/"] {
        let r = get(a, listing);
        assert_eq!(r.status, 404, "{listing}");
        assert!(!r.text().contains("logo.png"), "{listing}: no listing");
    }

    // A friendly 404 page, with the site's pages and the reload script.
    let r = get(a, "/nope.html");
    assert_eq!(r.status, 404);
    assert_eq!(r.header("Content-Type"), Some("text/html; charset=utf-8"));
    let t = r.text();
    assert!(t.contains("Page not found"), "{t}");
    assert!(t.contains("<code>/nope.html</code>"), "{t}");
    assert!(t.contains("href=\"/index.html\""), "{t}");
    assert!(t.contains("href=\"/v2/index.html\""), "{t}");
    assert!(t.contains("/__shale/reload.js"), "{t}");
    let r = request(a, "HEAD", "/nope.html");
    assert_eq!(r.status, 404);
    assert!(r.body.is_empty());

    // Only GET and HEAD.
    let r = request(a, "POST", "/");
    assert_eq!(r.status, 405);
    assert_eq!(r.header("Allow"), Some("GET, HEAD"));

    server.stop();
    assert!(
        TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_err() || get_fails(a),
        "stopped"
    );
    assert!(
        !d.path().join("build").exists(),
        "serve does not write build/"
    );
}

fn get_fails(a: SocketAddr) -> bool {
    let Ok(mut s) = TcpStream::connect(a) else {
        return true;
    };
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    !raw.starts_with(b"HTTP/1.1 200")
}

#[test]
fn nothing_outside_the_site_is_served() {
    let d = project(&[
        ("secret.txt", b"TOP SECRET project file"),
        ("source/images/ok.png", b"ok"),
    ]);
    let outside = tempfile::tempdir().unwrap();
    write(
        &outside.path().join("elsewhere.txt"),
        b"TOP SECRET elsewhere",
    );
    #[cfg(unix)]
    {
        let src = d.path().join("source");
        std::os::unix::fs::symlink(d.path().join("secret.txt"), src.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(outside.path(), src.join("outside")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("elsewhere.txt"),
            src.join("images/leak.png"),
        )
        .unwrap();
    }
    let server = start(d.path());
    let a = server.addr();
    let secret_paths = [
        "/../secret.txt",
        "/../Cargo.toml",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/images/..%2f..%2fsecret.txt",
        "/images/%2e%2e/%2e%2e/secret.txt",
        "/images/..%5c..%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/etc/passwd",
        &format!("/{}", d.path().join("secret.txt").display()),
        &format!("/{}", outside.path().join("elsewhere.txt").display()),
        "/./secret.txt",
        "/images/./../../secret.txt",
        "/leak.txt",
        "/outside/elsewhere.txt",
        "/images/leak.png",
        "/%00",
        "/%ff%fe",
        "http://localhost/../secret.txt",
        "*",
    ];
    for p in secret_paths {
        let r = get(a, p);
        assert_eq!(r.status, 404, "{p}");
        let t = r.text();
        assert!(!t.contains("TOP SECRET"), "{p}");
        assert!(!t.contains("root:"), "{p}");
    }
    assert_eq!(get(a, "/images/ok.png").body, b"ok");
}

#[test]
fn an_edit_reloads_open_pages_with_the_new_content() {
    let d = project(&[]);
    let server = start(d.path());
    let a = server.addr();
    let before = get(a, "/").text();
    let first = build_id(&before);
    let mut ev = Events::open(a);
    let hello = ev.expect("hello");
    assert_eq!(hello["build"], first.as_str());
    assert!(hello["error"].is_null());

    let page = d.path().join("source/index.html.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\n# A heading added while serving\n\nNew words.\n");
    std::fs::write(&page, &text).unwrap();
    let reload = ev.expect("reload");
    let after = get(a, "/").text();
    assert!(after.contains("A heading added while serving"));
    assert_eq!(reload["build"].as_str(), Some(&*build_id(&after)));
    assert_ne!(build_id(&after), first);

    // An include, saved the way many editors save: a temporary file renamed over it.
    let inc = d.path().join("source/includes/_errors.md");
    let tmp = d.path().join("source/includes/_errors.md.tmp");
    let mut t = std::fs::read_to_string(&inc).unwrap();
    t.push_str("\nAn include edited by rename.\n");
    std::fs::write(&tmp, t).unwrap();
    std::fs::rename(&tmp, &inc).unwrap();
    ev.expect("reload");
    assert!(get(a, "/").text().contains("An include edited by rename."));

    // Delete and create (another way editors save).
    std::fs::remove_file(&inc).unwrap();
    std::fs::write(&inc, "# Errors\n\nRecreated.\n").unwrap();
    let deadline = Instant::now() + PATIENCE;
    loop {
        if get(a, "/").text().contains("Recreated.") {
            break;
        }
        assert!(Instant::now() < deadline, "the recreated include is built");
        let _ = ev.next_before(Instant::now() + Duration::from_millis(200));
    }

    // A new page, a new image, then the page deleted.
    write(
        &d.path().join("source/guide.html.md"),
        b"# Guide\n\n![x](/images/new.png)\n",
    );
    write(&d.path().join("source/images/new.png"), b"png");
    ev.expect("reload");
    let deadline = Instant::now() + PATIENCE;
    while get(a, "/images/new.png").status != 200 || get(a, "/guide.html").status != 200 {
        assert!(
            Instant::now() < deadline,
            "the new page and image are served"
        );
        let _ = ev.next_before(Instant::now() + Duration::from_millis(200));
    }
    assert!(get(a, "/guide.html").text().contains("Guide"));
    std::fs::remove_file(d.path().join("source/guide.html.md")).unwrap();
    ev.expect("reload");
    assert_eq!(get(a, "/guide.html").status, 404);

    // Editors' swap files and the project's other folders trigger nothing.
    write(&d.path().join("source/.index.html.md.swp"), b"swap");
    write(&d.path().join("source/index.html.md~"), b"backup");
    write(&d.path().join("build/index.html"), b"old output");
    assert_eq!(
        ev.next_before(Instant::now() + Duration::from_millis(700))
            .map(|(n, _)| n),
        None
    );
}

#[test]
fn a_stylesheet_change_swaps_css_and_a_template_change_reloads() {
    let d = project(&[]);
    let server = start(d.path());
    let a = server.addr();
    let mut ev = Events::open(a);
    ev.expect("hello");

    // A project stylesheet overriding the built-in one: only CSS changes.
    write(
        &d.path().join("assets/stylesheets/screen.css"),
        b"body { color: rebeccapurple }\n",
    );
    let css = ev.expect("css");
    assert_eq!(
        get(a, "/stylesheets/screen.css?shale-reload=1").text(),
        "body { color: rebeccapurple }\n"
    );
    assert_eq!(css["build"].as_str(), Some(&*build_id(&get(a, "/").text())));

    // A project layout: pages change.
    let layout =
        std::fs::read_to_string(crate::common::repo().join("templates/layout.html")).unwrap();
    let layout = layout.replace(
        "<main class=\"content\"",
        "<main data-mine class=\"content\"",
    );
    write(&d.path().join("templates/layout.html"), layout.as_bytes());
    ev.expect("reload");
    assert!(get(a, "/").text().contains("data-mine"));

    // Saving without a change: nothing to reload.
    let page = d.path().join("source/index.html.md");
    let same = std::fs::read(&page).unwrap();
    std::fs::write(&page, same).unwrap();
    ev.expect("ok");
}

#[test]
fn a_broken_edit_shows_an_overlay_over_the_last_good_site_until_fixed() {
    let d = project(&[]);
    let server = start(d.path());
    let a = server.addr();
    let good = get(a, "/").text();
    let mut ev = Events::open(a);
    ev.expect("hello");

    let page = d.path().join("source/index.html.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let broken = text.replacen("title: API Reference", "title: [API Reference", 1);
    assert_ne!(broken, text);
    std::fs::write(&page, &broken).unwrap();
    let err = ev.expect("build-error");
    let html = err["html"].as_str().unwrap();
    assert!(html.contains("id=\"shale-error-overlay\""), "{html}");
    assert!(
        html.contains("source/index.html.md</code>, line "),
        "{html}"
    );
    assert!(html.contains("YAML"), "{html}");

    // Every page: the last good build, with the overlay.
    let r = get(a, "/");
    assert_eq!(r.status, 200);
    let t = r.text();
    assert!(t.contains("shale-error-overlay"));
    assert!(t.contains("source/index.html.md</code>, line "));
    assert!(
        t.contains("<title>API Reference</title>"),
        "the last good page"
    );
    assert_eq!(build_id(&t), build_id(&good));
    let r = get(a, "/missing.html");
    assert!(r.text().contains("shale-error-overlay"));
    // ... but not stylesheets or scripts.
    assert!(!get(a, "/stylesheets/screen.css")
        .text()
        .contains("shale-error-overlay"));
    // A page opened now hears of the error on connect too.
    let mut late = Events::open(a);
    let hello = late.expect("hello");
    assert!(hello["error"]
        .as_str()
        .unwrap()
        .contains("shale-error-overlay"));

    // The fix clears it (the site is as before: no reload needed).
    std::fs::write(&page, &text).unwrap();
    ev.expect("ok");
    let t = get(a, "/").text();
    assert!(!t.contains("shale-error-overlay"));

    // A missing include: the page names it; creating the include fixes the build.
    let with_include = text.replacen("  - errors", "  - errors\n  - quotas", 1);
    std::fs::write(&page, &with_include).unwrap();
    let err = ev.expect("build-error");
    let html = err["html"].as_str().unwrap();
    assert!(html.contains("include `quotas` not found"), "{html}");
    assert!(html.contains("source/index.html.md</code>"), "{html}");
    write(
        &d.path().join("source/includes/_quotas.md"),
        b"# Quotas\n\nTen a day.\n",
    );
    ev.expect("reload");
    let t = get(a, "/").text();
    assert!(t.contains("Ten a day."));
    assert!(!t.contains("shale-error-overlay"));

    // A file that is not UTF-8.
    std::fs::write(
        d.path().join("source/includes/_quotas.md"),
        b"# Quotas\n\xff\xfe\n",
    )
    .unwrap();
    let err = ev.expect("build-error");
    let html = err["html"].as_str().unwrap();
    assert!(
        html.contains("source/includes/_quotas.md</code>, line 2"),
        "{html}"
    );
    assert!(
        get(a, "/").text().contains("Ten a day."),
        "still the last good page"
    );
}

#[test]
fn a_first_build_that_fails_still_serves_and_recovers() {
    let d = project(&[]);
    let page = d.path().join("source/index.html.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replacen("search: true", "search: [", 1)).unwrap();
    let server = start(d.path());
    let a = server.addr();
    let Startup::Failed(f) = server.startup() else {
        panic!("the first build fails")
    };
    assert_eq!(
        f.file
            .as_deref()
            .map(|f| f.ends_with("source/index.html.md")),
        Some(true)
    );
    let r = get(a, "/");
    assert_eq!(r.status, 404);
    let t = r.text();
    assert!(t.contains("shale-error-overlay"), "{t}");
    assert!(t.contains("has not built"), "{t}");
    let mut ev = Events::open(a);
    ev.expect("hello");
    std::fs::write(&page, &text).unwrap();
    ev.expect("reload");
    let r = get(a, "/");
    assert_eq!(r.status, 200);
    assert!(!r.text().contains("shale-error-overlay"));
}

#[test]
fn polling_notices_changes_too() {
    let d = project(&[]);
    let mut o = options(d.path());
    o.watch.poll = true;
    o.watch.poll_interval = Duration::from_millis(100);
    let server = Server::start(o).unwrap();
    let a = server.addr();
    let mut ev = Events::open(a);
    ev.expect("hello");
    std::thread::sleep(Duration::from_millis(300));
    let page = d.path().join("source/index.html.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\nPolled paragraph, longer than the one before.\n");
    std::fs::write(&page, &text).unwrap();
    ev.expect("reload");
    assert!(get(a, "/").text().contains("Polled paragraph"));
}

#[test]
fn many_clients_and_open_streams_at_once() {
    let d = project(&[]);
    let big = "Filler prose for a big page. ".repeat(40_000);
    write(
        &d.path().join("source/big.html.md"),
        format!("# Big\n\n{big}\n").as_bytes(),
    );
    let server = start(d.path());
    let a = server.addr();
    // More open event streams than the pool has threads...
    let streams: Vec<Events> = (0..24).map(|_| Events::open(a)).collect();
    // ...a client that sends half a request and stalls...
    let mut stalled = TcpStream::connect(a).unwrap();
    stalled.write_all(b"GET /index.html HT").unwrap();
    // ...and clients of a big page that read nothing for a while.
    let lazy: Vec<TcpStream> = (0..12)
        .map(|_| {
            let mut s = TcpStream::connect(a).unwrap();
            s.write_all(b"GET /big.html HTTP/1.1\r\nHost: x\r\n\r\n")
                .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    // Everyone else is still answered, many at once.
    let started = Instant::now();
    let threads: Vec<_> = (0..40)
        .map(|i| {
            std::thread::spawn(move || {
                let path = [
                    "/",
                    "/stylesheets/screen.css",
                    "/javascripts/shale.js",
                    "/nope",
                ][i % 4];
                let r = get(a, path);
                assert_eq!(r.status, if path == "/nope" { 404 } else { 200 }, "{path}");
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert!(started.elapsed() < PATIENCE);
    // Keep-alive: several requests on one connection.
    let mut s = TcpStream::connect(a).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    s.write_all(b"GET /stylesheets/print.css HTTP/1.1\r\nHost: x\r\n\r\nGET /javascripts/shale.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&raw)
            .matches("HTTP/1.1 200 OK")
            .count(),
        2
    );
    // The big page reaches a client that finally reads it.
    let mut first = lazy.into_iter().next().unwrap();
    first.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut got = vec![0u8; 4 << 20];
    let mut n = 0;
    while n < big.len() {
        match first.read(&mut got[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => panic!("{e}"),
        }
    }
    assert!(n > big.len());
    drop(streams);
    drop(stalled);
    server.stop();
}

#[test]
fn stopping_ends_open_streams_and_connections() {
    let d = project(&[]);
    let server = start(d.path());
    let a = server.addr();
    let mut ev = Events::open(a);
    ev.expect("hello");
    // An idle keep-alive connection.
    let mut idle = TcpStream::connect(a).unwrap();
    idle.write_all(b"GET /stylesheets/print.css HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let started = Instant::now();
    server.stop();
    assert!(started.elapsed() < Duration::from_secs(5), "stops promptly");
    let mut line = String::new();
    let t = Instant::now();
    assert!(
        !ev.read_line_until(&mut line, Instant::now() + Duration::from_secs(5)),
        "the event stream ends: {line:?}"
    );
    assert!(
        t.elapsed() < Duration::from_secs(4),
        "closed, not timed out"
    );
    idle.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut rest = Vec::new();
    let _ = idle.read_to_end(&mut rest);
    assert!(
        TcpStream::connect(a).is_err() || get_fails(a),
        "no longer listening"
    );
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let d = project(&[]);
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port();
    let mut o = options(d.path());
    o.port = port;
    let e = Server::start(o)
        .err()
        .expect("the port is taken")
        .to_string();
    assert!(e.contains(&format!("port {port} is already in use")), "{e}");
    assert!(e.contains("--port"), "{e}");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shale"))
        .current_dir(d.path())
        .args(["serve", "--port", &port.to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already in use") && err.contains("--port"),
        "{err}"
    );

    let mut o = options(d.path());
    o.source = d.path().join("nowhere");
    let e = Server::start(o).err().expect("no source").to_string();
    assert!(e.contains("not found"), "{e}");
}

#[test]
fn build_output_has_no_reload_script() {
    let out = tempfile::tempdir().unwrap();
    crate::common::build(
        &crate::common::repo().join("source"),
        &out.path().join("site"),
    );
    for e in walkdir::WalkDir::new(out.path())
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let bytes = std::fs::read(e.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("__shale"), "{}", e.path().display());
        assert!(
            !text.contains("shale-error-overlay"),
            "{}",
            e.path().display()
        );
    }
}

/// The command as a writer runs it: prints the URL, warns when exposed, stops cleanly
/// on Ctrl-C (SIGINT).
#[cfg(unix)]
#[test]
fn the_command_serves_and_stops_on_ctrl_c() {
    use std::process::{Command, Stdio};
    let d = project(&[]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_shale"))
        .current_dir(d.path())
        .args(["serve", "--port", "0", "--host", "0.0.0.0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut url = None;
    let mut seen = String::new();
    for _ in 0..5 {
        let mut l = String::new();
        if out.read_line(&mut l).unwrap() == 0 {
            break;
        }
        seen.push_str(&l);
        if let Some(at) = l.find("http://") {
            url = Some(l[at..].trim().to_string());
            break;
        }
    }
    let url = url.unwrap_or_else(|| panic!("no URL printed: {seen}"));
    assert!(seen.contains("built 1 page"), "{seen}");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let port: u16 = url
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let a: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut ev = Events::open(a);
    ev.expect("hello");
    assert_eq!(get(a, "/").status, 200);

    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "stops on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("stopped"), "{rest}");
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        err.contains("warning: listening on 0.0.0.0"),
        "exposed beyond loopback: {err}"
    );
    assert!(!d.path().join("build").exists());
}

#[test]
fn a_multi_language_site_serves_each_language_and_rebuilds_on_localized_includes() {
    let d = tempfile::tempdir().unwrap();
    let from = crate::common::repo().join("tests/fixtures/i18n/source");
    for e in walkdir::WalkDir::new(&from)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let rel = e.path().strip_prefix(&from).unwrap();
        write(
            &d.path().join("source").join(rel),
            &std::fs::read(e.path()).unwrap(),
        );
    }
    let server = start(d.path());
    let a = server.addr();
    assert!(matches!(server.startup(), Startup::Built { pages: 6, .. }));
    let en = get(a, "/").text();
    assert!(en.contains("<html lang=\"en\">") && en.contains("(includes/_intro.en.md)"));
    let pt = get(a, "/pt/");
    assert_eq!(pt.status, 200);
    assert!(pt.text().contains("(includes/_intro.pt.md)"));
    assert_eq!(get(a, "/pt").header("Location"), Some("/pt/"));
    assert!(get(a, "/es/changelog")
        .text()
        .contains("<html lang=\"es\">"));
    assert_eq!(get(a, "/pt/flow.svg").status, 200);
    assert_eq!(get(a, "/localizable/index.pt.html").status, 404);

    // A save of a localized include rebuilds that language's pages.
    let mut ev = Events::open(a);
    ev.expect("hello");
    write(
        &d.path().join("source/includes/_intro.pt.md"),
        "# Introdução\n\nTexto novo, salvo durante o serve.\n".as_bytes(),
    );
    ev.expect("reload");
    assert!(get(a, "/pt/")
        .text()
        .contains("Texto novo, salvo durante o serve."));
    assert!(!get(a, "/").text().contains("Texto novo"));

    // Middleman's config.rb beside the source folder chooses the root language.
    write(
        &d.path().join("config.rb"),
        b"activate :i18n, mount_at_root: :pt\n",
    );
    ev.expect("reload");
    assert!(get(a, "/").text().contains("<html lang=\"pt\">"));
    assert!(get(a, "/en/").text().contains("(includes/_intro.en.md)"));
    assert_eq!(get(a, "/pt/").status, 404);

    // Translations in locales/ beside the source folder: a save there rebuilds. (The
    // watcher may batch the saves of several files in one rebuild or more: wait for
    // rebuilds until the page shows what is expected.)
    let mut until = |path: &str, text: &str| {
        for _ in 0..4 {
            if get(a, path).text().contains(text) {
                return;
            }
            ev.expect("reload");
        }
        panic!("{path} never shows {text}");
    };
    write(
        &d.path().join("source/localizable/hello.html.md"),
        b"# <%= t(:hello) %>\n",
    );
    until("/hello.html", "t(:hello)");
    for (lang, hello) in [("en", "Hello"), ("es", "Hola"), ("pt", "Olá")] {
        write(
            &d.path().join(format!("locales/{lang}.yml")),
            format!("{lang}:\n  hello: {hello}\n").as_bytes(),
        );
    }
    until("/hello.html", ">Olá</h1>");
    assert!(get(a, "/en/hello.html").text().contains(">Hello</h1>"));
    write(
        &d.path().join("locales/pt.yml"),
        "pt:\n  hello: Oi\n".as_bytes(),
    );
    until("/hello.html", ">Oi</h1>");
}

/// A page built from a spec (`openapi:`) is rebuilt when the spec or a file its `$ref`s
/// name changes; an error in the spec shows in the overlay with the spec's file and line.
#[test]
fn a_spec_page_reloads_when_the_spec_or_its_refs_change() {
    let spec = "openapi: 3.0.0\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get:\n      summary: List the pets\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: {$ref: 'pet.yaml#/Pet'}\n";
    let d = project(&[
        (
            "source/api.html.md",
            b"---\nopenapi: api/openapi.yaml\n---\n",
        ),
        ("source/api/openapi.yaml", spec.as_bytes()),
        (
            "source/api/pet.yaml",
            b"Pet:\n  type: object\n  properties:\n    name: {type: string}\n",
        ),
    ]);
    let server = start(d.path());
    let a = server.addr();
    let page = get(a, "/api.html").text();
    assert!(page.contains("List the pets"), "built from the spec");
    let mut ev = Events::open(a);
    ev.expect("hello");

    let spec_file = d.path().join("source/api/openapi.yaml");
    std::fs::write(&spec_file, spec.replace("List the pets", "Every pet")).unwrap();
    ev.expect("reload");
    assert!(get(a, "/api.html").text().contains("Every pet"));
    // The served copy of the spec is the new one too (Slate copies source/ files).
    assert!(get(a, "/api/openapi.yaml").text().contains("Every pet"));

    // A file the spec refers to.
    write(
        &d.path().join("source/api/pet.yaml"),
        b"Pet:\n  type: object\n  properties:\n    nickname: {type: string}\n",
    );
    ev.expect("reload");
    assert!(get(a, "/api.html").text().contains("nickname"));

    // A broken reference: the overlay names the spec's file and line.
    let broken = spec.replace("pet.yaml#/Pet", "pet.yaml#/Dog");
    std::fs::write(&spec_file, &broken).unwrap();
    let err = ev.expect("build-error");
    let html = err["html"].as_str().unwrap();
    assert!(
        html.contains("source/api/openapi.yaml</code>, line 12"),
        "{html}"
    );
    assert!(
        get(a, "/api.html").text().contains("nickname"),
        "the last good page"
    );
    std::fs::write(&spec_file, spec).unwrap();
    ev.expect("reload");
    let t = get(a, "/api.html").text();
    assert!(!t.contains("shale-error-overlay"));
    assert!(t.contains("List the pets"));
}

#[test]
fn several_pages_serve_with_their_sidebar_and_shale_yml_rebuilds() {
    let d = project(&[
        (
            "source/guide.html.md",
            b"---\ntitle: Guide\nversion: v2\n---\n# Guide\n\n## Start {#start}\n\n### Deeper\n",
        ),
        (
            "source/v1/guide.html.md",
            b"---\ntitle: Guide\nversion: v1\n---\n# Guide\n",
        ),
        ("shale.yml", b"nav: true\ntitle: First name\n"),
    ]);
    let server = start(d.path());
    let a = server.addr();
    let guide = get(a, "/guide.html").text();
    assert!(
        guide.contains("<p class=\"site-title\">First name</p>"),
        "{guide}"
    );
    assert!(guide.contains(
        "<a href=\"guide.html\" class=\"site-page-link\" aria-current=\"page\">Guide</a>"
    ));
    assert!(guide.contains("<h2 id='start'>Start</h2>"));
    assert!(
        guide.contains("<a href=\"v1/guide.html\">v1</a>"),
        "the version switcher"
    );
    assert!(!guide.contains("toc-h3"));
    let toc = get(a, "/toc.json").text();
    assert!(toc.contains("\"version\":\"v1\""), "{toc}");
    // shale.yml beside the source folder is watched
    let mut ev = Events::open(a);
    ev.expect("hello");
    write(
        &d.path().join("shale.yml"),
        b"nav: true\ntitle: Second name\ntoc_depth: 3\n",
    );
    ev.expect("reload");
    let guide = get(a, "/guide.html").text();
    assert!(guide.contains("<p class=\"site-title\">Second name</p>"));
    assert!(guide.contains("class=\"toc-h3 toc-link\""));
    // a mistake in it shows as an error, the last good site still served
    write(&d.path().join("shale.yml"), b"nav: maybe\n");
    let error = ev.expect("build-error");
    assert!(
        error["html"].as_str().unwrap().contains("shale.yml"),
        "{error}"
    );
    assert!(get(a, "/guide.html").text().contains("Second name"));
}
