//! A TCP proxy between a server and its database that a test can take down
//! and bring back, to see how the server behaves when the database goes
//! away without stopping the machine's PostgreSQL (other tests use it).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// What the proxy does with traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Bytes flow both ways.
    Up,
    /// As when the database is stopped: every open connection is closed
    /// and new ones are refused (nothing listens on the port).
    Down,
    /// As when a network drops packets: connections open, but no byte
    /// gets through either way until the link is up again.
    Stalled,
}

/// The proxy, listening on a port of its own until dropped.
pub struct DbProxy {
    address: SocketAddr,
    target: Arc<Mutex<Option<String>>>,
    link: watch::Sender<Link>,
    accepting: JoinHandle<()>,
}

impl DbProxy {
    /// Listens on a free port of 127.0.0.1, link up, with no target yet
    /// (see [`DbProxy::route`]).
    pub async fn start() -> DbProxy {
        let listener = listen("127.0.0.1:0".parse().expect("an address")).expect("a free port for the proxy");
        let address = listener.local_addr().expect("the proxy's address");
        let target = Arc::new(Mutex::new(None));
        let (link, watching) = watch::channel(Link::Up);
        let accepting = tokio::spawn(accept(listener, address, Arc::clone(&target), watching));
        DbProxy {
            address,
            target,
            link,
            accepting,
        }
    }

    /// Forwards to the host and port of the database URL `url` from now on
    /// and returns that URL pointing at the proxy instead.
    pub fn route(&self, url: &str) -> String {
        let mut proxied = reqwest::Url::parse(url).unwrap_or_else(|error| panic!("{url}: {error}"));
        let host = proxied.host_str().unwrap_or("localhost").to_owned();
        let port = proxied.port().unwrap_or(5432);
        *self.target.lock().expect("the proxy's target") = Some(format!("{host}:{port}"));
        proxied.set_host(Some("127.0.0.1")).expect("a host");
        proxied.set_port(Some(self.address.port())).expect("a port");
        proxied.to_string()
    }

    pub fn set(&self, link: Link) {
        self.link.send_replace(link);
    }
}

impl Drop for DbProxy {
    fn drop(&mut self) {
        self.set(Link::Down);
        self.accepting.abort();
    }
}

/// A listener that can be bound again on the same port once dropped.
fn listen(address: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(128)
}

async fn accept(
    first: TcpListener,
    address: SocketAddr,
    target: Arc<Mutex<Option<String>>>,
    mut link: watch::Receiver<Link>,
) {
    let mut listener = Some(first);
    loop {
        while *link.borrow_and_update() == Link::Down {
            if link.changed().await.is_err() {
                return;
            }
        }
        let current = match listener.take() {
            Some(current) => current,
            None => match listen(address) {
                Ok(current) => current,
                Err(error) => panic!("the proxy cannot listen on {address} again: {error}"),
            },
        };
        loop {
            tokio::select! {
                accepted = current.accept() => {
                    let Ok((client, _)) = accepted else { continue };
                    let to = target.lock().expect("the proxy's target").clone();
                    if let Some(to) = to {
                        tokio::spawn(forward(client, to, link.clone()));
                    }
                }
                changed = link.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    if *link.borrow_and_update() == Link::Down {
                        break;
                    }
                }
            }
        }
        // `current` is dropped here: nothing listens, connections are refused.
    }
}

async fn forward(client: TcpStream, target: String, link: watch::Receiver<Link>) {
    let Ok(server) = TcpStream::connect(&target).await else {
        return;
    };
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    // When either direction ends, both sockets close.
    tokio::select! {
        () = pipe(client_read, server_write, link.clone()) => {}
        () = pipe(server_read, client_write, link) => {}
    }
}

async fn pipe(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, mut link: watch::Receiver<Link>) {
    let mut buffer = vec![0_u8; 64 * 1024];
    loop {
        if !passable(&mut link).await {
            return;
        }
        let read = tokio::select! {
            read = from.read(&mut buffer) => read,
            () = down(&mut link) => return,
        };
        let count = match read {
            Ok(0) | Err(_) => return,
            Ok(count) => count,
        };
        if !passable(&mut link).await || to.write_all(&buffer[..count]).await.is_err() {
            return;
        }
    }
}

/// Waits while the link is stalled; whether it is up (else it is down).
async fn passable(link: &mut watch::Receiver<Link>) -> bool {
    loop {
        let now = *link.borrow_and_update();
        match now {
            Link::Up => return true,
            Link::Down => return false,
            Link::Stalled => {
                if link.changed().await.is_err() {
                    return false;
                }
            }
        }
    }
}

/// Resolves once the link is down (or the proxy is gone).
async fn down(link: &mut watch::Receiver<Link>) {
    while *link.borrow_and_update() != Link::Down {
        if link.changed().await.is_err() {
            return;
        }
    }
}
