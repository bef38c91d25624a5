# Crimean Tatar (Latin script).
# Nouns do not change after numerals, so every plural selector has only the default variant.

language-name = Qırımtatarca
site-name = Lysty
skip-to-content = Esas mündericege keç
nav-home = Baş saife
nav-prisoners = Kimge yazmalı
nav-events = Tedbirler
nav-stats = Statistika
nav-track = Mektübim
nav-language = Til
demo-banner = Bu – demo malümatı: tedbirler misal içün uydurılğan, mektüpler iç bir yerge yollanmay.
footer-privacy = Biz IP adreslerini saqlamaymız, üçünci taraf skriptlerini yüklemeymiz ve adıñıznı razılığıñızsız asla köstermeymiz.
footer-about = Lysty – siyasiy mabüslerge mektüp yazuv kampaniyaları içün açıq kodlı programmadır.

## Home
home-title = Azat Qırımğa mektüpler
home-lead = Qoltutuv mektübi Rusiye apishanesindeki insanğa onı unutmağanlarını bildire. Bir qaç sıcaq söz yazıñız – biz onı tercime etecekmiz, tsenzuradan keçirecekmiz ve mektüp yerine yetkende sizge haber berecekmiz.
home-cta = Mektüp yaz
home-counter-letters = { $count ->
    *[other] mektüp yazıldı
}
home-counter-month = bu ay
home-counter-prisoners = { $count ->
    *[other] insan mektüp bekley
}
home-counter-cities = { $count ->
    *[other] şeer
}
home-waiting-title = Mektüp beklegenler
home-all-prisoners = Mektüp yazmaq mümkün olğan bütün insanlar
home-how-title = Bu nasıl çalışa
home-how-write = Siz mektüpni er angi tilde yazasıñız – kündelik ayat, kitaplar, ava, öz şeeriñiz aqqında.
home-how-review = Volonterler mektüpni teşkereler ve apishane tsenzurasından keçsin dep, onı rus tiline tercime eteler.
home-how-deliver = Biz mektüpni apishanege teslim etemiz, siz ise közetüv kodu vastasınen mektüpke ne olğanını körip olasıñız.

## Prisoners
prisoners-title = Kimge yazmalı
prisoners-lead = Mektüp yazmağa istegen insanıñıznı saylañız. Er bir adnıñ yanında şimdige qadar qaç mektüp yazılğanı kösterile.
prisoners-empty = Şimdilik mında kimse yoq.
prisoners-letters = { $count ->
    *[other] { $count } mektüp
}
prisoners-next = Devamı
status-detained = Tevqif etilgen
status-convicted = Üküm etilgen
status-released = Azat etilgen
status-exchanged = Esirler deñişüvinde azat etilgen
status-deceased = Vefat etken
status-unknown = Taqdiri bellisiz
prisoner-photo-placeholder = Fotoresim yoq

## Profile and letter form
profile-story = Hikâyesi
profile-facility = Tutulğan yeri
profile-letters = { $count ->
    *[other] Şimdige qadar { $count } mektüp yazıldı
}
profile-not-accepting = Bu insan azatlıqta ya da mektüp alıp olamay, şunıñ içün forma qapalı.
guidance-title = Ne yazmalı
guidance-do = Kündelik ayat aqqında yazıñız: kitaplar, filmler, ava, tabiat, öz şeeriñiz, sizni ne quvandıra – bular aqqında. Sualler beriñiz – cevap yazmaq mümkün olğan mektüpler eñ qıymetlidir.
guidance-avoid = Cenk, siyaset, bu insannıñ cinaiy işi, diger mabüsler aqqında ve şifr kibi oqulıp olacaq iç bir şey yazmañız. Böyle mektüpni tsenzura keçirmeycek, insan ise bunıñ içün cezalandırılıp ola.
guidance-language = Er angi tilde yazıñız. Rusiye apishanelerine mektüpler rus tilinde olmalı, şunıñ içün volonterler mektübiñizni tercime eteler; asıl nüshası saqlanıp qala.
guidance-next = Siz mektüpni yollağan soñ, moderatorlar onı teşkereler, kerek olsa tercime eteler ve apishanege teslim eteler. Közetüv kodu vastasınen er adımnı körip olasıñız.
guidance-privacy = Adıñız, şeeriñiz ve e-mail adresiñiz mecburiy degil. E-mail adresiñizni şifreleymiz ve, razılıq berseñiz, onı tek mektübiñiz aqqında haberler içün qullanamız.
guidance-person = Bu insanğa yazğanda tevsiye
form-title = Mektübiñiz
form-body = Mektüp
form-body-hint = Eñ çoq { $max } işaret. Er angi tilde.
form-language = Mektüpniñ tili
form-language-und = Bilmeyim / bildirmege istemeyim
form-language-uk = Ukrain tili
form-language-ru = Rus tili
form-language-crh = Qırımtatar tili
form-language-en = İngliz tili
form-language-other = Başqa til
form-optional = Siz aqqında (mecburiy degil)
form-writer-name = Ad ya da psevdonim
form-writer-name-hint = Mektüp bu adnen imzalanacaq. Boş qaldırmaq da mümkün.
form-writer-city = Şeer
form-writer-country = Memleket
form-writer-email = E-mail
form-writer-email-hint = Tek mektübiñiz aqqında haberler içün. Biz onı şifreleymiz ve kimsege bermeymiz.
form-email-consent = Mektübim ve oña kelgen cevap aqqında bu adreske maña e-mail yollanmasına razıman.
form-submit = Mektüpni yolla
form-errors-title = Mektüp yollanmadı. Lütfen, bularnı tüzetiñiz:
form-keep-text = Metiniñiz aşağıda saqlanğan – ğayıp olmasın dep, onı kopiyalap alıñız.
form-your-text = Metiniñiz

## Errors tied to fields
error-prisoner-empty = Kimge yazğanıñıznı saylañız.
error-prisoner-invalid = Cedvelde böyle insan yoq.
error-prisoner-too-long = Cedvelde böyle insan yoq.
error-prisoner-control = Cedvelde böyle insan yoq.
error-body-empty = Lütfen, mektüpniñ metinini yazıñız.
error-body-too-long = Mektüp pek uzun: { $actual } işaret, sıñır ise – { $max }. Lütfen, onı qısqartıñız.
error-body-control = Metinde körünmegen idare işaretleri bar. Lütfen, olarnı yoq etiñiz.
error-body-invalid = Mektüpniñ metini oqulamadı.
error-body-encoding = Metinniñ bir qısmı oqulamadı (kodlaması yañlış). Lütfen, metinni teşkerip, bir daa yollañız.
error-language-invalid = Lütfen, cedvelden bir til saylañız.
error-language-empty = Lütfen, cedvelden bir til saylañız.
error-language-too-long = Lütfen, cedvelden bir til saylañız.
error-language-control = Lütfen, cedvelden bir til saylañız.
error-writer-name-too-long = Ad pek uzun: eñ çoq { $max } işaret.
error-writer-name-control = Adda idare işaretleri bar.
error-writer-name-empty = Ad boş.
error-writer-name-invalid = Ad oqulamadı.
error-writer-city-too-long = Şeerniñ adı pek uzun: eñ çoq { $max } işaret.
error-writer-city-control = Şeerniñ adında idare işaretleri bar.
error-writer-city-empty = Şeerniñ adı boş.
error-writer-city-invalid = Şeerniñ adı oqulamadı.
error-writer-country-too-long = Memleketniñ adı pek uzun: eñ çoq { $max } işaret.
error-writer-country-control = Memleketniñ adında idare işaretleri bar.
error-writer-country-empty = Memleketniñ adı boş.
error-writer-country-invalid = Memleketniñ adı oqulamadı.
error-writer-email-invalid = Bu e-mail adresine oşamay. Adresni teşkeriñiz ya da qutunı boş qaldırıñız.
error-writer-email-too-long = E-mail adresi pek uzun.
error-writer-email-control = E-mail adresinde idare işaretleri bar.
error-writer-email-empty = E-mail adresi boş.
error-email-consent-missing = Sizge yazıp olmamız içün razılıq qutusını işaretleñiz – ya da e-mail qutusını boş qaldırıñız.
error-event-invalid = Bilinmegen tedbir.
error-event-empty = Bilinmegen tedbir.
error-event-too-long = Bilinmegen tedbir.
error-event-control = Bilinmegen tedbir.
error-idempotency-key-invalid = Forma bozulğan. Saifeni yañartıp, bir daa yollañız.
error-idempotency-key-too-long = Forma bozulğan. Saifeni yañartıp, bir daa yollañız.
error-idempotency-key-empty = Forma bozulğan. Saifeni yañartıp, bir daa yollañız.
error-idempotency-key-control = Forma bozulğan. Saifeni yañartıp, bir daa yollañız.

## Errors of the whole request
error-unknown-prisoner = Cedvelde böyle insan yoq. Kimge yazacağıñıznı «Kimge yazmalı» saifesinde saylañız.
error-prisoner-not-accepting = Bu insan artıq forma vastasınen mektüp alıp olamay.
error-idempotency-key-reused = Bu mektüp yollanmadı: forma endi başqa bir mektüp içün qullanılğan. Metinni teşkerip, bir daa yollañız.
error-unknown-event = Böyle tedbir yoq.
error-too-large = Mektüp qabul etilmek içün pek büyük. Keri qaytıñız – metiniñiz formada qaldı – ve onı qısqartıñız.
error-malformed = Yollanğan malümat oqulamadı. Keri qaytıp, bir daa tırışıp baqıñız.
error-unsupported-media = Malümatnı JSON olaraq yollañız (Content-Type: application/json).
error-unavailable = Şimdi mektüp qabul etip olamaymız. Lütfen, bir daqqadan soñ bir daa tırışıp baqıñız – metiniñiz saqlanğan.
error-internal = Bizim tarafta bir hata meydanğa keldi. Lütfen, soñra bir daa tırışıp baqıñız.
error-storage-unavailable = Sayt şimdi bir şey saqlap olamay (saqlavı tolu ya da tek oqumaq içün), bu sebepten hiç bir şey deñiştirilmedi. Lütfen, soñra bir daa tırışıp baqıñız.
error-not-found = Saife tapılmadı.
error-not-found-lead = Belki de adres yañlış yazılğandır.
error-letter-not-found = Bu kodnen iç bir mektüp tapılmadı. Kodnı teşkeriñiz: o 16 arif ve raqamdan ibaret.
error-method = Bu metod mında qullanılmay.
error-back-home = Baş saifege
error-title = Hata

## Tracking
track-title = Mektübim
track-lead = Mektübiñizni yollağan soñ alğan koduñıznı kirsetiñiz.
track-code = Közetüv kodu
track-submit = Teşker
thanks-title = Sağ oluñız! Mektübiñiz alındı
thanks-code = Bu siziñ közetüv koduñız. Onı saqlañız: mektübiñizge ne olğanını tek onıñ vastasınen bilip olasıñız.
thanks-link = Mektübiñizniñ saifesine bağlantı
letter-title = { $name } içün mektüp
letter-state = Vaziyeti
letter-received-at = Alındı
letter-journey = Mektüpniñ yolu
state-received = Alındı
state-in_review = Teşkerile
state-needs_translation = Tercime etile
state-approved = Tasdıqlandı
state-rejected = Yollanıp olamay
state-batched = Yollamağa azırlana
state-sent = Yollandı
state-delivered = Teslim etildi
state-withheld = Tsenzura tarafından toqtatıldı
state-returned = Keri qaytarıldı
state-undeliverable = Teslim etilip olamadı; soñra bermek içün saqlana
state-explain-rejected = Bu mektüpni yetkizip olamaymız: onda apishanedeki insanğa zarar berip olacaq ya da tsenzuradan keçmeycek bir şey bar. Qoltutuvıñız içün sağ oluñız – lütfen, ne yazmaq kerek olğanı aqqında tevsiyelerge riayet etip, bir daa yazıp baqıñız.
state-explain-received = Mektüp volonterlerniñ teşkerüvini bekley.

## Events
events-title = Tedbirler
events-lead = Tedbirlerde insanlar mektüplerni beraber yazalar – kitap forumlarında, körüşüvlerde, mekteplerde, Ukrayinada ve çet ellerde.
events-empty = Şimdilik tedbirler yoq.
events-now = Şimdi olıp keçe
events-upcoming = Yaqında
events-past = Keçkenler
event-letters = { $count ->
    *[other] { $count } mektüp
}
event-demo = demo
event-series = Seriya
event-when = Ne vaqıt
event-where = Nerede
kind-book_forum = Kitap forumı
kind-press_tour = Matbuat turu
kind-meeting = Körüşüv
kind-school = Mektep ya da universitet
kind-exhibition = Sergi
kind-online = Onlayn aktsiya
kind-abroad = Çet elde

## Statistics
stats-title = Statistika
stats-lead = Bütün raqamlar kampaniyanıñ mektüplerinden avtomatik olaraq esaplana.
stats-total = Cemi mektüp
stats-by-month = Aylarğa köre
stats-by-year = Yıllarğa köre
stats-by-city = Şeerlerge köre
stats-by-country = Memleketlerge köre
stats-by-source = Nasıl yazıldı
stats-by-prisoner = Kimge
stats-by-event = Tedbirlerde
stats-letters = Mektüpler
stats-empty = Şimdilik malümat yoq.
stats-other-places = Diger yerler
stats-other-places-hint = Mektüp müellifi yazğan şeer ya da memleket ayrı olaraq tek andan moderatorlar teşkergen bir qaç mektüp kelgen soñ kösterile: böylece kimse bir müellifni şeerinden tanıp olamaz.
source-online = Onlayn
source-kiosk = Tedbirde (kiosk)
source-paper = Kâğıtta

## Formatting
month-1 = yanvar
month-2 = fevral
month-3 = mart
month-4 = aprel
month-5 = mayıs
month-6 = iyün
month-7 = iyül
month-8 = avgust
month-9 = sentâbr
month-10 = oktâbr
month-11 = noyabr
month-12 = dekabr
month-name-1 = Yanvar
month-name-2 = Fevral
month-name-3 = Mart
month-name-4 = Aprel
month-name-5 = Mayıs
month-name-6 = İyün
month-name-7 = İyül
month-name-8 = Avgust
month-name-9 = Sentâbr
month-name-10 = Oktâbr
month-name-11 = Noyabr
month-name-12 = Dekabr
date-format = { $day } { $month } { $year }

## Kiosk, tallies and series
kiosk-title = Kiosk
kiosk-written-here = Mında yazılğan mektüpler:
kiosk-offline-note = Bu kiosk internetsiz de çalışa: mektüpler cihazda saqlana ve internet bağlantısı peyda olğanı kibi yollana.
kiosk-thanks = Sağ oluñız! Mektüp yollandı.
kiosk-saved = Sağ oluñız! Mektüp bu cihazda saqlandı ve internet bağlantısı peyda olğanı kibi yollanacaq.
kiosk-pending = Yollanmağa bekley:
kiosk-refused = Bazı mektüpler qabul etilmedi. Olar bu cihazda saqlana: faylğa saqlamaq içün volontörnı çağırıñız.
kiosk-replaced = Bu kiosk bağlantısı yañısınen deñiştirildi.
kiosk-replaced-detail = Volontördan yañı bağlantını ya da QR-kodnı soranız. Bu cihazda yazılğan mektüpler yine de yiberilir.
kiosk-export = Bu mektüplerni faylğa saqlamaq
kiosk-clear = Saqlanğan mektüplerni planşettan ketirmek
kiosk-clear-confirm = Faylğa saqlanğan mektüplerni bu planşettan ketirmekmi? Bunı tek fayl emniyetli şekilde gönüllide olğanda yapıñız: olarnı mında keri qaytarıp olmaz.
kiosk-cleared = Saqlanğan mektüpler planşettan ketirildi.
kiosk-export-to = Kimge
kiosk-export-from = Kimden
kiosk-export-written = Yazıldı
kiosk-to = Kimge yazasıñız
kiosk-unknown = Böyle kiosk yoq. Bağlantını ya da QR-kodnı teşkeriñiz.
kiosk-revoked = Bu kiosk qapalı. Mektüplerni saytta yazmaq mümkün.
kiosk-ended = Tedbir bitti, kiosk artıq mektüp qabul etmey. Mektüplerni saytta yazmaq mümkün.
source-tallied = Kâğıtta (esaplanğan)
events-series-total = Seriyada cemi
events-series-leader = Eñ çoq mektüp
events-series = Tedbirler seriyası
event-tallied = olardan kâğıtta (esaplanğan)

# Limits on the public side (crates/lysty-http/src/limits.rs)
error-too-many-letters = Bağlantıñızdan qısqa vaqıt içinde pek çoq mektüp keldi. Lütfen, { $minutes } daqqadan soñ bir daa tırışıp baqıñız – metiniñiz saqlanğan.
error-too-many-lookups = Bağlantıñızdan pek çoq soraw keldi. Lütfen, bir daqqadan soñ bir daa tırışıp baqıñız.
error-duplicate-letter = Siz tam bu mektüpni endi yolladıñız. Daa bir mektüp yazmaq isteseñiz, onıñ metinini deñiştiriñiz.
error-honeypot = Bu mektüp qabul etilmedi: insanlar körmegen gizli saha toldurılğan. Mektüpni saifeden olğanı kibi bir daa yollañız.
error-proof-of-work = Brauzeriñiz bu mektüpni insan yazğanını daa tasdıqlamadı. Bir qaç saniye bekleñiz ve bir daa yollañız — metiniñiz mında saqlana.
error-proof-of-work-no-script = Mektüp daa yollanmadı: kampaniya avtomatik mektüplerni qabul etmegende, yollamaq içün JavaScript kerek. Metiniñiz mında saqlana — JavaScript-ni açıp bir daa yollañız ya da metinni köçürip başqa brauzerden yazıñız.
error-proof-of-work-api = Şimdi kampaniya er mektüp içün iş isbatını soray: /api/v1/proof-of-work adresinden vazife alıñız, onı çeziñiz ve cevapnı proof_of_work sahasında yollañız.
error-invalid-limit = limit 1-den 200-ge qadar olmalı.
form-honeypot = Bu sahanı boş qaldırıñız

# The writer's check before sending: nothing is saved.
form-check = Evelâ mektüpni teşker
form-check-hint = Biz tsenzor mektüpni toqtatqan şeylerni qıdıramız: dava, cenk, siyaset, diger mapuslar, bağlantı malümatı. Hiç bir şey saqlanmay.
form-proof-working = Brauzer mektüpni insan yazğanını tasdıqlay… Mektüp bir azdan yollanacaq.
form-proof-noscript = Şimdi kampaniya avtomatik mektüplerni qabul etmey, bunıñ içün mektüp yollamaq içün JavaScript kerek. Onı açıñız ya da başqa brauzerden yazıñız; saife açıq olğanda yazğanıñız coyulmaz.
check-title = Ne taptıq
check-clear = Mektübiñizde onı toqtatacaq bir şey yoq. Yollap olasıñız.
check-found = İşaretlengen yerler mektüpni tsenzorda toqtatıp ya da insanğa zarar ketirip olur. Olarnı yañıdan yazıp, bir daa teşkeriñiz — ya da olğanı kibi yollañız: moderator er alda mektüpni oquy.
check-marked = İşaretlengen yerleri ile mektübiñiz
check-advice-political = Siyaset: tsenzor siyaset, Qırım ya da akimiyet aqqında mektüplerni keçirmey, insan cezalandırılıp ola. Kündelik ayat aqqında yazıñız.
check-advice-war = Cenk: cenk, ordu ya da atışlar aqqında sözler mektüpniñ barıp yetmemesiniñ eñ sıq sebebi. Kündelik şeyler aqqında yazıñız.
check-advice-case-details = Dava: dava, mahkeme, ayıplav ya da şaatlar añılğan mektüpler sıq toqtatıla, bu insanğa mahkemede zarar ketirip ola. Kündelik ayat aqqında yazıñız.
check-advice-other-prisoner = Diger mapuslar: tsenzor diger mapuslarnıñ adlarını olar arasında haber keçirüv dep oquy. Er kesge ayrı mektüp yazıñız.
check-advice-coded = Sır: mektüpni yoq etmek ricası ya da gizli manağa işaret tsenzorğa şifre qıdırta. Açıq yazıñız.
check-advice-link = Bağlantı: tsenzor bağlantılarnı keçirmey. Lütfen, onı çıqarıñız.
check-advice-email = Poçta adresi: mektüpte bağlantı malümatı yasaq. Lütfen, onı çıqarıñız.
check-advice-phone = Telefon nomerası: apishanede telefon yasaq, nomera insanğa zarar ketirip ola. Lütfen, onı çıqarıñız.
check-advice-contact = Bağlantı malümatı: messencerler, laqaplar ya da poçta adresleri «tış dünya ile bağ» sayıla. Lütfen, olarnı çıqarıñız.
check-advice-profanity = Söğüş: söğüşli mektüp toqtatıla. Aynı şeyni daa yumşaq aytıñız.

# What each state of a tracked letter means for its writer
state-explain-in_review = Volontörler şimdi mektüpni oquylar: içinde insanğa zarar berecek ya da tsenzorda toqtatılacaq bir şey olmasın dep.
state-explain-needs_translation = Mektüp rus tiline tercime etile: apishanelerde tsenzorlar tek rus tilini keçire. Soñra bir daa teşkerilir.
state-explain-approved = Mektüp teşkerüvden keçti ve insan olğan müessisege kelecek yiberilüvni bekley. Yiberilüvler er afta; bir insanğa aftada tek bir qaç mektüp barır, er biri oqulsın dep.
state-explain-approved-no-facility = Mektüp teşkerüvden keçti. İnsannıñ qayda tutulğanını daa bilmeymiz (insanlarnı sıq haber bermeyip köçüreler); mektüp bekley ve bilgenimiz kibi yiberilir.
state-explain-batched = Mektüp basıldı ve paketlendi, yiberilmege azır.
state-explain-held-transferred = İnsannı başqa müessisege köçürdiler. Mektüp yañı adresni bilgenimizge qadar bekley, soñra ora yiberilir.
state-explain-held-released = İnsan azatta! Mektüp oña öz qolundan berilmek içün saqlana.
state-explain-held-exchanged = İnsan esirler deñişüvinde azat etildi! Mektüp oña öz qolundan berilmek içün saqlana.
state-explain-held-deceased = Pek yazıq: insan vefat etti. Mektüp yiberilmez; onı qayğırıp saqlaymız.
state-explain-rejected-politics = İçinde siyaset aqqında aytıla, bunıñ içün apishanede tsenzor insannı ceza ete.
state-explain-rejected-war = İçinde cenk aqqında aytıla, bunıñ içün apishanede tsenzor insannı ceza ete.
state-explain-rejected-case_details = İçinde insannıñ işi (mahkeme, qabaatlav, advokatlar) añıla, bu oña qarşı qullanılıp olur.
state-explain-rejected-contact_data = İçinde tsenzor toqtatqan bağlanuv malümatı bar.
state-explain-rejected-offensive = İçinde tsenzor keçirmeycek sözler bar.
state-explain-rejected-spam = Şahsiy mektüp kibi oqulmadı.
state-explain-rejected-duplicate = Aynı metin endi yiberildi; bir nusha kâfi.
state-explain-rejected-other = İçindeki bir şey tsenzordan keçmezdi.
state-write-again = Yañı mektüp yazmaq

# The profile: a way to the form from the top, and an example letter beside the guidance
profile-write = Mektüp yazmaq
guidance-example-title = Mektüpniñ qısqa nümunesi
guidance-example = Selâm! Menim adım Olena, Lvivde yaşayım. Bugün saba özen boyunda gezindim: kestaneler çiçek açtı, bütün soqaq bahar qoqusınen tolu. Deñiz aqqında kitap oquyım ve sizni hatırladım. Sağlıq ve quvet tileyim. Yine yazarım. Olena

# The thanks page: what happens next, copy and share
thanks-copy = Bağlantını kopiyalamaq
thanks-copied = Kopiyalandı
thanks-next-title = Soñra ne olur
thanks-next-review = Volontörler mektüpiñizni oqurlar ve kerek olsa rus tiline tercime eterler: apishanelerde tsenzorlar tek rus tilini keçire.
thanks-next-sent-usually = Mektüp basılıp başqalarınen beraber insan olğan müessisege yiberilir: bu kampaniyada bu adetince yazılğanından { $days } kün soñra ola.
thanks-next-sent = Mektüp basılıp başqalarınen beraber insan olğan müessisege kelecek yiberilüvnen yiberilir.
thanks-next-post = Apishane poçtası ve tsenzor daa bir qaç afta alır. Bu saifede er adım körüne.
thanks-updates = Mektüp yiberilgende, teslim etilgende ve cevap kelse, sizge yazarmız.
thanks-no-updates = Mektüpni taqip etmek içün kodnı ya da bağlantını saqlañız: istemegen müelliflerge yazmaymız.
thanks-invite = Başqalarını da yazmağa davet etiñiz. Paylaşılacaq saife:
thanks-share = Paylaşmaq

# Who runs the campaign, and what happens to what writers give
footer-organisers = Kampaniyanı { $names } alıp bara.
about-title = Kampaniya aqqında
about-lead = { $campaign } Rusiye apis etken insanlarğa destek mektüplerini toplay ve olarnı apishane tsenzurasından keçirip yazılğan insanlarğa yetkize.
about-organisers = Kim alıp bara
about-how-title = Mektüp nasıl kete
about-how = Volontörler er mektüpni oquylar, içinde insanğa zarar berecek bir şey olmasın dep; kerek olsa rus tiline tercime eteler (apishanelerde tsenzorlar tek rus tilini keçire), basalar ve başqalarınen beraber müessisege yibereler. Er müellif öz mektüpini kodunen taqip ete bile.
about-contact-title = Bağlanuv
about-contact = Kampaniyağa yazıñız:
about-no-contact = Teşkilâtçılarğa olarnıñ vaqıalarında ya da saytlarında muracaat etiñiz.
privacy-title = Hususiyet
privacy-lead = Bu sayt siz aqqıñızda ne saqlay, onı kim köre ve ne qadar. Saytnıñ öz sazlamalarına köre yazılğan.
privacy-kept-title = Ne saqlana
privacy-kept-letter = Mektüpiñiz, kimge yazılğanı ve ne vaqıt yazğanıñız.
privacy-kept-writer = Tek özüñiz bildirmege qarar bergeniñiz: ad ya da taqma ad, şeer ve memleket. Ad ve şeer mektüpniñ astında imza olaraq basıla.
privacy-kept-email = Elektron poçta adresi tek siz onı bildirip mektüplerge razı olsañız; şifrelengen alda saqlana ve tek mektüpiñiz ve cevap aqqında haberler içün qullanıla.
privacy-kept-not = Saqlanmay: IP adresiñiz. Başqa skriptler ve taqip yoq; bir kuki saylağan tiliñizni hatırlay.
privacy-who-title = Kim köre
privacy-who-staff = Mektüplerni teşkergen, tercime etken ve yibergen kampaniya volontörleri
privacy-who-prison = Siz yazğan insan ve apishane tsenzorı: olar mektüpni teslim etilgen kibi, imzasınen oquylar
privacy-who-public = Halq tek umumiy sayılarnı köre. Şeer ya da memleket tek oradan { $count } mektüp teşkerilgen soñ añıla; adıñız, poçtañız ve mektüpiñiz asla kösterilmey.
privacy-how-long-title = Ne qadar
privacy-how-long = Mektüpler kampaniyanıñ arhivi olaraq saqlana; avtomatik silinüv şimdilik yoq.
privacy-retention = Mektübiñiz teslim etilgen, qaytarılğan ya da toqtatılğan soñ { $days } kün keçkende, adıñız, poçtañız, şeeriñiz ve memleketiñiz ondan ebediyen silinir; tek kampaniyanıñ umumiy saylarında o sayılmaqta devam ete.
privacy-retention-text-kept = Mektüpniñ metni kampaniyanıñ arhivi olaraq saqlana.
privacy-retention-text-erased = Mektüpniñ metni de olarnen beraber silinir.
privacy-ask-title = Malümatıñız aqqında soramaq ya da olarnı sildirmek içün
privacy-ask = Yazıñız:
