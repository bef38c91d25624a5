//! Demo data for `lysty serve --demo`: the campaign, its partners, prisoners named in
//! public reporting (only the public facts the campaign itself published; no invented
//! addresses, sentences or patronymics) and a few illustrative events, marked as demo.
//! Seeding twice changes nothing.

use chrono::{TimeZone, Utc};
use lysty_domain::{Gender, PrisonerSlug, PrisonerStatus};
use lysty_store::{
    Localised, NewEvent, NewFacility, NewOrganisation, NewPrisoner, PrisonerNames, StoreError,
};

use crate::App;

struct DemoPrisoner {
    slug: &'static str,
    uk: &'static str,
    en: &'static str,
    crh: Option<&'static str>,
    ru: &'static str,
    status: PrisonerStatus,
    gender: Gender,
    story_uk: &'static str,
    story_en: &'static str,
    /// In Crimean Tatar (Latin script), where written.
    story_crh: &'static str,
    facility: Option<&'static str>,
}

const PRISONERS: &[DemoPrisoner] = &[
    DemoPrisoner {
        slug: "iryna-danylovych",
        uk: "Ірина Данилович",
        en: "Iryna Danylovych",
        crh: None,
        ru: "Данилович Ирина",
        status: PrisonerStatus::Convicted,
        gender: Gender::Female,
        story_uk: "Громадська журналістка з Криму.",
        story_en: "A civic journalist from Crimea.",
        story_crh: "",
        facility: None,
    },
    DemoPrisoner {
        slug: "remzi-bekirov",
        uk: "Ремзі Бекіров",
        en: "Remzi Bekirov",
        crh: Some("Remzi Bekirov"),
        ru: "Бекиров Ремзи",
        status: PrisonerStatus::Convicted,
        gender: Gender::Male,
        story_uk: "Громадський журналіст. За шість місяців його сім разів поміщали до штрафного ізолятора.",
        story_en: "A civic journalist. He was placed in solitary confinement seven times in six months.",
        story_crh: "Vatandaş gazeteci. Altı ayda onı yedi kere ceza izolâtorına qoydılar.",
        facility: None,
    },
    DemoPrisoner {
        slug: "bohdan-ziza",
        uk: "Богдан Зиза",
        en: "Bohdan Ziza",
        crh: None,
        ru: "Зиза Богдан",
        status: PrisonerStatus::Convicted,
        gender: Gender::Male,
        story_uk: "Кампанія називає його серед тих, хто чекає на листи.",
        story_en: "Named by the campaign as waiting for letters.",
        story_crh: "",
        facility: None,
    },
    DemoPrisoner {
        slug: "halyna-dovhopola",
        uk: "Галина Довгопола",
        en: "Halyna Dovhopola",
        crh: None,
        ru: "Довгопола Галина",
        status: PrisonerStatus::Convicted,
        gender: Gender::Female,
        story_uk: "Кампанія називає її серед тих, хто чекає на листи.",
        story_en: "Named by the campaign as waiting for letters.",
        story_crh: "",
        facility: None,
    },
    DemoPrisoner {
        slug: "vladlen-abdulkadyrov",
        uk: "Владлен Абдулкадиров",
        en: "Vladlen Abdulkadyrov",
        crh: None,
        ru: "Абдулкадыров Владлен",
        status: PrisonerStatus::Convicted,
        gender: Gender::Male,
        story_uk: "Засуджений до 12 років. Утримується у виправній колонії № 21, селище Ікса, Архангельська область.",
        story_en: "Sentenced to 12 years. Held in correctional colony No. 21, Iksa, Arkhangelsk region.",
        story_crh: "",
        facility: Some("ik-21-iksa"),
    },
    DemoPrisoner {
        slug: "nariman-dzhelyal",
        uk: "Нариман Джелял",
        en: "Nariman Dzhelyal",
        crh: Some("Nariman Celâl"),
        ru: "Джелял Нариман",
        status: PrisonerStatus::Exchanged,
        gender: Gender::Male,
        story_uk: "Звільнений у 2024 році в результаті обміну.",
        story_en: "Released in an exchange in 2024.",
        story_crh: "2024 senesi esirler deñişüvinde azat etildi.",
        facility: None,
    },
    DemoPrisoner {
        slug: "leniye-umerova",
        uk: "Ленє Умерова",
        en: "Leniye Umerova",
        crh: Some("Leniye Umerova"),
        ru: "Умерова Ление",
        status: PrisonerStatus::Released,
        gender: Gender::Female,
        story_uk: "Звільнена у 2024 році.",
        story_en: "Released in 2024.",
        story_crh: "2024 senesi azat etildi.",
        facility: None,
    },
];

const ORGANISATIONS: &[(&str, &str, &str)] = &[
    (
        "crimea-representation",
        "Представництво Президента України в Автономній Республіці Крим",
        "Representation of the President of Ukraine in the Autonomous Republic of Crimea",
    ),
    ("pen-ukraine", "Український ПЕН", "PEN Ukraine"),
    (
        "zmina",
        "Центр прав людини ZMINA",
        "ZMINA Human Rights Center",
    ),
    (
        "ministry-reintegration",
        "Міністерство з питань реінтеграції тимчасово окупованих територій",
        "Ministry for Reintegration of the Temporarily Occupied Territories",
    ),
];

/// (slug, city uk, city en, day in May 2024)
const TOUR_STOPS: &[(&str, &str, &str, u32)] = &[
    (
        "demo-tour-ivano-frankivsk",
        "Івано-Франківськ",
        "Ivano-Frankivsk",
        13,
    ),
    ("demo-tour-lviv", "Львів", "Lviv", 14),
    ("demo-tour-ternopil", "Тернопіль", "Ternopil", 15),
    ("demo-tour-chernivtsi", "Чернівці", "Chernivtsi", 16),
    ("demo-tour-uzhhorod", "Ужгород", "Uzhhorod", 17),
];

impl App {
    pub async fn seed_demo(&self) -> Result<(), StoreError> {
        let store = self.store();
        let mut first_org = None;
        for (slug, uk, en) in ORGANISATIONS {
            let id = store
                .upsert_organisation(
                    &NewOrganisation {
                        slug: (*slug).into(),
                        name_uk: (*uk).into(),
                        name_en: (*en).into(),
                    },
                    None,
                )
                .await?;
            first_org.get_or_insert(id);
        }
        self.forget_organisers();
        // A demo address in the shape of a real one; it reaches no one.
        store
            .save_facility(
                &NewFacility {
                    slug: "ik-21-iksa".into(),
                    name_ru: "ФКУ ИК-21 (пос. Икса, Архангельская область)".into(),
                    name_en: "Correctional colony No. 21 (Iksa, Arkhangelsk region)".into(),
                    region: Some("Архангельская область".into()),
                    address_ru: Some(
                        "164268, Архангельская область\nПлесецкий район, пос. Икса\nФКУ ИК-21 УФСИН России по Архангельской области"
                            .into(),
                    ),
                    max_letter_chars: None,
                },
                &lysty_store::FacilityRules {
                    channels: vec![lysty_domain::Channel::Post, lysty_domain::Channel::Electronic],
                    electronic_max_chars: Some(2500),
                    ..lysty_store::FacilityRules::default()
                }, None)
            .await?;
        let prisoners = PRISONERS
            .iter()
            .map(|p| {
                Ok(NewPrisoner {
                    slug: PrisonerSlug::parse(p.slug)
                        .map_err(|_| StoreError::message("a demo slug is malformed"))?,
                    names: PrisonerNames {
                        uk: p.uk.into(),
                        en: p.en.into(),
                        crh: p.crh.map(Into::into),
                        ru_full: Some(p.ru.into()),
                    },
                    birth_year: None,
                    birth_date: None,
                    status: p.status,
                    gender: p.gender,
                    story: Localised {
                        uk: p.story_uk.into(),
                        en: p.story_en.into(),
                        crh: p.story_crh.into(),
                    },
                    // No person-specific advice is published for them; the general guidance applies.
                    guidance: Localised::default(),
                    facility: p.facility.map(Into::into),
                    published: true,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        store.upsert_prisoners(&prisoners).await?;
        self.reload_prisoner_names().await?;

        let at = |month, day, hour| {
            Utc.with_ymd_and_hms(2024, month, day, hour, 0, 0)
                .single()
                .ok_or_else(|| StoreError::message("a demo date is invalid"))
        };
        let forum_start = at(5, 30, 10)?;
        store
            .upsert_event(
                &NewEvent {
                    campaign: self.campaign().id,
                    organisation: first_org,
                    slug: "demo-book-forum-kyiv".into(),
                    kind: "book_forum".into(),
                    title: Localised {
                        uk: "Книжковий форум у Києві (демо)".into(),
                        en: "Book forum in Kyiv (demo)".into(),
                        crh: String::new(),
                    },
                    city: "Київ".into(),
                    country: "Україна".into(),
                    venue: None,
                    starts_at: forum_start,
                    ends_at: at(6, 2, 20)?,
                    series: None,
                    demo: true,
                },
                None,
            )
            .await?;
        for (slug, city_uk, city_en, day) in TOUR_STOPS {
            let starts_at = at(5, *day, 12)?;
            store
                .upsert_event(
                    &NewEvent {
                        campaign: self.campaign().id,
                        organisation: first_org,
                        slug: (*slug).into(),
                        kind: "press_tour".into(),
                        title: Localised {
                            uk: format!("Прес-тур: {city_uk} (демо)"),
                            en: format!("Press tour: {city_en} (demo)"),
                            crh: String::new(),
                        },
                        city: (*city_uk).into(),
                        country: "Україна".into(),
                        venue: None,
                        starts_at,
                        ends_at: starts_at + chrono::Duration::hours(5),
                        series: Some("demo-press-tour-2024".into()),
                        demo: true,
                    },
                    None,
                )
                .await?;
        }
        Ok(())
    }
}

/// The demo's admin account.
pub const DEMO_ADMIN: &str = "admin@demo.lysty.local";

impl App {
    /// Creates the demo admin, or gives it a fresh password: the password printed at
    /// start works until the next start.
    pub async fn demo_admin(&self) -> Result<(String, secrecy::SecretString), crate::StaffError> {
        let orgs = self.store().list_organisations().await?;
        let org = orgs
            .iter()
            .find(|o| o.slug == "crimea-representation")
            .or(orgs.first())
            .ok_or(crate::StaffError::NotFound)?;
        let password = lysty_auth::recovery::generate(1)
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect::<Vec<_>>()
            .join("-");
        let parsed = lysty_auth::password::Password::parse(&password, &[])
            .map_err(|e| crate::StaffError::Password(e.code()))?;
        let hash = lysty_auth::password::hash(&parsed)
            .map_err(|e| crate::StaffError::Invalid(e.to_string()))?;
        match self.store().staff_by_email(DEMO_ADMIN).await? {
            Some(existing) => {
                self.store()
                    .set_password(existing.id, hash.as_str())
                    .await?;
                self.store().reset_login_failures(existing.id).await?;
            }
            None => {
                self.store()
                    .create_staff(
                        &lysty_store::NewStaff {
                            organisation: org.id,
                            email: DEMO_ADMIN.into(),
                            name: "Demo admin".into(),
                            roles: lysty_domain::Roles::of(&[lysty_domain::Role::Admin]),
                            password_hash: hash.as_str().to_owned(),
                        },
                        None,
                    )
                    .await?;
            }
        }
        Ok((DEMO_ADMIN.to_owned(), secrecy::SecretString::from(password)))
    }
}
