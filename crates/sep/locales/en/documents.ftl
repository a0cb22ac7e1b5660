## Documents: orders, «My documents», the public check

field-kinds = Certificates
field-passport = Passport
field-recipient = Recipient
field-sha256 = SHA-256 digest
field-streebog256 = GOST R 34.11-2012 digest
rule-document-kind-unknown = there is no such certificate in the list
rule-document-kind-repeated = the certificate is listed twice
rule-needed-for-document = needed for the certificate you ordered: fill it in your profile
rule-level-too-low-document = This certificate needs a “{ $level }” account: confirm your identity in your profile
problem-level-too-low-document = Account level too low
rule-document-not-ready = Document No. { $number } is still being issued: look again in a few seconds
problem-document-not-ready = The document is not ready yet
rule-document-revoked = Document No. { $number } was revoked: it cannot be sent by post
problem-document-revoked = The document was revoked
rule-document-already-revoked = Document No. { $number } is already revoked
problem-document-already-revoked = Already revoked
rule-postal-already-ordered = delivery of this document by post is already ordered
rule-recipient-format = the recipient's name: up to 200 characters, no control characters
rule-revoke-reason-short = give a reason of at least 5 characters
rule-revoke-reason-long = the reason is at most 500 characters
rule-digest-format = a digest is 64 hexadecimal characters
rule-checked-file-too-large = the file is larger than 10 MB
