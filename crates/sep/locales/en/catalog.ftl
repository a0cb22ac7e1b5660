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
