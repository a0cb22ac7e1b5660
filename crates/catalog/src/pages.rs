//! The catalogue in the cabinet: search and categories (`/services`) and a
//! service's card (`/services/{code}`). Public: no login needed to browse.

use super::service::{self, CategoryView};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::response::Response;
use axum::routing::get;
pub use sep_contracts::catalog::{ServiceLine, money};
use sep_identity::visit::Visit;
use sep_platform::error::Result;
use sep_platform::throttle::Cost;
use sep_platform::throttle::http::limited;
use sep_web::{Chrome, render};
use serde::Deserialize;

pub fn routes() -> Router<sep_platform::Platform> {
    Router::new()
        .route("/services", limited(Cost::Public, get(catalogue)))
        .route("/services/{code}", limited(Cost::Public, get(card)))
}

#[derive(Template)]
#[template(path = "catalog/services.html")]
struct Catalogue {
    chrome: Chrome,
    query: String,
    category: String,
    categories: Vec<(String, String, usize)>,
    services: Vec<ServiceLine>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SearchQuery {
    q: String,
    category: String,
}

async fn catalogue(v: Visit, Query(q): Query<SearchQuery>) -> Result<Response> {
    let lang = v.lang();
    let query: String = q.q.chars().take(200).collect();
    let category = Some(q.category.as_str()).filter(|c| !c.is_empty());
    let found = service::search(&v.p, &query, category).await?;
    let categories = service::categories(&v.p)
        .await?
        .into_iter()
        .map(|c: CategoryView| (c.code, c.name.get(lang).to_string(), c.services))
        .collect();
    Ok(render(&Catalogue {
        chrome: v.chrome(),
        categories,
        services: found.iter().map(|s| ServiceLine::new(lang, s)).collect(),
        query,
        category: q.category,
    }))
}

#[derive(Template)]
#[template(path = "catalog/service.html")]
struct Card {
    chrome: Chrome,
    service: ServiceLine,
    kind: String,
}

async fn card(v: Visit, Path(code): Path<String>) -> Result<Response> {
    let lang = v.lang();
    let detail = service::service(&v.p, &code, false).await?;
    Ok(render(&Card {
        chrome: v.chrome(),
        service: ServiceLine::new(lang, &detail.summary),
        kind: lang.t(&format!("kind-{}", detail.summary.kind.as_str())),
    }))
}
