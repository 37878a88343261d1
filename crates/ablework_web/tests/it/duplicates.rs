//! The duplicate review over the API: a same-name-and-birth-date pair is
//! listed with its evidence to staff of its district and the city, not to
//! another district; "not the same person" removes it; a merge moves the
//! histories and its undo restores both records exactly; bad merges are
//! refused and change nothing.

use ablework_app::persons::NewPersonInput;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestApp, actor, id_number};
use crate::pages::{assert_well_formed, get_with, login, post_form};

crate::on_both_engines!(duplicates:
    a_same_name_and_birth_date_pair_is_listed_to_its_district_only,
    a_dismissed_pair_is_not_listed_again,
    merge_then_undo_restores_both_records,
    bad_merges_are_refused_and_change_nothing,
    the_pages_list_review_merge_and_undo_a_pair,
    similar_names_and_shared_phones_are_listed,
    phones_stored_before_their_hash_are_hashed_and_compared,
);

/// A second record of 张伟 (same name, birth date and district as
/// `heping[0]`, another ID number and phone); its id.
async fn twin(app: &TestApp) -> i64 {
    let admin = actor(&app.app, "admin").await;
    let id = id_number("120101", "19900307", "125");
    let input = NewPersonInput {
        name: "张伟".to_owned(),
        certificate_number: format!("{id}42"),
        id_number: id,
        district: "120101".to_owned(),
        phone: Some("13900001111".to_owned()),
        ..NewPersonInput::default()
    };
    app.app.create_person(&admin, input).await.unwrap().id
}

/// The listed pairs as (a, b, reasons).
async fn listed(app: &TestApp, token: &str) -> Vec<(i64, i64, Vec<String>)> {
    let response = app.get("/api/v1/persons/duplicates", Some(token)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let body = response.json();
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            (
                pair["a"]["id"].as_i64().unwrap(),
                pair["b"]["id"].as_i64().unwrap(),
                pair["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

fn has_pair(pairs: &[(i64, i64, Vec<String>)], a: i64, b: i64) -> bool {
    pairs
        .iter()
        .any(|(x, y, _)| (*x, *y) == (a.min(b), a.max(b)))
}

async fn a_same_name_and_birth_date_pair_is_listed_to_its_district_only(app: TestApp) {
    let twin = twin(&app).await;
    let first = app.heping[0];
    for who in ["admin", "officer"] {
        let token = app.token(who).await;
        let pairs = listed(&app, &token).await;
        let found = pairs
            .iter()
            .find(|(a, b, _)| (*a, *b) == (first, twin))
            .unwrap_or_else(|| panic!("{who}: {pairs:?}"));
        assert_eq!(found.2, ["same_name_and_birth_date"], "{who}");
    }
    // The masked facts only.
    let admin = app.token("admin").await;
    let text = app
        .get("/api/v1/persons/duplicates", Some(&admin))
        .await
        .text;
    assert!(text.contains("张*") && !text.contains("张伟"), "{text}");
    let other = app.token("officer2").await;
    assert!(!has_pair(&listed(&app, &other).await, first, twin));
    let seeker = app.token("seeker").await;
    let refused = app.get("/api/v1/persons/duplicates", Some(&seeker)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    assert!(!app.audit("person.duplicates_list").await.is_empty());
    let document = app.get("/api/v1/openapi.json", None).await.json();
    for path in [
        "/api/v1/persons/duplicates",
        "/api/v1/persons/duplicates/merge",
        "/api/v1/persons/duplicates/dismiss",
        "/api/v1/persons/merges/{id}/undo",
    ] {
        assert!(document["paths"][path].is_object(), "{path}");
    }
}

async fn a_dismissed_pair_is_not_listed_again(app: TestApp) {
    let twin = twin(&app).await;
    let first = app.heping[0];
    let officer = app.token("officer").await;
    let body = json!({"a": twin, "b": first}).to_string();
    let other = app.token("officer2").await;
    let outside = app
        .post_json("/api/v1/persons/duplicates/dismiss", &other, &body)
        .await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND, "{}", outside.text);
    let done = app
        .post_json("/api/v1/persons/duplicates/dismiss", &officer, &body)
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.text);
    assert!(!has_pair(&listed(&app, &officer).await, first, twin));
    let admin = app.token("admin").await;
    assert!(!has_pair(&listed(&app, &admin).await, first, twin));
    let again = app
        .post_json("/api/v1/persons/duplicates/dismiss", &officer, &body)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    assert_eq!(app.audit("person.duplicate_dismiss").await.len(), 1);
}

/// A person's record and case file (with outcomes) as the API shows them.
async fn both(app: &TestApp, token: &str, ids: [i64; 2]) -> Vec<Value> {
    let mut out = Vec::new();
    for id in ids {
        for path in [
            format!("/api/v1/persons/{id}"),
            format!("/api/v1/persons/{id}/case"),
        ] {
            let response = app.get(&path, Some(token)).await;
            assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.text);
            out.push(response.json());
        }
    }
    out
}

async fn merge_then_undo_restores_both_records(app: TestApp) {
    let twin = twin(&app).await;
    let first = app.heping[0];
    let officer = app.token("officer").await;
    let check = json!({"checked_on": "2024-06-03", "fields": ["identity"], "source": "in_person"});
    for id in [first, twin] {
        let done = app
            .post_json(
                &format!("/api/v1/persons/{id}/checks"),
                &officer,
                &check.to_string(),
            )
            .await;
        assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);
    }
    let outcome = json!({"started_on": "2024-03-01", "form": "quota", "measure": "m09_service"});
    let done = app
        .post_json(
            &format!("/api/v1/persons/{twin}/outcomes"),
            &officer,
            &outcome.to_string(),
        )
        .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);
    let before = both(&app, &officer, [first, twin]).await;

    let merged = app
        .post_json(
            "/api/v1/persons/duplicates/merge",
            &officer,
            &json!({"keep": first, "merge": twin}).to_string(),
        )
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.text);
    let merge = merged.json();
    assert_eq!(merge["moved"]["person_checks"], 1);
    assert_eq!(merge["moved"]["employment_outcomes"], 1);
    let during = both(&app, &officer, [first, twin]).await;
    assert_eq!(during[1]["checks"].as_array().unwrap().len(), 2);
    assert_eq!(during[1]["outcomes"].as_array().unwrap().len(), 1);
    assert_eq!(during[2]["active"], false);
    assert!(during[3]["checks"].as_array().unwrap().is_empty());
    assert!(!has_pair(&listed(&app, &officer).await, first, twin));
    assert_eq!(app.audit("person.merge").await.len(), 1);

    let id = merge["id"].as_i64().unwrap();
    let undone = app
        .post_json(&format!("/api/v1/persons/merges/{id}/undo"), &officer, "")
        .await;
    assert_eq!(undone.status, StatusCode::OK, "{}", undone.text);
    assert!(undone.json()["undone_at"].is_string());
    assert_eq!(both(&app, &officer, [first, twin]).await, before);
    assert!(has_pair(&listed(&app, &officer).await, first, twin));
    let twice = app
        .post_json(&format!("/api/v1/persons/merges/{id}/undo"), &officer, "")
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.text);
    assert_eq!(app.audit("person.merge_undo").await.len(), 1);
}

async fn bad_merges_are_refused_and_change_nothing(app: TestApp) {
    let twin = twin(&app).await;
    let first = app.heping[0];
    let officer = app.token("officer").await;
    let admin = app.token("admin").await;
    let before = both(&app, &admin, [first, app.hedong[0]]).await;
    let listed_before = listed(&app, &admin).await;
    let path = "/api/v1/persons/duplicates/merge";

    let itself = app
        .post_json(
            path,
            &officer,
            &json!({"keep": first, "merge": first}).to_string(),
        )
        .await;
    assert_eq!(
        itself.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        itself.text
    );
    assert_eq!(itself.json()["error"]["fields"][0]["field"], "keep");
    let outside = app
        .post_json(
            path,
            &officer,
            &json!({"keep": first, "merge": app.hedong[0]}).to_string(),
        )
        .await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND, "{}", outside.text);
    let other = app.token("officer2").await;
    let not_theirs = app
        .post_json(
            path,
            &other,
            &json!({"keep": first, "merge": twin}).to_string(),
        )
        .await;
    assert_eq!(
        not_theirs.status,
        StatusCode::NOT_FOUND,
        "{}",
        not_theirs.text
    );
    let missing = app
        .post_json(path, &officer, &json!({"keep": first}).to_string())
        .await;
    assert_eq!(
        missing.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        missing.text
    );
    let seeker = app.token("seeker").await;
    let refused = app
        .post_json(
            path,
            &seeker,
            &json!({"keep": first, "merge": twin}).to_string(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    let unknown = app
        .post_json("/api/v1/persons/merges/999/undo", &officer, "")
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text);

    assert_eq!(both(&app, &admin, [first, app.hedong[0]]).await, before);
    assert_eq!(listed(&app, &admin).await, listed_before);
    assert!(app.audit("person.merge").await.is_empty());
}

async fn the_pages_list_review_merge_and_undo_a_pair(app: TestApp) {
    let twin = twin(&app).await;
    let first = app.heping[0];
    let (cookies, csrf) = login(&app, "officer").await;
    let persons = get_with(&app, "/persons", &cookies).await;
    assert!(persons.text.contains("href=\"/persons/duplicates\""));
    let list = get_with(&app, "/persons/duplicates", &cookies).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    assert_well_formed(&list.text, "zh-CN");
    let pair_path = format!("/persons/duplicates/{first}/{twin}");
    assert!(list.text.contains(&pair_path), "{}", list.text);
    assert!(list.text.contains("<caption>") && list.text.contains("同区同名"));
    assert!(!list.text.contains("张伟"));

    let pair = get_with(&app, &pair_path, &cookies).await;
    assert_eq!(pair.status, StatusCode::OK, "{}", pair.text);
    assert_well_formed(&pair.text, "zh-CN");
    assert!(pair.text.contains("<legend>") && pair.text.contains("name=\"keep\""));

    let merge_path = format!("{pair_path}/merge");
    let unchosen = post_form(&app, &merge_path, &cookies, &[("csrf_token", &csrf)]).await;
    assert_eq!(
        unchosen.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unchosen.text
    );
    assert!(unchosen.text.contains("error-summary") && unchosen.text.contains("href=\"#keep\""));
    assert!(app.audit("person.merge").await.is_empty());

    let keep = first.to_string();
    let merged = post_form(
        &app,
        &merge_path,
        &cookies,
        &[("csrf_token", &csrf), ("keep", &keep)],
    )
    .await;
    assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.text);
    let after = get_with(&app, &pair_path, &cookies).await;
    assert!(after.text.contains("/persons/merges/"), "{}", after.text);
    let merge_id = app.audit("person.merge").await[0]
        .entry
        .entity_id
        .clone()
        .unwrap();
    let undone = post_form(
        &app,
        &format!("/persons/merges/{merge_id}/undo"),
        &cookies,
        &[("csrf_token", &csrf)],
    )
    .await;
    assert_eq!(undone.status, StatusCode::SEE_OTHER, "{}", undone.text);

    let dismissed = post_form(
        &app,
        &format!("{pair_path}/dismiss"),
        &cookies,
        &[("csrf_token", &csrf)],
    )
    .await;
    assert_eq!(
        dismissed.status,
        StatusCode::SEE_OTHER,
        "{}",
        dismissed.text
    );
    let list = get_with(&app, "/persons/duplicates?lang=en", &cookies).await;
    assert!(!list.text.contains(&pair_path), "{}", list.text);
}

async fn similar_names_and_shared_phones_are_listed(app: TestApp) {
    let admin_actor = actor(&app.app, "admin").await;
    let mut similar = Vec::new();
    // The same name, one character apart, another name (same district and
    // birth date as 王芳, heping[1]), and 张伟 (heping[0]) in traditional
    // characters, each with a phone of its own.
    for (name, birth, sequence, phone) in [
        ("王芳", "19851120", "246", "13900002222"),
        ("汪芳", "19851120", "268", "13900003333"),
        ("李四", "19851120", "288", "13900004444"),
        ("張偉", "19900307", "127", "13900005555"),
    ] {
        let id = id_number("120101", birth, sequence);
        let input = NewPersonInput {
            name: name.to_owned(),
            certificate_number: format!("{id}42"),
            id_number: id,
            district: "120101".to_owned(),
            phone: Some(phone.to_owned()),
            ..NewPersonInput::default()
        };
        similar.push(app.app.create_person(&admin_actor, input).await.unwrap().id);
    }
    let admin = app.token("admin").await;
    let pairs = listed(&app, &admin).await;
    let reasons = |a: i64, b: i64| {
        pairs
            .iter()
            .find(|(x, y, _)| (*x, *y) == (a.min(b), a.max(b)))
            .map(|(_, _, r)| r.clone())
    };
    let (wang, hedong) = (app.heping[1], app.hedong[0]);
    // The seeded people share one mobile number, across districts too.
    assert_eq!(reasons(app.heping[0], wang).unwrap(), ["same_phone"]);
    assert_eq!(reasons(wang, hedong).unwrap(), ["same_phone"]);
    assert_eq!(
        reasons(wang, similar[0]).unwrap(),
        ["same_name_and_birth_date"]
    );
    assert_eq!(reasons(wang, similar[1]).unwrap(), ["similar_name"]);
    assert_eq!(reasons(similar[0], similar[1]).unwrap(), ["similar_name"]);
    assert_eq!(reasons(wang, similar[2]), None, "{pairs:?}");
    assert_eq!(
        reasons(app.heping[0], similar[3]).unwrap(),
        ["similar_name"]
    );
    // An officer sees only the pairs wholly in their district.
    let officer = app.token("officer").await;
    let local = listed(&app, &officer).await;
    assert!(has_pair(&local, app.heping[0], wang));
    assert!(!has_pair(&local, wang, hedong));
}

async fn phones_stored_before_their_hash_are_hashed_and_compared(app: TestApp) {
    // Two people of 河西区 sharing a number; the first written as an older
    // version did, without the number's hash.
    let mut written = Vec::new();
    for (name, birth, sequence) in [("赵敏", "19700101", "111"), ("钱多", "19720202", "131")] {
        let id = id_number("120103", birth, sequence);
        let input = NewPersonInput {
            name: name.to_owned(),
            certificate_number: format!("{id}42"),
            id_number: id,
            district: "120103".to_owned(),
            phone: Some("13900009999".to_owned()),
            ..NewPersonInput::default()
        };
        written.push(app.app.prepare_person(&input).unwrap());
    }
    written[0].phone_hash = None;
    let hashes: Vec<String> = written.iter().map(|p| p.id_number_hash.clone()).collect();
    let audit = ablework_store::NewAuditEntry::new(
        chrono::Utc::now(),
        None,
        "test",
        "person.import",
        "person",
    );
    app.store.insert_persons(&written, audit).await.unwrap();
    let mut ids: Vec<i64> = app
        .store
        .persons_by_id_hashes(&hashes)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    ids.sort_unstable();
    // The binary hashes older phones when it opens the database.
    app.app.hash_older_phones().await.unwrap();
    let admin = app.token("admin").await;
    let pairs = listed(&app, &admin).await;
    let found = pairs
        .iter()
        .find(|(a, b, _)| (*a, *b) == (ids[0], ids[1]))
        .unwrap_or_else(|| panic!("{pairs:?}"));
    assert_eq!(found.2, ["same_phone"]);
    assert_eq!(app.audit("person.phone_hash_backfill").await.len(), 1);
    // Nothing is left to hash the second time.
    app.app.hash_older_phones().await.unwrap();
    assert_eq!(listed(&app, &admin).await, pairs);
    assert_eq!(app.audit("person.phone_hash_backfill").await.len(), 1);
}
