# English.

language-name = English
site-name = Lysty
skip-to-content = Skip to content
nav-home = Home
nav-prisoners = Write to
nav-events = Events
nav-stats = Statistics
nav-track = My letter
nav-language = Language
demo-banner = This is demo data: the events are made up for illustration and no letters are sent anywhere.
footer-privacy = We store no IP addresses, load no third-party scripts, and never show your name without your consent.
footer-about = Lysty is open-source software for letter-writing campaigns to political prisoners.

## Home
home-title = Letters to Free Crimea
home-lead = A letter of support tells a person in a Russian prison that they are remembered. Write a few warm words — we translate them, get them past the censor, and let you know when the letter arrives.
home-cta = Write a letter
home-counter-letters = { $count ->
    [one] letter written
    *[other] letters written
}
home-counter-month = this month
home-counter-prisoners = { $count ->
    [one] person waiting for letters
    *[other] people waiting for letters
}
home-counter-cities = { $count ->
    [one] city
    *[other] cities
}
home-waiting-title = Waiting for letters
home-all-prisoners = Everyone you can write to
home-how-title = How it works
home-how-write = You write a letter in any language — about everyday life, books, the weather, your town.
home-how-review = Volunteers check it and translate it into Russian so that it passes the prison censor.
home-how-deliver = We deliver it to the prison, and your tracking code shows you what happens to it.

## Prisoners
prisoners-title = Write to
prisoners-lead = Choose the person you want to write to. Next to each name: how many letters have been written so far.
prisoners-empty = Nobody is listed yet.
prisoners-letters = { $count ->
    [one] { $count } letter
    *[other] { $count } letters
}
prisoners-next = Next
status-detained = Detained
status-convicted = Convicted
status-released = Released
status-exchanged = Released in an exchange
status-deceased = Deceased
status-unknown = Fate unknown
prisoner-photo-placeholder = No photo

## Profile and letter form
profile-story = Story
profile-facility = Held in
profile-letters = { $count ->
    [one] { $count } letter written so far
    *[other] { $count } letters written so far
}
profile-not-accepting = This person is free or cannot receive letters, so the form is closed.
guidance-title = What to write
guidance-do = Write about everyday life: books, films, the weather, nature, your town, what makes you glad. Ask questions — letters that can be answered mean the most.
guidance-avoid = Do not write about the war, politics, this person's case, other prisoners, or anything that could be read as a code. The censor will stop such a letter, and the person can be punished for it.
guidance-language = Write in any language. Letters to Russian prisons must be in Russian, so volunteers translate yours; the original is kept.
guidance-next = After you send it, moderators check the letter, translate it if needed and deliver it to the prison. Your tracking code shows each step.
guidance-privacy = Your name, city and email are optional. We encrypt your email and use it only for news about your letter, if you agree.
guidance-person = Advice for this person
form-title = Your letter
form-body = Letter
form-body-hint = Up to { $max } characters. Any language.
form-language = Language of the letter
form-language-und = Don't know / don't say
form-language-uk = Ukrainian
form-language-ru = Russian
form-language-crh = Crimean Tatar
form-language-en = English
form-language-other = Another language
form-optional = About you (optional)
form-writer-name = Name or pseudonym
form-writer-name-hint = The letter is signed with it. You may leave it empty.
form-writer-city = City
form-writer-country = Country
form-writer-email = Email
form-writer-email-hint = Only for news about your letter. We encrypt it and share it with no one.
form-email-consent = I agree to be emailed at this address about my letter and any reply to it.
form-submit = Send the letter
form-errors-title = The letter was not sent. Please fix:
form-keep-text = Your text is kept below — copy it so that it is not lost.
form-your-text = Your text

## Errors tied to fields
error-prisoner-empty = Choose whom you are writing to.
error-prisoner-invalid = There is no such person on the list.
error-prisoner-too-long = There is no such person on the list.
error-prisoner-control = There is no such person on the list.
error-body-empty = Please write the text of your letter.
error-body-too-long = The letter is too long: { $actual } characters, and the limit is { $max }. Please shorten it.
error-body-control = The text contains invisible control characters. Please remove them.
error-body-invalid = The letter text could not be read.
error-body-encoding = Part of the text could not be read (wrong encoding). Please check the text and send it again.
error-language-invalid = Please choose a language from the list.
error-language-empty = Please choose a language from the list.
error-language-too-long = Please choose a language from the list.
error-language-control = Please choose a language from the list.
error-writer-name-too-long = The name is too long: at most { $max } characters.
error-writer-name-control = The name contains control characters.
error-writer-name-empty = The name is empty.
error-writer-name-invalid = The name could not be read.
error-writer-city-too-long = The city is too long: at most { $max } characters.
error-writer-city-control = The city contains control characters.
error-writer-city-empty = The city is empty.
error-writer-city-invalid = The city could not be read.
error-writer-country-too-long = The country is too long: at most { $max } characters.
error-writer-country-control = The country contains control characters.
error-writer-country-empty = The country is empty.
error-writer-country-invalid = The country could not be read.
error-writer-email-invalid = This does not look like an email address. Check it or leave the field empty.
error-writer-email-too-long = The email address is too long.
error-writer-email-control = The email address contains control characters.
error-writer-email-empty = The email address is empty.
error-email-consent-missing = To let us write to you, tick the consent box — or leave the email empty.
error-event-invalid = Unknown event.
error-event-empty = Unknown event.
error-event-too-long = Unknown event.
error-event-control = Unknown event.
error-idempotency-key-invalid = The form is damaged. Reload the page and send again.
error-idempotency-key-too-long = The form is damaged. Reload the page and send again.
error-idempotency-key-empty = The form is damaged. Reload the page and send again.
error-idempotency-key-control = The form is damaged. Reload the page and send again.

## Errors of the whole request
error-unknown-prisoner = There is no such person on the list. Choose whom to write to on the "Write to" page.
error-prisoner-not-accepting = This person can no longer receive letters through the form.
error-idempotency-key-reused = This letter was not sent: the form was already used for another letter. Check the text and send it again.
error-unknown-event = There is no such event.
error-too-large = The letter is too large to accept. Go back — your text is still in the form — and shorten it.
error-malformed = The data sent could not be read. Go back and try again.
error-unsupported-media = Send the data as JSON (Content-Type: application/json).
error-unavailable = We cannot accept letters right this moment. Please try again in a minute — your text is kept.
error-internal = Something went wrong on our side. Please try again later.
error-storage-unavailable = The site cannot save anything right now (its storage is full or read-only), so nothing was changed. Please try again later.
error-not-found = Page not found.
error-not-found-lead = The address may have a typo.
error-letter-not-found = No letter has this code. Check the code: it has 16 letters and digits.
error-method = This method is not supported here.
error-back-home = Home
error-title = Error

## Tracking
track-title = My letter
track-lead = Enter the code you received after sending your letter.
track-code = Tracking code
track-submit = Check
thanks-title = Thank you! Your letter has been received
thanks-code = Your tracking code. Keep it: it is the only way to see what happens to your letter.
thanks-link = Link to your letter's page
letter-title = Letter to { $name }
letter-state = State
letter-received-at = Received
letter-journey = The letter's journey
state-received = Received
state-in_review = Being reviewed
state-needs_translation = Being translated
state-approved = Approved
state-rejected = Cannot be sent
state-batched = Being prepared for sending
state-sent = Sent
state-delivered = Delivered
state-withheld = Withheld by the censor
state-returned = Returned
state-undeliverable = Could not be delivered; kept to hand over later
state-explain-rejected = This letter cannot be passed on: something in it could harm the person in prison or would not pass the censor. Thank you for your support — please try writing again, following the advice on what to write.
state-explain-received = The letter is waiting for volunteers to review it.

## Events
events-title = Events
events-lead = At events people write letters together — at book forums, meetings, schools, in Ukraine and abroad.
events-empty = No events yet.
events-now = Happening now
events-upcoming = Upcoming
events-past = Past
event-letters = { $count ->
    [one] { $count } letter
    *[other] { $count } letters
}
event-demo = demo
event-series = Series
event-when = When
event-where = Where
kind-book_forum = Book forum
kind-press_tour = Press tour
kind-meeting = Meeting
kind-school = School or university
kind-exhibition = Exhibition
kind-online = Online action
kind-abroad = Abroad

## Statistics
stats-title = Statistics
stats-lead = Every figure is counted automatically from the campaign's letters.
stats-total = Letters in all
stats-by-month = By month
stats-by-year = By year
stats-by-city = By city
stats-by-country = By country
stats-by-source = How they were written
stats-by-prisoner = To whom
stats-by-event = At events
stats-letters = Letters
stats-empty = No data yet.
stats-other-places = Other places
stats-other-places-hint = A city or country a writer typed is shown on its own only once several letters from there have been checked by moderators, so that no single writer can be recognised by their town.
source-online = Online
source-kiosk = At an event (kiosk)
source-paper = On paper

## Formatting
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
month-name-1 = January
month-name-2 = February
month-name-3 = March
month-name-4 = April
month-name-5 = May
month-name-6 = June
month-name-7 = July
month-name-8 = August
month-name-9 = September
month-name-10 = October
month-name-11 = November
month-name-12 = December
date-format = { $day } { $month } { $year }

## Kiosk and series
kiosk-title = Kiosk
kiosk-written-here = Letters written here:
kiosk-offline-note = This kiosk works without the internet too: letters are kept on the device and sent as soon as there is a connection.
kiosk-thanks = Thank you! The letter is sent.
kiosk-saved = Thank you! The letter is saved on this device and will be sent as soon as there is a connection.
kiosk-pending = Waiting to be sent:
kiosk-refused = Some letters were not accepted. They are kept on this device: please call a volunteer to save them to a file.
kiosk-replaced = This kiosk link was replaced by a new one.
kiosk-replaced-detail = Ask a volunteer for the new link or QR code. Letters already written on this device are still sent.
kiosk-export = Save these letters to a file
kiosk-clear = Remove the saved letters from this tablet
kiosk-clear-confirm = Remove the letters saved to the file from this tablet? Do it only once the file is safely with a volunteer: they cannot be recovered here.
kiosk-cleared = The saved letters were removed from this tablet.
kiosk-export-to = To
kiosk-export-from = From
kiosk-export-written = Written
kiosk-to = Whom you are writing to
kiosk-unknown = There is no such kiosk. Check the link or the QR code.
kiosk-revoked = This kiosk is closed. Letters can be written on the website.
kiosk-ended = The event has ended and the kiosk no longer takes letters. Letters can be written on the website.
source-tallied = On paper (counted)
events-series-total = Series total
events-series-leader = Most letters
events-series = Event series
event-tallied = of them on paper (counted)

# Limits on the public side (crates/lysty-http/src/limits.rs)
error-too-many-letters = Too many letters have come from your connection in a short time. Please try again in { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
} — your text is kept.
error-too-many-lookups = Too many requests from your connection. Please try again in a minute.
error-duplicate-letter = You have already sent this very letter. To write another one, change its text.
error-honeypot = This letter was not accepted: a hidden field that people do not see was filled in. Send the letter again from the page as it is.
error-proof-of-work = Your browser has not yet confirmed that a person is writing this letter. Wait a few seconds and send it again — your text is kept here.
error-proof-of-work-no-script = The letter was not sent yet: while the campaign is turning away automated letters, sending needs JavaScript. Your text is kept here — turn JavaScript on and send again, or copy the text and write from another browser.
error-proof-of-work-api = The campaign asks each letter for a proof of work now: get a challenge from /api/v1/proof-of-work, solve it and send the answer as proof_of_work.
error-invalid-limit = limit must be from 1 to 200.
form-honeypot = Leave this field empty

# The writer's check before sending: nothing is saved.
form-check = Check my letter first
form-check-hint = We look for what prison censors stop: the case, the war, politics, other prisoners, contact details. Nothing is saved.
form-proof-working = Your browser is confirming that a person is writing… The letter will be sent in a moment.
form-proof-noscript = The campaign is turning away automated letters right now, so sending a letter needs JavaScript. Turn it on or write from another browser; what you type stays while the page is open.
check-title = What we found
check-clear = Nothing in your letter is likely to get it stopped. You can send it.
check-found = The marked passages may get the letter stopped by the censor or cause the person trouble. Rewrite them and check again — or send it as it is: a moderator reads every letter anyway.
check-marked = Your letter with the passages marked
check-advice-political = Politics: the censor does not pass letters about politics, Crimea or the authorities, and the person can be punished. Write about everyday life instead.
check-advice-war = The war: mentions of the war, the army or shelling are the most common reason a letter never arrives. Write about everyday things instead.
check-advice-case-details = The case: letters that mention the case, the court, the charges or witnesses are often withheld, and can hurt the person in court. Write about everyday life instead.
check-advice-other-prisoner = Other prisoners: the censor reads other prisoners' names as messages passed between them. Write each person a letter of their own.
check-advice-coded = Secrecy: asking to destroy the letter or hinting at a hidden meaning makes the censor look for a code. Write plainly.
check-advice-link = A link: the censor does not pass links. Please remove it.
check-advice-email = An email address: contact details are forbidden in letters. Please remove it.
check-advice-phone = A phone number: phones are forbidden in prison, and a number can hurt the person. Please remove it.
check-advice-contact = Contact details: messengers, handles or postal addresses count as "contact with the outside". Please remove them.
check-advice-profanity = Swearing: a letter with swearing is held back. Say the same more gently.

# What each state of a tracked letter means for its writer
state-explain-in_review = Volunteers are reading the letter now, to make sure nothing in it could harm the person or stop it at the censor.
state-explain-needs_translation = The letter is being translated into Russian: prison censors pass only Russian. It is checked once more after that.
state-explain-approved = The letter passed review and waits for the next batch to the person's facility. Batches go out every week; no more than a few letters a week reach one person, so that each one is read.
state-explain-approved-no-facility = The letter passed review. We do not yet know where the person is held (people are often moved without notice); the letter waits and goes out as soon as we know.
state-explain-batched = The letter is printed and packed, ready to be sent.
state-explain-held-transferred = The person was moved to another facility. The letter waits until we know the new address, then goes there.
state-explain-held-released = The person is free! The letter is kept to be handed to them in person.
state-explain-held-exchanged = The person was freed in an exchange! The letter is kept to be handed to them in person.
state-explain-held-deceased = We are deeply sorry: the person has died. The letter will not be sent; it is kept with care.
state-explain-rejected-politics = It speaks about politics, which a prison censor punishes the person for.
state-explain-rejected-war = It speaks about the war, which a prison censor punishes the person for.
state-explain-rejected-case_details = It mentions the person's case (the court, the charges, the lawyers), which can be used against them.
state-explain-rejected-contact_data = It contains contact details, which the censor stops.
state-explain-rejected-offensive = It contains words the censor would not pass.
state-explain-rejected-spam = It did not read as a personal letter.
state-explain-rejected-duplicate = The same text had already been sent; one copy is enough.
state-explain-rejected-other = Something in it could not pass the censor.
state-write-again = Write a new letter

# The profile: a way to the form from the top, and an example letter beside the guidance
profile-write = Write a letter
guidance-example-title = A short example letter
guidance-example = Hello! My name is Olena, I live in Lviv. This morning I walked by the river: the chestnuts are in bloom and the whole street smells of spring. I am reading a book about the sea and I thought of you. I wish you health and strength. I will write again soon. Olena

# The thanks page: what happens next, copy and share
thanks-copy = Copy the link
thanks-copied = Copied
thanks-next-title = What happens next
thanks-next-review = Volunteers read your letter, and translate it into Russian if needed: prison censors pass only Russian.
thanks-next-sent-usually = It is printed and sent with others to the person's facility: in this campaign that usually takes { $days ->
    [one] about a day
   *[other] about { $days } days
} after writing.
thanks-next-sent = It is printed and sent with others to the person's facility with the next batch.
thanks-next-post = Prison post and the censor take several more weeks. This page shows each step.
thanks-updates = We will email you when the letter is sent, when it is delivered and if a reply comes.
thanks-no-updates = Keep the code or the link to follow the letter: we send no emails to writers who did not ask for them.
thanks-invite = Invite others to write too. The page to share:
thanks-share = Share

# Who runs the campaign, and what happens to what writers give
footer-organisers = The campaign is run by { $names }.
about-title = About the campaign
about-lead = { $campaign } collects letters of support for people imprisoned by Russia and gets them past prison censorship to the people they are written for.
about-organisers = Who runs it
about-how-title = How a letter travels
about-how = Volunteers read every letter so that nothing in it can harm the person, translate it into Russian where needed (prison censors pass only Russian), print it and send it to the facility with others. Each writer can follow their letter by its code.
about-contact-title = Contact
about-contact = Write to the campaign:
about-no-contact = Ask the organisers at their events or on their own sites.
privacy-title = Privacy
privacy-lead = What this site keeps about you, who sees it and for how long. It is written from the site's own settings.
privacy-kept-title = What is kept
privacy-kept-letter = Your letter, the person it is for and when you wrote it.
privacy-kept-writer = Only what you chose to give: a name or pseudonym, a city and a country. The name and the city are printed under the letter as its signature.
privacy-kept-email = An email address only if you gave it and agreed to be written to; it is stored encrypted and used only for news of your letter and any reply.
privacy-kept-not = Not kept: your IP address. No third-party scripts, no tracking; one cookie remembers the language you chose.
privacy-who-title = Who sees it
privacy-who-staff = The campaign's volunteers who review, translate and send letters
privacy-who-prison = The person you wrote to and the prison censor: they read the letter as delivered, with its signature
privacy-who-public = The public sees only totals. A city or country is named only once { $count ->
    [one] one of its letters was
   *[other] { $count } of its letters were
} reviewed; your name, email and letter are never shown.
privacy-how-long-title = For how long
privacy-how-long = Letters are kept as the campaign's record; there is no automatic deletion yet.
privacy-retention = { $days ->
        [one] One day after your letter is settled (delivered, returned or stopped)
       *[other] { $days } days after your letter is settled (delivered, returned or stopped)
    }, your name, email, city and country are erased from it for good; only the campaign's totals keep counting it.
privacy-retention-text-kept = The letter's text is kept as the campaign's record.
privacy-retention-text-erased = The letter's text is erased with them.
privacy-ask-title = To ask about your data or have it deleted
privacy-ask = Write to:
