## Delivery as writers and readers see it: the letter's journey, replies, emails.

letter-reply-received = A reply arrived
state-explain-sent = The letter has been sent to the facility. Post and prison censorship are slow: delivery can take several weeks.
state-explain-delivered = The letter was delivered. Thank you for writing: to a person in prison every letter means a great deal.
state-explain-withheld = The censor or the facility did not pass this letter on. It is not your fault; we will try to get your words through another way.
state-explain-returned = The post returned the letter. We will find out why and try again.
state-explain-undeliverable = The letter cannot be handed over now: the person was transferred, released or exchanged. We keep it to hand over later.
state-explain-replied = The person you wrote to has replied. If they agreed, the reply is published on their page.
profile-replies = Replies from prison
profile-reply-received = Received { $date }

email-reply-subject = { $name } has replied to letters
email-reply-body =
    Hello,

    You wrote a letter to { $name }. Your letter was delivered, and now a reply has arrived.

    Your letter's journey: { $url }

    Thank you for writing. You receive this email because you left your address and agreed to be told; we will send you nothing else.

delivery-error-no-address = The facility has no postal address. Add the address in the facility registry, then build the batch.
delivery-error-no-placement = No facility is recorded for this person. Record where they are held, then build the batch.
delivery-error-channel = This facility does not take letters by this channel. Choose another channel or change the facility's rules.
delivery-error-nothing = No letter is waiting to go to this facility by this channel (within the weekly limit per person).
delivery-error-sent-already = This batch is already marked as sent.
delivery-error-wrong-state = The letter is "{ $state }" now; this cannot be done to it.
delivery-error-too-long = Letter { $reference } is too long for the facility's electronic service (up to { $limit } characters), and the service does not take letters in parts.
delivery-error-rows = { $count ->
    [one] { $count } row of the file is invalid; nothing was changed.
   *[other] { $count } rows of the file are invalid; nothing was changed.
}
