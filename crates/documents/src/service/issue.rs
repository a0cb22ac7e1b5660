//! Ordering certificates and issuing documents. An order commits pending
//! documents (number and check token fixed, nothing rendered yet); each is
//! then issued on its own — content from the registry, PDF rendered, signed
//! by its agency, stored encrypted — and marked issued with one conditional
//! update. A crash between leaves pending rows that the sweep issues later;
//! two workers racing on one row both render, only one marks it.

use super::views::{DocumentView, views};
use crate::{model::Kind, model::Marks, model::Sheet, model::render};
use crate::{registry, registry::Seed};
use crate::{store, store::Issue, store::document as row};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, Datelike, Utc};
use sep_identity::{model::Holder, model::masked_full_name};
use sep_identity::{service::Principal, service::holder_of};
use sep_kernel::{FieldError, Rule};
use sep_pdf::Stamp;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::clock::local_date;
use sep_platform::{error::AppError, error::Result};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct OrderInput {
    pub kinds: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Ordered {
    pub order_id: Uuid,
    pub documents: Vec<DocumentView>,
}

/// The kinds asked for, each known, orderable and asked once.
fn kinds_of(input: &OrderInput) -> Result<Vec<Kind>> {
    if input.kinds.is_empty() {
        return Err(AppError::field("kinds", "required"));
    }
    let mut errors = Vec::new();
    let mut kinds = Vec::new();
    for (i, code) in input.kinds.iter().enumerate() {
        match Kind::parse(code.trim()).filter(|k| k.orderable()) {
            None => errors.push(FieldError::new(
                format!("kinds[{i}]"),
                Rule("document-kind-unknown"),
            )),
            Some(k) if kinds.contains(&k) => errors.push(FieldError::new(
                format!("kinds[{i}]"),
                Rule("document-kind-repeated"),
            )),
            Some(k) => kinds.push(k),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(kinds)
}

/// Every profile field the kinds need and the person has not given.
fn missing(holder: &Holder, kinds: &[Kind]) -> Vec<FieldError> {
    use crate::model::Need;
    let mut errors: Vec<FieldError> = Vec::new();
    for need in kinds.iter().flat_map(|k| k.needs()) {
        let present = match need {
            Need::Inn => holder.inn.is_some(),
            Need::Snils => holder.snils.is_some(),
            Need::BirthDate => holder.birth_date.is_some(),
            Need::Passport => holder.passport.is_some(),
            Need::Address => holder.address.is_some(),
        };
        if !present && !errors.iter().any(|e| e.field == need.field()) {
            errors.push(FieldError::new(need.field(), Rule("needed-for-document")));
        }
    }
    errors
}

fn token() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

pub fn verify_path(token: &str) -> String {
    format!("/verify/{token}")
}

/// Orders certificates of `kinds` for the signed-in person; issues them
/// before answering when it can (the sweep finishes what it could not).
pub async fn order(
    p: &Platform,
    client: &Client,
    who: &Principal,
    input: OrderInput,
) -> Result<Ordered> {
    let kinds = kinds_of(&input)?;
    let holder = holder_of(p, who.user_id)
        .await?
        .ok_or_else(|| AppError::field("last_name", "needed-for-document"))?;
    if let Some(k) = kinds.iter().find(|k| holder.level < k.level()) {
        return Err(AppError::not_allowed(
            "level-too-low-document",
            vec![("level", format!("level-{}", k.level().as_str()))],
        ));
    }
    let gaps = missing(&holder, &kinds);
    if !gaps.is_empty() {
        return Err(AppError::Invalid(gaps));
    }
    let now = p.now();
    let order_id = Uuid::now_v7();
    let txn = p.db.begin().await?;
    let mut ids = Vec::new();
    for kind in &kinds {
        let agency = kind.agency().expect("orderable kinds have one");
        let row = pending(&*txn, now, who.user_id, *kind, agency).await?;
        let id = row.id;
        store::insert(
            &*txn,
            row::Model {
                order_id: Some(order_id),
                ..row
            },
        )
        .await?;
        ids.push(id);
    }
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "documents.order",
        ("document_order", order_id.to_string()),
        json!({ "kinds": kinds.iter().map(|k| k.code()).collect::<Vec<_>>() }),
    )
    .await?;
    for id in &ids {
        if let Err(e) = issue(p, *id).await {
            tracing::warn!(document = %id, error = %e, "document left for the sweep");
        }
    }
    p.after_commit().await;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        rows.push(store::get(&*p.db, id).await?.ok_or(AppError::NotFound)?);
    }
    let documents = views(p, rows).await?;
    Ok(Ordered {
        order_id,
        documents,
    })
}

/// A pending document of `kind`: its number and check token fixed, the rest
/// filled when it is issued.
async fn pending(
    txn: &impl sea_orm::ConnectionTrait,
    now: DateTime<Utc>,
    owner: Uuid,
    kind: Kind,
    agency: &str,
) -> Result<row::Model> {
    let n = store::next_number(txn, now.year()).await?;
    Ok(row::Model {
        id: Uuid::now_v7(),
        owner_id: owner,
        number: format!("Д-{}-{n:06}", now.year()),
        kind: kind.code().into(),
        title: kind.title().into(),
        agency_code: agency.into(),
        order_id: None,
        application_id: None,
        state: store::PENDING.into(),
        token: token(),
        requested_at: now,
        issued_at: None,
        sha256: None,
        streebog: None,
        size_bytes: None,
        signature: None,
        signer_fingerprint: None,
        holder_masked: None,
        revoked_at: None,
        revoked_reason: None,
    })
}

/// A pending decision document for `application`, inside the caller's
/// transaction (the decision's own); issued after it commits.
pub async fn request_decision(
    txn: &impl sea_orm::ConnectionTrait,
    now: DateTime<Utc>,
    owner: Uuid,
    application: Uuid,
    agency: &str,
) -> Result<()> {
    if store::by_application(txn, application, Kind::Decision.code())
        .await?
        .is_some()
    {
        return Ok(());
    }
    let row = pending(txn, now, owner, Kind::Decision, agency).await?;
    store::insert(
        txn,
        row::Model {
            application_id: Some(application),
            ..row
        },
    )
    .await?;
    Ok(())
}

/// The content of a pending document.
async fn content(p: &Platform, doc: &row::Model, holder: &Holder) -> Result<Sheet> {
    let kind = Kind::parse(&doc.kind)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown kind {}", doc.kind)))?;
    if kind == Kind::Decision {
        let application = doc.application_id.ok_or(AppError::NotFound)?;
        return super::decision::decision_sheet(p, application).await;
    }
    // The registries answer by the person's identifiers, as agencies would.
    let key = format!(
        "{}|{}|{}",
        holder.snils.as_deref().unwrap_or(""),
        holder.inn.as_deref().unwrap_or(""),
        doc.owner_id
    );
    let seed = Seed::new(
        p.secrets
            .mac("documents.registry", key.as_bytes())
            .as_bytes(),
    );
    Ok(registry::compose(
        kind,
        holder,
        &seed,
        local_date(doc.requested_at),
    ))
}

/// Issues a pending document: renders, signs, stores, marks it issued.
/// Does nothing to one already issued.
pub async fn issue(p: &Platform, id: Uuid) -> Result<()> {
    let Some(doc) = store::get(&*p.db, id).await? else {
        return Err(AppError::NotFound);
    };
    if doc.state != store::PENDING {
        return Ok(());
    }
    let holder = holder_of(p, doc.owner_id)
        .await?
        .unwrap_or_else(|| Holder::unnamed(sep_identity::model::AssuranceLevel::Simplified));
    let sheet = content(p, &doc, &holder).await?;
    let agency = sep_contracts::catalog::catalogue(p)
        .agency_name(p, &doc.agency_code)
        .await?;
    let signer = sep_contracts::signatures::signatures(p)
        .agency_signer(p, &doc.agency_code)
        .await?;
    let url = format!("{}{}", p.config.public_url(), verify_path(&doc.token));
    let (title, number, holder_name) = (
        doc.title.clone(),
        doc.number.clone(),
        holder.full_name.clone(),
    );
    let issued_at = doc.requested_at;
    let stamp = Stamp {
        serial: signer.serial.clone(),
        owner: agency.clone(),
        valid_from: signer.not_before.format("%d.%m.%Y").to_string(),
        valid_to: signer.not_after.format("%d.%m.%Y").to_string(),
    };
    // Font subsetting and layout take milliseconds of CPU: off the reactor.
    let bytes = p
        .workers
        .run(sep_platform::workers::Work::Documents, move || {
            render(
                &sheet,
                &Marks {
                    title: &title,
                    number: &number,
                    agency: &agency,
                    issued_at,
                    holder: &holder_name,
                    verify_url: &url,
                    stamp,
                },
            )
        })
        .await?;
    let signature = sep_contracts::signatures::signatures(p)
        .sign_as_agency(p, &doc.agency_code, &bytes)
        .await?;
    let digests = sep_pki::digest::digests(&bytes);
    let size = bytes.len() as i64;
    let sha256 = p.blobs.put(bytes).await?;
    debug_assert_eq!(sha256, digests.sha256);
    let now = p.now();
    let txn = p.db.begin().await?;
    let won = store::mark_issued(
        &*txn,
        id,
        Issue {
            at: now,
            sha256,
            streebog: digests.streebog256,
            size_bytes: size,
            signature: B64.encode(&signature),
            signer_fingerprint: signer.fingerprint,
            holder_masked: masked_full_name(&holder.full_name),
        },
    )
    .await?;
    if won {
        super::tell_holder(
            &*txn,
            now,
            &doc,
            crate::events::Change::Issued {
                kind: doc.kind.clone(),
                application_id: doc.application_id,
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Issues what orders and decisions left pending (after a crash, or when a
/// registry or key was not at hand); oldest first.
/// `grace`: how old a pending document must be, so that the sweep leaves
/// the request that ordered it a moment to issue it itself.
pub async fn issue_pending(p: &Platform, grace: chrono::Duration) -> Result<usize> {
    let before = p.now() - grace;
    let mut issued = 0;
    for id in store::pending(&*p.db, before, 100).await? {
        match issue(p, id).await {
            Ok(()) => issued += 1,
            Err(e) => tracing::warn!(document = %id, error = %e, "document not issued"),
        }
    }
    Ok(issued)
}
