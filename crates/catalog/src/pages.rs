//! The catalogue in the cabinet: search and categories (`/services`) and a
//! service's card (`/services/{code}`). Public: no login needed to browse.

use super::service::{self, CategoryView, ServiceSummary};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::response::Response;
use axum::routing::get;
use sep_identity::visit::Visit;
use sep_kernel::i18n::Lang;
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

/// A fee as people read it: «1 500 ₽», «350,50 ₽», «бесплатно».
pub fn money(lang: Lang, kopecks: i64) -> String {
    if kopecks == 0 {
        lang.t("fee-free")
    } else {
        sep_kernel::Kopecks(kopecks).show()
    }
}

/// A service as a line of the catalogue, in the reader's language.
pub struct ServiceLine {
    pub code: String,
    pub title: String,
    pub summary: String,
    pub agency: String,
    pub fee: String,
    pub deadline: String,
    pub level: String,
}

impl ServiceLine {
    pub fn new(lang: Lang, s: &ServiceSummary) -> Self {
        Self {
            code: s.code.clone(),
            title: s.title.get(lang).to_string(),
            summary: s.summary.get(lang).to_string(),
            agency: s.agency.name.get(lang).to_string(),
            fee: money(lang, s.fee_kopecks),
            deadline: lang.t_args("deadline-days", &[("count", s.deadline_days.into())]),
            level: lang.t(&format!("level-{}", s.level.as_str())),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_like_russian_prices() {
        assert_eq!(money(Lang::Ru, 0), "бесплатно");
        assert_eq!(money(Lang::Ru, 600_000), "6\u{a0}000\u{a0}₽");
        assert_eq!(money(Lang::Ru, 35_050), "350,50\u{a0}₽");
        assert_eq!(money(Lang::Ru, 123_456_700), "1\u{a0}234\u{a0}567\u{a0}₽");
    }
}
