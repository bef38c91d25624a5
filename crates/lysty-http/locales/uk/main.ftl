# Ukrainian: the default language of Lysty.

language-name = Українська
site-name = Листи
skip-to-content = Перейти до змісту
nav-home = Головна
nav-prisoners = Кому написати
nav-events = Події
nav-stats = Статистика
nav-track = Мій лист
nav-language = Мова
demo-banner = Це демонстраційні дані: події вигадані для прикладу, а листи нікуди не надсилаються.
footer-privacy = Ми не зберігаємо IP-адрес, не використовуємо сторонніх скриптів і не показуємо вашого імені без вашої згоди.
footer-about = Lysty — відкрите програмне забезпечення для кампаній листів політв'язням.

## Home
home-title = Листи до вільного Криму
home-lead = Лист підтримки нагадує людині в російській в'язниці, що про неї пам'ятають. Напишіть кілька теплих слів — ми перекладемо, передамо через цензуру й повідомимо, коли лист дійде.
home-cta = Написати лист
home-counter-letters = { $count ->
    [one] лист написано
    [few] листи написано
    *[many] листів написано
}
home-counter-month = цього місяця
home-counter-prisoners = { $count ->
    [one] людина чекає на листи
    [few] людини чекають на листи
    *[many] людей чекають на листи
}
home-counter-cities = { $count ->
    [one] місто
    [few] міста
    *[many] міст
}
home-waiting-title = Хто чекає на листи
home-all-prisoners = Усі, кому можна написати
home-how-title = Як це працює
home-how-write = Ви пишете лист будь-якою мовою — про звичайне життя, книжки, погоду, своє місто.
home-how-review = Волонтери перевіряють лист і перекладають його російською, щоб він пройшов цензуру.
home-how-deliver = Ми передаємо лист до в'язниці, а ви за кодом бачите, що з ним відбувається.

## Prisoners
prisoners-title = Кому написати
prisoners-lead = Оберіть людину, якій хочете написати. Біля кожного імені — скільки листів уже написано.
prisoners-empty = Поки що тут нікого немає.
prisoners-letters = { $count ->
    [one] { $count } лист
    [few] { $count } листи
    *[many] { $count } листів
}
prisoners-next = Далі
status-detained = Під вартою
status-convicted = { $gender ->
    [female] Засуджена
    [male] Засуджений
   *[other] Засуджений(-а)
}
status-released = { $gender ->
    [female] Звільнена
    [male] Звільнений
   *[other] Звільнений(-а)
}
status-exchanged = { $gender ->
    [female] Звільнена під час обміну
    [male] Звільнений під час обміну
   *[other] Звільнений(-а) під час обміну
}
status-deceased = { $gender ->
    [female] Померла
    [male] Помер
   *[other] Помер(-ла)
}
status-unknown = Доля невідома
prisoner-photo-placeholder = Фото немає

## Profile and letter form
profile-story = Історія
profile-facility = Місце утримання
profile-letters = { $count ->
    [one] Уже написано { $count } лист
    [few] Уже написано { $count } листи
    *[many] Уже написано { $count } листів
}
profile-not-accepting = Ця людина вже на волі або не може отримувати листи, тому форма закрита.
guidance-title = Що писати
guidance-do = Пишіть про звичайне життя: книжки, фільми, погоду, природу, своє місто, про те, що вас тішить. Ставте запитання — листи, на які можна відповісти, важать найбільше.
guidance-avoid = Не пишіть про війну, політику, справу цієї людини, інших в'язнів і нічого, що можна прочитати як шифр. Такий лист не пропустить цензура, а людину можуть покарати.
guidance-language = Пишіть будь-якою мовою. Листи до російських в'язниць мають бути російською, тому волонтери перекладуть ваш лист; оригінал збережеться.
guidance-next = Після надсилання лист перевірять модератори, за потреби перекладуть і передадуть до в'язниці. За кодом відстеження ви побачите кожен крок.
guidance-privacy = Ім'я, місто й email необов'язкові. Email ми шифруємо і використовуємо лише для новин про ваш лист, якщо ви на це погодились.
guidance-person = Порада щодо цієї людини
form-title = Ваш лист
form-body = Текст листа
form-body-hint = До { $max } символів. Будь-якою мовою.
form-language = Мова листа
form-language-und = Не знаю / не вказувати
form-language-uk = Українська
form-language-ru = Російська
form-language-crh = Кримськотатарська
form-language-en = Англійська
form-language-other = Інша
form-optional = Про вас (необов'язково)
form-writer-name = Ім'я або псевдонім
form-writer-name-hint = Так ваш лист буде підписано. Можна залишити порожнім.
form-writer-city = Місто
form-writer-country = Країна
form-writer-email = Email
form-writer-email-hint = Лише для новин про ваш лист. Ми його шифруємо і нікому не передаємо.
form-email-consent = Я погоджуюсь, щоб мені написали на цей email про мій лист і відповідь на нього.
form-submit = Надіслати лист
form-errors-title = Лист не надіслано. Виправте, будь ласка:
form-keep-text = Ваш текст збережено нижче — скопіюйте його, щоб не загубити.
form-your-text = Ваш текст

## Errors tied to fields
error-prisoner-empty = Оберіть, кому ви пишете.
error-prisoner-invalid = Такої людини немає у списку.
error-prisoner-too-long = Такої людини немає у списку.
error-prisoner-control = Такої людини немає у списку.
error-body-empty = Напишіть текст листа.
error-body-too-long = Лист задовгий: { $actual } символів, а можна до { $max }. Скоротіть, будь ласка.
error-body-control = У тексті є невидимі службові символи. Видаліть їх, будь ласка.
error-body-invalid = Текст листа не вдалося прочитати.
error-body-encoding = Частину тексту не вдалося прочитати (неправильне кодування). Перевірте текст і надішліть ще раз.
error-language-invalid = Оберіть мову зі списку.
error-language-empty = Оберіть мову зі списку.
error-language-too-long = Оберіть мову зі списку.
error-language-control = Оберіть мову зі списку.
error-writer-name-too-long = Ім'я задовге: до { $max } символів.
error-writer-name-control = В імені є службові символи.
error-writer-name-empty = Ім'я порожнє.
error-writer-name-invalid = Ім'я не вдалося прочитати.
error-writer-city-too-long = Назва міста задовга: до { $max } символів.
error-writer-city-control = У назві міста є службові символи.
error-writer-city-empty = Назва міста порожня.
error-writer-city-invalid = Назву міста не вдалося прочитати.
error-writer-country-too-long = Назва країни задовга: до { $max } символів.
error-writer-country-control = У назві країни є службові символи.
error-writer-country-empty = Назва країни порожня.
error-writer-country-invalid = Назву країни не вдалося прочитати.
error-writer-email-invalid = Це не схоже на email. Перевірте адресу або залиште поле порожнім.
error-writer-email-too-long = Email задовгий.
error-writer-email-control = В email є службові символи.
error-writer-email-empty = Email порожній.
error-email-consent-missing = Щоб ми могли написати вам, поставте позначку згоди — або залиште email порожнім.
error-event-invalid = Невідома подія.
error-event-empty = Невідома подія.
error-event-too-long = Невідома подія.
error-event-control = Невідома подія.
error-idempotency-key-invalid = Форму пошкоджено. Оновіть сторінку й надішліть ще раз.
error-idempotency-key-too-long = Форму пошкоджено. Оновіть сторінку й надішліть ще раз.
error-idempotency-key-empty = Форму пошкоджено. Оновіть сторінку й надішліть ще раз.
error-idempotency-key-control = Форму пошкоджено. Оновіть сторінку й надішліть ще раз.

## Errors of the whole request
error-unknown-prisoner = Такої людини немає у списку. Оберіть, кому написати, на сторінці «Кому написати».
error-prisoner-not-accepting = Ця людина вже не може отримувати листи через форму.
error-idempotency-key-reused = Цей лист не надіслано: форма вже використовувалась для іншого листа. Перевірте текст і надішліть ще раз.
error-unknown-event = Такої події немає.
error-too-large = Лист завеликий, щоб його прийняти. Поверніться назад — ваш текст залишився у формі — і скоротіть його.
error-malformed = Не вдалося прочитати надіслані дані. Поверніться назад і спробуйте ще раз.
error-unsupported-media = Надішліть дані як JSON (Content-Type: application/json).
error-unavailable = Ми не можемо прийняти лист саме зараз. Спробуйте ще раз за хвилину — ваш текст збережено.
error-internal = Щось пішло не так з нашого боку. Спробуйте пізніше.
error-storage-unavailable = Сайт зараз не може нічого зберегти (його сховище заповнене або лише для читання), тож нічого не змінено. Спробуйте пізніше.
error-not-found = Сторінку не знайдено.
error-not-found-lead = Можливо, адресу введено з помилкою.
error-letter-not-found = Лист з таким кодом не знайдено. Перевірте код: він складається з 16 літер і цифр.
error-method = Цей метод тут не підтримується.
error-back-home = На головну
error-title = Помилка

## Tracking
track-title = Мій лист
track-lead = Введіть код, який ви отримали після надсилання листа.
track-code = Код відстеження
track-submit = Перевірити
thanks-title = Дякуємо! Ваш лист отримано
thanks-code = Ваш код відстеження. Збережіть його: лише за ним можна дізнатися, що з листом.
thanks-link = Посилання на сторінку листа
letter-title = Лист до: { $name }
letter-state = Стан
letter-received-at = Отримано
letter-journey = Шлях листа
state-received = Отримано
state-in_review = На перевірці
state-needs_translation = Перекладається
state-approved = Перевірено
state-rejected = Не може бути надіслано
state-batched = Готується до відправлення
state-sent = Надіслано
state-delivered = Доставлено
state-withheld = Затримано цензурою
state-returned = Повернуто
state-undeliverable = Не вдалося доставити; зберігаємо, щоб передати пізніше
state-explain-rejected = Цей лист не вдасться передати: у ньому є те, що могло б зашкодити людині у в'язниці або не пройти цензуру. Дякуємо вам за підтримку — спробуйте написати ще раз, дотримуючись порад щодо змісту.
state-explain-received = Лист чекає на перевірку волонтерами.

## Events
events-title = Події
events-lead = На подіях люди пишуть листи разом — на книжкових форумах, зустрічах, у школах, в Україні й за кордоном.
events-empty = Подій поки немає.
events-now = Зараз
events-upcoming = Незабаром
events-past = Минулі
event-letters = { $count ->
    [one] { $count } лист
    [few] { $count } листи
    *[many] { $count } листів
}
event-demo = демо
event-series = Серія
event-when = Коли
event-where = Де
kind-book_forum = Книжковий форум
kind-press_tour = Прес-тур
kind-meeting = Зустріч
kind-school = Школа чи університет
kind-exhibition = Виставка
kind-online = Онлайн-акція
kind-abroad = За кордоном

## Statistics
stats-title = Статистика
stats-lead = Усі цифри рахуються автоматично з листів кампанії.
stats-total = Усього листів
stats-by-month = За місяцями
stats-by-year = За роками
stats-by-city = За містами
stats-by-country = За країнами
stats-by-source = Як написано
stats-by-prisoner = Кому
stats-by-event = На подіях
stats-letters = Листів
stats-empty = Даних поки немає.
stats-other-places = Інші місця
stats-other-places-hint = Місто чи країну, які вказав автор листа, показуємо окремо лише тоді, коли звідти надійшло щонайменше кілька перевірених модераторами листів: так ніхто не впізнає одного автора за його містом.
source-online = Онлайн
source-kiosk = На події (кіоск)
source-paper = На папері

## Formatting
month-1 = січня
month-2 = лютого
month-3 = березня
month-4 = квітня
month-5 = травня
month-6 = червня
month-7 = липня
month-8 = серпня
month-9 = вересня
month-10 = жовтня
month-11 = листопада
month-12 = грудня
month-name-1 = Січень
month-name-2 = Лютий
month-name-3 = Березень
month-name-4 = Квітень
month-name-5 = Травень
month-name-6 = Червень
month-name-7 = Липень
month-name-8 = Серпень
month-name-9 = Вересень
month-name-10 = Жовтень
month-name-11 = Листопад
month-name-12 = Грудень
date-format = { $day } { $month } { $year }

## Kiosk and series
kiosk-title = Кіоск
kiosk-written-here = Листи, написані тут:
kiosk-offline-note = Цей кіоск працює і без інтернету: листи зберігаються на пристрої й надсилаються, щойно з'явиться зв'язок.
kiosk-thanks = Дякуємо! Лист надіслано.
kiosk-saved = Дякуємо! Лист збережено на цьому пристрої й буде надіслано, щойно з'явиться зв'язок.
kiosk-pending = Чекають на надсилання:
kiosk-refused = Деякі листи не прийнято. Вони збережені на цьому пристрої: покличте волонтера, щоб зберегти їх у файл.
kiosk-replaced = Це посилання на кіоск замінили новим.
kiosk-replaced-detail = Попросіть у волонтера нове посилання чи QR-код. Листи, уже написані на цьому пристрої, все одно буде надіслано.
kiosk-export = Зберегти ці листи у файл
kiosk-export-to = Кому
kiosk-export-from = Від кого
kiosk-export-written = Написано
kiosk-to = Кому ви пишете
kiosk-unknown = Такого кіоску немає. Перевірте посилання або QR-код.
kiosk-revoked = Цей кіоск закрито. Листи можна написати на сайті.
kiosk-ended = Подія завершилася, і кіоск більше не приймає листів. Листи можна написати на сайті.
source-tallied = На папері (пораховано)
events-series-total = Усього в серії
events-series-leader = Найбільше листів
events-series = Серія подій
event-tallied = з них паперових (пораховано)

# Limits on the public side (crates/lysty-http/src/limits.rs)
error-too-many-letters = З вашого підключення надійшло забагато листів за короткий час. Спробуйте ще раз за { $minutes ->
    [one] { $minutes } хвилину
    [few] { $minutes } хвилини
   *[many] { $minutes } хвилин
} — ваш текст збережено.
error-too-many-lookups = Забагато запитів з вашого підключення. Спробуйте ще раз за хвилину.
error-duplicate-letter = Ви вже надіслали саме цей лист. Якщо хочете написати ще один, змініть його текст.
error-honeypot = Цей лист не прийнято: заповнено приховане поле, якого люди не бачать. Надішліть лист ще раз зі сторінки як є.
form-honeypot = Залиште це поле порожнім

# The writer's check before sending: nothing is saved.
form-check = Спершу перевірити лист
form-check-hint = Ми шукаємо те, через що тюремний цензор затримує листи: справу, війну, політику, інших в'язнів, контакти. Нічого не зберігається.
check-title = Що ми знайшли
check-clear = У вашому листі немає нічого, через що його зазвичай затримують. Можна надсилати.
check-found = Позначені місця можуть затримати лист у цензора або зашкодити людині. Перепишіть їх і перевірте ще раз — або надішліть як є: модератор однаково прочитає лист.
check-marked = Ваш лист із позначеними місцями
check-advice-political = Політика: листи про політику, Крим чи владу цензор не пропускає, а людину можуть покарати. Напишіть про звичайне життя.
check-advice-war = Війна: згадки про війну, армію чи обстріли — найчастіша причина, чому лист не доходить. Краще написати про повсякденне.
check-advice-case-details = Справа: листи, що згадують справу, суд, статтю чи свідків, часто затримують, а це може зашкодити людині в суді. Напишіть про повсякденне життя.
check-advice-other-prisoner = Інші в'язні: імена інших ув'язнених цензор читає як передачу повідомлень. Напишіть окремий лист кожному.
check-advice-coded = Таємність: прохання знищити лист чи натяки на прихований зміст змушують цензора шукати шифр. Пишіть просто й відкрито.
check-advice-link = Посилання: цензор не пропускає посилань. Приберіть його.
check-advice-email = Адреса пошти: контакти в листі заборонені. Приберіть адресу.
check-advice-phone = Номер телефону: телефони у в'язниці заборонені, номер може нашкодити людині. Приберіть його.
check-advice-contact = Контакти: месенджери, нікнейми чи поштові адреси цензор вважає «зв'язком із волею». Приберіть їх.
check-advice-profanity = Лайка: лист із лайкою затримують. Скажіть те саме м'якше.

# What each state of a tracked letter means for its writer
state-explain-in_review = Волонтери зараз читають лист, щоб у ньому не було нічого, що могло б зашкодити людині чи зупинити лист у цензора.
state-explain-needs_translation = Лист перекладають російською: цензори у в'язницях пропускають лише російську. Після цього його ще раз перевірять.
state-explain-approved = Лист пройшов перевірку й чекає на наступне відправлення до установи, де перебуває людина. Відправлення — щотижня; одній людині доходить лише кілька листів на тиждень, щоб кожен прочитали.
state-explain-approved-no-facility = Лист пройшов перевірку. Ми ще не знаємо, де тримають людину (людей часто переводять без попередження); лист чекає й поїде, щойно дізнаємося.
state-explain-batched = Лист надруковано й запаковано, він готовий до відправлення.
state-explain-held-transferred = Людину перевели до іншої установи. Лист чекає, поки ми дізнаємося нову адресу, і поїде туди.
state-explain-held-released = Людина на волі! Лист збережено, щоб передати їй особисто.
state-explain-held-exchanged = Людину звільнили під час обміну! Лист збережено, щоб передати їй особисто.
state-explain-held-deceased = Нам дуже прикро: людина померла. Лист не буде надіслано; ми бережемо його.
state-explain-rejected-politics = У ньому йдеться про політику, за яку цензор у в'язниці карає людину.
state-explain-rejected-war = У ньому йдеться про війну, за яку цензор у в'язниці карає людину.
state-explain-rejected-case_details = У ньому згадано справу людини (суд, звинувачення, адвокатів), і це можуть використати проти неї.
state-explain-rejected-contact_data = У ньому є контактні дані, які цензор зупиняє.
state-explain-rejected-offensive = У ньому є слова, яких цензор не пропустить.
state-explain-rejected-spam = Він не читався як особистий лист.
state-explain-rejected-duplicate = Такий самий текст уже надіслано; одного примірника досить.
state-explain-rejected-other = Щось у ньому не пройшло б цензуру.
state-write-again = Написати новий лист

# The profile: a way to the form from the top, and an example letter beside the guidance
profile-write = Написати лист
guidance-example-title = Короткий приклад листа
guidance-example = Добрий день! Мене звати Олена, я живу у Львові. Сьогодні вранці гуляла біля річки: цвітуть каштани, і вся вулиця пахне весною. Читаю книжку про море й подумала про вас. Бажаю здоров'я і сил. Напишу ще. Олена

# The thanks page: what happens next, copy and share
thanks-copy = Скопіювати посилання
thanks-copied = Скопійовано
thanks-next-title = Що буде далі
thanks-next-review = Волонтери прочитають ваш лист і, якщо треба, перекладуть російською: цензори у в'язницях пропускають лише російську.
thanks-next-sent-usually = Його надрукують і надішлють разом з іншими до установи, де перебуває людина: у цій кампанії це зазвичай { $days ->
    [one] приблизно { $days } день
    [few] приблизно { $days } дні
   *[other] приблизно { $days } днів
} від написання.
thanks-next-sent = Його надрукують і надішлють разом з іншими до установи, де перебуває людина, з наступним відправленням.
thanks-next-post = Тюремна пошта й цензура займуть ще кілька тижнів. На цій сторінці видно кожен крок.
thanks-updates = Ми напишемо вам, коли лист надішлють, коли його доставлять і якщо прийде відповідь.
thanks-no-updates = Збережіть код або посилання, щоб стежити за листом: авторам, які не просили, ми не пишемо.
thanks-invite = Запросіть інших теж написати. Сторінка, якою можна поділитися:
thanks-share = Поділитися

# Who runs the campaign, and what happens to what writers give
footer-organisers = Кампанію ведуть { $names }.
about-title = Про кампанію
about-lead = { $campaign } збирає листи підтримки людям, яких ув'язнила Росія, і проводить їх крізь тюремну цензуру до тих, кому їх написано.
about-organisers = Хто її веде
about-how-title = Як іде лист
about-how = Волонтери читають кожен лист, щоб у ньому не було нічого, що може зашкодити людині, за потреби перекладають російською (цензори у в'язницях пропускають лише російську), друкують і надсилають до установи разом з іншими. Кожен автор може стежити за своїм листом за кодом.
about-contact-title = Контакти
about-contact = Напишіть кампанії:
about-no-contact = Зверніться до організаторів на їхніх заходах або на їхніх сайтах.
privacy-title = Приватність
privacy-lead = Що цей сайт зберігає про вас, хто це бачить і як довго. Написано за налаштуваннями самого сайту.
privacy-kept-title = Що зберігається
privacy-kept-letter = Ваш лист, людина, якій він адресований, і коли ви його написали.
privacy-kept-writer = Лише те, що ви вирішили вказати: ім'я чи псевдонім, місто й країну. Ім'я та місто друкуються під листом як підпис.
privacy-kept-email = Адреса електронної пошти — лише якщо ви її вказали й погодилися на листи; вона зберігається зашифрованою і використовується лише для новин про ваш лист і відповідь.
privacy-kept-not = Не зберігається: ваша IP-адреса. Жодних сторонніх скриптів і стеження; одне куки пам'ятає обрану мову.
privacy-who-title = Хто це бачить
privacy-who-staff = Волонтери кампанії, які перевіряють, перекладають і надсилають листи
privacy-who-prison = Людина, якій ви написали, і тюремний цензор: вони читають лист таким, яким його доставлено, з підписом
privacy-who-public = Публіка бачить лише підсумки. Місто чи країну названо лише тоді, коли { $count ->
    [one] перевірено { $count } лист звідти
    [few] перевірено { $count } листи звідти
   *[other] перевірено { $count } листів звідти
}; ваше ім'я, пошта й лист ніколи не показуються.
privacy-how-long-title = Як довго
privacy-how-long = Листи зберігаються як архів кампанії; автоматичного видалення поки немає.
privacy-retention = { $days ->
        [one] Через { $days } день після того, як лист доставлено, повернуто чи зупинено,
        [few] Через { $days } дні після того, як лист доставлено, повернуто чи зупинено,
       *[other] Через { $days } днів після того, як лист доставлено, повернуто чи зупинено,
    } ваше ім'я, пошту, місто й країну назавжди стирають із нього; лише загальні підсумки кампанії далі його враховують.
privacy-retention-text-kept = Текст листа зберігається як архів кампанії.
privacy-retention-text-erased = Текст листа стирають разом із ними.
privacy-ask-title = Щоб запитати про свої дані або видалити їх
privacy-ask = Напишіть:
