//! A form defined as data, turned into inputs for the page: labels in the
//! reader's language, values as typed, errors next to their fields, and
//! conditions as data attributes for the script to act on.

use sep_forms::{Answers, Condition, FieldDef, FieldKind};
use sep_kernel::FieldError;
use sep_kernel::i18n::Lang;
use serde_json::Value;

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct Input {
    /// The posted name: `inn`, `address.postcode`, `children[1].name`.
    pub name: String,
    /// The element id (names with brackets and dots are not good ids).
    pub id: String,
    pub label: String,
    pub hint: Option<String>,
    /// text, textarea, number, date, select, checkbox, file, tel, email.
    pub kind: &'static str,
    pub value: String,
    pub required: bool,
    pub error: Option<String>,
    pub choices: Vec<Choice>,
    pub show_if: Option<(String, Option<String>)>,
    pub autocomplete: &'static str,
}

/// A top-level part of the form: one input, an address (three inputs) or a
/// repeated group (items of inputs).
pub struct Block {
    pub name: String,
    pub label: String,
    pub kind: &'static str,
    pub input: Option<Input>,
    pub parts: Vec<Input>,
    pub items: Vec<Vec<Input>>,
    pub error: Option<String>,
    pub required: bool,
    pub show_if: Option<(String, Option<String>)>,
}

fn id_of(name: &str) -> String {
    format!("f-{}", name.replace(['[', '.'], "-").replace(']', ""))
}

fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn condition(c: &Option<Condition>) -> Option<(String, Option<String>)> {
    c.as_ref().map(|c| {
        let expected = match (&c.equals, &c.any_of) {
            (Some(v), _) => Some(text_of(Some(v))),
            (None, Some(list)) => Some(
                list.iter()
                    .map(|v| text_of(Some(v)))
                    .collect::<Vec<_>>()
                    .join("|"),
            ),
            (None, None) => None,
        };
        (c.field.clone(), expected)
    })
}

fn error_for(lang: Lang, errors: &[FieldError], name: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == name)
        .map(|e| lang.field_rule(e))
}

fn input(
    lang: Lang,
    f: &FieldDef,
    name: String,
    value: Option<&Value>,
    errors: &[FieldError],
) -> Input {
    let (kind, autocomplete) = match &f.kind {
        FieldKind::Text {
            multiline: true, ..
        } => ("textarea", "off"),
        FieldKind::Number { .. } => ("number", "off"),
        FieldKind::Date { .. } => ("date", "off"),
        FieldKind::Select { .. } => ("select", "off"),
        FieldKind::Checkbox => ("checkbox", "off"),
        FieldKind::File => ("file", "off"),
        FieldKind::Phone => ("tel", "tel"),
        FieldKind::Email => ("email", "email"),
        _ => ("text", "off"),
    };
    let mut value = text_of(value);
    if kind == "date" {
        // A date typed as ДД.ММ.ГГГГ is shown to the date input as ISO.
        if let Ok(d) = sep_forms::parse_date(&value) {
            value = d.format("%Y-%m-%d").to_string();
        }
    }
    let choices = match &f.kind {
        FieldKind::Select { options } => options
            .iter()
            .map(|o| Choice {
                selected: o.value == value,
                value: o.value.clone(),
                label: o.label.get(lang).to_string(),
            })
            .collect(),
        _ => Vec::new(),
    };
    Input {
        id: id_of(&name),
        error: error_for(lang, errors, &name),
        name,
        label: f.label.get(lang).to_string(),
        hint: f.hint.as_ref().map(|h| h.get(lang).to_string()),
        kind,
        value,
        required: f.required,
        choices,
        show_if: condition(&f.show_if),
        autocomplete,
    }
}

pub fn blocks(
    lang: Lang,
    fields: &[FieldDef],
    answers: &Answers,
    errors: &[FieldError],
) -> Vec<Block> {
    fields
        .iter()
        .map(|f| {
            let value = answers.get(&f.name);
            let mut block = Block {
                name: f.name.clone(),
                label: f.label.get(lang).to_string(),
                kind: "single",
                input: None,
                parts: Vec::new(),
                items: Vec::new(),
                error: error_for(lang, errors, &f.name),
                required: f.required,
                show_if: condition(&f.show_if),
            };
            match &f.kind {
                FieldKind::Address => {
                    block.kind = "address";
                    for (part, key) in [
                        ("postcode", "field-postcode"),
                        ("region_code", "field-region_code"),
                        ("line", "label-address-line"),
                    ] {
                        let name = format!("{}.{part}", f.name);
                        block.parts.push(Input {
                            id: id_of(&name),
                            error: error_for(lang, errors, &name),
                            label: lang.t(key),
                            value: text_of(value.and_then(|v| v.get(part))),
                            name,
                            hint: None,
                            kind: "text",
                            required: f.required,
                            choices: Vec::new(),
                            show_if: None,
                            autocomplete: match part {
                                "postcode" => "postal-code",
                                "line" => "street-address",
                                _ => "off",
                            },
                        });
                    }
                }
                FieldKind::Group {
                    fields: inner,
                    min_items,
                    ..
                } => {
                    block.kind = "group";
                    let given = value.and_then(Value::as_array).cloned().unwrap_or_default();
                    // One empty item more than given, so there is always room to add one.
                    let count = (given.len() + 1).max(*min_items as usize).max(1);
                    for i in 0..count {
                        let item = given.get(i);
                        block.items.push(
                            inner
                                .iter()
                                .map(|g| {
                                    input(
                                        lang,
                                        g,
                                        format!("{}[{i}].{}", f.name, g.name),
                                        item.and_then(|it| it.get(&g.name)),
                                        errors,
                                    )
                                })
                                .collect(),
                        );
                    }
                }
                _ => block.input = Some(input(lang, f, f.name.clone(), value, errors)),
            }
            block
        })
        .collect()
}
