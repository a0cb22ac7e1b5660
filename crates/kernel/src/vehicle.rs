use super::Rule;

/// Letters allowed in the series of Russian vehicle documents: the twelve
/// Cyrillic letters that look like Latin ones (so that plates and papers read
/// the same to cameras and people). Latin look-alikes typed by mistake are
/// taken as these.
const LETTERS: [(char, char); 12] = [
    ('A', 'А'),
    ('B', 'В'),
    ('E', 'Е'),
    ('K', 'К'),
    ('M', 'М'),
    ('H', 'Н'),
    ('O', 'О'),
    ('P', 'Р'),
    ('C', 'С'),
    ('T', 'Т'),
    ('Y', 'У'),
    ('X', 'Х'),
];

fn cyrillic(c: char) -> Option<char> {
    LETTERS
        .iter()
        .find(|(latin, cyr)| *latin == c || *cyr == c)
        .map(|(_, cyr)| *cyr)
}

/// "99 12 345678", "77 УС 123456": a series of two digits (the region) and
/// two digits or letters, then a six-digit number; stored without spaces.
fn series_and_number(input: &str, rule: &'static str) -> Result<String, Rule> {
    let chars: Vec<char> = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '№')
        .flat_map(char::to_uppercase)
        .collect();
    if chars.len() != 10 {
        return Err(Rule(rule));
    }
    let mut out = String::with_capacity(16);
    for (i, c) in chars.into_iter().enumerate() {
        let ok = match i {
            0 | 1 | 4..=9 => c.is_ascii_digit().then_some(c),
            _ if c.is_ascii_digit() => Some(c),
            _ => cyrillic(c),
        };
        out.push(ok.ok_or(Rule(rule))?);
    }
    Ok(out)
}

fn spaced(s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    format!(
        "{} {} {}",
        c[..2].iter().collect::<String>(),
        c[2..4].iter().collect::<String>(),
        c[4..].iter().collect::<String>()
    )
}

/// Водительское удостоверение: its series and number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DriverLicence(String);

impl DriverLicence {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        series_and_number(input, "driver-licence-format").map(Self)
    }

    /// The compact form ("9912345678"), what lookups are made of.
    pub fn compact(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DriverLicence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&spaced(&self.0))
    }
}

/// Свидетельство о регистрации ТС (СТС): its series and number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VehicleCertificate(String);

impl VehicleCertificate {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        series_and_number(input, "vehicle-certificate-format").map(Self)
    }

    pub fn compact(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for VehicleCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&spaced(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_and_numbers_as_people_type_them() {
        let l = DriverLicence::parse("99 12 345678").unwrap();
        assert_eq!(l.compact(), "9912345678");
        assert_eq!(l.to_string(), "99 12 345678");
        // Latin look-alikes become the Cyrillic letters they stand for.
        let v = VehicleCertificate::parse("77 yc 123456").unwrap();
        assert_eq!(v, VehicleCertificate::parse("77УС123456").unwrap());
        assert_eq!(v.to_string(), "77 УС 123456");
        for wrong in [
            "77 УС 12345",
            "7У УС 123456",
            "77 ЖЖ 123456",
            "77 УС 12345Б",
            "",
        ] {
            assert_eq!(
                VehicleCertificate::parse(wrong),
                Err(Rule("vehicle-certificate-format")),
                "{wrong}"
            );
        }
        assert_eq!(
            DriverLicence::parse("99-12-3456789"),
            Err(Rule("driver-licence-format"))
        );
    }
}
