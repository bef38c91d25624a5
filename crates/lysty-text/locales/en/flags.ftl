# Safety flags: advice to moderators about what in a letter may stop it at the prison
# censor or harm the prisoner. Flags never reject a letter; the moderator decides.
#
# Variables: $language is the name from a flag-language-* message, already translated;
# $terms is the list of words that matched, joined with commas; $actual and $max are
# character counts; $count is how many other letters have the same text.

flag-not-russian = Language of the letter: { $language }. Censors in Russian prisons pass only letters in Russian, so otherwise this letter will simply not arrive. Please send it for translation.
flag-political = Political words: { $terms }. The censor will not pass a letter about politics, and the person can be punished for such correspondence. Ask the writer to remove these words or to say the same without them.
flag-war = Words about the war: { $terms }. Mentions of the war, the army or shelling are the most common reason letters are held back, and they can harm the person. It is better to write about everyday life.
flag-case-details = Details of the case: { $terms }. The censor treats anything about the case, the charges or the other defendants as interference with the investigation: the letter is held back, and it can hurt the person in court or in the colony. Please remove these mentions.
flag-link = The letter contains a link. Censors do not pass links, which they see as a way to smuggle a hidden message, and the person can be accused of forbidden contact. Please remove the link.
flag-email = The letter contains an email address. Censors do not pass contact details, and the person can be punished for trying to contact the outside world. Please remove the address from the text.
flag-phone = The letter contains a phone number. Phones are forbidden in prison, so a number in a letter can be held against the person and the letter stopped. Please remove the number.
flag-other-prisoner = Other prisoners named: { $terms }. A letter to one prisoner that names another reads to the censor as messages passed between prisoners: it is held back, and both people can be questioned. Please remove the names.
flag-coded = Secrecy or hidden meaning: { $terms }. Asking to destroy a letter, to keep a secret or hinting at a hidden meaning makes the censor suspect a coded message; the letter is held back and the person is questioned. Please remove these words.
flag-contact = Contact details: { $terms }. A messenger name, a handle or a postal address is "contact with the outside" to the censor: the letter is held back and the person can be punished. Please remove them.
flag-writer-warned = The writer checked this letter before sending it and was warned about: { $terms }. They chose to send it as it is.
flag-profanity = Swear words: { $terms }. Censors hold back letters with swearing, and it can get the person into trouble. Ask the writer to say the same more gently.
flag-too-long = The letter is too long: { $actual ->
        [one] { $actual } character
       *[other] { $actual } characters
    }, while this facility accepts { $max }. A longer letter may be put aside for a long time or never handed over. Please help shorten it, keeping the warmest parts.
flag-repeated = { $count ->
        [one] { $count } other letter has exactly this text.
       *[other] { $count } other letters have exactly this text.
    } Censors see identical letters as an organised campaign and may hold them all back, and question the person about them. A few words of the writer's own make a letter both safer and warmer.
flag-foreign-words = Latin letters or abbreviations: { $terms }. The censor must understand every word: anything unclear is taken for a code and the letter is held back, and abbreviations such as ZSU or SBU are political too. Please replace them with Russian words.

flag-language-uk = Ukrainian
flag-language-en = English
flag-language-ru = Russian
flag-language-pl = Polish
flag-language-de = German
flag-language-fr = French
flag-language-tr = Turkish or Crimean Tatar
flag-language-und = could not be determined

lexicon-category-political = Politics
lexicon-category-war = War
lexicon-category-case-details = Case details
lexicon-category-coded = Secrecy and hidden meaning
lexicon-category-contact = Contact details
lexicon-category-harmless = Harmless context
lexicon-category-profanity = Swearing

# The short names of the kinds, where a list of them is shown.
flag-name-political = politics
flag-name-war = the war
flag-name-case-details = the case
flag-name-other-prisoner = other prisoners
flag-name-coded = secrecy
flag-name-link = a link
flag-name-email = an email address
flag-name-phone = a phone number
flag-name-contact = contact details
flag-name-profanity = swearing
flag-name-foreign-words = Latin words
