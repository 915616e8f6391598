//! A real IMAP server for the tests: Debian's Dovecot, started on a free
//! port with its own configuration and one Maildir, stopped when dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const IMAP_USER: &str = "sprzedaz";
pub const IMAP_PASSWORD: &str = "haslo-do-skrzynki";
const DOVECOT: &str = "/usr/sbin/dovecot";

pub struct ImapServer {
    dir: PathBuf,
    pub port: u16,
    /// With TLS: the CA that signed the server's certificate (for
    /// `localhost`).
    pub ca_file: Option<PathBuf>,
    owner: (u32, u32),
    master: Child,
}

fn run(command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{command:?}: {error}"));
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn id_of(flag: &str, user: Option<&str>) -> u32 {
    let mut command = Command::new("id");
    command.arg(flag);
    command.args(user);
    let output = command.output().expect("id");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("a numeric id")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A CA and a certificate for `localhost` it signed, with the openssl tool.
fn certificates(dir: &Path) -> PathBuf {
    let at = |name: &str| dir.join(name);
    run(Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"])
        .args(["-subj", "/CN=Lejek test CA", "-keyout"])
        .arg(at("ca.key"))
        .arg("-out")
        .arg(at("ca.pem")));
    run(Command::new("openssl")
        .args([
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
        ])
        .arg(at("server.key"))
        .arg("-out")
        .arg(at("server.csr")));
    std::fs::write(
        at("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    run(Command::new("openssl")
        .args(["x509", "-req", "-days", "2", "-CAcreateserial", "-in"])
        .arg(at("server.csr"))
        .arg("-CA")
        .arg(at("ca.pem"))
        .arg("-CAkey")
        .arg(at("ca.key"))
        .arg("-extfile")
        .arg(at("server.ext"))
        .arg("-out")
        .arg(at("server.pem")));
    at("ca.pem")
}

impl ImapServer {
    /// Starts Dovecot with an empty mailbox; with `tls`, IMAPS only.
    pub fn start(tls: bool) -> ImapServer {
        assert!(
            Path::new(DOVECOT).exists(),
            "{DOVECOT} is missing: install Debian's dovecot-imapd (.ci/run does)"
        );
        let dir = std::env::temp_dir().join(format!("lejek_imap_{}", crate::unique()));
        for sub in [
            "run",
            "state",
            "home/mail/Maildir/new",
            "home/mail/Maildir/cur",
            "home/mail/Maildir/tmp",
        ] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        // Dovecot never gives mail to root: as root, the mailbox is the
        // package's dovecot user's.
        let owner = if id_of("-u", None) == 0 {
            (id_of("-u", Some("dovecot")), id_of("-g", Some("dovecot")))
        } else {
            (id_of("-u", None), id_of("-g", None))
        };
        let port = free_port();
        let ca_file = tls.then(|| certificates(&dir));
        let listeners = if tls {
            format!(
                "ssl = required\nssl_cert = <{0}/server.pem\nssl_key = <{0}/server.key\n\
                 service imap-login {{\n  chroot =\n  inet_listener imap {{\n    port = 0\n  }}\n  \
                 inet_listener imaps {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n}}\n",
                dir.display()
            )
        } else {
            format!(
                "ssl = no\ndisable_plaintext_auth = no\n\
                 service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    \
                 port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n"
            )
        };
        let dir_text = dir.display();
        let config = format!(
            "protocols = imap\nlisten = 127.0.0.1\nbase_dir = {dir_text}/run\nstate_dir = {dir_text}/state\n\
             log_path = {dir_text}/dovecot.log\nauth_mechanisms = plain login\nfirst_valid_uid = 0\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {dir_text}/users\n}}\n\
             userdb {{\n  driver = static\n  args = uid={} gid={} home={dir_text}/home/mail\n}}\n\
             mail_location = maildir:~/Maildir\nservice anvil {{\n  chroot =\n}}\n{listeners}",
            owner.0, owner.1
        );
        std::fs::write(dir.join("dovecot.conf"), config).unwrap();
        std::fs::write(
            dir.join("users"),
            format!("{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}\n"),
        )
        .unwrap();
        let mut server = ImapServer {
            master: Command::new(DOVECOT)
                .arg("-F")
                .arg("-c")
                .arg(dir.join("dovecot.conf"))
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start dovecot"),
            dir,
            port,
            ca_file,
            owner,
        };
        server.own_mailbox();
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.master.try_wait() {
                panic!("dovecot exited with {status}: {}", server.log());
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "dovecot never listened: {}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn maildir(&self) -> PathBuf {
        self.dir.join("home/mail/Maildir")
    }

    fn own_mailbox(&self) {
        run(Command::new("chown")
            .arg("-R")
            .arg(format!("{}:{}", self.owner.0, self.owner.1))
            .arg(self.dir.join("home")));
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("dovecot.log")).unwrap_or_default()
    }

    /// Puts a message in the mailbox, unread, as a delivery agent would.
    pub fn deliver(&self, name: &str, raw: &[u8]) {
        let file = format!("{}.{name}.lejek", crate::unique());
        let staged = self.maildir().join("tmp").join(&file);
        std::fs::write(&staged, raw).unwrap();
        std::fs::rename(&staged, self.maildir().join("new").join(&file)).unwrap();
        self.own_mailbox();
    }

    /// How many messages are marked read (`S` among a Maildir file's flags).
    pub fn read_messages(&self) -> usize {
        std::fs::read_dir(self.maildir().join("cur"))
            .unwrap()
            .filter_map(Result::ok)
            .filter(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                name.rsplit_once(":2,")
                    .is_some_and(|(_, flags)| flags.contains('S'))
            })
            .count()
    }
}

impl Drop for ImapServer {
    fn drop(&mut self) {
        let _ = Command::new(DOVECOT)
            .arg("-c")
            .arg(self.dir.join("dovecot.conf"))
            .arg("stop")
            .output();
        let _ = self.master.kill();
        let _ = self.master.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
