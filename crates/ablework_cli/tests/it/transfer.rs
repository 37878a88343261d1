//! `import persons`, `export persons` and the exports of the other lists
//! through the binary.

use std::fmt::Write as _;

use ablework_domain::ident::resident_id_check_char;

use crate::{KEY, run, stdout_json};

fn id_number(area: &str, birth: &str, sequence: &str) -> String {
    let first17 = format!("{area}{birth}{sequence}");
    format!("{first17}{}", resident_id_check_char(&first17).unwrap())
}

fn people_csv() -> String {
    let mut text =
        String::from("姓名,身份证号,残疾证号,所属区,街道,户籍类型,联系电话,文化程度,就业状态\r\n");
    for n in 0..8_u32 {
        let id = id_number(
            if n % 2 == 0 { "120101" } else { "120102" },
            &format!("1980{:02}15", n + 1),
            &format!("{:03}", 100 + n),
        );
        let district = if n % 2 == 0 { "和平区" } else { "河東區" };
        write!(
            text,
            "张{n},{id},{id}4{},{district},,城镇,1381234{:04},初中,未就业\r\n",
            n % 4 + 1,
            n
        )
        .unwrap();
    }
    // Row 10: a bad check character; row 11: a district that is not in Tianjin.
    text.push_str("王五,340524198001010013,34052419800101001341,和平区,,,,,\r\n");
    let id = id_number("120101", "19700101", "555");
    write!(text, "赵六,{id},{id}41,浦东新区,,,,,\r\n").unwrap();
    text
}

#[test]
fn import_reports_counts_and_row_errors_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("a.db").display());
    let env = [("DATABASE_URL", url.as_str()), ("ABLEWORK_SECRET_KEY", KEY)];
    let file = dir.path().join("people.csv");
    std::fs::write(&file, people_csv()).unwrap();
    let path = file.to_string_lossy().into_owned();

    let dry = run(
        &["import", "persons", &path, "--dry-run", "--json"],
        None,
        &env,
    );
    let summary = stdout_json(&dry);
    assert_eq!(summary["inserted"], 8, "{summary}");
    let first = run(
        &["import", "persons", &path, "--json", "--lang", "en"],
        None,
        &env,
    );
    assert_eq!(first.status.code(), Some(1), "rows were rejected");
    let summary = stdout_json(&first);
    assert_eq!(summary["read"], 10);
    assert_eq!(summary["inserted"], 8, "the dry run wrote nothing");
    assert_eq!(summary["rejected"], 2);
    let errors = summary["errors"].as_array().unwrap();
    assert_eq!(errors[0]["row"], 10);
    assert_eq!(errors[0]["field"], "id_number");
    assert_eq!(errors[0]["code"], "checksum");
    assert!(
        errors
            .iter()
            .any(|e| e["row"] == 11 && e["field"] == "district")
    );
    let again = stdout_json(&run(&["import", "persons", &path, "--json"], None, &env));
    assert_eq!(
        (
            again["inserted"].as_u64(),
            again["updated"].as_u64(),
            again["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(8))
    );

    let edited = people_csv().replacen("张0,", "张零,", 1);
    std::fs::write(&file, edited).unwrap();
    let changed = stdout_json(&run(&["import", "persons", &path, "--json"], None, &env));
    assert_eq!(
        (changed["updated"].as_u64(), changed["unchanged"].as_u64()),
        (Some(1), Some(7))
    );

    exports_people_whole(dir.path(), &env);
    let verified = stdout_json(&run(&["audit", "verify", "--json"], None, &env));
    assert_eq!(verified["intact"], true);
}

/// The people of the import above exported as UTF-8 CSV (one district),
/// XLSX and GB18030 CSV: masked, each file whole.
fn exports_people_whole(dir: &std::path::Path, env: &[(&str, &str)]) {
    let output = dir.join("out.csv");
    let out = output.to_string_lossy().into_owned();
    let exported = run(
        &[
            "export",
            "persons",
            "--format",
            "csv",
            "--output",
            &out,
            "--district",
            "120102",
        ],
        None,
        env,
    );
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let text = std::fs::read_to_string(&output).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 with a byte-order mark");
    assert_eq!(
        text.lines().count(),
        5,
        "a header and the four people of 河东区"
    );
    assert!(!text.contains("1381234"), "phones are masked");
    assert!(text.contains("138****0001"));
    let xlsx = dir.join("out.xlsx");
    let exported = run(
        &[
            "export",
            "persons",
            "--format",
            "xlsx",
            "--output",
            &xlsx.to_string_lossy(),
        ],
        None,
        env,
    );
    assert!(exported.status.success());
    {
        use calamine::Reader as _;
        let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
        let sheet = workbook.worksheet_range("人员").unwrap();
        assert_eq!(sheet.height(), 9, "a header and the eight people");
        assert_eq!(
            sheet.get((0, 1)).map(ToString::to_string).as_deref(),
            Some("姓名")
        );
    }
    let gb = dir.join("out-gb.csv");
    let exported = run(
        &[
            "export",
            "persons",
            "--format",
            "csv",
            "--encoding",
            "gb18030",
            "--output",
            &gb.to_string_lossy(),
        ],
        None,
        env,
    );
    assert!(exported.status.success());
    let bytes = std::fs::read(&gb).unwrap();
    let (text, _, bad) = encoding_rs::GB18030.decode(&bytes);
    assert!(!bad && !text.starts_with('\u{feff}'));
    assert_eq!(text.lines().count(), 9);
    assert!(
        text.contains("河东区") && text.contains("张*") && !text.contains("张零"),
        "{text}"
    );
    // Each file took its name whole; nothing half-written is left beside.
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".partial"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_file_without_the_required_headers_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("a.db").display());
    let env = [("DATABASE_URL", url.as_str()), ("ABLEWORK_SECRET_KEY", KEY)];
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, "名字,电话\n张三,123\n").unwrap();
    let output = run(
        &["import", "persons", &file.to_string_lossy(), "--json"],
        None,
        &env,
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout_json(&output)["error"]["code"], "missing_headers");
}

#[test]
fn every_list_exports_masked_in_each_format_and_is_audited() {
    use calamine::Reader as _;

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("a.db").display());
    let env = [("DATABASE_URL", url.as_str()), ("ABLEWORK_SECRET_KEY", KEY)];
    let file = dir.path().join("people.csv");
    std::fs::write(&file, people_csv()).unwrap();
    run(&["import", "persons", &file.to_string_lossy()], None, &env);

    let export = |list: &str, more: &[&str]| -> Vec<u8> {
        let output = dir.path().join(format!("{list}.out"));
        let out = output.to_string_lossy().into_owned();
        let mut args = vec!["export", list, "--output", &out];
        args.extend_from_slice(more);
        let exported = run(&args, None, &env);
        assert!(
            exported.status.success(),
            "{list}: {}",
            String::from_utf8_lossy(&exported.stderr)
        );
        std::fs::read(&output).unwrap()
    };
    for list in [
        "employers",
        "postings",
        "fairs",
        "declarations",
        "graduates",
        "assessments",
        "queue",
        "work-list",
        "duplicates",
        "policies",
        "plans",
        "progress-people",
    ] {
        let bytes = export(list, &["--format", "csv"]);
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "{list}: UTF-8 with a BOM"
        );
    }
    let employers = export("employers", &["--format", "csv", "--encoding", "gb18030"]);
    let (text, _, bad) = encoding_rs::GB18030.decode(&employers);
    assert!(!bad);
    assert!(text.starts_with("单位名称,统一社会信用代码"), "{text}");
    let postings = export("postings", &["--format", "xlsx", "--lang", "en"]);
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(postings)).unwrap();
    let sheet = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&sheet).unwrap();
    assert_eq!(range.rows().next().unwrap()[0].to_string(), "Job title");

    let queue = String::from_utf8(export("queue", &["--format", "csv"])).unwrap();
    assert!(queue.lines().count() > 1, "people lack the check: {queue}");
    assert!(!queue.contains("1381234"), "phones stay masked");
    for n in 0..8_u32 {
        let id = id_number(
            if n % 2 == 0 { "120101" } else { "120102" },
            &format!("1980{:02}15", n + 1),
            &format!("{:03}", 100 + n),
        );
        assert!(!queue.contains(&id), "ID numbers stay masked");
    }

    let audit = String::from_utf8(export("audit", &["--format", "csv"])).unwrap();
    for action in ["employer.export", "posting.export", "queue.export"] {
        assert!(audit.contains(action), "{action} is recorded");
    }
    let verified = stdout_json(&run(&["audit", "verify", "--json"], None, &env));
    assert_eq!(verified["intact"], true);
}
