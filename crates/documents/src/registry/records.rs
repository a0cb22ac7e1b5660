//! ФССП's enforcement proceedings, МВД's criminal records and the register
//! of machine-readable powers of attorney.

use super::{Person, Seed, as_of, birth, date, or_dash};
use crate::model::Sheet;
use chrono::{Datelike, NaiveDate};
use sep_kernel::Kopecks;

pub fn debts(person: &Person, seed: &Seed, today: NaiveDate) -> Sheet {
    const SUBJECTS: [&str; 3] = [
        "Штраф как вид наказания",
        "Задолженность по платежам за жилую площадь и коммунальные услуги",
        "Налоги и сборы, включая пени",
    ];
    let sheet = as_of(today).fields(&[
        ("Должник", person.full_name.clone()),
        ("Дата рождения", birth(person)),
    ]);
    let count = match seed.pick("debts.count", 10) {
        0..=6 => 0,
        7 | 8 => 1,
        _ => 2,
    };
    if count == 0 {
        return sheet.paragraph(
            "Исполнительные производства в отношении указанного лица в банке данных \
             исполнительных производств не найдены. Задолженности нет.",
        );
    }
    let rows = (0..count)
        .map(|i| {
            let opened = seed.day_in(&format!("debts.{i}.opened"), today.year() - 1);
            let number = seed.between(&format!("debts.{i}.number"), 10_000, 99_999);
            let left = seed.between(&format!("debts.{i}.left"), 500, 60_000) as i64 * 100;
            vec![
                format!("{number}/{}/77001-ИП", opened.format("%y")),
                date(opened),
                SUBJECTS[seed.pick(&format!("debts.{i}.subject"), 3) as usize].to_string(),
                Kopecks(left).exact(),
            ]
        })
        .collect();
    sheet
        .heading("Исполнительные производства")
        .table(
            &[
                ("Номер", 1.5, false),
                ("Возбуждено", 1.0, false),
                ("Предмет исполнения", 2.6, false),
                ("Остаток долга", 1.2, true),
            ],
            rows,
        )
        .paragraph("Задолженность можно оплатить в разделе «Начисления».")
}

/// The demo registry knows of no convictions: the certificate states so.
pub fn no_criminal_record(person: &Person, today: NaiveDate) -> Sheet {
    as_of(today)
        .fields(&[
            ("Фамилия, имя, отчество", person.full_name.clone()),
            ("Дата рождения", birth(person)),
            ("Паспорт гражданина РФ", or_dash(&person.passport)),
        ])
        .paragraph(format!(
            "По сведениям, имеющимся в информационных системах МВД России, {}, {} г. р., \
         судимости не имеет, к уголовной ответственности не привлекался(-ась), \
         уголовное преследование в отношении него (неё) не осуществлялось и не прекращалось.",
            person.full_name,
            birth(person)
        ))
}

const PRINCIPALS: [(&str, &str, &str); 3] = [
    ("ООО «Северный ветер»", "7705123452", "1027700123450"),
    ("АО «Городские сети»", "7812345675", "1027800123460"),
    ("ООО «Казанские технологии»", "1659876546", "1161690012340"),
];

const POWERS: [&str; 3] = [
    "Подача заявлений и получение результатов государственных услуг",
    "Представление налоговой отчётности и получение документов",
    "Оплата начислений и получение платёжных документов",
];

pub fn powers(person: &Person, seed: &Seed, today: NaiveDate) -> Sheet {
    let sheet = as_of(today).fields(&[
        ("Представитель", person.full_name.clone()),
        ("ИНН", or_dash(&person.inn)),
    ]);
    if !person.representative {
        return sheet.paragraph(
            "Действующие машиночитаемые доверенности, выданные указанному лицу, \
             в реестре не найдены.",
        );
    }
    let count = 1 + seed.pick("powers.count", 2) as usize;
    let rows = PRINCIPALS
        .iter()
        .take(count)
        .enumerate()
        .map(|(i, (name, inn, ogrn))| {
            let until = seed.day_in(&format!("powers.{i}.until"), today.year() + 1);
            vec![
                format!("{name}, ИНН {inn}, ОГРН {ogrn}"),
                POWERS[seed.pick(&format!("powers.{i}.what"), 3) as usize].to_string(),
                format!("до {}", date(until)),
            ]
        })
        .collect();
    sheet.heading("Действующие доверенности").table(
        &[
            ("Доверитель", 2.4, false),
            ("Полномочия", 2.6, false),
            ("Срок", 1.0, false),
        ],
        rows,
    )
}
