# Safety flags: advice to moderators about what in a letter may stop it at the prison
# censor or harm the prisoner. Flags never reject a letter; the moderator decides.
#
# Variables: $language is the name from a flag-language-* message, already translated;
# $terms is the list of words that matched, joined with commas; $actual and $max are
# character counts; $count is how many other letters have the same text.
#
# Crimean Tatar nouns do not change after numerals: selectors have only the default variant.

flag-not-russian = Mektüpniñ tili: { $language }. Rusiye apishanelerinde tsenzura tek rus tilindeki mektüplerni keçire, şunıñ içün tercime etilmese, bu mektüp yerine yetmeycek. Lütfen, onı tercimege yollañız.
flag-political = Siyasiy sözler: { $terms }. Siyaset aqqında mektüpni tsenzor keçirmeycek, insan ise böyle mektüpleşüv içün cezalandırılıp ola. Müelliften bu sözlerni yoq etmesini ya da aynı fikirni olarsız aytmasını rica etiñiz.
flag-war = Cenk aqqında sözler: { $terms }. Cenkni, ordunı ya da bombardımanlarnı añmaq – mektüplerniñ toqtatılmasınıñ eñ sıq sebebidir, bu da insanğa zarar berip ola. Kündelik ayat aqqında yazmaq daa yahşı.
flag-case-details = Cinaiy işniñ tafsilâtı: { $terms }. Cinaiy iş, ittiham ya da diger qabaatlanğanlar aqqında er bir şeyni tsenzor tahqiqatqa qarışuv olaraq qabul ete: mektüp toqtatıla, insanğa ise bu mahkemede ya da koloniyada zarar berip ola. Lütfen, bu yerlerni metinden yoq etiñiz.
flag-link = Mektüpte bağlantı bar. Tsenzorlar bağlantılarnı keçirmeyler, çünki olarda gizli haber yetkizmek çaresini köreler, insan ise yasaq alâqada qabaatlanıp ola. Lütfen, bağlantını yoq etiñiz.
flag-email = Mektüpte e-mail adresi bar. Tsenzorlar alâqa malümatını keçirmeyler, insan ise tış dünya ile alâqa qurmağa tırışqanı içün cezalandırılıp ola. Lütfen, adresni metinden yoq etiñiz.
flag-phone = Mektüpte telefon nomeri bar. Apishanede telefon tutmaq yasaq, şunıñ içün mektüpteki nomer insanğa qarşı qullanılıp ola, mektüp ise toqtatılıp ola. Lütfen, nomerni yoq etiñiz.
flag-other-prisoner = Diger mapuslar añılğan: { $terms }. Bir mapusqa yazılğan mektüpte digeriniñ adı olsa, tsenzor onı mapuslar arasında haber keçirüv dep oquy: mektüp toqtatıla, ekisi de soraqqa çekilip ola. Lütfen, adlarnı çıqarıñız.
flag-coded = Sır ya da gizli mana: { $terms }. Mektüpni yoq etmek, sır saqlamaq rica etilse ya da gizli manağa işaret olsa, tsenzor şifre qıdıra: mektüp toqtatıla, insan soraqqa çekile. Lütfen, bu sözlerni çıqarıñız.
flag-contact = Bağlantı malümatı: { $terms }. Messencer adı, laqap ya da poçta adresi tsenzor içün «tış dünya ile bağ»: mektüp toqtatıla, insan cezalandırılıp ola. Lütfen, olarnı çıqarıñız.
flag-writer-warned = Müellif mektüpni yollamazdan evel teşkerdi ve şu haqta tenbi körgen edi: { $terms }. O, mektüpni olğanı kibi yollamağa qarar berdi.
flag-profanity = Söğüş sözleri: { $terms }. Tsenzorlar söğüşli mektüplerni toqtatalar, bu ise insanğa belâ ketirip ola. Müelliften aynı şeyni daa yumşaq aytmasını rica etiñiz.
flag-too-long = Mektüp pek uzun: { $actual ->
       *[other] { $actual } işaret
    }, bu müessise ise eñ çoq { $max } işaret qabul ete. Daa uzun mektüpni uzun müddetke keçiktirip olalar ya da umumen bermezler. Lütfen, eñ sıcaq yerlerini saqlap, onı qısqartmağa yardım etiñiz.
flag-repeated = { $count ->
       *[other] Daa { $count } mektüpte tamam bu metin bar.
    } Tsenzorlar aynı mektüplerni teşkilâtlı kampaniya olaraq köreler, olarnıñ episini toqtatıp, insannı bu sebepten sorğuğa çekip olalar. Müellifniñ öz bir qaç sözü mektüpni em daa emniyetli, em daa sıcaq yapa.
flag-foreign-words = Latin arifleri ya da qısqartmalar: { $terms }. Tsenzor er bir sözni añlamalı: añlaşılmağan şeyni o şifr dep qabul ete ve mektüpni toqtata, ZSU ya da SBU kibi qısqartmalar ise em de siyasiydir. Lütfen, olarnı rusça sözlernen deñiştiriñiz.

flag-language-uk = ukrain tili
flag-language-en = ingliz tili
flag-language-ru = rus tili
flag-language-pl = polâk tili
flag-language-de = nemse tili
flag-language-fr = frantsuz tili
flag-language-tr = türk ya da qırımtatar tili
flag-language-und = belgilenip olamadı

lexicon-category-political = Siyaset
lexicon-category-war = Cenk
lexicon-category-case-details = Cinaiy işniñ tafsilâtı
lexicon-category-coded = Sır ve gizli mana
lexicon-category-contact = Bağlantı malümatı
lexicon-category-harmless = Zararsız kontekst
lexicon-category-profanity = Söğüş

# The short names of the kinds, where a list of them is shown.
flag-name-political = siyaset
flag-name-war = cenk
flag-name-case-details = dava
flag-name-other-prisoner = diger mapuslar
flag-name-coded = sır
flag-name-link = bağlantı
flag-name-email = poçta adresi
flag-name-phone = telefon nomerası
flag-name-contact = bağlantı malümatı
flag-name-profanity = söğüş
flag-name-foreign-words = latin sözleri
