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

## Documents: notices

notice-document_issued = Документ готов: { $title } № { $number }
notice-document_revoked = Документ { $title } № { $number } отозван: { $comment }
kind-notice-document_issued = Документ готов
kind-notice-document_revoked = Документ отозван

## Documents: pages

nav-documents = Документы
page-documents = Мои документы
page-document-order = Заказ справок
page-verify = Проверка подлинности документа
field-delivery_address = Адрес доставки
button-order-documents = Заказать справки
button-order = Заказать
button-download-pdf = Скачать PDF
button-download-sig = Подпись (.sig)
button-send-email = Отправить на почту
button-order-postal = Заказать доставку почтой
button-check = Проверить
link-verify-document = Проверить подлинность документа
link-fill-profile = Заполнить профиль
label-document-filters = Отбор документов
label-document-kind-filter = Вид документа
label-all-documents = Все документы
label-document-status = Состояние
label-any-status = В любом состоянии
label-standing = Действующие
label-standing-document = Действует
label-doc-number = Номер документа
label-document-title = Документ
label-issuer = Выдал
label-issued-to = Выдан
label-issued-at = Дата выдачи
label-revoked-at = Отозван { $at } (МСК): { $reason }
label-streebog = ГОСТ Р 34.11-2012 (Стрибог)
label-verify-address = Адрес проверки
label-postal-delivery = Доставка почтой
label-choose-documents = Какие справки нужны
label-check-file = Проверить файл
label-check-digest = Проверить по хешу
label-digest-algorithm = Алгоритм
label-digest = Хеш (64 шестнадцатеричных знака)
hint-document-order = Справки формируются по данным ведомств за несколько секунд и появляются в разделе «Мои документы». Каждая подписана электронной подписью выдавшего органа и содержит QR-код для проверки.
hint-confirmed-only = только для подтверждённой учётной записи
hint-postal-delivery = Бумажную копию доставит Почта России. Проверьте адрес: по умолчанию — адрес из профиля.
hint-check-this-file = Загрузите файл, который вам передали: страница сравнит его с выданным документом байт в байт.
hint-check-any-file = Загрузите PDF-файл документа, выданного через СЭП, или введите его хеш.
notice-no-documents = Документов пока нет.
notice-documents-ordered = { $count ->
    [one] Заказана { $count } справка. Она появится здесь через несколько секунд.
    [few] Заказано { $count } справки. Они появятся здесь через несколько секунд.
   *[other] Заказано { $count } справок. Они появятся здесь через несколько секунд.
}
notice-document-emailed = Документ отправлен на { $to }.
notice-postal-ordered = Доставка почтой заказана.
document-state-pending = Формируется
document-state-issued = Готов
document-state-revoked = Отозван
postal-state-requested = Доставка почтой заказана
postal-state-sent = Отправлен почтой
postal-state-delivered = Доставлен
postal-state-cancelled = Доставка отменена
verdict-authentic = Документ подлинный: файл в точности тот, что был выдан, подпись действительна, документ не отозван.
verdict-altered = Файл изменён: он не совпадает с выданным документом. Не принимайте его.
verdict-revoked = Документ отозван выдавшим его органом: он больше не действует.
verdict-unknown = Такой документ через СЭП не выдавался.
document-kind-income = Справка о доходах (2-НДФЛ)
document-kind-pension = Выписка из лицевого счёта в СФР
document-kind-tax-status = Справка о статусе налогоплательщика
document-kind-registration = Справка о регистрации
document-kind-medical-insurance = Полис ОМС (выписка)
document-kind-debts = Справка о задолженности (ФССП)
document-kind-no-criminal-record = Справка о несудимости
document-kind-representative-powers = Выписка о полномочиях представителя
document-kind-subsidies = Справка о мерах соцподдержки
document-kind-decision = Решения по заявлениям
notice-document_postal = { $title } № { $number }: { $postal }
kind-notice-document_postal = Доставка документа почтой
rule-postal-state-unknown = состояние — sent, delivered или cancelled
rule-postal-move-not-allowed = Нельзя перевести доставку из «{ $from }» в «{ $to }»
problem-postal-move-not-allowed = Недопустимый шаг доставки
label-my-uploads = Загруженные мной файлы
