## Payments: identifiers and requisites

rule-uin-digits = a UIN is digits only
rule-uin-length = a UIN has 20 or 25 digits
rule-uin-checksum = the UIN's control digit does not match
rule-bik-format = a BIC is 9 digits
rule-kpp-format = a KPP is 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits
rule-account-format = an account number is 20 digits
rule-account-key = the account's control key does not match the BIC
field-uin = UIN
field-bik = BIC
field-kpp = KPP
field-account = Account
rule-amount-format = an amount in roubles, for example 1 500 or 1500.50
rule-amount-not-positive = the amount must be above zero
rule-amount-too-large = the amount is too large
field-amount = Amount
rule-discount-range = a discount is 1 to 99 %
field-purpose = Purpose of payment
field-payee_name = Payee
field-payee_inn = Payee's INN
field-payee_kpp = Payee's KPP
field-payee_bik = Payee bank's BIC
field-payee_account = Payee's account
field-amount_kopecks = Amount, kopecks
field-discount_percent = Discount, %
field-discount_until = Discount valid until
rule-payer-required = give the payer's INN or SNILS
rule-uin-taken = a charge with this UIN already exists
rule-charge-not-unpaid = The charge cannot be cancelled: it is “{ $status }”
problem-charge-not-unpaid = The charge is no longer awaiting payment
charge-status-paid = paid
charge-status-cancelled = cancelled
charge-status-unpaid = unpaid
field-payer_inn = Payer's INN
field-payer_snils = Payer's SNILS
field-reason = Reason

## Payments: paying

field-charges = Charges
field-top_up_kopecks = Top-up amount, kopecks
field-method = Payment method
field-card-number = Card number
field-card-expiry = Card expiry
field-card-cvc = CVC/CVV
field-card_id = Linked card
rule-card-number-format = a card number has 13 to 19 digits
rule-card-number-checksum = the card number has a typo: its check digit does not match
rule-card-expiry-format = expiry is MM/YY, for example 12/28
rule-card-expired = the card has expired
rule-cvc-format = CVC/CVV is the 3 digits on the back of the card
rule-payment-purpose-required = choose charges to pay or give a top-up amount
rule-payment-purpose-both = either charges or a top-up, not both
rule-uin-repeated = this UIN is already in the list
rule-top-up-from-balance = the personal account cannot be topped up from itself
rule-charge-unknown = no charge with this UIN
rule-charge-already-paid = the charge is already paid
rule-charge-being-paid = the charge is being paid by another payment
rule-charge-cancelled = the charge was cancelled by the agency
rule-card-unknown = no such linked card
rule-card-refused-by-bank = the bank did not accept the card
rule-payment-code-format = the confirmation code is the 6 digits from the SMS
rule-balance-insufficient = Not enough money on the personal account: { $balance }
problem-balance-insufficient = Insufficient funds
rule-payment-not-awaiting-code = The payment is not waiting for a code: it is “{ $state }”
problem-payment-not-awaiting-code = Payment is not waiting for a code
rule-payment-too-late-to-cancel = The payment can no longer be cancelled: it is “{ $state }”
problem-payment-too-late-to-cancel = Payment cannot be cancelled
rule-signature-invalid = the notification's signature does not match
problem-signature-invalid = Invalid signature
rule-callback-malformed = the acquirer's notification could not be read
problem-callback-malformed = Malformed notification
payment-state-pending = Created
payment-state-requires_confirmation = Waiting for the confirmation code
payment-state-processing = Processing
payment-state-succeeded = Paid
payment-state-failed = Payment failed
payment-state-cancelled = Cancelled
charge-status-processing = being paid

## Payments: notices

notice-payment_succeeded = Paid { $amount }, operation { $operation }
notice-payment_failed = The payment of { $amount } did not go through
notice-balance_changed = { $direction ->
    [out] Debited from the personal account: { $delta }
   *[in] Credited to the personal account: { $delta }
}
kind-notice-payment_succeeded = Payment went through
kind-notice-payment_failed = Payment failed
kind-notice-balance_changed = Personal account balance changed
rule-refund-exceeds-top-up = a refund can be at most what one card top-up brought in
rule-period-reversed = the period starts after it ends
field-from = From
field-to = To

## Payments: receipts and statements

rule-receipt-not-ready = The receipt is ready once the payment succeeds; it is “{ $state }” now
problem-receipt-not-ready = No receipt yet
