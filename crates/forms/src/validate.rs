//! The one validator of answers against a form: every wrong field is named
//! by its path, with the rule it broke and the form's own label.

use super::check::pattern_key;
use super::{Answers, Condition, FieldDef, FieldKind, Form, InnHolder};
use chrono::NaiveDate;
use sep_kernel::{
    Address, Email, FieldError, Inn, InnKind, Phone, Postcode, RegionCode, Rule, Snils,
};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Everything: required fields too. What a submission must pass.
    Submit,
    /// Only what has been filled in: for drafts and checking as one types.
    Partial,
}

impl Form {
    /// Checks `answers` and returns them normalised (ИНН as digits, phone in
    /// E.164, dates as YYYY-MM-DD), without the fields that conditions hide;
    /// or every wrong field.
    pub fn validate(
        &self,
        answers: &Answers,
        today: NaiveDate,
        mode: Mode,
    ) -> Result<Answers, Vec<FieldError>> {
        let mut run = Run {
            form: self,
            root: answers,
            today,
            mode,
            errors: Vec::new(),
        };
        let out = run.scope(&self.def.fields, answers, "form", "");
        if run.errors.is_empty() {
            Ok(out)
        } else {
            Err(run.errors)
        }
    }

    /// The ids of uploaded files that `answers` (already validated) refer to,
    /// with the path of the field each one answers.
    pub fn files(&self, answers: &Answers) -> Vec<(String, uuid::Uuid)> {
        let mut out = Vec::new();
        for f in &self.def.fields {
            match (&f.kind, answers.get(&f.name)) {
                (FieldKind::File, Some(Value::String(id))) => {
                    out.extend(id.parse().ok().map(|id| (f.name.clone(), id)));
                }
                (FieldKind::Group { fields, .. }, Some(Value::Array(items))) => {
                    for (i, item) in items.iter().enumerate() {
                        for g in fields.iter().filter(|g| g.kind == FieldKind::File) {
                            if let Some(id) = item.get(&g.name).and_then(Value::as_str) {
                                out.extend(
                                    id.parse()
                                        .ok()
                                        .map(|id| (format!("{}[{i}].{}", f.name, g.name), id)),
                                );
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }
}

struct Run<'a> {
    form: &'a Form,
    root: &'a Answers,
    today: NaiveDate,
    mode: Mode,
    errors: Vec<FieldError>,
}

fn is_blank(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.values().all(|v| is_blank(Some(v))),
        _ => false,
    }
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => matches!(s.trim(), "true" | "on" | "yes" | "1"),
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        _ => false,
    }
}

/// A raw answer as a condition sees it: text trimmed, checkboxes as booleans.
fn comparable(def: Option<&FieldDef>, v: Option<&Value>) -> Value {
    match (def.map(|d| &d.kind), v) {
        (Some(FieldKind::Checkbox), v) => Value::Bool(truthy(v)),
        (_, Some(Value::String(s))) => Value::String(s.trim().to_string()),
        (_, Some(v)) => v.clone(),
        (_, None) => Value::Null,
    }
}

impl Run<'_> {
    fn holds(&self, c: &Condition, fields: &[FieldDef], scope: &Answers) -> bool {
        let (def, raw) = match fields.iter().find(|f| f.name == c.field) {
            Some(d) => (Some(d), scope.get(&c.field)),
            None => (
                self.form.def.fields.iter().find(|f| f.name == c.field),
                self.root.get(&c.field),
            ),
        };
        let value = comparable(def, raw);
        match (&c.equals, &c.any_of) {
            (Some(expected), _) => loosely_equal(&value, expected),
            (None, Some(list)) => list.iter().any(|e| loosely_equal(&value, e)),
            (None, None) => match value {
                Value::Bool(b) => b,
                other => !is_blank(Some(&other)),
            },
        }
    }

    fn fail(&mut self, path: String, rule: &'static str, def: &FieldDef) {
        self.errors
            .push(FieldError::labelled(path, Rule(rule), def.label.clone()));
    }

    fn scope(
        &mut self,
        fields: &[FieldDef],
        scope: &Answers,
        pattern_prefix: &str,
        path_prefix: &str,
    ) -> Answers {
        let mut out = Answers::new();
        for key in scope.keys() {
            if !fields.iter().any(|f| &f.name == key) {
                self.errors.push(FieldError::new(
                    format!("{path_prefix}{key}"),
                    Rule("field-unknown"),
                ));
            }
        }
        for (i, f) in fields.iter().enumerate() {
            if let Some(c) = &f.show_if
                && !self.holds(c, fields, scope)
            {
                continue;
            }
            let path = format!("{path_prefix}{}", f.name);
            let raw = scope.get(&f.name);
            if f.kind == FieldKind::Checkbox {
                let checked = truthy(raw);
                if f.required && !checked && self.mode == Mode::Submit {
                    self.fail(path, "required-checked", f);
                } else if raw.is_some() || self.mode == Mode::Submit {
                    out.insert(f.name.clone(), Value::Bool(checked));
                }
                continue;
            }
            if is_blank(raw) {
                let too_few = matches!(f.kind, FieldKind::Group { min_items, .. } if min_items > 0);
                if self.mode == Mode::Submit && (f.required || too_few) {
                    let rule = if f.required {
                        "required"
                    } else {
                        "group-too-few"
                    };
                    self.fail(path, rule, f);
                }
                continue;
            }
            let raw = raw.expect("not blank");
            let value = match &f.kind {
                FieldKind::Group {
                    fields: inner,
                    min_items,
                    max_items,
                } => self.group(
                    (inner, *min_items, *max_items),
                    raw,
                    &format!("form.fields[{i}]"),
                    &path,
                    f,
                ),
                FieldKind::Address => self.address(raw, &path, f),
                kind => {
                    let pattern = self
                        .form
                        .patterns
                        .get(&pattern_key(pattern_prefix, &f.name));
                    match scalar(kind, raw, pattern, self.today) {
                        Ok(v) => Some(v),
                        Err(rule) => {
                            self.fail(path, rule.0, f);
                            None
                        }
                    }
                }
            };
            if let Some(v) = value {
                out.insert(f.name.clone(), v);
            }
        }
        out
    }

    fn group(
        &mut self,
        (fields, min_items, max_items): (&[FieldDef], u32, u32),
        raw: &Value,
        pattern_prefix: &str,
        path: &str,
        def: &FieldDef,
    ) -> Option<Value> {
        let Value::Array(items) = raw else {
            self.fail(path.to_string(), "group-format", def);
            return None;
        };
        let n = items.len() as u32;
        if n > max_items || (n < min_items && self.mode == Mode::Submit) {
            let rule = if n > max_items {
                "group-too-many"
            } else {
                "group-too-few"
            };
            self.fail(path.to_string(), rule, def);
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let Value::Object(item) = item else {
                self.fail(format!("{path}[{i}]"), "group-format", def);
                continue;
            };
            out.push(Value::Object(self.scope(
                fields,
                item,
                pattern_prefix,
                &format!("{path}[{i}]."),
            )));
        }
        Some(Value::Array(out))
    }

    fn address(&mut self, raw: &Value, path: &str, def: &FieldDef) -> Option<Value> {
        let Value::Object(parts) = raw else {
            self.fail(path.to_string(), "address-format", def);
            return None;
        };
        let text = |k: &str| parts.get(k).and_then(Value::as_str).unwrap_or("").trim();
        let before = self.errors.len();
        let mut part = |name: &str, rule: Option<Rule>| {
            if let Some(rule) = rule {
                self.errors.push(FieldError::labelled(
                    format!("{path}.{name}"),
                    rule,
                    def.label.clone(),
                ));
            }
        };
        let required = |s: &str| s.is_empty().then_some(Rule("required"));
        let postcode = Postcode::parse(text("postcode"));
        let region = RegionCode::parse(text("region_code"));
        let line = Address::parse_line(text("line"));
        part(
            "postcode",
            required(text("postcode")).or(postcode.as_ref().err().copied()),
        );
        part(
            "region_code",
            required(text("region_code")).or(region.as_ref().err().copied()),
        );
        part(
            "line",
            required(text("line")).or(line.as_ref().err().copied()),
        );
        if self.errors.len() > before {
            return None;
        }
        Some(json!({
            "postcode": postcode.ok()?.as_str(),
            "region_code": region.ok()?.to_string(),
            "line": line.ok()?,
        }))
    }
}

fn loosely_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => {
            s.parse::<f64>().ok() == n.as_f64()
        }
        _ => a == b,
    }
}

fn text_of(raw: &Value) -> Result<String, Rule> {
    match raw {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(Rule("value-type")),
    }
}

/// A date as people write it here (ДД.ММ.ГГГГ) or as machines do (ISO 8601).
pub fn parse_date(s: &str) -> Result<NaiveDate, Rule> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .map_err(|_| Rule("date-format"))
}

fn scalar(
    kind: &FieldKind,
    raw: &Value,
    pattern: Option<&regex::Regex>,
    today: NaiveDate,
) -> Result<Value, Rule> {
    match kind {
        FieldKind::Text {
            min_length,
            max_length,
            multiline,
            ..
        } => {
            let s = text_of(raw)?.replace("\r\n", "\n");
            let s = if *multiline {
                s.trim().to_string()
            } else {
                s.split_whitespace().collect::<Vec<_>>().join(" ")
            };
            if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                return Err(Rule("text-chars"));
            }
            let len = s.chars().count() as u32;
            if min_length.is_some_and(|m| len < m) {
                return Err(Rule("text-too-short"));
            }
            if len > max_length.unwrap_or(if *multiline { 4000 } else { 500 }) {
                return Err(Rule("text-too-long"));
            }
            if pattern.is_some_and(|p| !p.is_match(&s)) {
                return Err(Rule("text-pattern"));
            }
            Ok(Value::String(s))
        }
        FieldKind::Number { min, max, integer } => {
            let n = match raw {
                Value::Number(n) => n.as_f64().ok_or(Rule("number-format"))?,
                Value::String(s) => s
                    .trim()
                    .replace([' ', '\u{a0}'], "")
                    .replace(',', ".")
                    .parse::<f64>()
                    .map_err(|_| Rule("number-format"))?,
                _ => return Err(Rule("number-format")),
            };
            if !n.is_finite() {
                return Err(Rule("number-format"));
            }
            if *integer && n.fract() != 0.0 {
                return Err(Rule("number-integer"));
            }
            if min.is_some_and(|m| n < m) {
                return Err(Rule("number-too-small"));
            }
            if max.is_some_and(|m| n > m) {
                return Err(Rule("number-too-large"));
            }
            Ok(if *integer { json!(n as i64) } else { json!(n) })
        }
        FieldKind::Date { min, max } => {
            let d = parse_date(&text_of(raw)?)?;
            if min.is_some_and(|m| d < m.resolve(today)) {
                return Err(Rule("date-too-early"));
            }
            if max.is_some_and(|m| d > m.resolve(today)) {
                return Err(Rule("date-too-late"));
            }
            Ok(Value::String(d.format("%Y-%m-%d").to_string()))
        }
        FieldKind::Select { options } => {
            let s = text_of(raw)?;
            let s = s.trim();
            options
                .iter()
                .find(|o| o.value == s)
                .map(|o| Value::String(o.value.clone()))
                .ok_or(Rule("select-unknown"))
        }
        FieldKind::File => {
            let s = text_of(raw)?;
            s.trim()
                .parse::<uuid::Uuid>()
                .map(|id| Value::String(id.to_string()))
                .map_err(|_| Rule("file-reference"))
        }
        FieldKind::Inn { holder } => {
            let inn = Inn::parse(&text_of(raw)?)?;
            match (holder, inn.kind()) {
                (Some(InnHolder::Person), InnKind::Organisation) => Err(Rule("inn-not-person")),
                (Some(InnHolder::Organisation), InnKind::Person) => {
                    Err(Rule("inn-not-organisation"))
                }
                _ => Ok(Value::String(inn.as_str().to_string())),
            }
        }
        FieldKind::Snils => Ok(Value::String(Snils::parse(&text_of(raw)?)?.to_string())),
        FieldKind::Phone => Ok(Value::String(
            Phone::parse(&text_of(raw)?)?.as_e164().to_string(),
        )),
        FieldKind::Email => Ok(Value::String(
            Email::parse(&text_of(raw)?)?.as_str().to_string(),
        )),
        // Composite kinds are checked by the scope, never as scalars.
        FieldKind::Checkbox | FieldKind::Address | FieldKind::Group { .. } => {
            Err(Rule("value-type"))
        }
    }
}
