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
rule-payer-required = укажите ИНН или СНИЛС плательщика
rule-uin-taken = начисление с таким УИН уже есть
rule-charge-not-unpaid = Начисление нельзя отменить: оно «{ $status }»
problem-charge-not-unpaid = Начисление уже не ожидает оплаты
charge-status-paid = оплачено
charge-status-cancelled = отменено
charge-status-unpaid = не оплачено
field-payer_inn = ИНН плательщика
field-payer_snils = СНИЛС плательщика
field-reason = Причина

## Payments: paying

field-charges = Начисления
field-top_up_kopecks = Сумма пополнения, коп.
field-method = Способ оплаты
field-card-number = Номер карты
field-card-expiry = Срок действия карты
field-card-cvc = CVC/CVV
field-card_id = Привязанная карта
rule-card-number-format = номер карты — от 13 до 19 цифр
rule-card-number-checksum = номер карты набран с ошибкой: не сходится контрольная цифра
rule-card-expiry-format = срок действия — ММ/ГГ, например 12/28
rule-card-expired = срок действия карты истёк
rule-cvc-format = CVC/CVV — 3 цифры с оборотной стороны карты
rule-payment-purpose-required = выберите начисления для оплаты или укажите сумму пополнения
rule-payment-purpose-both = либо начисления, либо пополнение счёта — не вместе
rule-uin-repeated = этот УИН уже есть в списке
rule-top-up-from-balance = лицевой счёт нельзя пополнить с него же
rule-charge-unknown = начисление с таким УИН не найдено
rule-charge-already-paid = начисление уже оплачено
rule-charge-being-paid = начисление уже оплачивается другим платежом
rule-charge-cancelled = начисление отменено ведомством
rule-card-unknown = такой карты нет среди привязанных
rule-card-refused-by-bank = банк не принял карту
rule-payment-code-format = код подтверждения — 6 цифр из SMS
rule-balance-insufficient = На лицевом счёте недостаточно средств: { $balance }
problem-balance-insufficient = Недостаточно средств
rule-payment-not-awaiting-code = Платёж не ждёт кода подтверждения: он «{ $state }»
problem-payment-not-awaiting-code = Платёж не ждёт кода
rule-payment-too-late-to-cancel = Платёж уже нельзя отменить: он «{ $state }»
problem-payment-too-late-to-cancel = Платёж нельзя отменить
rule-signature-invalid = подпись уведомления не сходится
problem-signature-invalid = Неверная подпись
rule-callback-malformed = уведомление эквайера не разобрано
problem-callback-malformed = Неверное уведомление
payment-state-pending = Создан
payment-state-requires_confirmation = Ждёт кода подтверждения
payment-state-processing = В обработке
payment-state-succeeded = Оплачено
payment-state-failed = Ошибка оплаты
payment-state-cancelled = Отменён
charge-status-processing = в обработке

## Payments: notices

notice-payment_succeeded = Оплачено { $amount }, операция { $operation }
notice-payment_failed = Платёж на { $amount } не прошёл
notice-balance_changed = { $direction ->
    [out] Списано с лицевого счёта { $delta }
   *[in] Зачислено на лицевой счёт { $delta }
}
kind-notice-payment_succeeded = Оплата прошла
kind-notice-payment_failed = Оплата не прошла
kind-notice-balance_changed = Изменение баланса лицевого счёта
rule-refund-exceeds-top-up = вернуть можно не больше, чем пришло одним пополнением с карты
rule-period-reversed = начало периода позже его конца
field-from = С
field-to = По

## Payments: receipts and statements

rule-receipt-not-ready = Квитанция будет готова, когда платёж пройдёт; сейчас он «{ $state }»
problem-receipt-not-ready = Квитанции ещё нет
