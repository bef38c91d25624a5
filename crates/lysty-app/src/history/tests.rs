//! Parsing earlier years' rows: refusals by line, guarded cells, stable keys.

use super::*;
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap()
}

#[test]
fn every_bad_letter_row_is_reported_with_its_line() {
    let csv = "received_at,prisoner,source,state,event,sent_at,body\n\
               2024-05-12,remzi-bekirov,online,delivered,,2024-06-01,\n\
               2024-13-12,remzi-bekirov,online,delivered,,,\n\
               2024-05-12,remzi-bekirov,paper,sent,,,\n\
               2024-05-12,remzi-bekirov,online,approved,,,\n\
               2024-05-12,remzi-bekirov,fax,batched,,,\n\
               2024-05-12,remzi-bekirov,online,sent,,2024-05-01,\n\
               2027-05-12,remzi-bekirov,online,sent,,,\n";
    let errors = parse_letters(csv.as_bytes(), now(), 8000).err().unwrap();
    let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4, 5, 6, 6, 7, 8]);
    assert!(errors[0].message.contains("2024-13-12"));
    assert!(errors[1].message.contains("event"));
    assert!(errors[2].message.contains("body"));
    assert!(errors[3].message.contains("fax"));
    assert!(errors[4].message.contains("batched"));
    assert!(errors[5].message.contains("before"));
    assert!(errors[6].message.contains("future"));
}

#[test]
fn cells_an_export_guarded_against_spreadsheets_come_back_as_typed() {
    let csv = "received_at,prisoner,source,state,city,body\n\
               2024-05-12,remzi-bekirov,online,sent,'=Київ,'-- Олена\n";
    let rows = parse_letters(csv.as_bytes(), now(), 8000).unwrap();
    assert_eq!(rows[0].city.as_ref().unwrap().as_str(), "=Київ");
    assert_eq!(rows[0].body, "-- Олена");
}

#[test]
fn identical_rows_get_different_keys_and_a_second_reading_the_same_ones() {
    let csv = "received_at,prisoner,source,state\n\
               2024-05-12,remzi-bekirov,online,sent\n\
               2024-05-12,remzi-bekirov,online,sent\n";
    let first = parse_letters(csv.as_bytes(), now(), 8000).unwrap();
    let again = parse_letters(csv.as_bytes(), now(), 8000).unwrap();
    assert_ne!(first[0].key, first[1].key);
    assert_eq!(first[0].key, again[0].key);
    assert_eq!(first[1].key, again[1].key);
}

#[test]
fn bad_event_and_tally_rows_are_reported() {
    let csv = "slug,kind,title_uk,city,country,starts_at,ends_at,organisation\n\
               forum-2024,book_forum,Форум,Львів,Україна,2024-09-20,2024-09-22,pen\n\
               Forum 2024,Book Forum,,Львів,Україна,2024-09-20,,\n\
               tour,press_tour,Тур,Київ,Україна,2024-09-20,2024-09-19,nobody\n";
    let pen = lysty_store::OrganisationId::new();
    let known = HashMap::from([("pen".to_owned(), pen)]);
    let campaign = lysty_store::CampaignId::new();
    let errors = parse_events(csv.as_bytes(), now(), campaign, &known)
        .err()
        .unwrap();
    let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 3, 3, 4, 4]);
    assert!(errors[4].message.contains("nobody"));
    let good = "slug,kind,title_uk,city,country,starts_at,organisation\n\
                forum-2024,book_forum,Форум,Львів,Україна,2024-09-20,pen\n";
    let events = parse_events(good.as_bytes(), now(), campaign, &known).unwrap();
    assert_eq!(events[0].organisation, Some(pen));
    let csv = "event,prisoner,count\nforum-2024,,3\nforum-2024,Remzi,0\n";
    let errors = parse_tallies(csv.as_bytes()).err().unwrap();
    assert_eq!(errors.len(), 2);
    assert!(errors.iter().all(|e| e.line == 3));
}
