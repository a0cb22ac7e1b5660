//! The API's routes as one table per context, from which both the router and
//! the OpenAPI document are built: a route cannot exist undocumented, and the
//! document cannot describe a route that does not exist.

use super::Platform;
use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, delete, get, post, put};
use serde_json::{Map, Value, json};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Access {
    /// Anyone, no session.
    Public,
    /// A session (bearer token, or cookie with the CSRF header).
    Session,
}

use crate::throttle::Cost;
use crate::throttle::http::limited;

pub struct Entry {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub tag: &'static str,
    pub access: Access,
    /// Takes a JSON or XML body.
    pub body: bool,
    /// The per-client limit it runs under; every public entry has one.
    pub cost: Option<Cost>,
    router: MethodRouter<Platform>,
}

macro_rules! constructor {
    ($name:ident, $method:literal, $route:ident, $body:literal) => {
        pub fn $name<H, T>(
            tag: &'static str,
            path: &'static str,
            summary: &'static str,
            access: Access,
            handler: H,
        ) -> Entry
        where
            H: Handler<T, Platform>,
            T: 'static,
        {
            Entry {
                method: $method,
                path,
                summary,
                tag,
                cost: matches!(access, Access::Public).then_some(Cost::Public),
                access,
                body: $body,
                router: $route(handler),
            }
        }
    };
}

impl Entry {
    constructor!(get, "get", get, false);
    constructor!(post, "post", post, true);
    constructor!(put, "put", put, true);
    constructor!(delete, "delete", delete, false);

    /// Limited as a sign-in step (guesses of passwords and codes).
    pub fn sign_in(mut self) -> Self {
        self.cost = Some(Cost::SignIn);
        self
    }

    /// Limited as heavy work (files hashed, parsed or rendered).
    pub fn heavy(mut self) -> Self {
        self.cost = Some(Cost::Heavy);
        self
    }

    /// Not limited per client: a peer that authenticates every call (the
    /// acquirer's signed callbacks), where a limit would only lose them.
    pub fn unlimited(mut self) -> Self {
        self.cost = None;
        self
    }

    /// A POST that carries no body (an action named by its path).
    pub fn without_body(mut self) -> Self {
        self.body = false;
        self
    }
}

/// The router for a context's table: methods on one path merge.
pub fn router(entries: Vec<Entry>) -> Router<Platform> {
    let mut by_path: Vec<(&'static str, MethodRouter<Platform>)> = Vec::new();
    for mut e in entries {
        if let Some(cost) = e.cost {
            e.router = limited(cost, e.router);
        }
        match by_path.iter_mut().find(|(p, _)| *p == e.path) {
            Some((_, mr)) => {
                let merged = std::mem::take(mr).merge(e.router);
                *mr = merged;
            }
            None => by_path.push((e.path, e.router)),
        }
    }
    by_path
        .into_iter()
        .fold(Router::new(), |r, (path, mr)| r.route(path, mr))
}

fn path_parameters(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| {
            json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } })
        })
        .collect()
}

/// The OpenAPI 3.1 document for every context's table.
pub fn document(entries: &[&Entry], version: &str) -> Value {
    let mut paths = Map::new();
    for e in entries {
        let item = paths
            .entry(e.path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        let mut op = json!({
            "summary": e.summary,
            "tags": [e.tag],
            "operationId": format!("{}{}", e.method, e.path.replace(['/', '{', '}', '-'], "_")),
            "parameters": path_parameters(e.path),
            "responses": {
                "200": { "description": "OK: JSON, or XML with `Accept: application/xml`" },
                "4XX": { "description": "A problem document (RFC 9457), JSON or XML, in the request's language", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
            }
        });
        if e.body {
            op["requestBody"] = json!({
                "required": true,
                "content": {
                    "application/json": { "schema": { "type": "object" } },
                    "application/xml": { "schema": { "type": "object" } }
                }
            });
        }
        if e.cost.is_some() {
            op["responses"]["429"] = json!({
                "description": "Too many requests from this address (or session): wait the `Retry-After` seconds"
            });
        }
        if e.access == Access::Session {
            op["security"] = json!([{ "bearer": [] }, { "cookie": [] }]);
        }
        if e.path == "/api/v1/applications" && e.method == "post" {
            op["parameters"] = json!([{
                "name": "Idempotency-Key", "in": "header", "required": true,
                "description": "The same key and body return the same application; the same key with another body is 409. Kept 24 hours.",
                "schema": { "type": "string", "maxLength": 128 }
            }]);
            op["responses"]["201"] =
                json!({ "description": "Created: the application with its number" });
        }
        item[e.method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "СЭП API",
            "version": version,
            "description": "The personal cabinet's API: identity, catalogue, applications, notifications. Errors name the field and the rule, in Russian by default (`Accept-Language: en` for English)."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer" },
                "cookie": { "type": "apiKey", "in": "cookie", "name": "sep_session" }
            },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "properties": {
                        "type": { "type": "string" }, "title": { "type": "string" },
                        "status": { "type": "integer" }, "code": { "type": "string" },
                        "detail": { "type": "string" }, "request_id": { "type": "string" },
                        "errors": { "type": "array", "items": { "type": "object", "properties": {
                            "field": { "type": "string" }, "code": { "type": "string" },
                            "message": { "type": "string" }, "attempts_left": { "type": "integer" } } } }
                    }
                }
            }
        }
    })
}
