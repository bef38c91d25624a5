//! The fields of the delivery desk's forms, API bodies and import rows that can be refused.

/// A field the desk can refuse: its name in forms and the API, and the message that says
/// what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryField {
    NameRu,
    NameEn,
    Slug,
    Channels,
    Language,
    AddressRu,
    Region,
    MaxLetterChars,
    ElectronicMaxChars,
    Notes,
    /// No facility has the slug given: a record not there, rather than a typing slip.
    Facility,
    Channel,
    Prisoner,
    Since,
    Date,
    Reference,
    Note,
    Status,
    Outcome,
    Scan,
    ScanBase64,
    Received,
    Transcription,
}

impl DeliveryField {
    pub const ALL: [DeliveryField; 23] = [
        DeliveryField::NameRu,
        DeliveryField::NameEn,
        DeliveryField::Slug,
        DeliveryField::Channels,
        DeliveryField::Language,
        DeliveryField::AddressRu,
        DeliveryField::Region,
        DeliveryField::MaxLetterChars,
        DeliveryField::ElectronicMaxChars,
        DeliveryField::Notes,
        DeliveryField::Facility,
        DeliveryField::Channel,
        DeliveryField::Prisoner,
        DeliveryField::Since,
        DeliveryField::Date,
        DeliveryField::Reference,
        DeliveryField::Note,
        DeliveryField::Status,
        DeliveryField::Outcome,
        DeliveryField::Scan,
        DeliveryField::ScanBase64,
        DeliveryField::Received,
        DeliveryField::Transcription,
    ];

    /// The field's name in the forms and the API.
    pub fn name(self) -> &'static str {
        match self {
            DeliveryField::NameRu => "name_ru",
            DeliveryField::NameEn => "name_en",
            DeliveryField::Slug => "slug",
            DeliveryField::Channels => "channels",
            DeliveryField::Language => "language",
            DeliveryField::AddressRu => "address_ru",
            DeliveryField::Region => "region",
            DeliveryField::MaxLetterChars => "max_letter_chars",
            DeliveryField::ElectronicMaxChars => "electronic_max_chars",
            DeliveryField::Notes => "notes",
            DeliveryField::Facility => "facility",
            DeliveryField::Channel => "channel",
            DeliveryField::Prisoner => "prisoner",
            DeliveryField::Since => "since",
            DeliveryField::Date => "date",
            DeliveryField::Reference => "reference",
            DeliveryField::Note => "note",
            DeliveryField::Status => "status",
            DeliveryField::Outcome => "outcome",
            DeliveryField::Scan => "scan",
            DeliveryField::ScanBase64 => "scan_base64",
            DeliveryField::Received => "received",
            DeliveryField::Transcription => "transcription",
        }
    }

    /// The message that says what is wrong with it.
    pub fn message_id(self) -> &'static str {
        match self {
            DeliveryField::NameRu => "dispatch-invalid-name-ru",
            DeliveryField::NameEn => "dispatch-invalid-name-en",
            DeliveryField::Slug => "dispatch-invalid-slug",
            DeliveryField::Channels => "dispatch-invalid-channels",
            DeliveryField::Language => "dispatch-invalid-language",
            DeliveryField::AddressRu => "dispatch-invalid-address-ru",
            DeliveryField::Region => "dispatch-invalid-region",
            DeliveryField::MaxLetterChars | DeliveryField::ElectronicMaxChars => {
                "dispatch-invalid-number"
            }
            DeliveryField::Notes => "dispatch-invalid-notes",
            DeliveryField::Facility => "dispatch-invalid-facility",
            DeliveryField::Channel => "dispatch-invalid-channel",
            DeliveryField::Prisoner => "dispatch-invalid-prisoner",
            DeliveryField::Since => "dispatch-invalid-since",
            DeliveryField::Date => "dispatch-invalid-date",
            DeliveryField::Reference => "dispatch-invalid-reference",
            DeliveryField::Note => "dispatch-invalid-note",
            DeliveryField::Status => "dispatch-invalid-status",
            DeliveryField::Outcome => "dispatch-invalid-outcome",
            DeliveryField::Scan | DeliveryField::ScanBase64 => "dispatch-invalid-scan",
            DeliveryField::Received => "dispatch-invalid-received",
            DeliveryField::Transcription => "dispatch-invalid-transcription",
        }
    }
}
