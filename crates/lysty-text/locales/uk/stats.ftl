## Figures on the home page.

day-format = { $day } { $month }
home-waiting-lead = Спершу ті, хто отримав найменше листів за останні три місяці.
home-waiting-recent = { $count ->
    [0] Жодного листа за 90 днів
    [one] { $count } лист за 90 днів
    [few] { $count } листи за 90 днів
   *[other] { $count } листів за 90 днів
}
home-waiting-birthday = День народження { $date }
thanks-suggest = Напишіть і тому, хто останнім часом отримав мало листів:
stats-sent = надіслано до установ
stats-delivered = доставлено
stats-chart-months = Листи за місяцями
stats-by-organisation = Організації
stats-by-organisation-hint = Листи, зібрані на подіях, які провела організація; онлайн-листи не належать жодній.
stats-by-series = Серії подій

stats-chart-months-line = листів написано за місяць
stats-place-not-stated = Не вказано
