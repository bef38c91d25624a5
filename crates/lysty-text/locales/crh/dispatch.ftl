# The dispatcher's pages, Crimean Tatar (Latin script): batches, outcomes, held letters,
# the letter bank, replies, facilities and placements.

dispatch-nav-delivery = Yollav
dispatch-nav-held = Toqtatılğan mektüpler
dispatch-nav-bank = Mektüp bankı
dispatch-nav-replies = Cevaplar
dispatch-nav-facilities = Müessiseler

## Shared words

dispatch-choose = Saylañız…
dispatch-facility = Müessise
dispatch-channel = Yollav usulı
dispatch-channels = Yollav usulları
dispatch-channel-post = Poçta
dispatch-channel-electronic = Elektron mektüp hizmeti
dispatch-channel-handover = Avuqat ya da aqrabalar vastasınen berüv
dispatch-prisoner = Kimge
dispatch-prisoners = İnsanlar
dispatch-reference = Mektüpniñ nomeri
dispatch-received = Alındı
dispatch-language = Til
dispatch-letters = Mektüpler
dispatch-state = Vaziyet
dispatch-created = Tizildi
dispatch-sent = Yollandı
dispatch-not-sent = Daa yollanmadı
dispatch-print = Bastıruv
dispatch-download-pdf = PDF yükle
dispatch-view-scan = Skanğa baq
dispatch-scan-hint = JPEG, PNG, WebP ya da PDF, eñ çoq 10 MB.
dispatch-back-to-desk = Yollavğa qayt
dispatch-since-hint = Boş qaldırsañız, bugünki tarih olur.
dispatch-line = { $line }-nci satır

## The desk

dispatch-desk-title = Mektüplerni yollav
dispatch-unplaced = { $count ->
   *[other] Tasdıqlanğan { $count } mektüp bekley: alıcıları içün müessise kösterilmegen. Mektüpler yollanıp olsun dep, insanlarnıñ nerede bulunğanını yazıñız.
}
dispatch-held-count = Toqtatılğan mektüpler: { $count }
dispatch-new-batch = Yañı paket
dispatch-new-batch-lead = Müessiseni ve yollav usulını saylañız, ketecek mektüplerge baqıñız, soñ paketni tiziñiz.
dispatch-prisoner-optional = Tek bir insan içün (mecburiy degil)
dispatch-all-prisoners = Bu müessisedeki episi
dispatch-preview = Mektüplerni köster
dispatch-preview-title = Paket içün mektüpler
dispatch-preview-count = { $count ->
   *[other] Paketke { $count } mektüp kirecek.
}
dispatch-preview-cap = { $count ->
   *[other] Yedi künde bir insanğa eñ çoq { $count } mektüp; qalğanları soñki paketlernen keteler.
}
dispatch-excerpt = Metinniñ başı
dispatch-build = Paketni tiz
dispatch-no-facilities = Müessiseler reyestri boş: paket tizmek içün müessise qoşuñız.
dispatch-recent-batches = Soñki paketler
dispatch-batches-empty = Daa paket yoq.
dispatch-outcomes-title = Fayldan teslim neticeleri
dispatch-outcomes-lead = reference (mektüpniñ nomeri), outcome (delivered, withheld, returned ya da undeliverable) ve note (qayd) sütünlı CSV fayl. Bir satırda bile hata olsa, hiç bir satır yazılmay.
dispatch-outcomes-file = CSV fayl
dispatch-outcomes-upload = Neticelerni yükle
dispatch-outcomes-no-file = Neticeler yazılğan CSV faylnı saylañız.
dispatch-outcomes-imported = { $count ->
   *[other] { $count } mektüpniñ neticesi yazıldı.
}

## A batch

dispatch-batch-title = Mektüp paketi
dispatch-sent-on = { $date } yollandı
dispatch-sent-reference-short = yollav nomeri
dispatch-download-pdf-kit = Cevap blankı ile PDF
dispatch-reply-kit-hint = Cevap blankı – er insan içün ayrı saife: nasıl ve qayda cevap yazıp olğanı.
dispatch-copy-text = Elektron hizmetke kopiyalamaq içün metin
dispatch-copy-text-hint = Er mektüp müessise hizmetiniñ qabul etken mesajlarğa bölüngen.
dispatch-batch-letters = Paketteki mektüpler
dispatch-evidence = Tasdıq
dispatch-mark-sent = Yollanğan olaraq belgile
dispatch-mark-sent-lead = Paket poçtanen, elektron hizmetnen ya da elden ketkende, bunı belgileñiz: mektüpler «Yollandı» vaziyetini alır, müellifler de bunı mektüp saifesinde körürler.
dispatch-sent-date = Yollav tarihı
dispatch-sent-reference = Yollav nomeri (trek-nomer, qvitantsiya), olsa
dispatch-mark-sent-button = Yollanğan dep belgile
dispatch-record-outcomes = Mektüplerge ne oldı
dispatch-record-outcomes-lead = Neticeni öğrengeniñizde yazıñız: cevap mektübinden, hizmetniñ haberinden ya da poçtanıñ qaytaruvından.
dispatch-outcome = Netice
dispatch-outcome-delivered = Teslim etildi
dispatch-outcome-withheld = Tsenzura ya da müessise toqtattı
dispatch-outcome-returned = Poçta qaytardı
dispatch-outcome-undeliverable = Teslim etip olmay (mektüp bankına)
dispatch-outcome-note = Qayd
dispatch-outcome-scan = Tasdıq içün skan ya da fotoresim (mecburiy degil)
dispatch-record-outcome = Neticeni yaz
dispatch-notice-sent = Paket yollanğan olaraq belgilendi.
dispatch-notice-outcome = Netice yazıldı.

## Held letters and the bank

dispatch-held-title = Toqtatılğan mektüpler
dispatch-held-lead = Bu mektüpler daa ketmedi, çünki insan başqa müessisege köçürildi, azat etildi, deñiştirildi ya da vefat etti. Mektüpni insannıñ şimdiki müessisesine yollañız ya da soñ bermek içün mektüp bankına qoyuñız.
dispatch-held-empty = Toqtatılğan mektüp yoq.
dispatch-reason = Sebep
dispatch-held-since = Toqtatıldı
dispatch-hold-transferred = İnsan başqa müessisege köçürildi
dispatch-hold-released = İnsan azat etildi
dispatch-hold-exchanged = İnsan esirler deñişüvinde azat etildi
dispatch-hold-deceased = İnsan vefat etti
dispatch-placements-link = Nerede buluna
dispatch-reroute = Şimdiki müessisege yolla
dispatch-bank-note = Bank içün qayd (mecburiy degil)
dispatch-bank = Mektüp bankına qoy
dispatch-notice-rerouted = Mektüp insannıñ şimdiki müessisesine kelecek paketnen ketecek.
dispatch-notice-banked = Mektüp mektüp bankına qoyuldı.
dispatch-bank-title = Mektüp bankı
dispatch-bank-lead = Şimdi berip olamağan mektüpler. İmkân olğanda olarnı bastırıp bermek mümkün.
dispatch-bank-empty = Mektüp bankı boş.

## Facilities

dispatch-facilities-title = Müessiseler reyestri
dispatch-facilities-empty = Daa müessise yoq.
dispatch-region = Region
dispatch-address = Adres
dispatch-address-present = Kösterilgen
dispatch-no-address = Adres yoq: poçtanen yollamaq mümkün degil
dispatch-new-facility = Müessise qoş
dispatch-edit-facility = Müessiseni deñiştir
dispatch-all-facilities = Episi müessiseler
dispatch-facility-name-ru = Rus tilinde adı
dispatch-facility-name-ru-hint = Zarf üstünde yazılğanı kibi, meselâ «ФКУ ИК-21 УФСИН России по Архангельской области».
dispatch-facility-name-en = İngliz tilinde adı
dispatch-slug = Qısqa identifikator
dispatch-slug-hint = Kiçik latin arifleri, raqamlar ve defisler. Boş qaldırsañız, addan yapılır.
dispatch-slug-fixed = Müessiseniñ identifikatorı deñişmey.
dispatch-address-ru = Rus tilinde poçta adresi
dispatch-address-hint = İndeks, region, yer, soqaq – er biri yañı satırdan. Müessiseniñ adını tekrarlamañız.
dispatch-rules = Müessiseniñ qaideleri
dispatch-censor-language = Tsenzornıñ tili
dispatch-censor-language-hint = Tsenzor mektüplerni oquğan tilniñ kodu, meselâ ru.
dispatch-max-letter-chars = Mektüpniñ eñ büyük uzunlığı, işaret (mecburiy degil)
dispatch-number-hint = 100-den 1 000 000-ge qadar bütün sayı. Sıñır olmasa, boş qaldırıñız.
dispatch-needs-birth-year = Zarf üstünde doğğan yılı kerek
dispatch-needs-number = Zarf üstünde mabüsniñ nomeri kerek
dispatch-electronic-max-chars = Elektron hizmet mesajınıñ eñ büyük uzunlığı, işaret (mecburiy degil)
dispatch-electronic-parts = Elektron hizmet uzun mektüpni bir qaç mesajnen qabul ete
dispatch-prints-original = Tercime etilgen mektüpniñ aslını rusça metinniñ yanında basmaq
dispatch-prints-original-hint = Tek bu müessiseniñ tsenzorı başqa tillerde mektüplerni keçirgeni belli olsa; yoqsa bütün mektüp toqtatılıp olur.
dispatch-facility-notes = Yollayıcılar içün qaydlar
dispatch-people-title = İnsanlar ve olarnıñ bulunğan yerleri
dispatch-people-lead = İnsannıñ nerede bulunğanını yazmaq ya da statusını deñiştirmek içün onıñ saifesini açıñız.
dispatch-save-facility = Müessiseni saqla
dispatch-notice-facility-saved = Müessise saqlandı.

## Placements and status

dispatch-name-ru = Rus tilinde adı
dispatch-status = Statusı
dispatch-current-facility = Şimdiki müessise
dispatch-no-facility = Müessise kösterilmegen
dispatch-history = Köçürilüvler tarihı
dispatch-history-empty = Köçürilüv yazılmağan.
dispatch-since = Qaysı künden
dispatch-placement-note = Qayd
dispatch-record-placement = Bulunğan yerini yaz
dispatch-placement-lead = İnsan köçürilse, daa ketmegen mektüpler toqtatılır ki, olarnı qayda yollamağa siz qarar beresiñiz.
dispatch-set-status = Statusını deñiştir
dispatch-status-lead = Azat etilüv, deñişüv ya da vefat daa ketmegen mektüplerni toqtata.
dispatch-save-status = Statusnı saqla
dispatch-notice-held = { $count ->
    [0] Saqlandı. Hiç bir mektüp toqtatılmadı.
   *[other] Saqlandı. { $count } mektüp toqtatıldı.
}

## Replies

dispatch-replies-title = Apishaneden cevaplar
dispatch-record-reply = Cevapnı yaz
dispatch-reply-lead = Apishanedeki insandan mektüp kelgende, onı mında yazıñız. Oña evelce teslim etilgen mektüplerniñ e-mail qaldırğan müellifleri haber alırlar.
dispatch-reply-from = Kimden
dispatch-reply-received = Alınğan tarihı
dispatch-reply-transcription = Cevapnıñ metini
dispatch-reply-transcription-hint = Metinni köçürip yazıñız ya da skan qoşsañız, boş qaldırıñız.
dispatch-reply-scan = Mektüpniñ skanı (mecburiy degil)
dispatch-reply-consent = İnsan cevapnıñ öz saifesinde derc etilmesine razı oldı
dispatch-reply-recorded = { $count ->
    [0] Cevap yazıldı. Kimsege e-mail yollanmaycaq: müelliflerniñ hiç biri adres qaldırmadı.
   *[other] Cevap yazıldı. { $count } müellif e-mail ile haber alacaq.
}
dispatch-replies-list = Yazılğan cevaplar
dispatch-replies-of = Kimden cevaplar
dispatch-show = Köster
dispatch-replies-empty = Bu insandan daa cevap yoq.
dispatch-published = Derc etile
dispatch-not-published = Derc etilmey
dispatch-linked = { $count ->
   *[other] { $count } mektüpke bağlı
}
dispatch-choose-prisoner = Cevap kimden kelgenini saylañız.

## Errors

dispatch-upload-malformed = Yollanğan forma oqulamadı. Lütfen, bir daa tırışıp baqıñız.
dispatch-upload-too-large = Fayl pek büyük. Skan eñ çoq 10 MB, neticeler faylı eñ çoq 2 MB olabile.
dispatch-invalid-name-ru = Rus tilinde adını yazıñız (eñ çoq 200 işaret).
dispatch-invalid-name-en = İngliz tilinde adı eñ çoq 200 işaret olabile.
dispatch-invalid-slug = İdentifikatorda tek kiçik latin arifleri, raqamlar ve defisler ola bile, eñ çoq 80 işaret.
dispatch-invalid-channels = Eñ az bir yollav usulını saylañız.
dispatch-invalid-language = Til kodu – bir qaç kiçik latin arifi, meselâ ru.
dispatch-invalid-address-ru = Adres eñ çoq 500 işaret olabile, idare işaretlerisiz.
dispatch-invalid-region = Region eñ çoq 200 işaret olabile.
dispatch-invalid-number = 100-den 1 000 000-ge qadar bütün sayı yazıñız ya da meydannı boş qaldırıñız.
dispatch-invalid-notes = Qaydlar eñ çoq 2000 işaret olabile.
dispatch-invalid-facility = Reyestrden müessise saylañız.
dispatch-invalid-channel = Yollav usulını saylañız.
dispatch-invalid-prisoner = Bu insan şimdi saylanğan müessisede degil.
dispatch-invalid-since = Tarihnı YYYY-AA-KK şeklinde yazıñız.
dispatch-invalid-date = Yollav tarihını YYYY-AA-KK şeklinde yazıñız, yarından keç olmasın.
dispatch-invalid-reference = Yollav nomeri eñ çoq 200 işaret olabile.
dispatch-invalid-note = Qayd pek uzun ya da onda idare işaretleri bar.
dispatch-invalid-status = Cedvelden status saylañız.
dispatch-invalid-outcome = Cedvelden netice saylañız.
dispatch-invalid-scan = Skan JPEG, PNG ya da WebP resim ya da PDF fayl olmalı, eñ çoq 10 MB.
dispatch-invalid-received = Alınğan tarihnı YYYY-AA-KK şeklinde yazıñız.
dispatch-invalid-transcription = Cevapnıñ metinini (eñ çoq 20 000 işaret) ya da skannı qoşuñız.
dispatch-emails-undeliverable = { $count } müellifke mektüp yetkerilip olamadı: olarnıñ poçta serverleri büsbütün red etti (meselâ, öyle adres yoq). Bir daa tırışmaymız.
