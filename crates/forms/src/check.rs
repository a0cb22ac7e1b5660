//! Is a definition usable? Checked once, when an administrator saves it, so
//! that a citizen never meets a form that cannot be filled in.

use super::{DateBound, FieldDef, FieldKind, Form, FormDefinition};
use sep_kernel::{FieldError, Rule};
use std::collections::{HashMap, HashSet};

pub const MAX_FIELDS: usize = 200;
/// A pattern is the administrator's input: its compiled size is bounded.
const PATTERN_SIZE_LIMIT: usize = 2 << 20;

impl FormDefinition {
    pub fn check(self) -> Result<Form, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut patterns = HashMap::new();
        if self.fields.is_empty() {
            errors.push(FieldError::new("form.fields", Rule("form-empty")));
        }
        let total: usize = self
            .fields
            .iter()
            .map(|f| match &f.kind {
                FieldKind::Group { fields, .. } => 1 + fields.len(),
                _ => 1,
            })
            .sum();
        if total > MAX_FIELDS {
            errors.push(FieldError::new("form.fields", Rule("form-too-many-fields")));
        }
        check_scope(&self.fields, &[], "form", true, &mut patterns, &mut errors);
        if errors.is_empty() {
            Ok(Form {
                def: self,
                patterns,
            })
        } else {
            Err(errors)
        }
    }
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && s.len() <= 64
}

fn check_scope(
    fields: &[FieldDef],
    outer: &[FieldDef],
    prefix: &str,
    top_level: bool,
    patterns: &mut HashMap<String, regex::Regex>,
    errors: &mut Vec<FieldError>,
) {
    let mut seen = HashSet::new();
    for (i, f) in fields.iter().enumerate() {
        let at = format!("{prefix}.fields[{i}]");
        let mut local = Vec::new();
        let mut nested = None;
        let mut fail = |part: &str, rule: &'static str| {
            local.push(FieldError::new(format!("{at}.{part}"), Rule(rule)))
        };
        if !is_name(&f.name) {
            fail("name", "form-name-format");
        } else if !seen.insert(f.name.as_str()) {
            fail("name", "form-name-duplicate");
        }
        if f.label.ru.trim().is_empty() {
            fail("label", "form-label-empty");
        }
        if let Some(c) = &f.show_if {
            // Only a field that comes earlier may decide: the form reads top to bottom.
            let earlier = fields[..i].iter().chain(outer).any(|e| e.name == c.field);
            if !earlier {
                fail("show_if", "form-condition-field");
            }
        }
        if f.prefill.is_some() && !top_level {
            fail("prefill", "form-prefill-in-group");
        }
        match &f.kind {
            FieldKind::Text {
                min_length,
                max_length,
                pattern,
                ..
            } => {
                if let (Some(a), Some(b)) = (min_length, max_length)
                    && a > b
                {
                    fail("min_length", "form-range");
                }
                if let Some(p) = pattern {
                    match regex::RegexBuilder::new(&format!("^(?:{p})$"))
                        .size_limit(PATTERN_SIZE_LIMIT)
                        .build()
                    {
                        Ok(re) => {
                            patterns.insert(pattern_key(prefix, &f.name), re);
                        }
                        Err(_) => fail("pattern", "form-pattern"),
                    }
                }
            }
            FieldKind::Number { min, max, .. } => {
                let finite = |v: &Option<f64>| v.is_none_or(f64::is_finite);
                if !finite(min) || !finite(max) {
                    fail("min", "form-range");
                } else if let (Some(a), Some(b)) = (min, max)
                    && a > b
                {
                    fail("min", "form-range");
                }
            }
            FieldKind::Date {
                min: Some(DateBound::Day(a)),
                max: Some(DateBound::Day(b)),
            } if a > b => fail("min", "form-range"),
            FieldKind::Select { options } => {
                let mut values = HashSet::new();
                if options.is_empty() {
                    fail("options", "form-select-empty");
                }
                for o in options {
                    if o.value.trim().is_empty() || !values.insert(o.value.as_str()) {
                        fail("options", "form-select-value");
                    }
                    if o.label.ru.trim().is_empty() {
                        fail("options", "form-label-empty");
                    }
                }
            }
            FieldKind::Group {
                fields: inner,
                min_items,
                max_items,
            } => {
                if !top_level {
                    fail("type", "form-group-nested");
                } else if inner.is_empty() {
                    fail("fields", "form-empty");
                } else {
                    nested = Some(inner);
                }
                if min_items > max_items || *max_items == 0 || *max_items > 100 {
                    fail("max_items", "form-range");
                }
            }
            _ => {}
        }
        errors.append(&mut local);
        if let Some(inner) = nested {
            check_scope(inner, fields, &at, false, patterns, errors);
        }
    }
}

/// Patterns are looked up by the field's place in the definition: the
/// group's name and the field's name (`children.name`), or the field's alone.
pub(super) fn pattern_key(prefix: &str, name: &str) -> String {
    format!("{prefix}/{name}")
}
