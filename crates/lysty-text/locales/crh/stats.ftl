## Figures on the home page.

day-format = { $day } { $month }
home-waiting-lead = Soñki üç ayda eñ az mektüp alğanlar evelâ kösterile.
home-waiting-recent = { $count ->
    [0] 90 künde bir mektüp de yoq
   *[other] 90 künde { $count } mektüp
}
home-waiting-birthday = Doğğan künü: { $date }
thanks-suggest = Soñki vaqıtta az mektüp alğan insanğa da yazıñız:
stats-sent = müessiselerge yiberildi
stats-delivered = teslim etildi
stats-chart-months = Aylar boyunca mektüpler
stats-by-organisation = Teşkilâtlarğa köre
stats-by-organisation-hint = Er teşkilât keçirgen hadiselerde toplanğan mektüpler; onlayn mektüpler birine de ait degil.
stats-by-series = Hadise serilerine köre

stats-chart-months-line = er ayda yazılğan mektüpler
stats-place-not-stated = Kösterilmegen
