//! The post office's side of paper copies: the orders to dispatch (with the
//! address, opened only here), and their progress — sent, delivered or
//! cancelled — which the holder is told about.
use crate::{store, store::postal as row};
use chrono::{DateTime, Utc};
use sep_identity::model::Role;
use sep_identity::service::Principal;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

#[derive(Debug, Serialize)]
pub struct PostalOrderView {
    pub id: Uuid,
    pub document_number: String,
    pub document_title: String,
    pub state: String,
    pub created_at: DateTime<Utc>,
    pub recipient: String,
    pub postcode: String,
    pub region_code: String,
    pub delivery_address: String,
}

fn staff_only(who: Option<&Principal>) -> Result<()> {
    match who {
        Some(w) if !(w.has(Role::Admin) || w.has(Role::Support)) => Err(AppError::Forbidden),
        _ => Ok(()),
    }
}

fn delivery(p: &Platform, o: &row::Model) -> Result<Value> {
    let plain = p
        .secrets
        .open(&format!("postal_orders.delivery/{}", o.id), &o.delivery)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("postal order {}: {e:?}", o.id)))?;
    serde_json::from_str(&plain).map_err(|e| AppError::Internal(e.into()))
}

/// Orders in `state` (all when None), oldest first: the dispatch list.
pub async fn postal_orders(
    p: &Platform,
    who: Option<&Principal>,
    state: Option<&str>,
) -> Result<Vec<PostalOrderView>> {
    staff_only(who)?;
    let mut out = Vec::new();
    for o in store::postal_orders(&*p.db, state).await? {
        let d = delivery(p, &o)?;
        let doc = store::get(&*p.db, o.document_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
        out.push(PostalOrderView {
            id: o.id,
            document_number: doc.number,
            document_title: doc.title,
            state: o.state,
            created_at: o.created_at,
            recipient: text("recipient"),
            postcode: text("postcode"),
            region_code: text("region_code"),
            delivery_address: text("address"),
        });
    }
    Ok(out)
}

/// The moves an order may make.
fn allowed(from: &str, to: &str) -> bool {
    matches!(
        (from, to),
        ("requested", "sent" | "cancelled") | ("sent", "delivered")
    )
}

/// Records an order's progress and tells the holder.
pub async fn mark_postal(
    p: &Platform,
    client: &Client,
    who: Option<&Principal>,
    id: Uuid,
    to: &str,
) -> Result<()> {
    staff_only(who)?;
    if !["sent", "delivered", "cancelled"].contains(&to) {
        return Err(AppError::field("state", "postal-state-unknown"));
    }
    let order = store::postal_order(&*p.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allowed(&order.state, to) {
        return Err(AppError::conflict(
            "postal-move-not-allowed",
            vec![
                ("from", format!("postal-state-{}", order.state)),
                ("to", format!("postal-state-{to}")),
            ],
        ));
    }
    let doc = store::get(&*p.db, order.document_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = p.now();
    let txn = p.db.begin().await?;
    if !store::move_postal(&*txn, id, &order.state, to, now).await? {
        return Err(AppError::conflict("changed-meanwhile", Vec::new()));
    }
    super::tell_holder(
        &*txn,
        now,
        &doc,
        crate::events::Change::Postal {
            state: to.to_string(),
        },
    )
    .await?;
    sep_audit::commit(
        txn,
        now,
        client,
        who.map(|w| w.user_id),
        "documents.postal_state",
        ("postal_order", id.to_string()),
        json!({ "from": order.state, "to": to }),
    )
    .await?;
    p.after_commit().await;
    Ok(())
}
