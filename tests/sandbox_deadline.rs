//! The simulator's HTTP server holds a request to an absolute deadline
//! (`http::REQUEST_TIME`, 10 s from its first byte): a client trickling one
//! byte every 150 ms, which never lets a read time out, is cut off there
//! instead of holding the connection (and a thread) for as long as it likes.
//! Asserted by counting the bytes the server took, not by timing.
#![cfg(feature = "sandbox")]

use cmpay::sandbox::http::{REQUEST_TIME, Reply, Response, Server};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

const TRICKLE: Duration = Duration::from_millis(150);

#[test]
fn a_trickling_client_is_cut_off_at_the_request_deadline() {
    let server = Server::start(
        0,
        None,
        Arc::new(|_req: &cmpay::sandbox::http::Request| Reply::Response(Response::text(200, "ok"))),
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
