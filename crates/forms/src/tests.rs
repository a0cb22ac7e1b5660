use super::*;
use sep_kernel::Rule;
use serde_json::json;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn benefit_form() -> Form {
    let def: FormDefinition = serde_json::from_value(json!({
        "fields": [
            {"name": "full_name", "type": "text", "label": {"ru": "ФИО", "en": "Full name"},
             "required": true, "prefill": "full_name", "max_length": 200},
            {"name": "inn", "type": "inn", "holder": "person", "label": {"ru": "ИНН"}, "required": true},
            {"name": "phone", "type": "phone", "label": {"ru": "Телефон"}},
            {"name": "birth_date", "type": "date", "label": {"ru": "Дата рождения"},
             "required": true, "min": "1900-01-01", "max": "today"},
            {"name": "income", "type": "number", "label": {"ru": "Доход"}, "min": 0, "integer": true},
            {"name": "kind", "type": "select", "label": {"ru": "Основание"}, "required": true,
             "options": [{"value": "birth", "label": {"ru": "Рождение"}},
                         {"value": "other", "label": {"ru": "Иное"}}]},
            {"name": "other_reason", "type": "text", "label": {"ru": "Какое"}, "required": true,
             "show_if": {"field": "kind", "equals": "other"}, "pattern": "[А-Яа-яЁё ]+"},
            {"name": "has_children", "type": "checkbox", "label": {"ru": "Есть дети"}},
            {"name": "children", "type": "group", "label": {"ru": "Дети"}, "min_items": 1,
             "show_if": {"field": "has_children"},
             "fields": [
                {"name": "name", "type": "text", "label": {"ru": "Имя ребёнка"}, "required": true},
                {"name": "snils", "type": "snils", "label": {"ru": "СНИЛС ребёнка"}, "required": true}
             ]},
            {"name": "address", "type": "address", "label": {"ru": "Адрес"}, "prefill": "address"},
            {"name": "scan", "type": "file", "label": {"ru": "Скан"}}
        ]
    }))
    .unwrap();
    def.check().expect("a usable definition")
}

fn rules(errors: &[sep_kernel::FieldError]) -> Vec<(String, &'static str)> {
    errors
        .iter()
        .map(|e| (e.field.to_string(), e.rule.code()))
        .collect()
}

#[test]
fn good_answers_come_back_normalised_and_hidden_fields_go() {
    let answers = json!({
        "full_name": "  Иванов   Иван ",
        "inn": "500100732259",
        "phone": "8 (916) 555-12-34",
        "birth_date": "01.02.1990",
        "income": "120 000",
        "kind": "birth",
        "other_reason": "ignored because hidden",
        "has_children": "on",
        "children": [{"name": "Анна", "snils": "11223344595"}],
        "address": {"postcode": "101000", "region_code": "77", "line": "г. Москва, ул. Тверская, 1"},
    });
    let out = benefit_form()
        .validate(answers.as_object().unwrap(), today(), Mode::Submit)
        .unwrap();
    assert_eq!(out["full_name"], "Иванов Иван");
    assert_eq!(out["phone"], "+79165551234");
    assert_eq!(out["birth_date"], "1990-02-01");
    assert_eq!(out["income"], 120000);
    assert_eq!(out["has_children"], true);
    assert_eq!(out["children"][0]["snils"], "112-233-445 95");
    assert!(!out.contains_key("other_reason"));
    assert_eq!(out["address"]["region_code"], "77");
}

#[test]
fn every_wrong_field_is_named_with_its_rule_and_label() {
    let answers = json!({
        "full_name": "Иванов Иван",
        "inn": "7707083893",
        "birth_date": "2030-01-01",
        "income": 10.5,
        "kind": "other",
        "other_reason": "reason in latin",
        "has_children": true,
        "children": [{"name": "Анна", "snils": "11223344595"}, {"name": "", "snils": "112-233-445 98"}],
        "address": {"postcode": "012345", "region_code": "77", "line": ""},
        "scan": "not-an-id",
        "extra": "x",
    });
    let errors = benefit_form()
        .validate(answers.as_object().unwrap(), today(), Mode::Submit)
        .unwrap_err();
    let got = rules(&errors);
    for expected in [
        ("inn", "inn-not-person"),
        ("birth_date", "date-too-late"),
        ("income", "number-integer"),
        ("other_reason", "text-pattern"),
        ("children[1].name", "required"),
        ("children[1].snils", "snils-checksum"),
        ("address.postcode", "postcode-format"),
        ("address.line", "required"),
        ("scan", "file-reference"),
        ("extra", "field-unknown"),
    ] {
        assert!(
            got.contains(&(expected.0.to_string(), expected.1)),
            "{expected:?} in {got:?}"
        );
    }
    assert_eq!(got.len(), 10, "{got:?}");
    let inn = errors.iter().find(|e| e.field == "inn").unwrap();
    assert_eq!(
        sep_kernel::i18n::Lang::Ru.field_error(inn),
        "ИНН: это ИНН организации, а нужен ИНН физического лица"
    );
    let child = errors
        .iter()
        .find(|e| e.field == "children[1].snils")
        .unwrap();
    assert_eq!(child.label.as_ref().unwrap().ru, "СНИЛС ребёнка");
}

#[test]
fn required_fields_are_required_only_on_submit_and_only_when_shown() {
    let form = benefit_form();
    let empty = Answers::new();
    let got = rules(&form.validate(&empty, today(), Mode::Submit).unwrap_err());
    assert_eq!(
        got,
        vec![
            ("full_name".to_string(), "required"),
            ("inn".to_string(), "required"),
            ("birth_date".to_string(), "required"),
            ("kind".to_string(), "required"),
        ]
    );
    assert!(form.validate(&empty, today(), Mode::Partial).is_ok());
    let partial = json!({"inn": "7707083894"});
    let got = rules(
        &form
            .validate(partial.as_object().unwrap(), today(), Mode::Partial)
            .unwrap_err(),
    );
    assert_eq!(got, vec![("inn".to_string(), "inn-checksum")]);
    let shown = json!({"has_children": true});
    let got = rules(
        &form
            .validate(shown.as_object().unwrap(), today(), Mode::Submit)
            .unwrap_err(),
    );
    assert!(
        got.contains(&("children".to_string(), "group-too-few")),
        "{got:?}"
    );
}

#[test]
fn unusable_definitions_are_refused_with_the_place_named() {
    let def: FormDefinition = serde_json::from_value(json!({
        "fields": [
            {"name": "a", "type": "text", "label": {"ru": "А"}, "pattern": "(unclosed",
             "show_if": {"field": "b"}},
            {"name": "b", "type": "checkbox", "label": {"ru": "Б"}},
            {"name": "b", "type": "select", "label": {"ru": ""}, "options": []},
            {"name": "Bad-Name", "type": "number", "label": {"ru": "Ч"}, "min": 5, "max": 1},
            {"name": "g", "type": "group", "label": {"ru": "Г"},
             "fields": [{"name": "inner", "type": "group", "label": {"ru": "В"},
                         "fields": [{"name": "x", "type": "text", "label": {"ru": "Х"}}]}]}
        ]
    }))
    .unwrap();
    let got = rules(&def.check().unwrap_err());
    for expected in [
        ("form.fields[0].show_if", "form-condition-field"),
        ("form.fields[0].pattern", "form-pattern"),
        ("form.fields[2].name", "form-name-duplicate"),
        ("form.fields[2].label", "form-label-empty"),
        ("form.fields[2].options", "form-select-empty"),
        ("form.fields[3].name", "form-name-format"),
        ("form.fields[3].min", "form-range"),
        ("form.fields[4].fields[0].type", "form-group-nested"),
    ] {
        assert!(
            got.contains(&(expected.0.to_string(), expected.1)),
            "{expected:?} in {got:?}"
        );
    }
    assert_eq!(
        FormDefinition { fields: vec![] }.check().unwrap_err()[0].rule,
        Rule("form-empty")
    );
}

#[test]
fn posted_pairs_become_nested_answers() {
    let form = benefit_form();
    let pairs: Vec<(String, String)> = [
        ("csrf", "t"),
        ("inn", "500100732259"),
        ("children[1].name", "Пётр"),
        ("children[0].name", "Анна"),
        ("children[0].snils", "112-233-445 95"),
        ("children[2].name", ""),
        ("children[999].name", "too far"),
        ("address.postcode", "101000"),
        ("address.line", "Москва"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let got = answers_from_pairs(form.fields(), &pairs);
    assert_eq!(
        Value::Object(got),
        json!({
            "inn": "500100732259",
            "children": [{"name": "Анна", "snils": "112-233-445 95"}, {"name": "Пётр"}],
            "address": {"postcode": "101000", "line": "Москва"},
        })
    );
}

#[test]
fn prefill_takes_what_the_profile_has() {
    let form = benefit_form();
    let got = form.prefill(|s| match s {
        PrefillSource::FullName => Some(json!("Иванов Иван Иванович")),
        PrefillSource::Address => Some(address_value("101000", "77", "г. Москва")),
        _ => None,
    });
    assert_eq!(got["full_name"], "Иванов Иван Иванович");
    assert_eq!(got["address"]["postcode"], "101000");
    assert_eq!(got.len(), 2);
}
