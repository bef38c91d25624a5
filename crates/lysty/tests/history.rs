//! `lysty import events|tallies|letters` and `lysty report` from the command line: a year
//! loaded from CSV files, a file with bad rows refused by line, the report in each format.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

fn run(args: &[&str], file: Option<&std::path::Path>) -> std::process::Output {
    let mut command = support::lysty();
    command.args(args);
    if let Some(file) = file {
        command.arg(file);
    }
    command.output().unwrap()
}

fn ok(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_year_is_imported_from_csv_files_and_reported_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let url = support::sqlite_url(dir.path());
    let db = ["--database", url.as_str()];
    ok(&run(&["migrate", "--create-database", db[0], db[1]], None));
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let prisoners = file(
        "prisoners.csv",
        "slug,name_uk,name_en,status\n\
         server-mustafayev,Сервер Мустафаєв,Server Mustafayev,convicted\n\
         iryna-danylovych,Ірина Данилович,Iryna Danylovych,convicted\n",
    );
    ok(&run(
        &["import", "prisoners", db[0], db[1]],
        Some(&prisoners),
    ));
    let events = file(
        "events.csv",
        "slug,kind,title_uk,title_en,city,country,starts_at,series\n\
         tour-kyiv,press_tour,Прес-тур: Київ,Press tour: Kyiv,Київ,Україна,2024-05-10,Прес-тур 2024\n\
         tour-if,press_tour,Прес-тур: Франківськ,Press tour: IF,Івано-Франківськ,Україна,2024-05-12,Прес-тур 2024\n",
    );
    let out = ok(&run(&["import", "events", db[0], db[1]], Some(&events)));
    assert!(out.contains("imported 2 event(s)"), "{out}");
    let tallies = file(
        "tallies.csv",
        "event,prisoner,count\ntour-if,server-mustafayev,10\n",
    );
    let out = ok(&run(&["import", "tallies", db[0], db[1]], Some(&tallies)));
    assert!(out.contains("imported 1 tally"), "{out}");

    // A file with bad rows: every one named by its line, nothing stored.
    let bad = file(
        "bad.csv",
        "received_at,prisoner,source,state,writer_email\n\
         2024-05-10,server-mustafayev,kiosk,sent,\n\
         2024-05-10,nobody-known,kiosk,sent,\n\
         2024-05-32,server-mustafayev,fax,sent,not-an-email\n",
    );
    let output = run(&["import", "letters", db[0], db[1]], Some(&bad));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 4: source `fax`"), "{stderr}");
    assert!(
        stderr.contains("line 4: received_at `2024-05-32`"),
        "{stderr}"
    );
    assert!(stderr.contains("line 4: writer_email"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");

    let letters = file(
        "letters.csv",
        "received_at,prisoner,source,event,city,country,state,sent_at,outcome_at,writer_email\n\
         2024-05-10,server-mustafayev,kiosk,tour-kyiv,Київ,Україна,delivered,2024-05-17,2024-06-01,olena@example.org\n\
         2024-05-12,server-mustafayev,kiosk,tour-if,Івано-Франківськ,Україна,sent,2024-05-19,,\n\
         2024-11-01,server-mustafayev,online,,Warszawa,Polska,sent,2024-11-08,,\n",
    );
    let out = ok(&run(&["import", "letters", db[0], db[1]], Some(&letters)));
    assert!(out.contains("imported 3 letter(s)"), "{out}");
    let out = ok(&run(&["import", "letters", db[0], db[1]], Some(&letters)));
    assert!(
        out.contains("imported 0 letter(s); 0 corrected; 3 were imported before"),
        "{out}"
    );
    // The bad file's good row was not stored: the report counts 3 letters and 10 tallied.
    let md = ok(&run(
        &["report", "--year", "2024", "--lang", "en", db[0], db[1]],
        None,
    ));
    assert!(md.starts_with("# Annual report 2024"), "{md}");
    assert!(md.contains("13 letters collected."), "{md}");
    assert!(
        md.contains("| Прес-тур 2024 | 2 | 12 | Івано-Франківськ |"),
        "{md}"
    );
    assert!(md.contains("Ірина Данилович"), "received none: {md}");
    assert!(md.contains("took 7 days (median)"), "{md}");
    assert!(!md.contains("olena@example.org"));

    let json = ok(&run(
        &["report", "--year", "2024", "--format", "json", db[0], db[1]],
        None,
    ));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["letters"]["kiosk"], 2);
    assert_eq!(json["letters"]["paper_tallied"], 10);
    assert_eq!(json["outcomes"]["delivered"], 1);

    let pdf = dir.path().join("report.pdf");
    let html = dir.path().join("report.html");
    for (format, out) in [("pdf", &pdf), ("html", &html)] {
        ok(&run(
            &[
                "report",
                "--year",
                "2024",
                "--format",
                format,
                "--out",
                out.to_str().unwrap(),
                db[0],
                db[1],
            ],
            None,
        ));
    }
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.contains("<html lang=\"uk\">"));
    assert!(html.contains("Річний звіт за 2024 рік"));

    let unknown = run(
        &["report", "--year", "2024", "--lang", "de", db[0], db[1]],
        None,
    );
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown language"));
}
