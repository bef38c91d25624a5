## Exports of letters and figures (staff page and `lysty export`), Crimean Tatar (Latin script).

export-nav = Eksport
export-title = Malümatnı eksport etmek
export-lead = Kampaniyanıñ mektüpleri ve statistikası CSV (cedveller içün) ya da JSON (programmalar içün) faylında. Közetüv kodları iç bir vaqıt eksport etilmey: olar mektüp yazğanlarnıñ sırrıdır.
export-what = Neni eksport etmeli
export-what-letters = Mektüpler
export-letters-hint = Mektüp yazğanlarnıñ şahsiy malümatı olmadan. Sütunlar: { $columns }.
export-what-stats = Kampaniya statistikası
export-stats-hint = Statistika saifesindeki raqamlar: cemi mektüp sayı, aylarğa, şeerlerge, memleketlerge, menbalarğa, vaziyetlerge, tedbirlerge ve mabüslerge köre.
export-format = Format
export-format-csv = CSV — Excel, LibreOffice, Google Sheets içün
export-format-json = JSON — programmalar içün
export-personal-legend = Mektüp yazğanlarnıñ şahsiy malümatı
export-personal-warning = Bu faylda mektüp yazğan insanlarnıñ adları, e-mail adresleri ve mektüpleri bar. Olarnıñ emniyeti faylnıñ yabancı ellerge tüşmemesine bağlı: onı tek şifrelengen taşıyıcıda saqlañız, e-mail ya da messenjer vastasınen yollamañız ve kerek olmağanı kibi yoq etiñiz. Eksport sizin adıñıznen areketler jurnalına yazılacaq.
export-personal-label = Mektüp yazğanlarnıñ şahsiy malümatını qoş ({ $columns } sütunları)
export-audit-note = Er bir eksport areketler jurnalına yazıla: kim, ne vaqıt, neni ve qaysı formatta.
export-submit = Faylnı yükle
export-error-choose = Neni ve qaysı formatta eksport etmek kerek olğanını saylañız.
export-error-personal-letters-only = Mektüp yazğanlarnıñ şahsiy malümatını tek mektüplernen bir yerde eksport etmek mümkün, statistikanen degil.
