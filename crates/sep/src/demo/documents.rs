//! The demo citizen's «Мои документы»: a few certificates already issued
//! (signed by the demo agencies' certificates), so that the list, the PDF,
//! its QR code and the public check can be tried at once.

use sep_documents::{service::OrderInput, service::order};
use sep_identity::model::Role;
use sep_identity::service::Principal;
use sep_identity::store;
use sep_platform::Platform;
use sep_platform::client::Client;

const KINDS: [&str; 3] = ["income", "pension", "tax-status"];

pub async fn seed_documents(p: &Platform) -> anyhow::Result<()> {
    let citizen = super::ACCOUNTS
        .iter()
        .find(|a| a.role == Role::Citizen)
        .expect("a demo citizen");
    let Some(user) = store::user_by_phone(&*p.db, citizen.phone).await? else {
        return Ok(());
    };
    let who = Principal {
        user_id: user.id,
        session_id: uuid::Uuid::nil(),
        roles: vec![Role::Citizen],
        agency: None,
    };
    let existing = sep_documents::service::list(p, &who, &Default::default())
        .await
        .map_err(|e| anyhow::anyhow!("demo documents: {e:?}"))?;
    if !existing.is_empty() {
        return Ok(());
    }
    order(
        p,
        &Client::system(),
        &who,
        OrderInput {
            kinds: KINDS.iter().map(|k| k.to_string()).collect(),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo documents: {e:?}"))?;
    Ok(())
}
