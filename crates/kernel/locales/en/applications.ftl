## Applications: states, actions and who took them

state-draft = Draft
state-accepted = Accepted
state-checking = Being checked
state-awaiting_payment = Awaiting the state fee
state-routed = Sent to the agency
state-in_review = Under review
state-needs_info = Information needed
state-approved = Approved
state-refused = Refused
state-completed = Completed
state-withdrawn = Withdrawn
action-submit = submit the application
action-begin_check = start the check
action-request_payment = ask for the state fee
action-route = send to the agency
action-take = take it
action-assign = assign an officer
action-request_info = request information
action-provide_info = provide information
action-approve = approve
action-refuse = refuse
action-complete = complete
action-withdraw = withdraw the application
action-escalate = escalate the overdue application
actor-applicant = Applicant
actor-officer = Agency officer
actor-system = System

## Applications: refusals and their titles

rule-transition-not-allowed = Cannot { $action }: the application is “{ $state }”
rule-transition-not-yours = Cannot { $action } while “{ $state }”: it is another party's action
rule-comment-required = To { $action }, write a comment
rule-not-assignee = To { $action }, take the application first: it is assigned to another officer or to nobody
rule-changed-meanwhile = The application has just changed: reload and try again
rule-level-too-low = This service needs an account of level “{ $level }”: confirm your identity in the profile
rule-idempotency-key-reused = This idempotency key was already used for another request
rule-idempotency-key-required = The Idempotency-Key header is required: it prevents double submissions
rule-idempotency-key-format = An idempotency key is 1 to 128 visible ASCII characters
rule-service-unknown = no such service in the catalogue
rule-file-empty = the file is empty
rule-file-too-large = the file is larger than 5 MB
rule-file-type = only PDF, JPG and PNG are accepted
rule-action-unknown = unknown action
rule-assignee-not-in-department = this officer does not work in the application's department
rule-state-unknown = unknown state
rule-cursor-unknown = none of your applications has this id to continue the list after (after is the id of the previous page's last application)
rule-cursor-own-list-only = after works in your own list only; page a queue with offset
label-next-page = Next applications
rule-app-number-format = an application number looks like 2026-000123-7
rule-app-number-checksum = the number has a typo: the check digit does not match
problem-transition-not-allowed = The action is not possible in the application's present state
problem-transition-not-yours = The action is another party's
problem-comment-required = A comment is required
problem-not-assignee = The application is not assigned to you
problem-changed-meanwhile = The application has changed
problem-level-too-low = Account level too low
problem-idempotency-key-reused = Idempotency key already used
problem-idempotency-key-required = Idempotency key missing
problem-idempotency-key-format = Invalid idempotency key
field-service = Service
field-answers = Form answers
field-action = Action
field-comment = Comment
field-assignee = Assignee
field-file = File
field-number = Application number
field-state = State

## Notifications

notice-status_change = Application { $number }: { $state }
notice-action_required = Application { $number }: information needed — { $comment }
notice-deadline_overdue = Application { $number } is past its deadline
notice-info_provided = The applicant answered the request on application { $number }
rule-kind-unknown = unknown kind of notice
rule-channel-required = notices in the cabinet cannot be turned off
rule-signature-too-large = the signature file is larger than allowed
rule-file-pdf-bomb = the PDF unpacks to too much data: save the document again the usual way
rule-file-image-too-large = the picture is larger than 50 megapixels: make it smaller
