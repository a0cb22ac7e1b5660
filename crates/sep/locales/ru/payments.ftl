## Payments: identifiers and requisites

rule-uin-digits = УИН состоит только из цифр
rule-uin-length = УИН содержит 20 или 25 цифр
rule-uin-checksum = контрольный разряд УИН не сходится
rule-bik-format = БИК — 9 цифр
rule-kpp-format = КПП — 9 знаков: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры
rule-account-format = номер счёта — 20 цифр
rule-account-key = контрольный ключ счёта не сходится с БИК
field-uin = УИН
field-bik = БИК
field-kpp = КПП
field-account = Расчётный счёт
rule-amount-format = сумма в рублях, например 1 500 или 1500,50
rule-amount-not-positive = сумма должна быть больше нуля
rule-amount-too-large = сумма слишком велика
field-amount = Сумма
rule-discount-range = скидка — от 1 до 99 %
field-purpose = Назначение платежа
field-payee_name = Получатель
field-payee_inn = ИНН получателя
field-payee_kpp = КПП получателя
field-payee_bik = БИК банка получателя
field-payee_account = Счёт получателя
field-amount_kopecks = Сумма, коп.
field-discount_percent = Скидка, %
field-discount_until = Скидка действует до
