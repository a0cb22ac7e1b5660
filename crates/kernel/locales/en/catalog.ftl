## Forms defined as data: what a wrong answer broke

rule-required-checked = must be ticked
rule-field-unknown = the form has no such field
rule-value-type = wrong kind of value
rule-text-chars = contains characters that are not allowed
rule-text-too-short = the text is too short
rule-text-too-long = the text is too long
rule-text-pattern = does not match the required format
rule-number-format = enter a number
rule-number-integer = enter a whole number
rule-number-too-small = the number is below the minimum
rule-number-too-large = the number is above the maximum
rule-date-too-early = the date is earlier than allowed
rule-date-too-late = the date is later than allowed
rule-select-unknown = choose one of the options
rule-file-reference = give an uploaded file
rule-file-unknown = no such file among your uploads
rule-inn-not-person = this is an organisation's INN; a person's is needed
rule-inn-not-organisation = this is a person's INN; an organisation's is needed
rule-address-format = give the postcode, region code and address
rule-group-format = wrong list format
rule-group-too-few = add at least one entry
rule-group-too-many = too many entries

## Form definitions: what an administrator's form broke

rule-form-empty = the form has no fields
rule-form-too-many-fields = the form has more than 200 fields
rule-form-name-format = a field name is lower-case Latin letters, digits and _, starting with a letter
rule-form-name-duplicate = a field with this name already exists
rule-form-label-empty = a Russian label is required
rule-form-condition-field = the condition names no field above it
rule-form-prefill-in-group = prefill from the profile works only outside a list
rule-form-pattern = the pattern is not a regular expression
rule-form-range = the minimum is above the maximum
rule-form-select-empty = the list has no options
rule-form-select-value = option values must be non-empty and distinct
rule-form-group-nested = a list inside a list is not supported

## The catalogue's administration: fields and rules

field-category = Category
field-agency = Agency
field-title = Title
field-title-ru = Title in Russian
field-name = Name
field-name-ru = Name in Russian
field-summary = Description
field-keywords = Keywords
field-fee_kopecks = State fee, kopecks
field-deadline_days = Deadline, working days
field-level = Account level
field-kind = Kind of application
field-routes = Routing
field-routes-department = Department
field-routes-region_code = Region of the route
field-user_id = User
field-q = Search query
rule-code-format = a code is lower-case Latin letters, digits and hyphens, 2 to 64 characters
rule-fee-range = from 0 to 10,000,000 roubles, in kopecks
rule-fee-needs-payee = the agency has no payee for state fees: a service with a fee cannot be paid
rule-deadline-range = from 1 to 365 working days
rule-route-duplicate = this region already has a rule
rule-route-default-missing = a rule for every other region (without a region code) is required
rule-agency-unknown = no such agency
rule-category-unknown = no such category
rule-department-unknown = no such department
rule-department-other-agency = the department belongs to another agency
rule-service-exists = a service with this code already exists
rule-agency-exists = an agency with this code already exists
rule-department-exists = a department with this code already exists
rule-user-unknown = no such user
rule-user-not-officer = the user does not hold the officer role
rule-user-not-staff = the user holds neither the officer nor the integrator role
rule-user-other-agency = the officer acts for another agency
rule-officer-in-other-agency = the officer works in another agency's departments: take them out of those first
