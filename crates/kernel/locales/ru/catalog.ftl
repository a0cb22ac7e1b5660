## Forms defined as data: what a wrong answer broke

rule-required-checked = нужно отметить
rule-field-unknown = такого поля нет в форме
rule-value-type = неверный тип значения
rule-text-chars = содержит недопустимые символы
rule-text-too-short = слишком короткий текст
rule-text-too-long = слишком длинный текст
rule-text-pattern = не соответствует формату
rule-number-format = укажите число
rule-number-integer = укажите целое число
rule-number-too-small = число меньше допустимого
rule-number-too-large = число больше допустимого
rule-date-too-early = дата раньше допустимой
rule-date-too-late = дата позже допустимой
rule-select-unknown = выберите один из вариантов
rule-file-reference = укажите загруженный файл
rule-file-unknown = файл не найден среди ваших загрузок
rule-inn-not-person = это ИНН организации, а нужен ИНН физического лица
rule-inn-not-organisation = это ИНН физического лица, а нужен ИНН организации
rule-address-format = укажите индекс, код региона и адрес
rule-group-format = неверный формат списка
rule-group-too-few = добавьте хотя бы одну запись
rule-group-too-many = слишком много записей

## Form definitions: what an administrator's form broke

rule-form-empty = в форме нет ни одного поля
rule-form-too-many-fields = в форме больше 200 полей
rule-form-name-format = имя поля — латинские строчные буквы, цифры и _, с буквы
rule-form-name-duplicate = поле с таким именем уже есть
rule-form-label-empty = нужна подпись на русском
rule-form-condition-field = условие ссылается на поле, которого нет выше
rule-form-prefill-in-group = подстановка из профиля возможна только вне списка
rule-form-pattern = шаблон не является регулярным выражением
rule-form-range = минимум больше максимума
rule-form-select-empty = у списка нет вариантов
rule-form-select-value = значения вариантов должны быть непустыми и разными
rule-form-group-nested = список внутри списка не поддерживается

## The catalogue's administration: fields and rules

field-category = Категория
field-agency = Ведомство
field-title = Название
field-title-ru = Название на русском
field-name = Наименование
field-name-ru = Наименование на русском
field-summary = Описание
field-keywords = Ключевые слова
field-fee_kopecks = Госпошлина, коп.
field-deadline_days = Срок, рабочих дней
field-level = Уровень учётной записи
field-kind = Вид обращения
field-routes = Маршрутизация
field-routes-department = Подразделение
field-routes-region_code = Регион маршрута
field-user_id = Пользователь
field-q = Поисковый запрос
rule-code-format = код — латинские строчные буквы, цифры и дефис, от 2 до 64 символов
rule-fee-range = от 0 до 10 000 000 рублей в копейках
rule-fee-needs-payee = у ведомства не указаны реквизиты для госпошлины: услуга с пошлиной невозможна
rule-deadline-range = от 1 до 365 рабочих дней
rule-route-duplicate = для этого региона правило уже есть
rule-route-default-missing = нужно правило для всех остальных регионов (без кода региона)
rule-agency-unknown = такого ведомства нет
rule-category-unknown = такой категории нет
rule-department-unknown = такого подразделения нет
rule-department-other-agency = подразделение другого ведомства
rule-service-exists = услуга с таким кодом уже есть
rule-agency-exists = ведомство с таким кодом уже есть
rule-department-exists = подразделение с таким кодом уже есть
rule-user-unknown = такого пользователя нет
rule-user-not-officer = у пользователя нет роли сотрудника ведомства
rule-user-not-staff = у пользователя нет роли сотрудника или интегратора
rule-user-other-agency = сотрудник закреплён за другим ведомством
rule-officer-in-other-agency = сотрудник работает в подразделениях другого ведомства: сначала выведите его оттуда
