//! A campaign's real spreadsheets: saved by Excel in a Ukrainian locale (Windows-1251, `;`
//! between columns, dates like `10.04.2024`), files that are not CSV at all, Lysty's own
//! export imported back (nothing added; a corrected cell updates its letter), and a tallies
//! file that grew a row.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lysty_domain::{Role, Roles};
use lysty_store::Store;
use lysty_store_sqlite::{SqliteOptions, SqliteStore};

struct Cli {
    dir: tempfile::TempDir,
    url: String,
}

impl Cli {
    fn run(&self, args: &[&str]) -> (bool, String, String) {
        let output = support::lysty()
            .args(args)
            .args(["--database", &self.url])
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// Runs an import and returns what it printed on both outputs, checking it worked.
    fn import(&self, kind: &str, file: &Path) -> String {
        let (ok, stdout, stderr) = self.run(&["import", kind, file.to_str().unwrap()]);
        assert!(ok, "{stderr}");
        format!("{stderr}{stdout}")
    }

    /// A file in Windows-1251, as Excel saves "CSV" in a Ukrainian locale.
    fn cp1251(&self, name: &str, text: &str) -> PathBuf {
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(text);
        assert!(!unmappable);
        self.file(name, &bytes)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// The letters export as the admin, to a file in the test's folder; its path.
    fn export(&self, name: &str, personal_data: bool) -> PathBuf {
        let path = self.dir.path().join(name);
        let mut args = vec![
            "export",
            "letters",
            "--format",
            "csv",
            "--user",
            "admin@pen.example",
            "--out",
            path.to_str().unwrap(),
        ];
        if personal_data {
            args.push("--personal-data");
        }
        let (ok, _, stderr) = self.run(&args);
        assert!(ok, "{stderr}");
        path
    }

    fn letters_in_2024(&self) -> u64 {
        let (ok, stdout, stderr) = self.run(&["report", "--year", "2024", "--format", "json"]);
        assert!(ok, "{stderr}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        json["letters"]["total"].as_u64().unwrap()
    }
}

/// A year of letters as a Ukrainian Excel saves it: `;`, CRLF, dates with dots, a cell
/// quoted because it holds the separator.
const LETTERS: &str = "received_at;prisoner;source;event;city;country;state;sent_at;writer_name;body\r\n\
     10.04.2024;server-mustafayev;kiosk;forum-lviv;Львів;Україна;sent;17.04.2024;Олена;\"Тримайтеся; ми з вами!\"\r\n\
     11.04.2024;iryna-danylovych;kiosk;forum-lviv;Львів;Україна;delivered;18.04.2024;;\r\n\
     03.06.2024;server-mustafayev;kiosk;tour-kyiv;Київ;Україна;sent;10.06.2024;Іван;Обіймаю\r\n\
     01.11.2024;iryna-danylovych;online;;Warszawa;Polska;received;;;Тримайся, Ірино! Привіт із Варшави.\r\n";

async fn cli_with_an_admin() -> Cli {
    let dir = tempfile::tempdir().unwrap();
    let url = support::sqlite_url(dir.path());
    let cli = Cli { dir, url };
    assert!(cli.run(&["migrate", "--create-database"]).0);
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(&cli.url, &SqliteOptions::default())
            .await
            .unwrap(),
    );
    let cipher =
        lysty_app::EmailCipher::from_base64(&support::EMAIL_KEY.to_owned().into()).unwrap();
    let app = lysty_app::App::start(
        store.clone(),
        cipher,
        Arc::new(lysty_app::SystemClock),
        lysty_app::AppConfig::default(),
    )
    .await
    .unwrap();
    let org = app
        .create_organisation(
            None,
            &lysty_store::NewOrganisation {
                slug: "pen".into(),
                name_uk: "ПЕН".into(),
                name_en: "PEN".into(),
            },
        )
        .await
        .unwrap();
    app.create_staff(
        None,
        org,
        "admin@pen.example",
        "Адмін",
        Roles::of(&[Role::Admin]),
        Some("correct horse battery staple 42"),
    )
    .await
    .unwrap();
    app.shutdown().await;
    cli
}

#[tokio::test]
async fn a_ukrainian_excel_year_imports_and_its_export_loads_back_without_duplicates() {
    let cli = cli_with_an_admin().await;
    let prisoners = cli.cp1251(
        "в'язні.csv",
        "slug;name_uk;name_en;status\r\n\
         server-mustafayev;Сервер Мустафаєв;Server Mustafayev;convicted\r\n\
         iryna-danylovych;Ірина Данилович;Iryna Danylovych;convicted\r\n",
    );
    let out = cli.import("prisoners", &prisoners);
    assert!(
        out.contains("read as windows-1251, columns separated by `;`"),
        "{out}"
    );
    assert!(out.contains("imported 2 prisoner(s)"), "{out}");
    let events = cli.cp1251(
        "події.csv",
        "slug;kind;title_uk;city;country;starts_at;ends_at\r\n\
         forum-lviv;book_forum;Книжковий форум;Львів;Україна;10.04.2024;12.04.2024\r\n\
         tour-kyiv;press_tour;Прес-тур: Київ;Київ;Україна;03.06.2024;\r\n",
    );
    assert!(
        cli.import("events", &events)
            .contains("imported 2 event(s)")
    );
    let letters = cli.cp1251("листи.csv", LETTERS);
    let out = cli.import("letters", &letters);
    assert!(out.contains("imported 4 letter(s)"), "{out}");
    assert_eq!(cli.letters_in_2024(), 4);

    // The same spreadsheet again adds nothing.
    let out = cli.import("letters", &letters);
    assert!(
        out.contains("imported 0 letter(s); 0 corrected; 4 were"),
        "{out}"
    );

    // Lysty's own export, with the writers' data, loads back as the same letters.
    let export = cli.export("export.csv", true);
    let out = cli.import("letters", &export);
    assert!(
        out.contains("read as UTF-8, columns separated by `,`"),
        "{out}"
    );
    assert!(
        out.contains("imported 0 letter(s); 0 corrected; 4 were"),
        "{out}"
    );
    // So does the export without them: empty cells erase nothing.
    let public = cli.export("public.csv", false);
    let out = cli.import("letters", &public);
    assert!(
        out.contains("imported 0 letter(s); 0 corrected; 4 were"),
        "{out}"
    );
    assert_eq!(cli.letters_in_2024(), 4);

    // One cell corrected in the export (Warszawa → Kraków) updates that letter.
    let text = std::fs::read_to_string(&export).unwrap();
    assert!(text.contains("Warszawa"));
    let corrected = cli.file(
        "corrected.csv",
        text.replace("Warszawa", "Kraków").as_bytes(),
    );
    let out = cli.import("letters", &corrected);
    assert!(
        out.contains("imported 0 letter(s); 1 corrected; 3 were"),
        "{out}"
    );
    assert_eq!(cli.letters_in_2024(), 4);
    let again = std::fs::read_to_string(cli.export("again.csv", true)).unwrap();
    assert!(
        again.contains("Kraków") && !again.contains("Warszawa"),
        "{again}"
    );
    assert!(
        again.contains("Тримайтеся; ми з вами!"),
        "the text kept: {again}"
    );

    // A row corrected in the original spreadsheet (the state of a letter) updates it too.
    let delivered = cli.cp1251(
        "листи-2.csv",
        &LETTERS.replace(
            "tour-kyiv;Київ;Україна;sent;10.06.2024",
            "tour-kyiv;Київ;Україна;delivered;10.06.2024",
        ),
    );
    // (The file still says Warszawa: that letter's city goes back to what the file says.)
    let out = cli.import("letters", &delivered);
    assert!(
        out.contains("imported 0 letter(s); 2 corrected; 2 were"),
        "{out}"
    );
    assert_eq!(cli.letters_in_2024(), 4);
}

#[tokio::test]
async fn a_tallies_file_that_grew_imports_its_new_rows_only() {
    let cli = cli_with_an_admin().await;
    let prisoners = cli.file(
        "prisoners.csv",
        "slug,name_uk,name_en,status\nserver-mustafayev,Сервер Мустафаєв,Server Mustafayev,convicted\n"
            .as_bytes(),
    );
    cli.import("prisoners", &prisoners);
    let events = cli.file(
        "events.csv",
        "slug,kind,title_uk,city,country,starts_at\nforum-lviv,book_forum,Форум,Львів,Україна,2024-04-10\n"
            .as_bytes(),
    );
    cli.import("events", &events);
    let first = cli.cp1251(
        "tallies.csv",
        "event;prisoner;count\r\nforum-lviv;server-mustafayev;10\r\n",
    );
    assert!(cli.import("tallies", &first).contains("imported 1 tally"));
    let grown = cli.cp1251(
        "tallies.csv",
        "event;prisoner;count\r\nforum-lviv;server-mustafayev;10\r\nforum-lviv;;7\r\n",
    );
    let out = cli.import("tallies", &grown);
    assert!(
        out.contains("imported 1 tally(ies); 1 were imported before"),
        "{out}"
    );
    assert_eq!(cli.letters_in_2024(), 17);
    let changed = cli.file(
        "changed.csv",
        b"event,prisoner,count\nforum-lviv,server-mustafayev,12\n",
    );
    let (ok, _, stderr) = cli.run(&["import", "tallies", changed.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stderr.contains("line 2: event `forum-lviv` already has 10 letter(s) counted"),
        "{stderr}"
    );
    assert_eq!(cli.letters_in_2024(), 17);
}

#[tokio::test]
async fn a_file_that_is_not_csv_is_named_in_one_line() {
    let cli = cli_with_an_admin().await;
    let workbook = cli.file("prisoners.xlsx", b"PK\x03\x04\x14\x00\x06\x00 workbook");
    let (ok, _, stderr) = cli.run(&["import", "prisoners", workbook.to_str().unwrap()]);
    assert!(!ok);
    let problems: Vec<&str> = stderr.lines().filter(|l| l.contains("line ")).collect();
    assert_eq!(problems.len(), 1, "{stderr}");
    assert!(problems[0].contains("Excel workbook (.xlsx)"), "{stderr}");
    assert!(problems[0].contains("CSV UTF-8"), "{stderr}");
    // A date in a form no one uses here is refused by line, naming the forms accepted.
    let events = cli.file(
        "events.csv",
        "slug,kind,title_uk,city,country,starts_at\nforum,book_forum,Форум,Львів,Україна,04/10/2024\n"
            .as_bytes(),
    );
    let (ok, _, stderr) = cli.run(&["import", "events", events.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stderr.contains("line 2: starts_at `04/10/2024`"),
        "{stderr}"
    );
    assert!(stderr.contains("12.05.2024"), "{stderr}");
}
