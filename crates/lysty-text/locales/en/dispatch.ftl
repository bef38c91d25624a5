# The dispatcher's pages, English: batches, outcomes, held letters, the letter bank,
# replies, facilities and placements.

dispatch-nav-delivery = Delivery
dispatch-nav-held = Held letters
dispatch-nav-bank = Letter bank
dispatch-nav-replies = Replies
dispatch-nav-facilities = Facilities

## Shared words

dispatch-choose = Choose…
dispatch-facility = Facility
dispatch-channel = Channel
dispatch-channels = Channels
dispatch-channel-post = Post
dispatch-channel-electronic = Electronic letter service
dispatch-channel-handover = Handed over by a lawyer or relatives
dispatch-prisoner = To
dispatch-prisoners = People
dispatch-reference = Letter reference
dispatch-received = Received
dispatch-language = Language
dispatch-letters = Letters
dispatch-state = State
dispatch-created = Built
dispatch-sent = Sent
dispatch-not-sent = Not sent yet
dispatch-print = Printing
dispatch-download-pdf = Download PDF
dispatch-view-scan = View scan
dispatch-scan-hint = JPEG, PNG, WebP or PDF, up to 10 MB.
dispatch-back-to-desk = Back to delivery
dispatch-since-hint = Leave empty for today.
dispatch-line = Line { $line }

## The desk

dispatch-desk-title = Letter delivery
dispatch-unplaced = { $count ->
    [one] { $count } approved letter is waiting because no facility is recorded for its recipient. Record where they are held so that it can go.
   *[other] { $count } approved letters are waiting because no facility is recorded for their recipients. Record where they are held so that the letters can go.
}
dispatch-held-count = Held letters: { $count }
dispatch-new-batch = New batch
dispatch-new-batch-lead = Choose a facility and a channel, look at the letters that will go, then build the batch.
dispatch-prisoner-optional = Only for one person (optional)
dispatch-all-prisoners = Everyone at this facility
dispatch-preview = Show the letters
dispatch-preview-title = Letters for the batch
dispatch-preview-count = { $count ->
    [one] { $count } letter will go into the batch.
   *[other] { $count } letters will go into the batch.
}
dispatch-preview-cap = { $count ->
    [one] At most { $count } letter per person in seven days; the rest go in later batches.
   *[other] At most { $count } letters per person in seven days; the rest go in later batches.
}
dispatch-excerpt = Beginning of the text
dispatch-build = Build the batch
dispatch-no-facilities = The facility registry is empty: add a facility to build batches.
dispatch-recent-batches = Recent batches
dispatch-batches-empty = No batches yet.
dispatch-outcomes-title = Delivery outcomes from a file
dispatch-outcomes-lead = A CSV file with the columns reference (the letter reference), outcome (delivered, withheld, returned or undeliverable) and note. If any row has a mistake, no row is recorded.
dispatch-outcomes-file = CSV file
dispatch-outcomes-upload = Upload outcomes
dispatch-outcomes-no-file = Choose a CSV file of outcomes.
dispatch-outcomes-imported = { $count ->
    [one] The outcome of { $count } letter was recorded.
   *[other] The outcomes of { $count } letters were recorded.
}

## A batch

dispatch-batch-title = Batch of letters
dispatch-sent-on = Sent on { $date }
dispatch-sent-reference-short = dispatch reference
dispatch-download-pdf-kit = PDF with a reply kit
dispatch-reply-kit-hint = The reply kit is an extra page for each person explaining how and where they can reply.
dispatch-copy-text = Text to paste into the electronic service
dispatch-copy-text-hint = Each letter is split into the messages the facility's service accepts.
dispatch-batch-letters = Letters in the batch
dispatch-evidence = Evidence
dispatch-mark-sent = Mark as sent
dispatch-mark-sent-lead = Once the batch has gone by post, through the electronic service or by hand, mark it: its letters become "Sent", and their writers see this on the letter's page.
dispatch-sent-date = Date sent
dispatch-sent-reference = Dispatch reference (tracking number, receipt), if any
dispatch-mark-sent-button = Mark as sent
dispatch-record-outcomes = What became of the letters
dispatch-record-outcomes-lead = Record the outcome when you learn it: from a reply, a notice from the service or a letter returned by post.
dispatch-outcome = Outcome
dispatch-outcome-delivered = Delivered
dispatch-outcome-withheld = Withheld by the censor or the facility
dispatch-outcome-returned = Returned by the post
dispatch-outcome-undeliverable = Cannot be delivered (to the letter bank)
dispatch-outcome-note = Note
dispatch-outcome-scan = Scan or photo as evidence (optional)
dispatch-record-outcome = Record the outcome
dispatch-notice-sent = The batch is marked as sent.
dispatch-notice-outcome = The outcome was recorded.

## Held letters and the bank

dispatch-held-title = Held letters
dispatch-held-lead = These letters have not gone because the person was transferred, released or exchanged, or has died. Send a letter on to the person's current facility, or put it in the letter bank to hand over later.
dispatch-held-empty = No letters are held.
dispatch-reason = Reason
dispatch-held-since = Held since
dispatch-hold-transferred = The person was transferred to another facility
dispatch-hold-released = The person was released
dispatch-hold-exchanged = The person was released in an exchange
dispatch-hold-deceased = The person has died
dispatch-placements-link = Where they are held
dispatch-reroute = Send to the current facility
dispatch-bank-note = Note for the bank (optional)
dispatch-bank = Put in the letter bank
dispatch-notice-rerouted = The letter will go with the next batch to the person's current facility.
dispatch-notice-banked = The letter is in the letter bank.
dispatch-bank-title = Letter bank
dispatch-bank-lead = Letters that cannot be handed over now. They can be printed and handed over when there is a way.
dispatch-bank-empty = The letter bank is empty.

## Facilities

dispatch-facilities-title = Facility registry
dispatch-facilities-empty = No facilities yet.
dispatch-region = Region
dispatch-address = Address
dispatch-address-present = Recorded
dispatch-no-address = No address: post is impossible
dispatch-new-facility = Add a facility
dispatch-edit-facility = Edit the facility
dispatch-all-facilities = All facilities
dispatch-facility-name-ru = Name in Russian
dispatch-facility-name-ru-hint = As it is written on an envelope, for example "ФКУ ИК-21 УФСИН России по Архангельской области".
dispatch-facility-name-en = Name in English
dispatch-slug = Short identifier
dispatch-slug-hint = Lowercase Latin letters, digits and hyphens. Leave empty to make one from the name.
dispatch-slug-fixed = A facility's identifier does not change.
dispatch-address-ru = Postal address in Russian
dispatch-address-hint = Postcode, region, town, street — each on its own line. Do not repeat the facility's name.
dispatch-rules = The facility's rules
dispatch-censor-language = The censor's language
dispatch-censor-language-hint = The code of the language the censor reads letters in, for example ru.
dispatch-max-letter-chars = Longest letter, in characters (optional)
dispatch-number-hint = A whole number from 100 to 1,000,000. Leave empty when there is no limit.
dispatch-needs-birth-year = The envelope must show the year of birth
dispatch-needs-number = The envelope must show the prisoner's number
dispatch-electronic-max-chars = Longest message of the electronic service, in characters (optional)
dispatch-electronic-parts = The electronic service takes a long letter as several messages
dispatch-prints-original = Print a translated letter's original beside the Russian text
dispatch-prints-original-hint = Only if this facility's censor is known to pass letters in other languages; otherwise the whole letter may be stopped.
dispatch-facility-notes = Notes for dispatchers
dispatch-people-title = People and where they are held
dispatch-people-lead = Open a person's page to record where they are held or to change their status.
dispatch-save-facility = Save the facility
dispatch-notice-facility-saved = The facility was saved.

## Placements and status

dispatch-name-ru = Name in Russian
dispatch-status = Status
dispatch-current-facility = Facility now
dispatch-no-facility = No facility recorded
dispatch-history = Transfer history
dispatch-history-empty = No transfers recorded.
dispatch-since = From
dispatch-placement-note = Note
dispatch-record-placement = Record where they are held
dispatch-placement-lead = If the person was transferred, letters that have not gone yet are held so that you can decide where to send them.
dispatch-set-status = Change the status
dispatch-status-lead = Release, exchange or death holds the letters that have not gone yet.
dispatch-save-status = Save the status
dispatch-notice-held = { $count ->
    [0] Saved. No letter was held.
    [one] Saved. { $count } letter was held.
   *[other] Saved. { $count } letters were held.
}

## Replies

dispatch-replies-title = Replies from prison
dispatch-record-reply = Record a reply
dispatch-reply-lead = When a letter arrives from a person in prison, record it here. The writers of letters delivered to them before, who left an email address, will be told.
dispatch-reply-from = From
dispatch-reply-received = Date received
dispatch-reply-transcription = Text of the reply
dispatch-reply-transcription-hint = Type out the text, or leave it empty if you add a scan.
dispatch-reply-scan = Scan of the letter (optional)
dispatch-reply-consent = The person agreed to publish the reply on their page
dispatch-reply-recorded = { $count ->
    [0] The reply was recorded. No one will be emailed: none of the writers left an address.
    [one] The reply was recorded. { $count } writer will be told by email.
   *[other] The reply was recorded. { $count } writers will be told by email.
}
dispatch-replies-list = Recorded replies
dispatch-replies-of = Replies from
dispatch-show = Show
dispatch-replies-empty = No replies from this person yet.
dispatch-published = Published
dispatch-not-published = Not published
dispatch-linked = { $count ->
    [one] linked to { $count } letter
   *[other] linked to { $count } letters
}
dispatch-choose-prisoner = Choose the person the reply came from.

## Errors

dispatch-upload-malformed = The form sent could not be read. Please try again.
dispatch-upload-too-large = The file is too large. A scan can be up to 10 MB, an outcomes file up to 2 MB.
dispatch-invalid-name-ru = Enter the name in Russian (up to 200 characters).
dispatch-invalid-name-en = The English name can be up to 200 characters.
dispatch-invalid-slug = The identifier takes only lowercase Latin letters, digits and hyphens, up to 80 characters.
dispatch-invalid-channels = Choose at least one channel.
dispatch-invalid-language = The language code is a few lowercase Latin letters, for example ru.
dispatch-invalid-address-ru = The address can be up to 500 characters, without control characters.
dispatch-invalid-region = The region can be up to 200 characters.
dispatch-invalid-number = Enter a whole number from 100 to 1,000,000, or leave the field empty.
dispatch-invalid-notes = Notes can be up to 2,000 characters.
dispatch-invalid-facility = Choose a facility from the registry.
dispatch-invalid-channel = Choose a channel.
dispatch-invalid-prisoner = This person is not at the chosen facility now.
dispatch-invalid-since = Enter the date as YYYY-MM-DD.
dispatch-invalid-date = Enter the date sent as YYYY-MM-DD, no later than tomorrow.
dispatch-invalid-reference = The dispatch reference can be up to 200 characters.
dispatch-invalid-note = The note is too long or holds control characters.
dispatch-invalid-status = Choose a status from the list.
dispatch-invalid-outcome = Choose an outcome from the list.
dispatch-invalid-scan = A scan must be a JPEG, PNG or WebP image or a PDF file, up to 10 MB.
dispatch-invalid-received = Enter the date received as YYYY-MM-DD.
dispatch-invalid-transcription = Add the text of the reply (up to 20,000 characters) or a scan.
dispatch-emails-undeliverable = { $count ->
    [one] { $count } email to a writer could not be delivered: their mail server refused it for good (for example, no such address). It is not tried again.
   *[other] { $count } emails to writers could not be delivered: their mail servers refused them for good (for example, no such address). They are not tried again.
}
