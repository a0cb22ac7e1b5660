//! JSON and XML by content negotiation, and the one place where errors become
//! bodies. Handlers return [`Api`] or [`AppError`] without a body; the [`render`]
//! middleware, which sees the request's `Accept` and language, writes the body.

use super::error::{AppError, Problem, Refusal};
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use quick_xml::Writer;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use sep_kernel::i18n::Lang;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// A successful API answer, rendered as JSON or XML later.
pub struct Api<T>(pub StatusCode, pub T);

impl<T: Serialize> Api<T> {
    pub fn ok(body: T) -> Self {
        Self(StatusCode::OK, body)
    }

    /// 201 for what this request made, 200 for what an earlier one with the
    /// same idempotency key made.
    pub fn created_or_ok(created: bool, body: T) -> Self {
        Self(
            if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            },
            body,
        )
    }
}

#[derive(Clone)]
struct ApiBody(Value);

impl<T: Serialize> IntoResponse for Api<T> {
    fn into_response(self) -> Response {
        match serde_json::to_value(&self.1) {
            Ok(v) => {
                let mut r = self.0.into_response();
                r.extensions_mut().insert(ApiBody(v));
                r
            }
            Err(e) => AppError::Internal(e.into()).into_response(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Xml,
}

fn wants(headers: &HeaderMap) -> Format {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.contains("application/xml") || accept.contains("text/xml") {
        Format::Xml
    } else {
        Format::Json
    }
}

pub use sep_kernel::i18n::lang_of;

/// The largest URL-encoded form a page posts (files travel as multipart).
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// A page's URL-encoded form read whole (within its limit) and refused if it
/// carries a NUL, which no text column holds; the request goes on unchanged.
async fn screen_form(request: Request) -> Result<Request, AppError> {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok(request);
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| too_large("body-too-large"))?;
    let lower = bytes.to_ascii_lowercase();
    if bytes.contains(&0) || lower.windows(3).any(|w| w == b"%00") {
        return Err(AppError::BadRequest(sep_kernel::Rule("request-malformed")));
    }
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

/// How an error looks as a page: the web layer's renderer, handed in at boot
/// (the platform draws no pages).
pub type ErrorPage = fn(Lang, &AppError, &str) -> String;

/// Middleware: turns [`Api`] values and [`AppError`]s into bodies; errors for
/// a browser become `page`.
pub async fn render(page: ErrorPage, request: Request, next: Next) -> Response {
    let format = wants(request.headers());
    let lang = lang_of(request.headers());
    let is_api = request.uri().path().starts_with("/api/");
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    // No text column of either engine holds a NUL (PostgreSQL refuses it
    // outright), and no query of ours needs one: refused before any handler.
    let nul_in_query = request
        .uri()
        .query()
        .is_some_and(|q| q.contains('\0') || q.to_ascii_lowercase().contains("%00"));
    // Refusals made here become responses like a handler's, rendered below.
    let mut response = match screen_form(request).await {
        Ok(r) if !nul_in_query => next.run(r).await,
        Ok(_) => AppError::BadRequest(sep_kernel::Rule("request-malformed")).into_response(),
        Err(e) => e.into_response(),
    };
    if let Some(ApiBody(value)) = response.extensions_mut().remove::<ApiBody>() {
        return with_body(response, format, "response", value);
    }
    let err = match response.extensions_mut().remove::<Problem>() {
        Some(Problem(err)) => err,
        None => match extractor_rejection(&response) {
            Some(err) => {
                *response.status_mut() = err.status();
                std::sync::Arc::new(err)
            }
            None => return response,
        },
    };
    if is_api {
        let doc = problem_document(&err, lang, &request_id);
        let mut r = with_body(response, format, "problem", doc);
        let ct = if format == Format::Json {
            "application/problem+json"
        } else {
            "application/problem+xml; charset=utf-8"
        };
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        return r;
    }
    let (parts, _) = response.into_parts();
    let page = page(lang, &err, &request_id);
    let mut r = Html(page).into_response();
    *r.status_mut() = parts.status;
    r.headers_mut().extend(
        parts
            .headers
            .into_iter()
            .filter_map(|(k, v)| k.map(|k| (k, v)))
            .filter(|(k, _)| k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH),
    );
    r
}

/// axum's extractors (path, query, form, JSON, multipart) and its router refuse
/// with plain English text; every such refusal becomes the product's own, in
/// the request's language. Our handlers never answer an error in plain text.
fn extractor_rejection(response: &Response) -> Option<AppError> {
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/plain"));
    let empty = response.headers().get(header::CONTENT_TYPE).is_none();
    if !status.is_client_error() || !(plain || (empty && status == StatusCode::METHOD_NOT_ALLOWED))
    {
        return None;
    }
    let (kind, rule) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (Refusal::TooLarge, "body-too-large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (Refusal::MediaType, "media-type"),
        StatusCode::METHOD_NOT_ALLOWED => (Refusal::Method, "method-not-allowed"),
        StatusCode::UNPROCESSABLE_ENTITY => (Refusal::Unreadable, "request-malformed"),
        _ => return Some(AppError::BadRequest(sep_kernel::Rule("request-malformed"))),
    };
    Some(AppError::refused(kind, rule))
}

/// RFC 9457 problem details, with `errors` naming each wrong field and its rule.
pub fn problem_document(err: &AppError, lang: Lang, request_id: &str) -> Value {
    let code = err.code();
    let mut doc = json!({
        "type": format!("urn:sep:problem:{code}"),
        "title": lang.t(&format!("problem-{code}")),
        "status": err.status().as_u16(),
        "code": code,
    });
    let errors = field_errors_json(lang, err.field_errors());
    if let Some(message) = err.refusal_message(lang) {
        doc["detail"] = Value::String(message);
    }
    if !errors.is_empty() {
        doc["detail"] = Value::String(
            errors
                .iter()
                .filter_map(|e| e["message"].as_str())
                .collect::<Vec<_>>()
                .join("; "),
        );
        doc["errors"] = Value::Array(errors);
    }
    if let Some(secs) = err.retry_after_secs() {
        doc["retry_after"] = secs.into();
    }
    if !request_id.is_empty() {
        doc["request_id"] = request_id.into();
    }
    doc
}

/// Each wrong field as `{field, code, message}`, the message in `lang`.
pub fn field_errors_json(lang: Lang, errors: &[sep_kernel::FieldError]) -> Vec<Value> {
    errors
        .iter()
        .map(|e| {
            let mut v =
                json!({ "field": e.field, "code": e.rule.code(), "message": lang.field_error(e) });
            if let Some(n) = e.attempts_left {
                v["attempts_left"] = n.into();
            }
            v
        })
        .collect()
}

fn with_body(response: Response, format: Format, root: &str, value: Value) -> Response {
    let (mut parts, _) = response.into_parts();
    let (ct, bytes) = match format {
        Format::Json => (
            "application/json",
            serde_json::to_vec(&value).unwrap_or_default(),
        ),
        Format::Xml => ("application/xml; charset=utf-8", to_xml(root, &value)),
    };
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

/// JSON value → XML: objects become elements named by their keys, arrays an
/// `<item>` per element, null an empty element. quick-xml does the escaping.
pub fn to_xml(root: &str, value: &Value) -> Vec<u8> {
    let mut w = Writer::new(Vec::new());
    let _ = w.write_event(Event::Decl(quick_xml::events::BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        None,
    )));
    write_value(&mut w, root, value);
    w.into_inner()
}

fn write_value(w: &mut Writer<Vec<u8>>, name: &str, value: &Value) {
    let _ = w.write_event(Event::Start(BytesStart::new(name)));
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| write_value(w, k, v)),
        Value::Array(items) => items.iter().for_each(|v| write_value(w, "item", v)),
        Value::Null => {}
        Value::String(s) => {
            let _ = w.write_event(Event::Text(BytesText::new(s)));
        }
        other => {
            let _ = w.write_event(Event::Text(BytesText::new(&other.to_string())));
        }
    }
    let _ = w.write_event(Event::End(BytesEnd::new(name)));
}

/// How deep a request body may nest, and how many values it may hold, in
/// JSON or XML. Our largest documents (a form's answers with repeated groups)
/// nest six deep and hold a few thousand values; anything far beyond is an
/// attack on the parser's stack or the heap, refused before it is built.
pub const MAX_BODY_DEPTH: usize = 32;
pub const MAX_BODY_VALUES: usize = 20_000;

/// A request body in JSON or XML, by `Content-Type`. A body that does not parse
/// is a 400 naming the rule; one too deep or too large is a 413; missing fields
/// are left to the DTO's defaults so that validation can name each one.
pub struct Payload<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Payload<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let is_xml = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.contains("xml"));
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| too_large("body-too-large"))?;
        parse_body(&bytes, is_xml).map(Payload)
    }
}

fn too_large(rule: &'static str) -> AppError {
    AppError::refused(Refusal::TooLarge, rule)
}

/// Parses a body in JSON or XML within [`MAX_BODY_DEPTH`] and [`MAX_BODY_VALUES`].
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8], is_xml: bool) -> Result<T, AppError> {
    let malformed = || AppError::BadRequest(sep_kernel::Rule("body-malformed"));
    // NUL fits no text column (PostgreSQL refuses it): not a character of ours.
    if bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) || bytes.contains(&0) {
        return Err(malformed());
    }
    if !is_xml {
        return match json_shape(bytes) {
            Shape::TooComplex => Err(too_large("body-too-complex")),
            Shape::Fits => serde_json::from_slice(bytes).map_err(|_| malformed()),
        };
    }
    let text = std::str::from_utf8(bytes).map_err(|_| malformed())?;
    match read_xml(text) {
        Ok(v) => serde_json::from_value(v).map_err(|_| malformed()),
        Err(XmlError::TooComplex) => Err(too_large("body-too-complex")),
        Err(XmlError::Malformed) => Err(malformed()),
    }
}

enum Shape {
    Fits,
    TooComplex,
}

/// Counts nesting and values of a JSON text without building it (strings are
/// skipped with their escapes), so that a hostile body costs one pass over
/// its bytes. Malformed text is left for serde_json to refuse.
fn json_shape(bytes: &[u8]) -> Shape {
    let (mut depth, mut values, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                values += 1;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' => values += 1,
            _ => {}
        }
        if depth > MAX_BODY_DEPTH || values > MAX_BODY_VALUES {
            return Shape::TooComplex;
        }
    }
    Shape::Fits
}

/// Reads an XML document into the JSON shape [`to_xml`] writes: an element
/// with text is a string, an empty one `""`, one with children an object, and
/// `<item>` children (or any repeated name) an array. Attributes carry nothing
/// in our documents and are ignored. Written here because serde's view of XML
/// keeps only the last of repeated elements.
pub fn xml_to_value(xml: &str) -> Option<Value> {
    read_xml(xml).ok()
}

#[derive(Debug, PartialEq, Eq)]
pub enum XmlError {
    Malformed,
    /// Deeper than [`MAX_BODY_DEPTH`] or more than [`MAX_BODY_VALUES`] elements.
    TooComplex,
}

/// [`xml_to_value`] that says why it refused. The tree is built without
/// recursion and its depth is bounded, so neither building nor dropping it
/// can exhaust a worker's stack.
pub fn read_xml(xml: &str) -> Result<Value, XmlError> {
    use quick_xml::Reader;
    struct Node {
        children: Vec<(String, Value)>,
        text: String,
    }
    fn finish(node: Node) -> Value {
        if node.children.is_empty() {
            return Value::String(node.text.trim().to_string());
        }
        if node.children.iter().all(|(k, _)| k == "item") {
            return Value::Array(node.children.into_iter().map(|(_, v)| v).collect());
        }
        let mut map = serde_json::Map::new();
        for (k, v) in node.children {
            match map.get_mut(&k) {
                Some(Value::Array(list)) => list.push(v),
                Some(first) => {
                    let first = first.take();
                    map.insert(k, Value::Array(vec![first, v]));
                }
                None => {
                    map.insert(k, v);
                }
            }
        }
        Value::Object(map)
    }
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<(String, Node)> = Vec::new();
    let mut root = None;
    let mut elements = 0usize;
    loop {
        match reader.read_event().map_err(|_| XmlError::Malformed)? {
            Event::Start(e) => {
                elements += 1;
                if stack.len() >= MAX_BODY_DEPTH || elements > MAX_BODY_VALUES {
                    return Err(XmlError::TooComplex);
                }
                let name = e.local_name().into_inner().to_string();
                stack.push((
                    name,
                    Node {
                        children: Vec::new(),
                        text: String::new(),
                    },
                ));
            }
            Event::Empty(e) => {
                elements += 1;
                if elements > MAX_BODY_VALUES {
                    return Err(XmlError::TooComplex);
                }
                let name = e.local_name().into_inner().to_string();
                let value = Value::String(String::new());
                match stack.last_mut() {
                    Some((_, parent)) => parent.children.push((name, value)),
                    None => root = Some(value),
                }
            }
            Event::Text(t) => {
                if let Some((_, node)) = stack.last_mut() {
                    node.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref().map_err(|_| XmlError::Malformed)? {
                    Some(c) => c,
                    None => match r.into_inner().as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => return Err(XmlError::Malformed),
                    },
                };
                if let Some((_, node)) = stack.last_mut() {
                    node.text.push(ch);
                }
            }
            Event::CData(c) => {
                if let Some((_, node)) = stack.last_mut() {
                    node.text.push_str(&c.into_inner());
                }
            }
            Event::End(_) => {
                let (name, node) = stack.pop().ok_or(XmlError::Malformed)?;
                let value = finish(node);
                match stack.last_mut() {
                    Some((_, parent)) => parent.children.push((name, value)),
                    None => root = Some(value),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    match root {
        Some(v) if stack.is_empty() => Ok(v),
        _ => Err(XmlError::Malformed),
    }
}

/// A file to save (`Content-Disposition: attachment`), its name in UTF-8
/// (RFC 6266/5987) with an ASCII stand-in for clients that know no better.
pub fn file(name: &str, media_type: &str, bytes: Vec<u8>) -> Result<Response, AppError> {
    let disposition = format!(
        "attachment; filename=\"file\"; filename*=UTF-8''{}",
        utf8_percent(name)
    );
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(media_type).map_err(|e| AppError::Internal(e.into()))?,
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(|e| AppError::Internal(e.into()))?,
    );
    Ok(r)
}

fn utf8_percent(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_reads_back_as_plain_values() {
        let v = xml_to_value(
            "<?xml version=\"1.0\"?><r><a>текст &amp; &lt;b&gt;</a><empty/><list><item><x>1</x></item>\
             <item><x>2</x></item></list><one><item>solo</item></one><rep>1</rep><rep>2</rep></r>",
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"a": "текст & <b>", "empty": "", "list": [{"x": "1"}, {"x": "2"}],
                   "one": ["solo"], "rep": ["1", "2"]})
        );
        let round =
            xml_to_value(std::str::from_utf8(&to_xml("r", &json!({"k": ["a", "b"]}))).unwrap());
        assert_eq!(round, Some(json!({"k": ["a", "b"]})));
        assert_eq!(xml_to_value("<a><b></a>"), None);
    }

    #[test]
    fn xml_escapes_and_nests() {
        let xml = String::from_utf8(to_xml(
            "response",
            &json!({"a": "<b>&", "list": [1, 2], "none": null}),
        ))
        .unwrap();
        assert!(xml.contains("<a>&lt;b&gt;&amp;</a>"), "{xml}");
        assert!(
            xml.contains("<list><item>1</item><item>2</item></list>"),
            "{xml}"
        );
        assert!(xml.contains("<none></none>"), "{xml}");
    }

    #[test]
    fn hostile_nesting_is_refused_before_it_is_built() {
        let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
        assert_eq!(read_xml(&deep), Err(XmlError::TooComplex));
        let wide = format!("<r>{}</r>", "<i/>".repeat(MAX_BODY_VALUES + 1));
        assert_eq!(read_xml(&wide), Err(XmlError::TooComplex));
        let fits = format!(
            "{}x{}",
            "<a>".repeat(MAX_BODY_DEPTH),
            "</a>".repeat(MAX_BODY_DEPTH)
        );
        assert!(read_xml(&fits).is_ok());
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(json_shape(deep.as_bytes()), Shape::TooComplex));
        // Brackets inside strings are text, not nesting.
        let quoted = format!("{{\"a\": \"{}\\\" [\"}}", "[".repeat(1000));
        assert!(matches!(json_shape(quoted.as_bytes()), Shape::Fits));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// No byte string makes the body readers panic or overflow.
        #[test]
        fn no_body_panics_the_readers(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..4096)) {
            let _ = parse_body::<Value>(&bytes, true);
            let _ = parse_body::<Value>(&bytes, false);
        }

        /// Nor does any mix of XML's own pieces, however it nests.
        #[test]
        fn no_xml_soup_panics(parts in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::prelude::Just("<a>"), proptest::prelude::Just("</a>"),
                proptest::prelude::Just("<item>"), proptest::prelude::Just("</item>"),
                proptest::prelude::Just("<b/>"), proptest::prelude::Just("&amp;"),
                proptest::prelude::Just("&#x41;"), proptest::prelude::Just("&bogus;"),
                proptest::prelude::Just("<![CDATA[x]]>"), proptest::prelude::Just("текст"),
                proptest::prelude::Just("<?xml version=\"1.0\"?>"), proptest::prelude::Just("<!-- c -->"),
            ], 0..400)) {
            let xml: String = parts.concat();
            if let Ok(v) = read_xml(&xml) {
                // What reads back writes out and reads back the same.
                let again = read_xml(std::str::from_utf8(&to_xml("r", &v)).unwrap());
                proptest::prop_assert!(again.is_ok());
            }
        }
    }
}
