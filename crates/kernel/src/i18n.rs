//! Languages: Russian first, English second. Every user-facing string lives in
//! `locales/{ru,en}/main.ftl`; rule codes from validation are message keys there.

use crate::{FieldError, Rule};
pub use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use std::borrow::Cow;
use std::collections::HashMap;
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "ru",
        // Isolation marks around arguments make strings compare unequal to what people see.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static RU: LanguageIdentifier = langid!("ru");
static EN: LanguageIdentifier = langid!("en");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ru" => Some(Self::Ru),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The first of ru/en that an `Accept-Language` header names; Russian otherwise.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("ru") => Lang::Ru,
                Some("en") => Lang::En,
                _ => continue,
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Self::Ru => &RU,
            Self::En => &EN,
        }
    }

    pub fn t(self, key: &str) -> String {
        LOCALES
            .try_lookup(self.id(), key)
            .unwrap_or_else(|| key.to_string())
    }

    pub fn t_args(self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
            .collect();
        LOCALES
            .try_lookup_with_args(self.id(), key, &map)
            .unwrap_or_else(|| key.to_string())
    }

    /// What a rule says, on its own ("контрольное число не сходится").
    pub fn rule(self, rule: Rule) -> String {
        self.t(&format!("rule-{}", rule.code()))
    }

    /// The field's label ("СНИЛС"). A path into a list (`routes[0].department`)
    /// is labelled as its kind of field (`field-routes-department`); a path
    /// without any label is shown as it is, which still tells where to look.
    pub fn field(self, field: &str) -> String {
        let key = format!("field-{field}");
        if let Some(label) = LOCALES.try_lookup(self.id(), &key) {
            return label;
        }
        let mut general = String::with_capacity(key.len());
        let mut in_index = false;
        for c in key.chars() {
            match c {
                '[' => in_index = true,
                ']' => in_index = false,
                '.' => general.push('-'),
                c if !in_index => general.push(c),
                _ => {}
            }
        }
        LOCALES
            .try_lookup(self.id(), &general)
            .unwrap_or_else(|| field.to_string())
    }

    /// The rule a field broke, with what the person can still do about it
    /// ("неверный код, осталось 2 попытки").
    pub fn field_rule(self, e: &FieldError) -> String {
        let rule = self.rule(e.rule);
        match e.attempts_left {
            Some(n) => format!(
                "{rule}, {}",
                self.t_args("attempts-left", &[("count", FluentValue::from(n))])
            ),
            None => rule,
        }
    }

    /// "СНИЛС: контрольное число не сходится" — names the field and the rule.
    pub fn field_error(self, e: &FieldError) -> String {
        let label = match &e.label {
            Some(text) => text.get(self).to_string(),
            None => self.field(&e.field),
        };
        format!("{label}: {}", self.field_rule(e))
    }
}

/// The language a request asks for: the `lang` cookie (the switch on every
/// page), else `Accept-Language`, else Russian.
#[cfg(feature = "http")]
pub fn lang_of(headers: &http::HeaderMap) -> Lang {
    let from_cookie = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("lang=").and_then(Lang::parse));
    from_cookie.unwrap_or_else(|| {
        Lang::from_accept_language(
            headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or(""),
        )
    })
}

#[cfg(feature = "http")]
impl<S: Send + Sync> axum_core::extract::FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(lang_of(&parts.headers))
    }
}

/// A text that is data rather than part of the product (a service's title, a
/// form field's label), in Russian and, when someone wrote one, English.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Text {
    pub ru: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

impl Text {
    pub fn new(ru: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ru: ru.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`, falling back to Russian, which every text has.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.trim().is_empty() => &self.en,
            _ => &self.ru,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_language() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("ru-RU,ru;q=0.9,en;q=0.8"),
            Lang::Ru
        );
        assert_eq!(Lang::from_accept_language("de,en;q=0.5"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr"), Lang::Ru);
        assert_eq!(Lang::from_accept_language(""), Lang::Ru);
    }

    #[test]
    fn every_rule_and_field_has_both_languages() {
        let ru = [
            include_str!("../locales/ru/main.ftl"),
            include_str!("../locales/ru/catalog.ftl"),
            include_str!("../locales/ru/applications.ftl"),
            include_str!("../locales/ru/pages.ftl"),
            include_str!("../locales/ru/payments.ftl"),
            include_str!("../locales/ru/documents.ftl"),
            include_str!("../locales/ru/signatures.ftl"),
        ]
        .concat();
        let en = [
            include_str!("../locales/en/main.ftl"),
            include_str!("../locales/en/catalog.ftl"),
            include_str!("../locales/en/applications.ftl"),
            include_str!("../locales/en/pages.ftl"),
            include_str!("../locales/en/payments.ftl"),
            include_str!("../locales/en/documents.ftl"),
            include_str!("../locales/en/signatures.ftl"),
        ]
        .concat();
        let keys = |s: &str| -> Vec<String> {
            s.lines()
                .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
                .filter(|k| !k.starts_with('#') && !k.is_empty())
                .collect()
        };
        let (mut r, mut e) = (keys(&ru), keys(&en));
        r.sort();
        e.sort();
        let unique = r.len();
        r.dedup();
        assert_eq!(r.len(), unique, "a key is defined twice");
        assert_eq!(r, e, "ru and en must define the same keys");
        let err = FieldError::new("snils", Rule("snils-checksum"));
        assert_eq!(
            Lang::Ru.field_error(&err),
            "СНИЛС: контрольное число не сходится"
        );
        assert_eq!(
            Lang::En.field_error(&err),
            "SNILS: the check digits do not match"
        );
    }

    #[test]
    fn a_wrong_code_says_how_many_tries_are_left_in_proper_russian() {
        let mut code = FieldError::new("code", Rule("code-wrong"));
        for (n, ru) in [
            (1, "осталась 1 попытка"),
            (3, "осталось 3 попытки"),
            (0, "осталось 0 попыток"),
        ] {
            code.attempts_left = Some(n);
            let text = Lang::Ru.field_error(&code);
            assert!(text.ends_with(ru), "{n}: {text}");
        }
        code.attempts_left = Some(1);
        assert!(Lang::En.field_error(&code).ends_with(", 1 attempt left"));
        assert_eq!(
            Lang::En.field_rule(&FieldError::new("code", Rule("required"))),
            Lang::En.rule(Rule("required"))
        );
    }
}
