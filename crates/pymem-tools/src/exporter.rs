//! A `/metrics` HTTP endpoint for Prometheus, started by one call: a `std::net` listener on
//! its own thread (one route, one connection at a time; no async runtime).

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use prometheus_client::registry::Registry;

use crate::metrics::{registry, render};
use crate::published::Gauges;

const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// A running exporter; dropping it stops the server.
pub struct Exporter {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Serves `gauges` as OpenMetrics text at `http://<addr>/metrics` (e.g. `"127.0.0.1:9100"`;
/// port 0 picks a free one, see [`Exporter::addr`]).
pub fn serve(gauges: Arc<Gauges>, addr: &str) -> io::Result<Exporter> {
    let listener = TcpListener::bind(addr)?;
    let addr = listener.local_addr()?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let registry = registry(gauges);
    let thread = std::thread::Builder::new()
        .name("pymem-exporter".into())
        .spawn(move || accept_loop(&listener, &registry, &flag))?;
    Ok(Exporter {
        addr,
        stop,
        thread: Some(thread),
    })
}

impl Exporter {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Exporter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // Wakes the blocking accept; a failure means the listener is gone already.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, registry: &Registry, stop: &AtomicBool) {
    for stream in listener.incoming() {
        if stop.load(Ordering::Acquire) {
            return;
        }
        // A client that hangs up mid-request costs nothing but its own response.
        if let Ok(stream) = stream {
            let _ = respond(stream, registry);
        }
    }
}

fn respond(mut stream: TcpStream, registry: &Registry) -> io::Result<()> {
    // One client at a time: one that never sends its request must not stall the others.
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let path = request_path(&mut BufReader::new(&stream))?;
    let (status, content_type, body) = match path.as_str() {
        "/metrics" => ("200 OK", CONTENT_TYPE, render(registry)),
        _ => (
            "404 Not Found",
            "text/plain",
            "not found: try /metrics\n".to_owned(),
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())
}

/// The path of a `GET` request line (the query string dropped); the headers are read and
/// ignored.
fn request_path(reader: &mut impl BufRead) -> io::Result<String> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let target = line.split(' ').nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/").to_owned();
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    Ok(path)
}
