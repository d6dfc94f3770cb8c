//! Server-sent events: every open page keeps one `GET /__shale/events` stream (on its
//! connection's thread) and hears of each rebuild.
//!
//! Events (each `data` is one line of JSON):
//! - `hello` `{"build", "error"}` when a stream opens: the current build's id (a page
//!   from another build reloads) and the error overlay's HTML or `null`;
//! - `reload` `{"build"}`: the site changed;
//! - `css` `{"build"}`: only stylesheets changed (the page swaps them in place);
//! - `build-error` `{"html"}`: the last rebuild failed (the page shows the overlay);
//! - `ok` `{"build"}`: a rebuild succeeded and changed nothing (the overlay goes).

use std::io::Write;
use std::net::TcpStream;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::Shared;

/// At most this many open streams; past it the server answers 503.
const MAX_STREAMS: usize = 256;
/// A comment is sent this often when there is nothing else to send, so that proxies
/// and browsers keep the stream open.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// How often a stream checks whether its page went away.
const CHECK: Duration = Duration::from_millis(500);

/// The open streams.
#[derive(Default)]
pub(super) struct Broadcaster {
    clients: Mutex<Vec<Sender<Arc<str>>>>,
}

impl Broadcaster {
    fn subscribe(&self) -> Option<Receiver<Arc<str>>> {
        let mut c = self.lock();
        if c.len() >= MAX_STREAMS {
            return None;
        }
        let (tx, rx) = mpsc::channel();
        c.push(tx);
        Some(rx)
    }

    /// Sends an event to every open stream; returns how many there are.
    pub fn send(&self, event: &str, data: &str) -> usize {
        let msg: Arc<str> = format(event, data).into();
        let mut c = self.lock();
        c.retain(|tx| tx.send(msg.clone()).is_ok());
        c.len()
    }

    /// Ends every stream.
    pub fn close_all(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Sender<Arc<str>>>> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One event in the wire format.
pub(super) fn format(event: &str, data: &str) -> String {
    debug_assert!(!data.contains('\n'));
    format!("event: {event}\ndata: {data}\n\n")
}

/// Runs the event stream of a page on its connection (the connection's own thread)
/// until the page goes away or the server stops.
pub(super) fn stream(w: &mut TcpStream, shared: &Shared) {
    let Some(rx) = shared.events.subscribe() else {
        let _ = w.write_all(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        return;
    };
    // Subscribed first, then the state read: no rebuild can fall between the two.
    let hello = format("hello", &shared.hello_json());
    let head = "HTTP/1.1 200 OK\r\n\
                Content-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\n\
                Connection: close\r\n\
                X-Accel-Buffering: no\r\n\
                Server: shale serve\r\n\r\n\
                retry: 1000\n\n";
    let mut first = String::with_capacity(head.len() + hello.len());
    first.push_str(head);
    first.push_str(&hello);
    if w.write_all(first.as_bytes()).is_err() {
        return;
    }
    let mut last_write = Instant::now();
    loop {
        let msg: Arc<str> = match rx.recv_timeout(CHECK) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => {
                if closed(w) {
                    return; // the page went away: forget it now, not at the next event
                }
                if last_write.elapsed() < KEEPALIVE {
                    continue;
                }
                ": keep-alive\n\n".into()
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(msg.as_bytes()).is_err() {
            return;
        }
        last_write = Instant::now();
    }
}

/// Whether the browser closed the connection (it sends nothing else on it).
fn closed(s: &TcpStream) -> bool {
    if s.set_nonblocking(true).is_err() {
        return true;
    }
    let mut b = [0u8; 1];
    let gone = match s.peek(&mut b) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    gone || s.set_nonblocking(false).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasts_and_forgets_closed_streams() {
        let b = Broadcaster::default();
        let a = b.subscribe().unwrap();
        let c = b.subscribe().unwrap();
        assert_eq!(b.send("reload", "{}"), 2);
        assert_eq!(&*a.recv().unwrap(), "event: reload\ndata: {}\n\n");
        drop(c);
        assert_eq!(b.send("css", "{}"), 1);
        b.close_all();
        assert!(a.recv().is_ok(), "the queued event");
        assert!(a.recv().is_err(), "then the end");
    }
}
