//! Measures `shale serve` as a writer meets it (run by `bench/serve.sh`):
//!
//! 1. save → reload event: the time from the start of saving a page to the `reload`
//!    event arriving on an open `/__shale/events` stream, median of several edits,
//!    for the sample, for a generated page of about 5 MB, and for one include of a
//!    generated site of 50 includes (about 600 KB in all);
//! 2. requests per second under a bounded loopback load: C keep-alive connections for
//!    S seconds fetching the sample's page, stylesheet and script, counting errors.
//!
//! The server is the given `shale` binary, started on a free port over a temporary
//! copy of the sources. Only 127.0.0.1 is ever contacted; the load stops by itself.
//!
//! ```sh
//! cargo run --release --example serve_bench -- --bin target/release/shale
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

struct Args {
    bin: PathBuf,
    edits: usize,
    big_mb: usize,
    /// A source folder whose `index.html.md` is edited instead of the generated page
    /// (`bench/bench.py` passes its 10 MB input).
    source: Option<PathBuf>,
    connections: usize,
    seconds: u64,
    /// What to measure: `sample`, `load`, `big`, `includes` (all by default).
    parts: Vec<String>,
    /// Includes of the generated site, and their size in KB in all.
    includes: usize,
    includes_kb: usize,
}

fn args() -> Args {
    let mut a = Args {
        bin: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/shale"),
        edits: 9,
        big_mb: 5,
        source: None,
        connections: 50,
        seconds: 10,
        parts: ["sample", "load", "big", "includes"]
            .map(String::from)
            .to_vec(),
        includes: 50,
        includes_kb: 600,
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < v.len() {
        let next = v.get(i + 1).cloned().unwrap_or_default();
        match v[i].as_str() {
            "--bin" => a.bin = PathBuf::from(next),
            "--edits" => a.edits = next.parse().expect("--edits N"),
            "--big-mb" => a.big_mb = next.parse().expect("--big-mb N"),
            "--source" => a.source = Some(PathBuf::from(next)),
            "--connections" => a.connections = next.parse().expect("--connections N"),
            "--seconds" => a.seconds = next.parse().expect("--seconds N"),
            "--parts" => a.parts = next.split(',').map(String::from).collect(),
            "--includes" => a.includes = next.parse().expect("--includes N"),
            "--includes-kb" => a.includes_kb = next.parse().expect("--includes-kb N"),
            "--write-big" => {
                // Only writes the generated page (for profiling) and exits.
                std::fs::write(&next, big_page(a.big_mb << 20)).unwrap();
                std::process::exit(0);
            }
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    a
}

fn main() {
    let a = args();
    assert!(
        a.bin.is_file(),
        "{} not found: build it with `cargo build --release`",
        a.bin.display()
    );
    println!("shale serve benchmark ({})", a.bin.display());
    let part = |name: &str| a.parts.iter().any(|p| p == name);
    if part("sample") || part("load") {
        sample_and_load(&a, part("sample"), part("load"));
    }
    if part("big") {
        big(&a);
    }
    if part("includes") {
        includes(&a);
    }
}

/// The sample: save → reload, and requests per second under load.
fn sample_and_load(a: &Args, reload: bool, load_too: bool) {
    let sample = copy_sample();
    let mut server = Serve::start(&a.bin, &sample.join("source"));
    if reload {
        let (median, min, max, builds) =
            reload_latency(&server, &sample.join("source/index.html.md"), a.edits);
        println!(
            "save -> reload event, sample ({} KB): median {median:.1} ms (min {min:.1}, max {max:.1}; server rebuild median {builds} ms; {} edits)",
            std::fs::metadata(sample.join("source/index.html.md")).unwrap().len() / 1024,
            a.edits
        );
    }
    if load_too {
        let (rps, errors, total, p50, p99) = load(server.addr, a.connections, a.seconds);
        println!(
            "load: {} connections for {} s on 127.0.0.1: {total} requests, {rps:.0} requests/s, {errors} errors (latency p50 {p50:.2} ms, p99 {p99:.2} ms)",
            a.connections, a.seconds
        );
    }
    server.stop();
    let _ = std::fs::remove_dir_all(&sample);
}

/// One big page (generated, or `--source`'s): save → reload after a prose edit.
fn big(a: &Args) {
    let big = tempfile_dir("big");
    let page = big.join("source/index.html.md");
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    let text = match &a.source {
        Some(dir) => {
            copy_dir(dir, &big.join("source"));
            std::fs::read_to_string(&page).expect("--source DIR: DIR/index.html.md")
        }
        None => {
            let text = big_page(a.big_mb << 20);
            std::fs::write(&page, &text).unwrap();
            text
        }
    };
    let mut server = Serve::start(&a.bin, &big.join("source"));
    let (median, min, max, builds) = reload_latency(&server, &page, a.edits);
    println!(
        "save -> reload event, {:.1} MB page: median {median:.1} ms (min {min:.1}, max {max:.1}; server rebuild median {builds} ms; {} edits)",
        text.len() as f64 / (1 << 20) as f64,
        a.edits
    );
    server.stop();
    let _ = std::fs::remove_dir_all(&big);
}

/// A page of `--includes` includes (`--includes-kb` in all): save → reload after a
/// prose edit of the middle one.
fn includes(a: &Args) {
    let dir = tempfile_dir("includes");
    let source = dir.join("source");
    std::fs::create_dir_all(source.join("includes")).unwrap();
    let each = (a.includes_kb << 10) / a.includes.max(1);
    let mut front = String::from(
        "---\ntitle: API\nlanguage_tabs:\n  - shell\n  - python\n  - javascript\nsearch: true\nincludes:\n",
    );
    let mut total = 0;
    for k in 0..a.includes {
        let text = include(k, each);
        total += text.len();
        std::fs::write(source.join(format!("includes/_group{k}.md")), text).unwrap();
        front.push_str(&format!("  - group{k}\n"));
    }
    front.push_str("---\n\n# Introduction\n\nThe groups of the API.\n");
    std::fs::write(source.join("index.html.md"), front).unwrap();
    let mut server = Serve::start(&a.bin, &source);
    let edited = source.join(format!("includes/_group{}.md", a.includes / 2));
    let (median, min, max, builds) = reload_latency(&server, &edited, a.edits);
    println!(
        "save -> reload event, one include of {} ({} KB in all): median {median:.1} ms (min {min:.1}, max {max:.1}; server rebuild median {builds} ms; {} edits)",
        a.includes,
        total >> 10,
        a.edits
    );
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// A running `shale serve`, its address, and the lines it prints.
struct Serve {
    child: Child,
    addr: SocketAddr,
    lines: mpsc::Receiver<String>,
}

impl Serve {
    fn start(bin: &Path, source: &Path) -> Serve {
        let mut child = Command::new(bin)
            .args(["serve", "--port", "0", "--source"])
            .arg(source)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting shale serve");
        let out = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for l in out.lines().map_while(Result::ok) {
                if tx.send(l).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(120);
        let addr = loop {
            let l = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("shale serve prints its URL");
            if let Some(at) = l.find("http://") {
                let hostport = l[at + 7..].trim().trim_end_matches('/');
                break hostport.parse().expect("an address");
            }
        };
        Serve {
            child,
            addr,
            lines: rx,
        }
    }

    fn stop(&mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// Edits `page` `n` times (a word in its middle changes), each time timing the save →
/// `reload` event; returns the median, min and max in ms and the server's median
/// rebuild time as it prints it.
fn reload_latency(server: &Serve, page: &Path, n: usize) -> (f64, f64, f64, u64) {
    let mut events = Events::open(server.addr);
    events.next_named("hello", Duration::from_secs(10));
    let original = std::fs::read_to_string(page).unwrap();
    let mid = original.len() / 2;
    let cut = original[mid..]
        .find("\n\n")
        .map_or(original.len(), |i| mid + i);
    let mut times = Vec::new();
    let mut builds = Vec::new();
    for i in 0..n {
        std::thread::sleep(Duration::from_millis(300));
        while server.lines.try_recv().is_ok() {}
        let text = format!(
            "{}\n\nAn edited paragraph, version {i}.{}",
            &original[..cut],
            &original[cut..]
        );
        let t0 = Instant::now();
        std::fs::write(page, text).unwrap();
        events.next_named("reload", Duration::from_secs(30));
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
        if let Ok(l) = server.lines.recv_timeout(Duration::from_secs(5)) {
            if let Some(ms) = l
                .split("rebuilt in ")
                .nth(1)
                .and_then(|r| r.split(' ').next())
                .and_then(|n| n.parse::<u64>().ok())
            {
                builds.push(ms);
            }
        }
    }
    std::fs::write(page, original).unwrap();
    let shown: Vec<String> = times.iter().map(|t| format!("{t:.0}")).collect();
    println!("  each save -> reload event, ms: {}", shown.join(" "));
    times.sort_by(|a, b| a.total_cmp(b));
    builds.sort();
    (
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        builds.get(builds.len() / 2).copied().unwrap_or_default(),
    )
}

struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"GET /__shale/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .unwrap();
        Events {
            reader: BufReader::new(s),
        }
    }

    fn next_named(&mut self, name: &str, timeout: Duration) {
        self.reader
            .get_ref()
            .set_read_timeout(Some(timeout))
            .unwrap();
        let want = format!("event: {name}");
        loop {
            let mut l = String::new();
            let n = self
                .reader
                .read_line(&mut l)
                .unwrap_or_else(|e| panic!("waiting for `{name}`: {e}"));
            assert!(n > 0, "the event stream closed");
            if l.trim_end() == want {
                return;
            }
        }
    }
}

/// `connections` keep-alive clients fetching the sample for `seconds`; returns
/// requests/s, errors, requests, and the p50 and p99 latency in ms.
fn load(addr: SocketAddr, connections: usize, seconds: u64) -> (f64, usize, usize, f64, f64) {
    const PATHS: [&str; 3] = ["/", "/stylesheets/screen.css", "/javascripts/shale.js"];
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|c| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut ok = 0usize;
                let mut errors = 0usize;
                let mut lat = Vec::new();
                let mut conn: Option<BufReader<TcpStream>> = None;
                let mut i = c;
                while !stop.load(Ordering::Relaxed) {
                    let path = PATHS[i % PATHS.len()];
                    i += 1;
                    if conn.is_none() {
                        match TcpStream::connect(addr) {
                            Ok(s) => {
                                s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                                s.set_nodelay(true).unwrap();
                                conn = Some(BufReader::new(s));
                            }
                            Err(_) => {
                                errors += 1;
                                continue;
                            }
                        }
                    }
                    let r = conn.as_mut().unwrap();
                    let t = Instant::now();
                    match fetch(r, path) {
                        Ok(200) => {
                            ok += 1;
                            lat.push(t.elapsed().as_secs_f64() * 1000.0);
                        }
                        other => {
                            if errors < 3 {
                                eprintln!("load: {path}: {other:?}");
                            }
                            errors += 1;
                            conn = None;
                        }
                    }
                }
                (ok, errors, lat)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    let (mut ok, mut errors, mut lat) = (0, 0, Vec::new());
    for w in workers {
        let (o, e, l) = w.join().unwrap();
        ok += o;
        errors += e;
        lat.extend(l);
    }
    lat.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    (ok as f64 / elapsed, errors, ok, pct(0.5), pct(0.99))
}

/// One keep-alive GET; returns the status once the whole body is read.
fn fetch(r: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<u16> {
    r.get_mut()
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes())?;
    let mut status = String::new();
    r.read_line(&mut status)?;
    let code: u16 = status
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {status:?}")))?;
    let mut len = 0usize;
    loop {
        let mut l = String::new();
        if r.read_line(&mut l)? == 0 {
            return Err(std::io::Error::other("closed"));
        }
        if l == "\r\n" {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    Ok(code)
}

fn tempfile_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("shale-serve-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn copy_sample() -> PathBuf {
    let d = tempfile_dir("sample");
    let from = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("source");
    copy_dir(&from, &d.join("source"));
    d
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// A Slate page of about `size` bytes: endpoints with prose, a table, an aside and
/// code in three languages plus a JSON response each.
fn big_page(size: usize) -> String {
    let mut s = String::from(
        "---\ntitle: Big API\nlanguage_tabs:\n  - shell\n  - python\n  - javascript\nsearch: true\n---\n\n# Introduction\n\nA generated page for measuring `shale serve`.\n\n",
    );
    let mut i: usize = 0;
    while s.len() < size {
        if i.is_multiple_of(20) {
            s.push_str(&format!(
                "# Group {}\n\nEndpoints of group {}.\n\n",
                i / 20,
                i / 20
            ));
        }
        s.push_str(&format!(
            "## Get item {i}\n\n\
             ```shell\ncurl \"https://api.example.com/v1/items/{i}\" \\\n  -H \"Authorization: meowmeowmeow\"\n```\n\n\
             ```python\nimport kittn\n\napi = kittn.authorize('meowmeowmeow')\napi.items.get({i})\n```\n\n\
             ```javascript\nconst kittn = require('kittn');\n\nlet api = kittn.authorize('meowmeowmeow');\nlet item = api.items.get({i});\n```\n\n\
             > The above command returns JSON structured like this:\n\n\
             ```json\n{{\n  \"id\": {i},\n  \"name\": \"Item {i}\",\n  \"breed\": \"calico\",\n  \"fluffiness\": {},\n  \"cuteness\": 10\n}}\n```\n\n\
             This endpoint retrieves item {i}. It is one of many; the **prose** around it has `inline code`, \
             [a link](#get-item-{}) and _emphasis_, as real reference pages do. Requests are authenticated with \
             the key shown on the right, and answered in JSON.\n\n\
             ### HTTP Request\n\n`GET https://api.example.com/v1/items/{i}`\n\n\
             ### Query Parameters\n\n\
             Parameter | Default | Description\n--------- | ------- | -----------\ninclude_cats | false | If set to true, the result will also include cats.\navailable | true | If set to false, the result will include items that have already been adopted.\n\n\
             <aside class=\"success\">\nRemember — a happy item is an authenticated item!\n</aside>\n\n",
            i % 7,
            i.saturating_sub(1),
        ));
        i += 1;
    }
    s
}

/// Include `k` of the generated site: about `size` bytes of endpoints, as [`big_page`]
/// writes them, with headings of its own.
fn include(k: usize, size: usize) -> String {
    let g = format!("group{k}");
    let mut s = format!("# Group {k}\n\nEndpoints of group {k}.\n\n");
    let mut i = 0;
    while s.len() < size {
        s.push_str(&format!(
            "## Get {g} item {i}\n\n\
             ```shell\ncurl \"https://api.example.com/v1/{g}/{i}\" \\\n  -H \"Authorization: meowmeowmeow\"\n```\n\n\
             ```python\nimport kittn\n\napi = kittn.authorize('meowmeowmeow')\napi.{g}.get({i})\n```\n\n\
             ```javascript\nconst kittn = require('kittn');\n\nlet api = kittn.authorize('meowmeowmeow');\nlet item = api.{g}.get({i});\n```\n\n\
             > The above command returns JSON structured like this:\n\n\
             ```json\n{{\n  \"id\": {i},\n  \"name\": \"Item {i} of {g}\",\n  \"breed\": \"calico\",\n  \"fluffiness\": {},\n  \"cuteness\": 10\n}}\n```\n\n\
             This endpoint retrieves item {i} of {g}. It is one of many; the **prose** around it has `inline code`, \
             [a link](#get-{g}-item-{i}) and _emphasis_, as real reference pages do.\n\n\
             ### HTTP Request for {g} {i}\n\n`GET https://api.example.com/v1/{g}/{i}`\n\n\
             ### Query Parameters for {g} {i}\n\n\
             Parameter | Default | Description\n--------- | ------- | -----------\ninclude_cats | false | If set to true, the result will also include cats.\n\n\
             <aside class=\"success\">\nRemember — a happy item is an authenticated item!\n</aside>\n\n",
            i % 7,
        ));
        i += 1;
    }
    s
}
