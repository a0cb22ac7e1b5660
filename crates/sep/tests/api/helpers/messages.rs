//! What the app sent: SMS and mail read back from its outboxes, a real SMTP
//! server for the tests that need one, the shipped SMS gateway.

use super::*;
use serde_json::Value;
use std::path::PathBuf;

fn six_digits(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a six-digit code")
        .to_string()
}

impl TestApp {
    /// Every SMS the file gateway wrote, oldest first.
    pub fn sms(&self) -> Vec<Value> {
        std::fs::read_to_string(self.data_dir.join("outbox").join("sms.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect()
    }

    /// The `.eml` files the file transport wrote, oldest first.
    fn mail_files(&self) -> Vec<PathBuf> {
        let Ok(dir) = std::fs::read_dir(self.data_dir.join("outbox").join("mail")) else {
            return Vec::new();
        };
        let mut paths: Vec<_> = dir
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        paths.sort(); // names are UUIDv7: sorted by time
        paths
    }

    /// Every mail the file transport wrote, oldest first: (to, subject, body),
    /// decoded as a mail client would.
    pub fn mails(&self) -> Vec<(String, String, String)> {
        self.mail_files()
            .iter()
            .map(|p| {
                let raw = std::fs::read(p).unwrap();
                let m = mail_parser::MessageParser::default()
                    .parse(&raw)
                    .expect("a well-formed mail");
                let to = m
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address())
                    .unwrap_or_default()
                    .to_string();
                let subject = m.subject().unwrap_or_default().to_string();
                let body = m.body_text(0).unwrap_or_default().to_string();
                (to, subject, body)
            })
            .collect()
    }

    /// The files attached to mails to `email`, oldest first: (subject, file name, bytes).
    pub fn mail_attachments(&self, email: &str) -> Vec<(String, String, Vec<u8>)> {
        let mut found = Vec::new();
        for p in self.mail_files() {
            let raw = std::fs::read(p).unwrap();
            use mail_parser::MimeHeaders;
            let m = mail_parser::MessageParser::default().parse(&raw).unwrap();
            let to = m.to().and_then(|a| a.first()).and_then(|a| a.address());
            if to != Some(email) {
                continue;
            }
            for a in m.attachments() {
                found.push((
                    m.subject().unwrap_or_default().to_string(),
                    a.attachment_name().unwrap_or_default().to_string(),
                    a.contents().to_vec(),
                ));
            }
        }
        found
    }

    /// The six-digit code in the newest mail to `email`.
    pub fn last_mail_code(&self, email: &str) -> String {
        let mails = self.mails();
        let (_, _, body) = mails
            .iter()
            .rev()
            .find(|(to, _, _)| to == email)
            .expect("a mail to that address");
        six_digits(body)
    }

    /// The six-digit code in the newest SMS to `phone`.
    /// The texts of every SMS sent to `phone`, oldest first.
    pub fn sms_to(&self, phone: &str) -> Vec<String> {
        self.sms()
            .iter()
            .filter(|m| m["to"] == phone)
            .map(|m| m["text"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    pub fn last_code(&self, phone: &str) -> String {
        let msgs = self.sms();
        let text = msgs
            .iter()
            .rev()
            .find(|m| m["to"] == phone)
            .map(|m| m["text"].as_str().unwrap().to_string())
            .expect("an SMS to that phone");
        six_digits(&text)
    }
}

/// A real SMTP server (mailin) on a random port that keeps what it receives.
pub mod smtp {
    use mailin_embedded::{Handler, Response, Server, response};
    use std::sync::{Arc, Mutex};

    pub type Inbox = Arc<Mutex<Vec<(String, String)>>>;

    #[derive(Clone)]
    struct Keep {
        inbox: Inbox,
        to: Vec<String>,
        data: Vec<u8>,
    }

    impl Handler for Keep {
        fn data_start(
            &mut self,
            _domain: &str,
            _from: &str,
            _is8bit: bool,
            to: &[String],
        ) -> Response {
            self.to = to.to_vec();
            self.data.clear();
            response::OK
        }

        fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
            self.data.extend_from_slice(buf);
            Ok(())
        }

        fn data_end(&mut self) -> Response {
            let text = String::from_utf8_lossy(&self.data).to_string();
            for to in &self.to {
                self.inbox.lock().unwrap().push((to.clone(), text.clone()));
            }
            response::OK
        }
    }

    pub fn start() -> (u16, Inbox) {
        let inbox: Inbox = Arc::default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut server = Server::new(Keep {
            inbox: inbox.clone(),
            to: vec![],
            data: vec![],
        });
        server.with_name("test.smtp").with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        (port, inbox)
    }
}

/// The shipped sandbox SMS gateway on a random port: (its URL, its token,
/// the gateway to read deliveries from).
pub async fn sms_gateway(inbox: std::path::PathBuf) -> (String, String, sep_peers::sms::Gateway) {
    let token = "sandbox-sms-token".to_string();
    let gateway = sep_peers::sms::Gateway::new(&token, inbox);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(gateway.clone().serve(listener, std::future::pending()));
    (url, token, gateway)
}
