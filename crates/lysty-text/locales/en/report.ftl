## The annual report (staff page and `lysty report`).

report-nav = Annual report
report-title = Annual report { $year }
report-lead = Every figure is computed from the letters, events and deliveries recorded for the year; none is typed in.
report-year = Year
report-show = Show
report-download = Download
report-format-html = HTML
report-format-pdf = PDF for printing
report-format-md = Markdown
report-format-json = JSON
report-bad-year = The year must be a number from 2000 to { $max }.
report-letters = Letters
report-letters-total = { $count ->
    [one] { $n } letter collected.
   *[other] { $n } letters collected.
}
report-how = How they were written
report-events = Events
report-events-total = { $count ->
    [0] No events this year.
    [one] { $n } event this year.
   *[other] { $n } events this year.
}
report-events-by-kind = Events by kind
report-events-count = Events
report-top-events = The events with the most letters
report-event = Event
report-city = City
report-country = Country
report-series = Event series
report-series-name = Series
report-stops = Stops
report-leading-city = Most letters in
report-places = Where the writers are
report-prisoners = Whom they wrote to
report-reached = { $count ->
    [one] { $n } person received at least one letter.
   *[other] { $n } people received at least one letter.
}
report-without = { $count ->
    [one] { $n } person who can receive letters received none
   *[other] { $n } people who can receive letters received none
}
report-none-without = Everyone who can receive letters received at least one.
report-prisoner = Name
report-delivery = Delivery and replies
report-outcomes = Delivery outcomes
report-outcome = Outcome
report-outcome-delivered = Delivered
report-outcome-withheld = Withheld by the censor
report-outcome-returned = Returned
report-outcome-undeliverable = Could not be delivered
report-replies = { $count ->
    [0] No replies arrived.
    [one] { $n } reply arrived.
   *[other] { $n } replies arrived.
}
report-median = From writing to sending took { $days } days (median).
report-median-none = No letter was sent this year.
