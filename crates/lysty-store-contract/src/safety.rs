//! What the safety flags keep in the store: a prisoner's case terms (changed together with
//! their audit line), every prisoner's names, and the starter list added in one go.

use super::*;

fn audit_line(action: &str, detail: &str) -> NewAudit {
    NewAudit {
        at: Utc
            .with_ymd_and_hms(2030, 3, 14, 10, 0, 0)
            .single()
            .expect("time"),
        actor: None,
        actor_org: None,
        action: action.into(),
        object_type: Some("prisoner".into()),
        object_id: Some("remzi-bekirov".into()),
        detail: detail.into(),
    }
}

async fn audit_count(store: &DynStore, action: &str) -> usize {
    store
        .list_audit(&AuditFilter {
            action: Some(action.into()),
            limit: 50,
            ..AuditFilter::default()
        })
        .await
        .expect("audit")
        .len()
}

pub async fn case_terms_and_their_audit_line_are_written_together(store: DynStore) {
    let campaign = campaign(&store).await;
    store
        .upsert_prisoners(&[
            prisoner("remzi-bekirov", PrisonerStatus::Convicted, true),
            prisoner("hidden-person", PrisonerStatus::Detained, false),
        ])
        .await
        .expect("prisoners");
    let terms = vec![
        "ч. 2 ст. 205.5 УК РФ".to_owned(),
        "следователь Петренко".to_owned(),
    ];
    assert!(
        store
            .set_case_terms(
                "remzi-bekirov",
                &terms,
                &audit_line("case_terms", "2 terms")
            )
            .await
            .expect("set")
    );
    let read = store
        .prisoner_by_slug(campaign, "remzi-bekirov")
        .await
        .expect("read")
        .expect("found");
    assert_eq!(read.case_terms, terms);
    assert_eq!(audit_count(&store, "case_terms").await, 1);

    // No such prisoner: nothing changes, and no audit line says it did.
    assert!(
        !store
            .set_case_terms("nobody", &terms, &audit_line("case_terms", "2 terms"))
            .await
            .expect("set")
    );
    assert_eq!(audit_count(&store, "case_terms").await, 1);

    // A re-import of the registry keeps the case terms.
    store
        .upsert_prisoners(&[prisoner("remzi-bekirov", PrisonerStatus::Convicted, true)])
        .await
        .expect("again");
    let read = store
        .prisoner_by_slug(campaign, "remzi-bekirov")
        .await
        .expect("read")
        .expect("found");
    assert_eq!(read.case_terms, terms);

    // Every prisoner's names, published or not.
    let names = store.prisoner_names().await.expect("names");
    let slugs: Vec<&str> = names.iter().map(|n| n.slug.as_str()).collect();
    assert_eq!(slugs, ["hidden-person", "remzi-bekirov"]);
}

pub async fn a_starter_list_is_added_once_with_its_version(store: DynStore) {
    assert_eq!(store.lexicon_starter_seeded().await.expect("read"), None);
    let entries: Vec<(String, String, String)> = (0..450)
        .map(|i| (format!("термин{i}"), "ru".to_owned(), "war".to_owned()))
        .chain(std::iter::once((
            "термин0".to_owned(),
            "ru".to_owned(),
            "war".to_owned(),
        )))
        .collect();
    let added = store
        .seed_lexicon(
            &entries,
            Utc::now(),
            &audit_line("lexicon_starter", "version 1: 450 terms"),
        )
        .await
        .expect("seed");
    assert_eq!(added, 450, "a term twice in the list is added once");
    assert_eq!(store.list_lexicon().await.expect("list").len(), 450);
    assert_eq!(
        store
            .lexicon_starter_seeded()
            .await
            .expect("read")
            .as_deref(),
        Some("version 1: 450 terms")
    );
    // A newer list adds only what is new, and its line is the one read back.
    let added = store
        .seed_lexicon(
            &entries[..10],
            Utc::now(),
            &audit_line("lexicon_starter", "version 2: 10 terms"),
        )
        .await
        .expect("seed again");
    assert_eq!(added, 0);
    assert_eq!(
        store
            .lexicon_starter_seeded()
            .await
            .expect("read")
            .as_deref(),
        Some("version 2: 10 terms")
    );
}
