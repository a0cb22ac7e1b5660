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

## Documents: notices

notice-document_issued = Document ready: { $title } No. { $number }
notice-document_revoked = Document { $title } No. { $number } was revoked: { $comment }
kind-notice-document_issued = Document ready
kind-notice-document_revoked = Document revoked

## Documents: pages

nav-documents = Documents
page-documents = My documents
page-document-order = Order certificates
page-verify = Check a document
field-delivery_address = Delivery address
button-order-documents = Order certificates
button-order = Order
button-download-pdf = Download PDF
button-download-sig = Signature (.sig)
button-send-email = Send by email
button-order-postal = Order delivery by post
button-check = Check
link-verify-document = Check a document
link-fill-profile = Fill in the profile
label-document-filters = Filter documents
label-document-kind-filter = Kind of document
label-all-documents = All documents
label-document-status = Status
label-any-status = Any status
label-standing = In force
label-standing-document = In force
label-doc-number = Document number
label-document-title = Document
label-issuer = Issued by
label-issued-to = Issued to
label-issued-at = Issued on
label-revoked-at = Revoked on { $at } (Moscow time): { $reason }
label-streebog = GOST R 34.11-2012 (Streebog)
label-verify-address = Check address
label-postal-delivery = Delivery by post
label-choose-documents = Which certificates you need
label-check-file = Check a file
label-check-digest = Check by digest
label-digest-algorithm = Algorithm
label-digest = Digest (64 hexadecimal characters)
hint-document-order = Certificates are made from the agencies' records within seconds and appear in «My documents». Each is signed by the issuing agency and carries a QR code to check it.
hint-confirmed-only = confirmed accounts only
hint-postal-delivery = Russian Post delivers a paper copy. Check the address: your profile's by default.
hint-check-this-file = Upload the file you were given: the page compares it byte for byte with the document as issued.
hint-check-any-file = Upload the PDF of a document issued through СЭП, or type its digest.
notice-no-documents = No documents yet.
notice-documents-ordered = { $count ->
    [one] { $count } certificate ordered. It appears here within seconds.
   *[other] { $count } certificates ordered. They appear here within seconds.
}
notice-document-emailed = The document was sent to { $to }.
notice-postal-ordered = Delivery by post ordered.
document-state-pending = Being issued
document-state-issued = Ready
document-state-revoked = Revoked
postal-state-requested = Delivery by post ordered
postal-state-sent = Sent by post
postal-state-delivered = Delivered
postal-state-cancelled = Delivery cancelled
verdict-authentic = Authentic: the file is exactly the one issued, the signature is valid and the document stands.
verdict-altered = Altered: the file does not match the document as issued. Do not accept it.
verdict-revoked = Revoked by the issuing agency: the document is no longer in force.
verdict-unknown = No such document was issued through СЭП.
document-kind-income = Income certificate (2-NDFL)
document-kind-pension = Social Fund personal account statement
document-kind-tax-status = Taxpayer status certificate
document-kind-registration = Registration certificate
document-kind-medical-insurance = Medical insurance (OMS) extract
document-kind-debts = Enforcement debts certificate
document-kind-no-criminal-record = No criminal record certificate
document-kind-representative-powers = Representative's powers extract
document-kind-subsidies = Social support certificate
document-kind-decision = Decisions on applications
notice-document_postal = { $title } No. { $number }: { $postal }
kind-notice-document_postal = Delivery of a document by post
rule-postal-state-unknown = the state is sent, delivered or cancelled
rule-postal-move-not-allowed = A delivery cannot go from “{ $from }” to “{ $to }”
problem-postal-move-not-allowed = Delivery step not allowed
label-my-uploads = Files I uploaded
