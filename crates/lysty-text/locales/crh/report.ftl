## The annual report (staff page and `lysty report`).

report-nav = Yıllıq hesabat
report-title = { $year } yılı içün hesabat
report-lead = Er raqam yıl içinde qayd etilgen mektüplerden, hadiselerden ve teslimattan esaplandı; biri de elnen yazılmadı.
report-year = Yıl
report-show = Köster
report-download = Yükle
report-format-html = HTML
report-format-pdf = Basmaq içün PDF
report-format-md = Markdown
report-format-json = JSON
report-bad-year = Yıl 2000-den { $max }-ge qadar bir sayı olmalı.
report-letters = Mektüpler
report-letters-total = { $count ->
   *[other] { $n } mektüp toplandı.
}
report-how = Nasıl yazıldı
report-events = Hadiseler
report-events-total = { $count ->
    [0] Bu yıl hadise olmadı.
   *[other] Bu yıl { $n } hadise.
}
report-events-by-kind = Çeşitine köre hadiseler
report-events-count = Hadiseler
report-top-events = Eñ çoq mektüp toplanğan hadiseler
report-event = Hadise
report-city = Şeer
report-country = Memleket
report-series = Hadise serileri
report-series-name = Seriya
report-stops = Toqtavlar
report-leading-city = Eñ çoq mektüp
report-places = Yazğanlar qayda
report-prisoners = Kimge yazdılar
report-reached = { $count ->
   *[other] { $n } insan eñ az bir mektüp aldı.
}
report-without = { $count ->
   *[other] Mektüp alıp olğan { $n } insan bir mektüp de almadı
}
report-none-without = Mektüp alıp olğan er kes eñ az bir mektüp aldı.
report-prisoner = Adı
report-delivery = Teslimat ve cevaplar
report-outcomes = Teslimat neticeleri
report-outcome = Netice
report-outcome-delivered = Teslim etildi
report-outcome-withheld = Tsenzura toqtattı
report-outcome-returned = Qaytarıldı
report-outcome-undeliverable = Teslim etilip olmadı
report-replies = { $count ->
    [0] Cevap kelmedi.
   *[other] { $n } cevap keldi.
}
report-median = Yazılğandan yiberilgenge qadar orta esapnen (mediana) { $days } kün keçti.
report-median-none = Bu yıl bir mektüp de yiberilmedi.
