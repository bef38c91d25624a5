## The annual report (staff page and `lysty report`).

report-nav = Річний звіт
report-title = Річний звіт за { $year } рік
report-lead = Кожну цифру обчислено з листів, подій і доставки, записаних за рік; нічого не вписано вручну.
report-year = Рік
report-show = Показати
report-download = Завантажити
report-format-html = HTML
report-format-pdf = PDF для друку
report-format-md = Markdown
report-format-json = JSON
report-bad-year = Рік має бути числом від 2000 до { $max }.
report-letters = Листи
report-letters-total = { $count ->
    [one] Зібрано { $n } лист.
    [few] Зібрано { $n } листи.
   *[other] Зібрано { $n } листів.
}
report-how = Як написано
report-events = Події
report-events-total = { $count ->
    [0] Жодної події за рік.
    [one] { $n } подія за рік.
    [few] { $n } події за рік.
   *[other] { $n } подій за рік.
}
report-events-by-kind = Події за видом
report-events-count = Подій
report-top-events = Події з найбільшою кількістю листів
report-event = Подія
report-city = Місто
report-country = Країна
report-series = Серії подій
report-series-name = Серія
report-stops = Зупинок
report-leading-city = Найбільше листів у
report-places = Звідки пишуть
report-prisoners = Кому писали
report-reached = { $count ->
    [one] { $n } людина отримала хоча б один лист.
    [few] { $n } людини отримали хоча б один лист.
   *[other] { $n } людей отримали хоча б один лист.
}
report-without = { $count ->
    [one] { $n } людина, яка може отримувати листи, не отримала жодного
    [few] { $n } людини, які можуть отримувати листи, не отримали жодного
   *[other] { $n } людей, які можуть отримувати листи, не отримали жодного
}
report-none-without = Кожен, хто може отримувати листи, отримав хоча б один.
report-prisoner = Ім'я
report-delivery = Доставка і відповіді
report-outcomes = Результати доставки
report-outcome = Результат
report-outcome-delivered = Доставлено
report-outcome-withheld = Затримано цензурою
report-outcome-returned = Повернуто
report-outcome-undeliverable = Не вдалося доставити
report-replies = { $count ->
    [0] Відповідей не надходило.
    [one] Надійшла { $n } відповідь.
    [few] Надійшли { $n } відповіді.
   *[other] Надійшло { $n } відповідей.
}
report-median = Від написання до відправлення минало в середньому (медіана) { $days } дн.
report-median-none = За рік не відправлено жодного листа.
