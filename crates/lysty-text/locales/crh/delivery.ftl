## Delivery as writers and readers see it: the letter's journey, replies, emails.

letter-reply-received = Cevap keldi
state-explain-sent = Mektüp müessisege yiberildi. Poçta ve hapishane tsenzurası yavaş çalışa: teslim etüv bir qaç hafta sürebile.
state-explain-delivered = Mektüp teslim etildi. Yazğanıñız içün sağ oluñız: hapistegi insan içün er bir mektüp pek qıymetli.
state-explain-withheld = Tsenzura yaki müessise bu mektüpni bermedi. Bu siziñ qabaatıñız degil; sözleriñizni başqa yolnen yetiştirmege tırışacaqmız.
state-explain-returned = Poçta mektüpni qaytardı. Sebebini bilip, kene tırışacaqmız.
state-explain-undeliverable = Şimdi mektüpni bermek mümkün degil: insan başqa yerge köçürildi, azat etildi yaki deñiştirildi. Soñ bermek içün onı saqlaymız.
state-explain-replied = Siz yazğan insan cevap yiberdi. Eger o razı olsa, cevap onıñ saifesinde derc etildi.
profile-replies = Hapisten cevaplar
profile-reply-received = Alındı: { $date }

email-reply-subject = { $name } mektüplerge cevap bere
email-reply-body =
    Selâm!

    Siz { $name } içün mektüp yazdıñız. Mektübiñiz teslim etildi, ve şimdi cevap keldi.

    Mektübiñizniñ yolu: { $url }

    Yazğanıñız içün sağ oluñız. Bu mektüpni adresiñizni qaldırıp, haber almağa razılıq bergeniñiz içün alasıñız; başqa bir şey yibermeycekmiz.

delivery-error-no-address = Müessiseniñ poçta adresi yoq. Müessiseler reyestrine adresni qoşıñız, soñ paketni tizimleñiz.
delivery-error-no-placement = Bu insan içün müessise kösterilmegen. Nerede bulunğanını yazıñız, soñ paketni tizimleñiz.
delivery-error-channel = Bu müessise mektüplerni bu usulnen qabul etmey. Başqa usulnı saylañız yaki müessiseniñ qaidelerini deñiştiriñiz.
delivery-error-nothing = Bu müessisege bu usulnen yiberilmege bekleyen mektüp yoq (insan başına haftalıq sıñırnı esapqa alıp).
delivery-error-sent-already = Bu paket endi yiberilgen olaraq belgilengen.
delivery-error-wrong-state = Mektüpniñ şimdiki alı: «{ $state }»; onıñnen bu areketni yapmaq mümkün degil.
delivery-error-too-long = { $reference } mektübi müessiseniñ elektron hizmeti içün pek uzun ({ $limit } işaretke qadar), hizmet ise mektüpni parçalarğa bölmege izin bermey.
delivery-error-rows = { $count ->
    [one] Faylnıñ { $count } satırında hata bar; hiç bir şey deñiştirilmedi.
   *[other] Faylnıñ { $count } satırında hata bar; hiç bir şey deñiştirilmedi.
}
