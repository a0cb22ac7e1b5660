//! What each row asks: the bare server's one-row read and insert, and
//! `sep`'s paths with the fixture's people, applications and charges.

use crate::prepare::{self, Fixture};
use crate::wrk::{Request, Target};

pub fn bearer(token: &str) -> (&'static str, String) {
    ("Authorization", format!("Bearer {token}"))
}

/// Bare one-row reads by primary key over its 100,000 seeded rows.
pub fn bare_reads() -> Target {
    Target::get(
        (0..1000)
            .map(|i| Request::to(format!("/status/{}", (i * 7919) % 100_000 + 1), vec![]))
            .collect(),
    )
}

pub fn bare_insert() -> Target {
    Target::post(
        vec![Request::to("/submit", vec![])],
        r#"{"item_id": 42, "payload": "нагрузочный тест"}"#.into(),
    )
}

pub fn plain(path: &str) -> Target {
    Target::get(vec![Request::to(path, vec![])])
}

/// Each person reads their own application back by its id.
pub fn status_reads(fx: &Fixture) -> Target {
    Target::get(
        fx.applications
            .iter()
            .map(|(user, id)| {
                Request::to(
                    format!("/api/v1/applications/{id}"),
                    vec![bearer(&fx.tokens[*user])],
                )
            })
            .collect(),
    )
}

/// «Мои заявки» as the cabinet renders it, with the header's counter.
pub fn my_page(fx: &Fixture) -> Target {
    Target::get(
        fx.tokens
            .iter()
            .map(|t| {
                Request::to(
                    "/applications",
                    vec![("Cookie", format!("sep_session={t}"))],
                )
            })
            .collect(),
    )
}

pub fn search() -> Target {
    Target::get(
        ["паспорт", "выписка", "штраф", "детский сад"]
            .iter()
            .map(|q| Request::to(search_path(q), vec![]))
            .collect(),
    )
}

pub fn check(fx: &Fixture) -> Target {
    Target::post(
        vec![Request::to("/api/v1/verify", vec![])],
        format!(r#"{{"sha256": "{}"}}"#, fx.document_sha256),
    )
}

pub fn submissions(fx: &Fixture) -> Target {
    let mut t = Target::post(
        fx.tokens
            .iter()
            .map(|t| Request::to("/api/v1/applications", vec![bearer(t)]))
            .collect(),
        prepare::submission().to_string(),
    );
    t.unique_key = true;
    t
}

/// Each request pays a charge of its own from its person's balance, with
/// the password the payment asks for again.
pub fn balance_payments(fx: &Fixture) -> Target {
    let mut t = Target::post(
        fx.charges
            .iter()
            .enumerate()
            .map(|(i, uin)| {
                let mut r = Request::to(
                    "/api/v1/payments",
                    vec![bearer(&fx.tokens[i % fx.tokens.len()])],
                );
                r.body = Some(format!(
                    r#"{{"charges": ["{uin}"], "method": "balance", "password": "{}"}}"#,
                    sep_bench::PASSWORD
                ));
                r
            })
            .collect(),
        String::new(),
    );
    t.unique_key = true;
    t
}

pub fn login(fx: &Fixture) -> Target {
    Target::post(
        vec![Request::to("/api/v1/auth/login", vec![])],
        format!(
            r#"{{"login": "{}", "password": "{}"}}"#,
            fx.phones[0],
            sep_bench::PASSWORD
        ),
    )
}

/// The catalogue's search address for `q`, escaped as a browser would.
fn search_path(q: &str) -> String {
    let url = reqwest::Url::parse_with_params("http://sep/api/v1/services", [("q", q)])
        .expect("a valid address");
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}
