//! HTTP/1.1 on std's sockets, as much as a preview server needs: GET and HEAD,
//! keep-alive, Content-Length bodies, an event stream taking over its connection.
//!
//! Each connection has a thread of its own (at most [`MAX_CONNECTIONS`] at once), so a
//! slow client, an idle keep-alive connection or an open event stream only ever holds
//! its own thread. Reads and writes have time limits, so a client that stalls is
//! dropped. (tiny_http was used first; its connection pool can leave a new connection
//! queued with no thread to serve it, which stalled browsers' page loads.)

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use super::http::{self, Body};
use super::{events, Shared};

/// Connections served at once; past this, new ones get a 503.
const MAX_CONNECTIONS: usize = 512;
/// The longest request head accepted.
const MAX_HEAD: usize = 16 * 1024;
/// How long a keep-alive connection may sit idle, and a request head take to arrive.
const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a client may take to accept a piece of a response.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// A request, as far as the server reads it.
#[derive(Debug)]
pub(super) struct Request {
    pub method: String,
    /// The request target as sent: `/dir/my%20page.html?x`.
    pub target: String,
    /// The connection stays open after the response.
    pub keep_alive: bool,
}

impl Request {
    pub fn head(&self) -> bool {
        self.method == "HEAD"
    }
}

/// What to answer.
pub(super) enum Reply {
    Response(Response),
    /// The connection becomes an event stream (see [`events`]).
    Events,
}

/// A response: status, headers (Content-Length, Date, Server and Connection are
/// added when it is written), body.
pub(super) struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
}

/// The open connections, to close them all when the server stops.
#[derive(Default)]
pub(super) struct Connections {
    next: AtomicU64,
    open: Mutex<HashMap<u64, TcpStream>>,
}

impl Connections {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, TcpStream>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn add(&self, s: &TcpStream) -> Option<u64> {
        let mut open = self.lock();
        if open.len() >= MAX_CONNECTIONS {
            return None;
        }
        let id = self.next.fetch_add(1, Ordering::SeqCst);
        open.insert(id, s.try_clone().ok()?);
        Some(id)
    }

    fn remove(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// Shuts every open connection down (their threads then end).
    pub fn close_all(&self) {
        for (_, s) in self.lock().drain() {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// Accepts connections until the server stops.
pub(super) fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for conn in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let stream = match conn {
            Ok(s) => s,
            Err(e) => {
                // Out of file descriptors, a connection reset before it was
                // accepted...: wait a moment and go on.
                if !matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionAborted | io::ErrorKind::Interrupted
                ) {
                    std::thread::sleep(Duration::from_millis(20));
                }
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let Some(id) = shared.connections.add(&stream) else {
            let mut s = stream;
            let _ = s.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = write_response(
                &mut s,
                &Response::text(503, "Too many connections\n"),
                false,
                false,
            );
            continue;
        };
        let worker_shared = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("shale-serve-conn".into())
            .spawn(move || {
                serve_connection(stream, &worker_shared);
                worker_shared.connections.remove(id);
            });
        if spawned.is_err() {
            shared.connections.remove(id);
        }
    }
}

/// Wakes the accept loop (blocked in `accept`) so it sees that the server stops.
pub(super) fn wake(addr: SocketAddr) {
    let mut a = addr;
    if a.ip().is_unspecified() {
        a.set_ip(match a {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    let _ = TcpStream::connect_timeout(&a, Duration::from_secs(1));
}

/// Answers the requests of one connection, in order, until it closes.
fn serve_connection(stream: TcpStream, shared: &Arc<Shared>) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::with_capacity(8 * 1024, read_half);
    let mut writer = stream;
    loop {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let req = match read_request(&mut reader) {
            Ok(Some(r)) => r,
            Ok(None) => return, // closed, or idle too long
            Err(status) => {
                let _ = write_response(&mut writer, &Response::text(status, ""), false, false);
                return;
            }
        };
        let reply =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| http::handle(&req, shared)))
                .unwrap_or_else(|_| Reply::Response(Response::text(500, "Internal error\n")));
        match reply {
            Reply::Events => {
                events::stream(&mut writer, shared);
                return;
            }
            Reply::Response(r) => {
                if write_response(&mut writer, &r, req.head(), req.keep_alive).is_err()
                    || !req.keep_alive
                {
                    return;
                }
            }
        }
    }
}

/// The lines of a request head, up to the empty line. `Ok(None)`: the connection closed
/// or stayed idle before a request.
fn read_head(r: &mut BufReader<TcpStream>) -> Result<Option<Vec<String>>, u16> {
    let _ = r.get_ref().set_read_timeout(Some(READ_TIMEOUT));
    let started = Instant::now();
    let mut size = 0;
    let mut lines: Vec<String> = Vec::new();
    loop {
        let mut raw = Vec::new();
        let n = match r
            .by_ref()
            .take((MAX_HEAD + 1 - size) as u64)
            .read_until(b'\n', &mut raw)
        {
            Ok(n) => n,
            Err(_) if lines.is_empty() && size == 0 => return Ok(None),
            Err(_) => return Err(408),
        };
        if n == 0 {
            return if size == 0 { Ok(None) } else { Err(400) };
        }
        size += n;
        if size > MAX_HEAD {
            return Err(431);
        }
        if !raw.ends_with(b"\n") {
            return Err(400);
        }
        let line = String::from_utf8_lossy(&raw)
            .trim_end_matches(['\r', '\n'])
            .to_string();
        if line.is_empty() {
            if lines.is_empty() {
                continue; // empty lines before a request line are allowed
            }
            break;
        }
        lines.push(line);
        if started.elapsed() > READ_TIMEOUT {
            return Err(408);
        }
    }
    Ok(Some(lines))
}

/// Reads one request head. `Ok(None)`: the connection closed or stayed idle; `Err`:
/// the status to answer before closing.
fn read_request(r: &mut BufReader<TcpStream>) -> Result<Option<Request>, u16> {
    let Some(lines) = read_head(r)? else {
        return Ok(None);
    };
    let mut parts = lines[0].split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) || target.is_empty() {
        return Err(400);
    }
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        v if v.starts_with("HTTP/") => return Err(505),
        _ => return Err(400),
    };
    let mut connection = String::new();
    let mut has_body = false;
    for l in &lines[1..] {
        let Some((name, value)) = l.split_once(':') else {
            return Err(400);
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("connection") {
            connection = value.to_ascii_lowercase();
        } else if name.eq_ignore_ascii_case("transfer-encoding")
            || name.eq_ignore_ascii_case("content-length") && value != "0"
        {
            has_body = true;
        }
    }
    let keep_alive = !has_body
        && if http10 {
            connection.contains("keep-alive")
        } else {
            !connection.contains("close")
        };
    Ok(Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        keep_alive,
    }))
}

impl Response {
    /// A response with the headers every response of the preview carries.
    pub fn new(status: u16, content_type: &str, body: Body) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-store".to_string()),
                ("X-Content-Type-Options", "nosniff".to_string()),
            ],
            body,
        }
    }

    pub fn text(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            Body::whole(Arc::new(text.as_bytes().to_vec())),
        )
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// Writes `resp`; without its body for HEAD.
fn write_response(
    w: &mut TcpStream,
    resp: &Response,
    head: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(32 * 1024, w);
    write!(
        out,
        "HTTP/1.1 {} {}\r\nDate: {}\r\nServer: shale serve\r\nContent-Length: {}\r\n",
        resp.status,
        reason(resp.status),
        http_date(SystemTime::now()),
        resp.body.len()
    )?;
    if !keep_alive {
        out.write_all(b"Connection: close\r\n")?;
    }
    for (k, v) in &resp.headers {
        write!(out, "{k}: {v}\r\n")?;
    }
    out.write_all(b"\r\n")?;
    if !head {
        resp.body.write_to(&mut out)?;
    }
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// `Tue, 15 Nov 1994 08:12:31 GMT`.
pub(super) fn http_date(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's days → civil date.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_http_dates() {
        let t = |s| SystemTime::UNIX_EPOCH + Duration::from_secs(s);
        assert_eq!(http_date(t(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(t(784_887_151)), "Tue, 15 Nov 1994 08:12:31 GMT");
        assert_eq!(http_date(t(951_782_400)), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(http_date(t(1_700_000_000)), "Tue, 14 Nov 2023 22:13:20 GMT");
    }

    fn parse(raw: &str) -> Result<Option<Request>, u16> {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        c.write_all(raw.as_bytes()).unwrap();
        c.shutdown(std::net::Shutdown::Write).unwrap();
        let (s, _) = l.accept().unwrap();
        read_request(&mut BufReader::new(s))
    }

    #[test]
    fn reads_request_heads() {
        let r = parse("GET /a%20b?x HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(
            (r.method.as_str(), r.target.as_str(), r.keep_alive),
            ("GET", "/a%20b?x", true)
        );
        let r = parse("\r\nHEAD / HTTP/1.1\nConnection: close\n\n")
            .unwrap()
            .unwrap();
        assert!(r.head() && !r.keep_alive);
        let r = parse("GET / HTTP/1.0\r\n\r\n").unwrap().unwrap();
        assert!(!r.keep_alive);
        let r = parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(r.keep_alive);
        let r = parse("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
            .unwrap()
            .unwrap();
        assert!(!r.keep_alive, "a body it does not read ends the connection");
        assert!(parse("").unwrap().is_none());
        assert_eq!(parse("GET /\r\n\r\n").unwrap_err(), 400);
        assert_eq!(parse("GET / HTTP/2.0\r\n\r\n").unwrap_err(), 505);
        assert_eq!(parse("get / HTTP/1.1\r\n\r\n").unwrap_err(), 400);
        assert_eq!(parse("GET / HTTP/1.1\r\nHost x\r\n\r\n").unwrap_err(), 400);
        assert_eq!(parse("GET / HTTP/1.1\r\nHost: x\r\n").unwrap_err(), 400);
        let long = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(parse(&long).unwrap_err(), 431);
    }
}
