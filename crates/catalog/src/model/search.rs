//! Search terms for the catalogue: Russian words reduced to their stems
//! (Snowball, `rust-stemmers`), so that "загранпаспорта", "загранпаспорт" and
//! "загранпаспортом" find the same service. The same terms feed SQLite FTS5
//! and PostgreSQL text search, and ranking is computed here, not by the
//! engines, so both give the same order.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;

static RUSSIAN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Russian));
static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Words too common in service names to tell services apart.
const STOP_WORDS: &[&str] = &[
    "и", "в", "во", "на", "по", "о", "об", "с", "со", "к", "ко", "для", "за", "из", "от", "до",
    "или", "а", "не", "при", "the", "of", "a", "an", "and", "for", "to", "in", "on",
];

fn stem(word: &str) -> String {
    let is_latin = word.chars().all(|c| c.is_ascii_alphanumeric());
    let stemmer = if is_latin { &*ENGLISH } else { &*RUSSIAN };
    stemmer.stem(word).into_owned()
}

/// The stems of `text`, in order, lower-cased, «ё» read as «е», stop words and
/// punctuation dropped. Digits stay (form numbers, codes like "2-НДФЛ").
pub fn terms(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace('ё', "е")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(stem)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The indexed text of a document: its stems joined by spaces.
pub fn index_text(text: &str) -> String {
    terms(text).join(" ")
}

/// How well a service matches a query: every query term must occur in the
/// title, description or keywords (otherwise `None`); a title hit weighs most,
/// and a title that starts with the first term is preferred.
pub fn score(query: &[String], title: &str, body: &str) -> Option<u32> {
    if query.is_empty() {
        return None;
    }
    let title_terms = terms(title);
    let body_terms = terms(body);
    let mut total = 0;
    for q in query {
        let in_title = title_terms.iter().filter(|t| *t == q).count() as u32;
        let in_body = body_terms.iter().filter(|t| *t == q).count() as u32;
        if in_title + in_body == 0 {
            return None;
        }
        total += 10 * in_title.min(3) + in_body.min(5);
    }
    if title_terms.first() == query.first() {
        total += 5;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_a_word_share_a_stem() {
        assert_eq!(terms("загранпаспорт"), terms("загранпаспорта"));
        assert_eq!(terms("загранпаспорт"), terms("Загранпаспортом"));
        assert_eq!(terms("пособие"), terms("пособия"));
        assert_eq!(terms("ёлка"), terms("елка"));
    }

    #[test]
    fn stop_words_and_punctuation_go() {
        assert_eq!(terms("Регистрация ИП, на дому!").len(), 3);
        assert_eq!(terms("справка 2-НДФЛ"), vec!["справк", "2", "ндфл"]);
    }

    #[test]
    fn title_hits_rank_above_description_hits() {
        let q = terms("пособие");
        let title = score(&q, "Единое пособие на детей", "выплата семьям").unwrap();
        let body = score(&q, "Выплаты семьям", "в том числе пособие").unwrap();
        assert!(title > body);
        assert_eq!(score(&terms("пособие штраф"), "Единое пособие", ""), None);
    }
}
