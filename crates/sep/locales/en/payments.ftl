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
