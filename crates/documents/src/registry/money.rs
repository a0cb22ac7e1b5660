//! ФНС's income records and СФР's personal account and social payments.

use super::{Person, Seed, as_of, birth, date, or_dash};
use crate::model::Sheet;
use chrono::{Datelike, NaiveDate};
use sep_kernel::Kopecks;

/// Demo employers (tax agents), with valid ИНН checksums.
const EMPLOYERS: [(&str, &str); 4] = [
    ("ООО «Северный ветер»", "7705123452"),
    ("АО «Городские сети»", "7812345675"),
    ("ООО «Казанские технологии»", "1659876546"),
    ("ГБУ «Центр занятости»", "7721987650"),
];

const MONTHS: [&str; 12] = [
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
];

fn money(k: i64) -> String {
    Kopecks(k).exact()
}

/// 2-НДФЛ for the last full year: monthly pay from one employer, 13 %.
pub fn income(person: &Person, seed: &Seed, today: NaiveDate) -> Sheet {
    let year = today.year() - 1;
    let (employer, employer_inn) = EMPLOYERS[seed.pick("income.employer", 4) as usize];
    let monthly = seed.between("income.monthly", 45_000, 180_000) as i64 * 100;
    let mut rows = Vec::new();
    let mut total = 0i64;
    for (i, month) in MONTHS.iter().enumerate() {
        // A bonus in December and in one other month; otherwise the salary.
        let bonus = if i == 11 || i as u64 == seed.pick("income.bonus", 11) {
            monthly / 2
        } else {
            0
        };
        let paid = monthly + bonus;
        total += paid;
        rows.push(vec![month.to_string(), "2000".into(), money(paid)]);
    }
    // НДФЛ is counted in whole roubles, 50 kopecks and more rounded up.
    let tax = (total * 13 / 100 + 50) / 100 * 100;
    Sheet {
        subtitle: Some(format!("за {year} год")),
        ..Sheet::default()
    }
    .fields(&[
        ("Получатель дохода", person.full_name.clone()),
        ("ИНН", or_dash(&person.inn)),
        ("Дата рождения", birth(person)),
        ("Налоговый агент", employer.to_string()),
        ("ИНН налогового агента", employer_inn.to_string()),
    ])
    .heading("Доходы, облагаемые по ставке 13 %")
    .table(
        &[
            ("Месяц", 2.0, false),
            ("Код дохода", 1.0, false),
            ("Сумма дохода", 1.6, true),
        ],
        rows,
    )
    .heading("Общие суммы дохода и налога")
    .fields(&[
        ("Общая сумма дохода", money(total)),
        ("Налоговая база", money(total)),
        ("Сумма налога исчисленная", money(tax)),
        ("Сумма налога удержанная", money(tax)),
        ("Сумма налога перечисленная", money(tax)),
    ])
}

/// The personal account at СФР: contributions and pension points by year.
pub fn pension(person: &Person, seed: &Seed, today: NaiveDate) -> Sheet {
    let last = today.year() - 1;
    let mut rows = Vec::new();
    let mut points_total = 0u64;
    for year in (last - 4)..=last {
        let label = format!("pension.{year}");
        let (employer, _) = EMPLOYERS[seed.pick(&format!("{label}.employer"), 4) as usize];
        let contributions = seed.between(&label, 90_000, 420_000) as i64 * 100;
        // Pension points: contributions against the year's cap, at most 10.
        let points = (contributions as u64 * 1000 / 45_000_000).min(10_000);
        points_total += points;
        rows.push(vec![
            year.to_string(),
            employer.to_string(),
            money(contributions),
            format!("{},{:03}", points / 1000, points % 1000),
        ]);
    }
    as_of(today)
        .fields(&[
            ("Застрахованное лицо", person.full_name.clone()),
            ("СНИЛС", or_dash(&person.snils)),
            ("Дата рождения", birth(person)),
        ])
        .heading("Страховые взносы и индивидуальные пенсионные коэффициенты")
        .table(
            &[
                ("Год", 0.8, false),
                ("Страхователь", 2.4, false),
                ("Начислено взносов", 1.5, true),
                ("ИПК", 0.9, true),
            ],
            rows,
        )
        .fields(&[(
            "Сумма ИПК за период",
            format!("{},{:03}", points_total / 1000, points_total % 1000),
        )])
}

/// Social support paid by СФР this year, if any.
pub fn subsidies(person: &Person, seed: &Seed, today: NaiveDate) -> Sheet {
    let year = today.year();
    const MEASURES: [(&str, u64, u64); 3] = [
        (
            "Единое пособие в связи с рождением и воспитанием ребёнка",
            9_000,
            17_000,
        ),
        (
            "Субсидия на оплату жилого помещения и коммунальных услуг",
            1_200,
            4_800,
        ),
        ("Ежемесячная денежная выплата", 900, 3_500),
    ];
    let sheet = Sheet {
        subtitle: Some(format!("за период с 01.01.{year} по {}", date(today))),
        ..Sheet::default()
    }
    .fields(&[
        ("Получатель", person.full_name.clone()),
        ("СНИЛС", or_dash(&person.snils)),
    ]);
    let count = match seed.pick("subsidies.count", 10) {
        0..=5 => 0,
        6..=8 => 1,
        _ => 2,
    };
    if count == 0 {
        return sheet.paragraph(format!(
            "Меры социальной поддержки в {year} году не назначались и не выплачивались."
        ));
    }
    let rows = MEASURES
        .iter()
        .enumerate()
        .skip(seed.pick("subsidies.first", 3) as usize)
        .take(count)
        .map(|(i, (name, low, high))| {
            let amount = seed.between(&format!("subsidies.{i}"), *low, *high) as i64 * 100;
            let from = seed.day_in(&format!("subsidies.{i}.from"), year - 1);
            vec![name.to_string(), date(from), money(amount)]
        })
        .collect();
    sheet
        .heading("Назначенные меры социальной поддержки")
        .table(
            &[
                ("Мера поддержки", 3.0, false),
                ("Назначена с", 1.0, false),
                ("Размер в месяц", 1.2, true),
            ],
            rows,
        )
}
