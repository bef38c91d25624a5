## Figures on the home page.

day-format = { $day } { $month }
home-waiting-lead = Those who received the fewest letters in the last three months come first.
home-waiting-recent = { $count ->
    [0] No letters in 90 days
    [one] { $count } letter in 90 days
   *[other] { $count } letters in 90 days
}
home-waiting-birthday = Birthday on { $date }
thanks-suggest = Write to someone who has received few letters lately, too:
stats-sent = sent to facilities
stats-delivered = delivered
stats-chart-months = Letters by month
stats-by-organisation = By organisation
stats-by-organisation-hint = Letters collected at the events each organisation ran; online letters belong to none.
stats-by-series = By event series

stats-chart-months-line = letters written each month
stats-place-not-stated = Not stated
