## Documents: orders, «Мои документы», the public check

field-kinds = Справки
field-passport = Паспорт
field-recipient = Получатель
field-sha256 = Хеш SHA-256
field-streebog256 = Хеш ГОСТ Р 34.11-2012
rule-document-kind-unknown = такой справки нет в перечне
rule-document-kind-repeated = справка указана дважды
rule-needed-for-document = нужно для заказанной справки: заполните в профиле
rule-level-too-low-document = Для этой справки нужна учётная запись уровня «{ $level }»: подтвердите личность в профиле
problem-level-too-low-document = Недостаточный уровень учётной записи
rule-document-not-ready = Документ № { $number } ещё формируется: загляните через несколько секунд
problem-document-not-ready = Документ ещё не готов
rule-document-revoked = Документ № { $number } отозван: его нельзя отправить почтой
problem-document-revoked = Документ отозван
rule-document-already-revoked = Документ № { $number } уже отозван
problem-document-already-revoked = Документ уже отозван
rule-postal-already-ordered = доставка этого документа почтой уже заказана
rule-recipient-format = имя получателя — до 200 знаков, без служебных символов
rule-revoke-reason-short = укажите причину, хотя бы 5 знаков
rule-revoke-reason-long = причина — не длиннее 500 знаков
rule-digest-format = хеш — 64 шестнадцатеричных знака
rule-checked-file-too-large = файл больше 10 МБ
