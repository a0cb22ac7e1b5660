//! Answers from an HTML form post, where every input is a flat name:
//! `snils`, `addr.postcode`, `children[1].name`.

use super::{Answers, FieldDef, FieldKind};
use serde_json::Value;

/// Builds nested answers from posted (name, value) pairs, guided by the
/// definition so that a group's items come out in order and unknown names
/// (the CSRF token, buttons) are left out.
pub fn answers_from_pairs(fields: &[FieldDef], pairs: &[(String, String)]) -> Answers {
    let mut out = Answers::new();
    for (name, value) in pairs {
        let (head, rest) = match name.find(['.', '[']) {
            Some(i) => (&name[..i], &name[i..]),
            None => (name.as_str(), ""),
        };
        let Some(def) = fields.iter().find(|f| f.name == head) else {
            continue;
        };
        match (&def.kind, rest) {
            (FieldKind::Address, part) if part.starts_with('.') => {
                let obj = out
                    .entry(head.to_string())
                    .or_insert_with(|| Value::Object(Answers::new()));
                if let Value::Object(o) = obj {
                    o.insert(part[1..].to_string(), Value::String(value.clone()));
                }
            }
            (FieldKind::Group { fields: inner, .. }, part) => {
                let Some((index, field)) = part
                    .strip_prefix('[')
                    .and_then(|p| p.split_once("]."))
                    .and_then(|(i, f)| Some((i.parse::<usize>().ok()?, f)))
                else {
                    continue;
                };
                // Bounded: a crafted index must not make a huge array.
                if index >= 100 || !inner.iter().any(|f| f.name == field) {
                    continue;
                }
                let list = out
                    .entry(head.to_string())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = list {
                    while items.len() <= index {
                        items.push(Value::Object(Answers::new()));
                    }
                    if let Value::Object(o) = &mut items[index] {
                        o.insert(field.to_string(), Value::String(value.clone()));
                    }
                }
            }
            (_, "") => {
                out.insert(head.to_string(), Value::String(value.clone()));
            }
            _ => {}
        }
    }
    // A group's item left wholly empty on the page is not an item.
    for v in out.values_mut() {
        if let Value::Array(items) = v {
            items.retain(|item| {
                item.as_object().is_some_and(|o| {
                    o.values()
                        .any(|v| v.as_str().is_some_and(|s| !s.trim().is_empty()))
                })
            });
        }
    }
    out
}
