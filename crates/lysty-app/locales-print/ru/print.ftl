# Fixed text printed on the pages that go to a prison. Russian is the language the censor
# reads; a facility that reads another language gets a folder of its own here.

print-letter = Письмо
print-original = Оригинал письма
print-return-address = Обратный адрес
print-reply-kit-heading = Для ответа
print-reply-kit-text = Если вы захотите ответить, напишите ответ на этом листе или на любом другом.

    Ваше письмо передадут людям, которые вам писали. Укажите, пожалуйста, код письма, на которое вы отвечаете (он напечатан вверху каждой страницы).

    Спасибо.
print-page = стр.
print-reply-address = Адрес для ответа
print-channel-post = почта
print-channel-electronic = электронное письмо
print-channel-handover = передача
