# The dispatcher's pages, Ukrainian: batches, outcomes, held letters, the letter bank,
# replies, facilities and placements.

dispatch-nav-delivery = Відправлення
dispatch-nav-held = Затримані листи
dispatch-nav-bank = Банк листів
dispatch-nav-replies = Відповіді
dispatch-nav-facilities = Установи

## Shared words

dispatch-choose = Оберіть…
dispatch-facility = Установа
dispatch-channel = Спосіб передачі
dispatch-channels = Способи передачі
dispatch-channel-post = Пошта
dispatch-channel-electronic = Електронна служба листів
dispatch-channel-handover = Передача через адвоката чи рідних
dispatch-prisoner = Кому
dispatch-prisoners = Людей
dispatch-reference = Номер листа
dispatch-received = Отримано
dispatch-language = Мова
dispatch-letters = Листів
dispatch-state = Стан
dispatch-created = Сформовано
dispatch-sent = Надіслано
dispatch-not-sent = Ще не надіслано
dispatch-print = Друк
dispatch-download-pdf = Завантажити PDF
dispatch-view-scan = Переглянути скан
dispatch-scan-hint = JPEG, PNG, WebP або PDF, до 10 МБ.
dispatch-back-to-desk = Повернутися до відправлення
dispatch-since-hint = Якщо залишити порожнім, буде сьогоднішня дата.
dispatch-line = Рядок { $line }

## The desk

dispatch-desk-title = Відправлення листів
dispatch-unplaced = { $count ->
    [one] { $count } схвалений лист чекає: для людини не вказано установу. Запишіть, де вона перебуває, щоб лист міг піти.
    [few] { $count } схвалені листи чекають: для людей не вказано установу. Запишіть, де вони перебувають, щоб листи могли піти.
   *[many] { $count } схвалених листів чекають: для людей не вказано установу. Запишіть, де вони перебувають, щоб листи могли піти.
}
dispatch-held-count = Затримані листи: { $count }
dispatch-new-batch = Новий пакет
dispatch-new-batch-lead = Оберіть установу і спосіб передачі, перегляньте листи, які підуть, і сформуйте пакет.
dispatch-prisoner-optional = Лише для однієї людини (необов'язково)
dispatch-all-prisoners = Усі люди в цій установі
dispatch-preview = Переглянути листи
dispatch-preview-title = Листи для пакета
dispatch-preview-count = { $count ->
    [one] { $count } лист піде в пакет.
    [few] { $count } листи підуть у пакет.
   *[many] { $count } листів підуть у пакет.
}
dispatch-preview-cap = { $count ->
    [one] Не більше { $count } листа на людину за сім днів; решта піде наступними пакетами.
   *[other] Не більше { $count } листів на людину за сім днів; решта піде наступними пакетами.
}
dispatch-excerpt = Початок тексту
dispatch-build = Сформувати пакет
dispatch-no-facilities = Реєстр установ порожній: додайте установу, щоб формувати пакети.
dispatch-recent-batches = Останні пакети
dispatch-batches-empty = Пакетів ще немає.
dispatch-outcomes-title = Результати доставки з файлу
dispatch-outcomes-lead = Файл CSV зі стовпцями reference (номер листа), outcome (delivered, withheld, returned або undeliverable) і note (примітка). Якщо хоч один рядок містить помилку, не буде записано жодного.
dispatch-outcomes-file = Файл CSV
dispatch-outcomes-upload = Завантажити результати
dispatch-outcomes-no-file = Оберіть файл CSV із результатами.
dispatch-outcomes-imported = { $count ->
    [one] Записано результат для { $count } листа.
   *[other] Записано результати для { $count } листів.
}

## A batch

dispatch-batch-title = Пакет листів
dispatch-sent-on = Надіслано { $date }
dispatch-sent-reference-short = номер відправлення
dispatch-download-pdf-kit = PDF із бланком для відповіді
dispatch-reply-kit-hint = Бланк для відповіді — окрема сторінка для кожної людини: як і куди вона може відповісти.
dispatch-copy-text = Текст для копіювання в електронну службу
dispatch-copy-text-hint = Кожен лист розбито на повідомлення, які приймає служба установи.
dispatch-batch-letters = Листи в пакеті
dispatch-evidence = Підтвердження
dispatch-mark-sent = Позначити як надісланий
dispatch-mark-sent-lead = Коли пакет пішов поштою, електронною службою чи з рук у руки, позначте це: листи отримають стан «Надіслано», і автори побачать це на сторінці листа.
dispatch-sent-date = Дата відправлення
dispatch-sent-reference = Номер відправлення (трек-номер, квитанція), якщо є
dispatch-mark-sent-button = Позначити надісланим
dispatch-record-outcomes = Що сталося з листами
dispatch-record-outcomes-lead = Запишіть результат, коли дізнаєтеся його: з листа-відповіді, повідомлення служби чи повернення поштою.
dispatch-outcome = Результат
dispatch-outcome-delivered = Доставлено
dispatch-outcome-withheld = Затримано цензурою чи установою
dispatch-outcome-returned = Повернуто поштою
dispatch-outcome-undeliverable = Неможливо доставити (у банк листів)
dispatch-outcome-note = Примітка
dispatch-outcome-scan = Скан або фото підтвердження (необов'язково)
dispatch-record-outcome = Записати результат
dispatch-notice-sent = Пакет позначено як надісланий.
dispatch-notice-outcome = Результат записано.

## Held letters and the bank

dispatch-held-title = Затримані листи
dispatch-held-lead = Ці листи ще не пішли, бо людину перевели, звільнили, обміняли або вона померла. Надішліть лист до нинішньої установи або покладіть у банк листів, щоб передати пізніше.
dispatch-held-empty = Затриманих листів немає.
dispatch-reason = Причина
dispatch-held-since = Затримано
dispatch-hold-transferred = Людину перевели до іншої установи
dispatch-hold-released = Людину звільнили
dispatch-hold-exchanged = Людину звільнили під час обміну
dispatch-hold-deceased = Людина померла
dispatch-placements-link = Де перебуває
dispatch-reroute = Надіслати до нинішньої установи
dispatch-bank-note = Примітка для банку (необов'язково)
dispatch-bank = Покласти в банк листів
dispatch-notice-rerouted = Лист піде з наступним пакетом до нинішньої установи людини.
dispatch-notice-banked = Лист покладено в банк листів.
dispatch-bank-title = Банк листів
dispatch-bank-lead = Листи, які зараз неможливо передати. Їх можна роздрукувати й передати, коли з'явиться змога.
dispatch-bank-empty = У банку листів нічого немає.

## Facilities

dispatch-facilities-title = Реєстр установ
dispatch-facilities-empty = Установ ще немає.
dispatch-region = Регіон
dispatch-address = Адреса
dispatch-address-present = Вказано
dispatch-no-address = Немає адреси: поштою не надіслати
dispatch-new-facility = Додати установу
dispatch-edit-facility = Змінити установу
dispatch-all-facilities = Усі установи
dispatch-facility-name-ru = Назва російською
dispatch-facility-name-ru-hint = Так, як її пишуть на конверті, наприклад «ФКУ ИК-21 УФСИН России по Архангельской области».
dispatch-facility-name-en = Назва англійською
dispatch-slug = Короткий ідентифікатор
dispatch-slug-hint = Малі латинські літери, цифри й дефіси. Якщо залишити порожнім, його буде створено з назви.
dispatch-slug-fixed = Ідентифікатор установи не змінюється.
dispatch-address-ru = Поштова адреса російською
dispatch-address-hint = Індекс, регіон, населений пункт, вулиця — кожне з нового рядка. Назву установи не повторюйте.
dispatch-rules = Правила установи
dispatch-censor-language = Мова цензора
dispatch-censor-language-hint = Код мови, якою листи читає цензор, наприклад ru.
dispatch-max-letter-chars = Найбільша довжина листа, символів (необов'язково)
dispatch-number-hint = Ціле число від 100 до 1 000 000. Залиште порожнім, якщо межі немає.
dispatch-needs-birth-year = На конверті потрібен рік народження
dispatch-needs-number = На конверті потрібен номер ув'язненого
dispatch-electronic-max-chars = Найбільша довжина повідомлення електронної служби, символів (необов'язково)
dispatch-electronic-parts = Електронна служба приймає довгий лист кількома повідомленнями
dispatch-prints-original = Друкувати оригінал перекладеного листа поруч із російським текстом
dispatch-prints-original-hint = Лише якщо відомо, що цензор цієї установи пропускає листи іншими мовами; інакше може бути затриманий увесь лист.
dispatch-facility-notes = Примітки для відправників
dispatch-people-title = Люди і місця утримання
dispatch-people-lead = Відкрийте сторінку людини, щоб записати, де вона перебуває, або змінити її статус.
dispatch-save-facility = Зберегти установу
dispatch-notice-facility-saved = Установу збережено.

## Placements and status

dispatch-name-ru = Ім'я російською
dispatch-status = Статус
dispatch-current-facility = Установа зараз
dispatch-no-facility = Установу не вказано
dispatch-history = Історія переведень
dispatch-history-empty = Переведень не записано.
dispatch-since = З якого дня
dispatch-placement-note = Примітка
dispatch-record-placement = Записати місце утримання
dispatch-placement-lead = Якщо людину перевели, листи, які ще не пішли, буде затримано, щоб ви вирішили, куди їх надіслати.
dispatch-set-status = Змінити статус
dispatch-status-lead = Звільнення, обмін або смерть затримують листи, які ще не пішли.
dispatch-save-status = Зберегти статус
dispatch-notice-held = { $count ->
    [0] Збережено. Жоден лист не затримано.
    [one] Збережено. { $count } лист затримано.
    [few] Збережено. { $count } листи затримано.
   *[many] Збережено. { $count } листів затримано.
}

## Replies

dispatch-replies-title = Відповіді з ув'язнення
dispatch-record-reply = Записати відповідь
dispatch-reply-lead = Коли надходить лист від людини у в'язниці, запишіть його тут. Автори листів, доставлених їй раніше, які залишили email, отримають повідомлення.
dispatch-reply-from = Від кого
dispatch-reply-received = Дата отримання
dispatch-reply-transcription = Текст відповіді
dispatch-reply-transcription-hint = Перепишіть текст або залиште порожнім, якщо додаєте скан.
dispatch-reply-scan = Скан листа (необов'язково)
dispatch-reply-consent = Людина погодилася опублікувати відповідь на своїй сторінці
dispatch-reply-recorded = { $count ->
    [0] Відповідь записано. Повідомлень email нікому не надсилатимемо: ніхто з авторів не залишив адреси.
    [one] Відповідь записано. { $count } автор отримає повідомлення email.
    [few] Відповідь записано. { $count } автори отримають повідомлення email.
   *[many] Відповідь записано. { $count } авторів отримають повідомлення email.
}
dispatch-replies-list = Записані відповіді
dispatch-replies-of = Відповіді від
dispatch-show = Показати
dispatch-replies-empty = Відповідей від цієї людини ще немає.
dispatch-published = Публікується
dispatch-not-published = Не публікується
dispatch-linked = { $count ->
    [one] пов'язано з { $count } листом
   *[other] пов'язано з { $count } листами
}
dispatch-choose-prisoner = Оберіть людину, від якої надійшла відповідь.

## Errors

dispatch-upload-malformed = Не вдалося прочитати надіслану форму. Спробуйте ще раз.
dispatch-upload-too-large = Файл завеликий. Скан — до 10 МБ, файл результатів — до 2 МБ.
dispatch-invalid-name-ru = Вкажіть назву російською (до 200 символів).
dispatch-invalid-name-en = Назва англійською — до 200 символів.
dispatch-invalid-slug = Ідентифікатор: лише малі латинські літери, цифри й дефіси, до 80 символів.
dispatch-invalid-channels = Оберіть хоча б один спосіб передачі.
dispatch-invalid-language = Код мови — кілька малих латинських літер, наприклад ru.
dispatch-invalid-address-ru = Адреса — до 500 символів, без службових символів.
dispatch-invalid-region = Регіон — до 200 символів.
dispatch-invalid-number = Вкажіть ціле число від 100 до 1 000 000 або залиште поле порожнім.
dispatch-invalid-notes = Примітки — до 2000 символів.
dispatch-invalid-facility = Оберіть установу з реєстру.
dispatch-invalid-channel = Оберіть спосіб передачі.
dispatch-invalid-prisoner = Ця людина зараз не в обраній установі.
dispatch-invalid-since = Вкажіть дату у форматі РРРР-ММ-ДД.
dispatch-invalid-date = Вкажіть дату відправлення у форматі РРРР-ММ-ДД, не пізніше завтрашнього дня.
dispatch-invalid-reference = Номер відправлення — до 200 символів.
dispatch-invalid-note = Примітка задовга або містить службові символи.
dispatch-invalid-status = Оберіть статус зі списку.
dispatch-invalid-outcome = Оберіть результат зі списку.
dispatch-invalid-scan = Скан має бути зображенням JPEG, PNG, WebP або файлом PDF, до 10 МБ.
dispatch-invalid-received = Вкажіть дату отримання у форматі РРРР-ММ-ДД.
dispatch-invalid-transcription = Додайте текст відповіді (до 20 000 символів) або скан.
dispatch-emails-undeliverable = { $count ->
    [one] { $count } лист автору не вдалося доставити: його поштовий сервер відмовив остаточно (наприклад, такої адреси немає). Ми більше не пробуємо.
    [few] { $count } листи авторам не вдалося доставити: їхні поштові сервери відмовили остаточно (наприклад, таких адрес немає). Ми більше не пробуємо.
   *[many] { $count } листів авторам не вдалося доставити: їхні поштові сервери відмовили остаточно (наприклад, таких адрес немає). Ми більше не пробуємо.
}
