//! `sep documents …` and `sep trust-list …`: issuing what is pending,
//! revoking, checking a file the way the public page does; the trust list.

use clap::Subcommand;
use sep_documents::{service, service::Evidence, service::RevokeInput};
use sep_platform::client::Client;
use sep_platform::config::Config;
use sep_signatures::{anchors, anchors::AnchorInput};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum DocumentsCommand {
    /// Issue the documents ordered but not yet issued (the server also does this every few seconds).
    IssuePending,
    /// Revoke an issued document: every check of it then says «отозван».
    Revoke {
        /// The document's number (Д-2026-000123) or id.
        document: String,
        #[arg(long)]
        reason: String,
    },
    /// Check a file as the public page does. Exit 0 if authentic, 1 otherwise.
    Verify { file: std::path::PathBuf },
    /// Paper copies ordered by post: the dispatch list (with addresses).
    Postal {
        /// requested, sent, delivered or cancelled; all when omitted.
        #[arg(long)]
        state: Option<String>,
    },
    /// Record a paper copy's progress: sent, delivered or cancelled.
    PostalMark { id: uuid::Uuid, state: String },
}

#[derive(Subcommand)]
pub enum TrustListCommand {
    /// The certification authorities on the trust list.
    List,
    /// Put a certification authority on the list.
    Add {
        /// Its certificate, PEM or DER.
        certificate: std::path::PathBuf,
        #[arg(long)]
        name: String,
        /// Accredited: its certificates make qualified signatures.
        #[arg(long)]
        qualified: bool,
    },
    /// Take one off the list, by its SHA-256 fingerprint.
    Remove { fingerprint: String },
}

pub async fn documents(config: Config, command: DocumentsCommand) -> anyhow::Result<ExitCode> {
    let p = super::platform(config).await?;
    let client = Client::system();
    match command {
        DocumentsCommand::IssuePending => {
            // Everything pending, however fresh: the operator asked now.
            let n = service::issue_pending(&p, chrono::Duration::zero())
                .await
                .map_err(super::explain)?;
            println!("issued: {n}");
        }
        DocumentsCommand::Revoke { document, reason } => {
            let d = service::revoke(&p, &client, None, &document, RevokeInput { reason })
                .await
                .map_err(super::explain)?;
            println!("revoked {} «{}»", d.number, d.title);
        }
        DocumentsCommand::Postal { state } => {
            for o in service::postal_orders(&p, None, state.as_deref())
                .await
                .map_err(super::explain)?
            {
                println!(
                    "{}  {:<9} {} № {}  →  {}, {}, {} (регион {})",
                    o.id,
                    o.state,
                    o.document_title,
                    o.document_number,
                    o.recipient,
                    o.postcode,
                    o.delivery_address,
                    o.region_code
                );
            }
        }
        DocumentsCommand::PostalMark { id, state } => {
            service::mark_postal(&p, &client, None, id, &state)
                .await
                .map_err(super::explain)?;
            println!("{id}: {state}");
        }
        DocumentsCommand::Verify { file } => {
            let bytes = std::fs::read(&file)?;
            let c = service::check(&p, &client, Evidence::File(bytes), None, "cli")
                .await
                .map_err(super::explain)?;
            let lang = sep_kernel::i18n::Lang::Ru;
            println!(
                "{}: {}",
                c.verdict.as_str(),
                lang.t(&format!("verdict-{}", c.verdict.as_str()))
            );
            if let Some(d) = &c.document {
                println!(
                    "{} № {} — {}, выдан {}",
                    d.title, d.number, d.agency, d.holder
                );
            }
            if c.verdict != sep_documents::model::Verdict::Authentic {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn trust_list(config: Config, command: TrustListCommand) -> anyhow::Result<ExitCode> {
    let p = super::platform(config).await?;
    let client = Client::system();
    match command {
        TrustListCommand::List => {
            for a in sep_signatures::service::trust_list(&p)
                .await
                .map_err(super::explain)?
            {
                println!(
                    "{}  {}{}  до {}",
                    a.fingerprint_sha256,
                    a.name,
                    if a.qualified {
                        " (аккредитован)"
                    } else {
                        ""
                    },
                    a.not_after.format("%d.%m.%Y")
                );
            }
        }
        TrustListCommand::Add {
            certificate,
            name,
            qualified,
        } => {
            let bytes = std::fs::read(&certificate)?;
            let text = match String::from_utf8(bytes.clone()) {
                Ok(pem) if pem.contains("-----BEGIN") => pem,
                _ => {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD.encode(bytes)
                }
            };
            let a = anchors::add_anchor(
                &p,
                &client,
                None,
                AnchorInput {
                    name,
                    certificate: text,
                    qualified,
                },
            )
            .await
            .map_err(super::explain)?;
            println!("added {} {}", a.fingerprint_sha256, a.name);
        }
        TrustListCommand::Remove { fingerprint } => {
            anchors::remove_anchor(&p, &client, None, fingerprint.trim())
                .await
                .map_err(super::explain)?;
            println!("removed {fingerprint}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
