//! A small HTTP/1.1 server on std threads, plain or TLS (rustls): one thread
//! per connection, keep-alive, Content-Length bodies. The simulator needs
//! full control of the wire (answers that never come, connections dropped
//! mid-request, garbage), which is why it is not a framework. It serves
//! loopback only. Merchant-side test endpoints (the demo's notify URL, the
//! tests' failing endpoints) use it too, through `MerchantEndpoint`; this
//! plumbing itself is not library API.

use cmpay::error::{Error, Result};
use cmpay::params::Params;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const MAX_HEAD: usize = 16 * 1024;
const MAX_BODY: usize = 1024 * 1024;
const MAX_CONNECTIONS: usize = 512;
/// How often an idle connection looks at the shutdown flag.
const POLL: Duration = Duration::from_millis(200);
/// An idle keep-alive connection is closed after this.
const IDLE: Duration = Duration::from_secs(30);
/// A request must arrive whole within this once its first byte came: an
/// absolute deadline, checked after every read, so a client trickling a
/// byte at a time cannot hold a connection longer.
pub const REQUEST_TIME: Duration = Duration::from_secs(10);
/// The longest a handler may hold an answer back on purpose (the `slow`
/// fault): a fault delay is a test of the client's timeout, never a way to
/// park the simulator's threads.
pub const MAX_DELAY: Duration = Duration::from_secs(60);

/// One received request.
#[derive(Debug, Clone)]
pub struct Request {
    /// The request method (GET, POST).
    pub method: String,
    /// The path without the query string.
    pub path: String,
    /// The raw query string (after `?`), possibly empty.
    pub query: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body, at most the server's limit.
    pub body: Vec<u8>,
}

impl Request {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The query string's parameters, decoded (UTF-8, or GB18030 when not).
    pub fn query_params(&self) -> Params {
        if self.query.is_empty() {
            return Params::new();
        }
        cmpay::body::parse(self.query.as_bytes()).unwrap_or_default()
    }

    /// Form parameters: the query's, overridden by a form body's.
    pub fn form(&self) -> Params {
        let mut params = self.query_params();
        if let Some(body) = (!self.body.is_empty())
            .then(|| cmpay::body::parse(&self.body).ok())
            .flatten()
        {
            for (n, v) in body.iter() {
                params.set(n, v);
            }
        }
        params
    }
}

/// What to do with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Send this answer.
    Response(Response),
    /// Close the connection without answering.
    Close,
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// An HTTP answer.
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers (Content-Length and Connection are added when sent).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// An answer with this Content-Type.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }
    /// A text/plain UTF-8 answer.
    pub fn text(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body)
    }
    /// A text/html UTF-8 answer.
    pub fn html(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, "text/html; charset=utf-8", body)
    }
    /// An application/json answer.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, "application/json", body)
    }
    /// A gateway-style answer: `k=v&…`.
    pub fn form(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, "text/plain; charset=UTF-8", body)
    }
    /// A 302 redirect to `location` with a small HTML body.
    pub fn redirect(location: &str, body_html: impl Into<Vec<u8>>) -> Response {
        let mut r = Response::html(302, body_html);
        r.headers.push(("Location".into(), location.into()));
        r
    }
}

impl From<Response> for Reply {
    fn from(r: Response) -> Reply {
        Reply::Response(r)
    }
}

/// What answers each request.
pub type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync + 'static>;

/// A running server; dropping it shuts it down.
pub struct Server {
    addr: SocketAddr,
    tls: bool,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
    /// The connection threads not yet joined: shutdown joins them all.
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.addr)
            .field("tls", &self.tls)
            .finish()
    }
}

impl Server {
    /// Serves on 127.0.0.1:`port` (0 picks a free port), with TLS when a
    /// rustls configuration is given.
    pub fn start(
        port: u16,
        tls: Option<Arc<rustls::ServerConfig>>,
        handler: Handler,
    ) -> Result<Server> {
        let listener = TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))
            .map_err(|e| Error::Transport(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Transport(e.to_string()))?;
        let stop = Arc::new(AtomicBool::new(false));
        let is_tls = tls.is_some();
        let connections = Arc::new(Mutex::new(Vec::new()));
        let accept = {
            let (stop, connections) = (stop.clone(), connections.clone());
            std::thread::Builder::new()
                .name(format!("cmpay-http-{}", addr.port()))
                .spawn(move || accept_loop(listener, tls, handler, stop, connections))
                .map_err(|e| Error::Transport(format!("cannot start a thread: {e}")))?
        };
        Ok(Server {
            addr,
            tls: is_tls,
            stop,
            accept: Some(accept),
            connections,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` or `https://…`.
    pub fn base_url(&self) -> String {
        format!(
            "{}://{}",
            if self.tls { "https" } else { "http" },
            self.addr
        )
    }

    /// Stops accepting and returns once every connection thread has ended:
    /// idle connections close within a fraction of a second, requests being
    /// handled finish first.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if self.accept.is_none() {
            return;
        }
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
        let connections =
            std::mem::take(&mut *self.connections.lock().unwrap_or_else(|p| p.into_inner()));
        for t in connections {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop_now();
    }
}

fn accept_loop(
    listener: TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    handler: Handler,
    stop: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else {
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let mut s = stream;
            let _ = s.write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            continue;
        }
        if stream.peer_addr().is_err() {
            continue; // already gone
        }
        let _ = stream.set_nodelay(true);
        let _ = stream.set_read_timeout(Some(POLL));
        let _ = stream.set_write_timeout(Some(REQUEST_TIME));
        let (handler, stop, counter, tls) =
            (handler.clone(), stop.clone(), active.clone(), tls.clone());
        active.fetch_add(1, Ordering::SeqCst);
        let spawned = std::thread::Builder::new()
            .name("cmpay-http-conn".into())
            .spawn(move || {
                match tls {
                    Some(config) => {
                        if let Ok(conn) = rustls::ServerConnection::new(config) {
                            serve_connection(
                                rustls::StreamOwned::new(conn, stream),
                                &handler,
                                &stop,
                            );
                        }
                    }
                    None => serve_connection(stream, &handler, &stop),
                }
                counter.fetch_sub(1, Ordering::SeqCst);
            });
        match spawned {
            Ok(thread) => {
                let mut list = connections.lock().unwrap_or_else(|p| p.into_inner());
                // Ended threads are joined here, so the list stays as long as
                // the connections open.
                let (ended, open): (Vec<_>, Vec<_>) = list.drain(..).partition(|t| t.is_finished());
                *list = open;
                list.push(thread);
                drop(list);
                for t in ended {
                    let _ = t.join();
                }
            }
            // The thread never ran (its stream is closed with it): free the slot.
            Err(_) => {
                active.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

/// What a request that is no HTTP request the server reads is told: what
/// was wrong, and what is expected instead.
fn not_http_form(status: u16) -> String {
    let what = match status {
        411 => "a chunked body is not read: send the body with a Content-Length header",
        413 => "the body is larger than 1 MiB",
        431 => "the request head (request line and headers) is larger than 16 KiB",
        _ => "malformed HTTP request",
    };
    format!(
        "bad request ({status}): {what}; expected an HTTP/1.0 or 1.1 request (POST /ips/cmpayService with an application/x-www-form-urlencoded body and its Content-Length)\n"
    )
}

fn serve_connection<S: Read + Write>(mut stream: S, handler: &Handler, stop: &AtomicBool) {
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    loop {
        let request = match read_request(&mut stream, &mut buf, stop) {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(status) => {
                let _ = write_response(
                    &mut stream,
                    &Response::text(status, not_http_form(status)),
                    false,
                );
                return;
            }
        };
        let keep_alive = wants_keep_alive(&request);
        // A panic in a handler must not take the server down.
        let reply = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(&request)))
            .unwrap_or_else(|_| {
                Reply::Response(Response::text(500, "internal error in the simulator\n"))
            });
        match reply {
            Reply::Close => return,
            Reply::Response(response) => {
                if write_response(&mut stream, &response, keep_alive).is_err() || !keep_alive {
                    return;
                }
            }
        }
        if stop.load(Ordering::SeqCst) {
            return;
        }
    }
}

fn wants_keep_alive(r: &Request) -> bool {
    !r.header("connection")
        .is_some_and(|v| v.to_ascii_lowercase().contains("close"))
}

/// Ok(None): the peer closed (or idled out, or shutdown) between requests.
/// Err(status): a malformed request, answered with that status and closed.
fn read_request<S: Read + Write>(
    stream: &mut S,
    buf: &mut Vec<u8>,
    stop: &AtomicBool,
) -> std::result::Result<Option<Request>, u16> {
    let idle_since = Instant::now();
    let mut started: Option<Instant> = if buf.is_empty() {
        None
    } else {
        Some(Instant::now())
    };
    let mut chunk = [0u8; 8192];
    // The head.
    let head_end = loop {
        if let Some(pos) = find(buf, b"\r\n\r\n") {
            break pos + 4;
        }
        if buf.len() > MAX_HEAD {
            return Err(431);
        }
        match read_some(stream, &mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                if started.get_or_insert_with(Instant::now).elapsed() > REQUEST_TIME {
                    return Err(408);
                }
            }
            Err(e) if is_timeout(&e) => {
                if stop.load(Ordering::SeqCst) {
                    return Ok(None);
                }
                match started {
                    None if idle_since.elapsed() > IDLE => return Ok(None),
                    Some(t) if t.elapsed() > REQUEST_TIME => return Err(408),
                    _ => {}
                }
            }
            Err(_) => return Ok(None),
        }
    };
    let head = std::str::from_utf8(&buf[..head_end])
        .map_err(|_| 400u16)?
        .to_string();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (method, target, version) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    if method.is_empty() || !target.starts_with('/') || !version.starts_with("HTTP/1.") {
        return Err(400);
    }
    let mut headers = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let (n, v) = line.split_once(':').ok_or(400u16)?;
        headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if header("transfer-encoding").is_some() {
        return Err(411);
    }
    let length: usize = match header("content-length") {
        Some(v) => v.parse().map_err(|_| 400u16)?,
        None => 0,
    };
    if length > MAX_BODY {
        return Err(413);
    }
    if header("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
        && buf.len() < head_end + length
    {
        let _ = stream
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .and_then(|_| stream.flush());
    }
    let begun = started.unwrap_or_else(Instant::now);
    while buf.len() < head_end + length {
        if begun.elapsed() > REQUEST_TIME {
            return Err(408);
        }
        match read_some(stream, &mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if is_timeout(&e) => {
                if stop.load(Ordering::SeqCst) {
                    return Ok(None);
                }
            }
            Err(_) => return Ok(None),
        }
    }
    let body = buf[head_end..head_end + length].to_vec();
    buf.drain(..head_end + length);
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target.to_string(), String::new()),
    };
    let mut request = Request {
        method: method.to_string(),
        path,
        query,
        headers,
        body,
    };
    if version == "HTTP/1.0"
        && !request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("keep-alive"))
    {
        request.headers.push(("connection".into(), "close".into()));
    }
    Ok(Some(request))
}

fn read_some<S: Read>(stream: &mut S, chunk: &mut [u8]) -> io::Result<usize> {
    loop {
        match stream.read(chunk) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn write_response<S: Write>(stream: &mut S, r: &Response, keep_alive: bool) -> io::Result<()> {
    let mut out = Vec::with_capacity(r.body.len() + 256);
    out.extend_from_slice(format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status)).as_bytes());
    for (n, v) in &r.headers {
        // Header values come from the simulator itself; refuse line breaks anyway.
        if !n.contains(['\r', '\n']) && !v.contains(['\r', '\n']) {
            out.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
        }
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n", r.body.len()).as_bytes());
    out.extend_from_slice(if keep_alive {
        b"Connection: keep-alive\r\n\r\n" as &[u8]
    } else {
        b"Connection: close\r\n\r\n"
    });
    out.extend_from_slice(&r.body);
    stream.write_all(&out)?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// The server holds a request to an absolute deadline (`REQUEST_TIME`, 10 s
/// from its first byte): a client trickling one byte every 150 ms, which
/// never lets a read time out, is cut off there instead of holding the
/// connection (and a thread) for as long as it likes. Asserted by counting
/// the bytes the server took, not by timing.
#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    const TRICKLE: Duration = Duration::from_millis(150);

    #[test]
    fn a_trickling_client_is_cut_off_at_the_request_deadline() {
        let server = Server::start(
            0,
            None,
            Arc::new(|_req: &Request| Reply::Response(Response::text(200, "ok"))),
        )
        .unwrap();
        let mut s = TcpStream::connect(server.local_addr()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        // A head that never ends: "POST / HTTP/1.1\r\nX: aaaa...".
        let head = b"POST / HTTP/1.1\r\nHost: x\r\nX-Trickle: ";
        s.write_all(head).unwrap();
        // At one byte per TRICKLE, the deadline allows about this many; the old
        // server (deadline checked only when a read timed out) took them all.
        let allowed = (REQUEST_TIME.as_millis() / TRICKLE.as_millis()) as usize;
        let mut sent = 0;
        let cut = loop {
            std::thread::sleep(TRICKLE);
            if s.write_all(b"a").is_err() {
                break true;
            }
            sent += 1;
            // Has the server answered (408) and closed?
            s.set_nonblocking(true).unwrap();
            let mut buf = [0u8; 256];
            let answered = match s.read(&mut buf) {
                Ok(0) => Some(String::new()),
                Ok(n) => Some(String::from_utf8_lossy(&buf[..n]).into_owned()),
                Err(_) => None,
            };
            s.set_nonblocking(false).unwrap();
            if let Some(answer) = answered {
                assert!(
                    answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
                    "{answer}"
                );
                break true;
            }
            if sent > allowed * 2 {
                break false;
            }
        };
        assert!(cut, "the server still reads after {sent} trickled bytes");
        assert!(
            sent <= allowed + allowed / 2,
            "{sent} bytes taken, about {allowed} allowed"
        );
        server.shutdown();
    }
}
