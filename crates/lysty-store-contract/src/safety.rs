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

pub async fn prisoners_added_and_edited_on_the_page_keep_their_facility_and_case(store: DynStore) {
    let campaign = campaign(&store).await;
    let new = prisoner("remzi-bekirov", PrisonerStatus::Convicted, false);
    assert!(
        store
            .create_prisoner(&new, &audit_line("prisoner_added", ""))
            .await
            .expect("create")
    );
    assert!(
        !store
            .create_prisoner(&new, &audit_line("prisoner_added", ""))
            .await
            .expect("create again"),
        "the slug is taken"
    );
    assert_eq!(audit_count(&store, "prisoner_added").await, 1);
    let terms = vec!["ст. 205.5".to_owned()];
    store
        .set_case_terms("remzi-bekirov", &terms, &audit_line("case_terms", ""))
        .await
        .expect("terms");
    let edited = NewPrisoner {
        names: PrisonerNames {
            uk: "Ремзі Бекіров".into(),
            en: "Remzi Bekirov".into(),
            crh: Some("Remzi Bekirov".into()),
            ru_full: Some("Бекиров Ремзи".into()),
        },
        gender: Gender::Male,
        story: Localised {
            uk: "Журналіст.".into(),
            en: "A journalist.".into(),
            crh: "Gazeteci.".into(),
        },
        published: true,
        ..new.clone()
    };
    assert!(
        store
            .update_prisoner(&edited, &audit_line("prisoner_edited", "story"))
            .await
            .expect("update")
    );
    let found = store
        .prisoner_by_slug(campaign, "remzi-bekirov")
        .await
        .expect("read")
        .expect("found");
    assert_eq!(found.names, edited.names);
    assert_eq!((found.gender, found.published), (Gender::Male, true));
    assert_eq!(found.story.crh, "Gazeteci.");
    assert_eq!(found.case_terms, terms, "the case terms stay");
    assert_eq!(audit_count(&store, "prisoner_edited").await, 1);
    let all = store.all_prisoners(campaign).await.expect("all");
    assert_eq!(all.len(), 1);
    assert!(all[0].published);
    let nobody = NewPrisoner {
        slug: PrisonerSlug::parse("nobody-known").expect("slug"),
        ..edited
    };
    assert!(
        !store
            .update_prisoner(&nobody, &audit_line("prisoner_edited", ""))
            .await
            .expect("update")
    );
    assert_eq!(
        audit_count(&store, "prisoner_edited").await,
        1,
        "nothing written"
    );
}
