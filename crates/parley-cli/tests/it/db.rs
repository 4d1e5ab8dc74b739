//! `parley db`: import, verify (intact and tampered), export, backup and add-user on SQLite.

use crate::helpers::parley;

fn run_ok(args: &[&std::ffi::OsStr]) -> String {
    let output = parley().args(args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn import_verify_export_and_backup_keep_the_record() {
    let temp = tempfile::tempdir().unwrap();
    let database = temp.path().join("parley.db");
    let scenario = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/talks-2025.toml"
    ));
    let db = database.as_os_str();
    run_ok(&["db".as_ref(), "import".as_ref(), scenario.as_os_str(), "--database".as_ref(), db]);
    assert!(
        run_ok(&["db".as_ref(), "verify".as_ref(), "--database".as_ref(), db])
            .contains("the log is intact: 1 event(s)")
    );
    let exported = temp.path().join("exported.toml");
    run_ok(&[
        "db".as_ref(),
        "export".as_ref(),
        "-o".as_ref(),
        exported.as_os_str(),
        "--database".as_ref(),
        db,
    ]);
    let analysis = |path: &std::path::Path| {
        run_ok(&[
            "analyze".as_ref(),
            path.as_os_str(),
            "--json".as_ref(),
            "--samples".as_ref(),
            "0".as_ref(),
        ])
    };
    assert_eq!(
        analysis(&exported).replace(exported.to_str().unwrap(), "FILE"),
        analysis(scenario).replace(scenario.to_str().unwrap(), "FILE")
    );
    let backup = temp.path().join("backup.db");
    run_ok(&[
        "db".as_ref(),
        "backup".as_ref(),
        "-o".as_ref(),
        backup.as_os_str(),
        "--database".as_ref(),
        db,
    ]);
    assert!(
        run_ok(&["db".as_ref(), "verify".as_ref(), "--database".as_ref(), backup.as_os_str()])
            .contains("intact")
    );
    let token = run_ok(&[
        "db".as_ref(),
        "add-user".as_ref(),
        "alice".as_ref(),
        "--role".as_ref(),
        "delegate:ukraine".as_ref(),
        "--database".as_ref(),
        db,
    ]);
    assert!(token.contains("parley_"));
}

#[test]
fn verify_names_an_edited_event_and_exits_with_one() {
    let temp = tempfile::tempdir().unwrap();
    let database = temp.path().join("parley.db");
    let scenario = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/talks-2025.toml"
    ));
    run_ok(&[
        "db".as_ref(),
        "import".as_ref(),
        scenario.as_os_str(),
        "--database".as_ref(),
        database.as_os_str(),
    ]);
    // Edit the stored event behind the store's back, as an intruder with file access would.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        use sqlx::Connection;
        let url = format!("sqlite://{}", database.display());
        let mut connection = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("UPDATE events SET payload = replace(payload, 'Vladimir Putin', 'V. Putin') WHERE seq = 1")
            .execute(&mut connection)
            .await
            .unwrap();
    });
    let output = parley()
        .args(["db".as_ref(), "verify".as_ref(), "--database".as_ref(), database.as_os_str()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("event 1") && stdout.contains("was edited"), "{stdout}");
}

#[test]
fn a_database_password_is_never_printed() {
    // Port 1 refuses at once; the password is in the credentials and in the query.
    let url = "postgres://parley:s3cret-pw@127.0.0.1:1/postgres?password=s3cret-pw";
    for args in [
        vec!["serve", "--database", url, "--port", "0"],
        vec!["db", "verify", "--database", url],
        vec!["db", "add-user", "someone", "--role", "observer", "--database", url],
    ] {
        let output = parley().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("Connection refused"), "{args:?} names the cause: {stderr}");
        assert!(!stderr.contains("s3cret-pw"), "{args:?}: {stderr}");
        assert!(stderr.contains("parley:***@127.0.0.1:1"), "{args:?}: {stderr}");
    }
}

#[test]
fn tokens_and_sign_in_links_are_issued_and_revoked_from_the_command_line() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("parley.db");
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/talks-2025.toml");
    let db_arg = db.as_os_str();
    run_ok(&["db".as_ref(), "import".as_ref(), scenario.as_ref(), "--database".as_ref(), db_arg]);
    let added = run_ok(&[
        "db".as_ref(),
        "add-user".as_ref(),
        "olena".as_ref(),
        "--role".as_ref(),
        "delegate:ukraine".as_ref(),
        "--expires-in-days".as_ref(),
        "7".as_ref(),
        "--database".as_ref(),
        db_arg,
    ]);
    assert!(added.contains("good for 7 day(s)"), "{added}");
    let token = added.lines().find(|line| line.starts_with("parley_")).unwrap().to_owned();
    let link = run_ok(&[
        "db".as_ref(),
        "sign-in-link".as_ref(),
        "olena".as_ref(),
        "--base-url".as_ref(),
        "https://parley.example/".as_ref(),
        "--database".as_ref(),
        db_arg,
    ]);
    assert!(link.contains("https://parley.example/sign-in?code=parley_link_"), "{link}");
    let revoked = run_ok(&[
        "db".as_ref(),
        "revoke-token".as_ref(),
        token.as_ref(),
        "--database".as_ref(),
        db_arg,
    ]);
    assert_eq!(revoked, "revoked the token\n");
    let again =
        parley().args(["db", "revoke-token", &token, "--database"]).arg(&db).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("unknown or revoked already"));
    // Revoking a user's tokens spends its sign-in link too.
    let by_user = run_ok(&[
        "db".as_ref(),
        "revoke-token".as_ref(),
        "--user".as_ref(),
        "olena".as_ref(),
        "--database".as_ref(),
        db_arg,
    ]);
    assert_eq!(by_user, "revoked 1 token(s) and session(s) of 'olena'\n");
    let unknown =
        parley().args(["db", "sign-in-link", "nobody", "--database"]).arg(&db).output().unwrap();
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("no user named 'nobody', expected one of: olena")
    );
}

#[test]
fn reading_commands_refuse_a_missing_or_empty_database_and_leave_it_as_it_was() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("empty.db"), b"").unwrap();
    for database in ["empty.db", "missing.db"] {
        for command in [
            &["db", "verify", "--database", database][..],
            &["db", "export", "-o", "out.toml", "--database", database],
            &["db", "backup", "-o", "backup.db", "--database", database],
            &["db", "add-user", "alice", "--role", "mediator", "--database", database],
        ] {
            let output = parley().current_dir(temp.path()).args(command).output().unwrap();
            assert_eq!(output.status.code(), Some(2), "{command:?}");
            let stderr = String::from_utf8(output.stderr).unwrap();
            let expected = if database == "empty.db" {
                "error: database 'empty.db' is an empty file (0 bytes), not a Parley database; `parley db import FILE` or `parley serve` creates one\n"
            } else {
                "error: database 'missing.db' does not exist\n"
            };
            assert_eq!(stderr, expected, "{command:?}");
        }
    }
    let files: Vec<(String, u64)> = std::fs::read_dir(temp.path())
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (entry.file_name().to_string_lossy().into_owned(), entry.metadata().unwrap().len())
        })
        .collect();
    assert_eq!(files, [("empty.db".to_owned(), 0)]);
}
